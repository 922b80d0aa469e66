// Throughput and size of the history chunk codec (src/store/codec) on realistic series.
// Run: npx tsx bench/codec.bench.ts   (not part of the test suite; numbers vary by machine)
import {
  decodeChunk,
  decodeNumbers,
  decodeTimestamps,
  encodeChunk,
  encodeNumbers,
  encodeTimestamps,
} from '../src/store/codec/index.js'
import type { ChunkData } from '../src/store/codec/index.js'
import {
  counterSeries,
  jitteredTemperatureSeries,
  occupancySeries,
  temperatureSeries,
} from '../src/store/codec/sample-series.js'

const YEAR = 525_600
const DAY = 1_440

/** CPU time in ms; less disturbed than wall time when other jobs share the two cores. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** Best-of-5 rate in million points per CPU second for `fn` over `points` points. */
function rate(points: number, fn: () => unknown): number {
  const minMs = 300
  let best = Infinity
  for (let round = 0; round < 5; round++) {
    let runs = 0
    const start = cpuMs()
    let elapsed = 0
    while (elapsed < minMs) {
      fn()
      runs++
      elapsed = cpuMs() - start
    }
    best = Math.min(best, elapsed / runs)
  }
  return points / best / 1000
}

function split(data: ChunkData, size: number): ChunkData[] {
  const parts: ChunkData[] = []
  for (let i = 0; i < data.ts.length; i += size) {
    parts.push({ ts: data.ts.slice(i, i + size), values: data.values.slice(i, i + size) })
  }
  return parts
}

function row(name: string, bytes: number, points: number, enc: number, dec: number): void {
  const bpp = (bytes / points).toFixed(3).padStart(7)
  console.log(
    `${name.padEnd(40)} ${bpp} B/pt  enc ${enc.toFixed(1).padStart(6)} M/s  dec ${dec.toFixed(1).padStart(6)} M/s`,
  )
}

function benchNumbers(name: string, values: number[]): void {
  const bytes = encodeNumbers(values)
  row(
    `numbers: ${name}`,
    bytes.length,
    values.length,
    rate(values.length, () => encodeNumbers(values)),
    rate(values.length, () => decodeNumbers(bytes)),
  )
}

function benchTimestamps(name: string, ts: number[]): void {
  const bytes = encodeTimestamps(ts)
  row(
    `timestamps: ${name}`,
    bytes.length,
    ts.length,
    rate(ts.length, () => encodeTimestamps(ts)),
    rate(ts.length, () => decodeTimestamps(bytes)),
  )
}

function benchChunks(name: string, data: ChunkData, size: number): void {
  const parts = split(data, size)
  const encoded = parts.map(encodeChunk)
  const bytes = encoded.reduce((sum, b) => sum + b.length, 0)
  row(
    `chunk/${size}: ${name}`,
    bytes,
    data.ts.length,
    rate(data.ts.length, () => parts.map(encodeChunk)),
    rate(data.ts.length, () => encoded.map(decodeChunk)),
  )
}

const temperature = temperatureSeries(YEAR)
const jittered = jitteredTemperatureSeries(YEAR)
const occupancy = occupancySeries(YEAR)
const counter = counterSeries(YEAR)
const random = Array.from({ length: YEAR }, (_, i) => Math.sin(i) * 1e3 + Math.random())

console.log(`node ${process.version}, ${YEAR} points per series (one year of 1-minute data)`)
benchNumbers('temperature 0.1 °C', temperature.values as number[])
benchNumbers('counter', counter.values as number[])
benchNumbers('random doubles (XOR)', random)
benchTimestamps('regular 1 min', temperature.ts)
benchTimestamps('1 min ± 2 s jitter', jittered.ts)
for (const size of [DAY, YEAR]) {
  benchChunks('temperature', temperature, size)
  benchChunks('temperature, jittered ts', jittered, size)
  benchChunks('occupancy "0"/"1"', occupancy, size)
  benchChunks('counter', counter, size)
}
