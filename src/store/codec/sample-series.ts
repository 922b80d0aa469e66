/**
 * Deterministic, realistic sensor series for the codec's size tests and benchmark: the numbers
 * the compression targets are measured on. Seeded, so a size assertion means the same every run.
 *
 * @example
 *   const { ts, values } = temperatureSeries(525_600) // a year of 1-minute readings
 */
import type { ChunkData } from './chunk.js'

const MINUTE = 60_000
const DAY_MINUTES = 1440
const START = Date.parse('2025-01-01T00:00:00Z')

/** mulberry32: a tiny seeded PRNG, good enough for test data. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Standard normal deviate (Box–Muller). */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

function minutes(points: number): number[] {
  return Array.from({ length: points }, (_, i) => START + i * MINUTE)
}

/** Outdoor temperature in °C with one decimal: seasonal and daily cycles plus sensor noise. */
export function temperatureSeries(points: number, seed = 1): ChunkData {
  const rand = random(seed)
  const values = minutes(points).map((_, i) => {
    const season = -8 * Math.cos((2 * Math.PI * i) / (365 * DAY_MINUTES))
    const day = -5 * Math.cos((2 * Math.PI * (i % DAY_MINUTES)) / DAY_MINUTES)
    const celsius = 12 + season + day + 0.15 * gaussian(rand)
    return Math.round(celsius * 10) / 10
  })
  return { ts: minutes(points), values }
}

/** Like temperatureSeries but with ±2 s of timestamp jitter, as stamped on arrival. */
export function jitteredTemperatureSeries(points: number, seed = 2): ChunkData {
  const rand = random(seed)
  const { values } = temperatureSeries(points, seed)
  const ts = minutes(points).map((t) => t + Math.round((rand() - 0.5) * 4000))
  return { ts, values }
}

/** Parking bay occupancy as "0"/"1" strings sampled every minute; a car stays for hours. */
export function occupancySeries(points: number, seed = 3): ChunkData {
  const rand = random(seed)
  let state = '0'
  const values = minutes(points).map(() => {
    // Mean dwell about three hours either way.
    if (rand() < 1 / 180) state = state === '0' ? '1' : '0'
    return state
  })
  return { ts: minutes(points), values }
}

/** A monotone counter (vehicles passed): a Poisson-like count added every minute. */
export function counterSeries(points: number, seed = 4): ChunkData {
  const rand = random(seed)
  let total = 1_234_567
  const values = minutes(points).map(() => {
    total += Math.floor(rand() * 12)
    return total
  })
  return { ts: minutes(points), values }
}

/**
 * When each point of `ts` reached the store: a network and queueing delay of 0.2–1.5 s with
 * occasional backlogs of up to a minute, as an MQTT gateway delivers readings.
 */
export function ingestTimes(ts: readonly number[], seed = 5): number[] {
  const rand = random(seed)
  return ts.map((t) => {
    const backlog = rand() < 0.01 ? Math.round(rand() * 60_000) : 0
    return t + 200 + Math.round(rand() * 1300) + backlog
  })
}
