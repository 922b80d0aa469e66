import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { readDeltaOfDelta, writeDeltaOfDelta } from './delta-of-delta.js'
import { jitteredTemperatureSeries, temperatureSeries } from './sample-series.js'
import { anyTimestamps, sameNumbers } from './test-arbitraries.js'
import { decodeTimestamps, encodeTimestamps } from './timestamps.js'

function deltaOfDelta(ts: readonly number[]): { bits: number; back: Float64Array } {
  const w = new BitWriter()
  writeDeltaOfDelta(w, ts)
  const bits = w.bitLength
  const r = new BitReader(w.finish())
  const back = readDeltaOfDelta(r, ts.length)
  r.end()
  return { bits, back }
}

describe('timestamp codec', () => {
  it('round-trips any timestamps exactly', () => {
    fc.assert(
      fc.property(anyTimestamps, (ts) => {
        expect(sameNumbers(decodeTimestamps(encodeTimestamps(ts)), ts)).toBe(true)
      }),
    )
  })

  it('round-trips the Gorilla delta-of-delta path on its own, whatever the chooser picks', () => {
    fc.assert(
      fc.property(anyTimestamps, (ts) => {
        expect(sameNumbers(deltaOfDelta(ts).back, ts)).toBe(true)
      }),
    )
  })

  it.each([
    ['empty', []],
    ['single', [1_700_000_000_000]],
    ['duplicates', [5, 5, 5, 5, 6, 6]],
    ['decreasing', [1e12, 9e11, 8e11, 8e11, -5]],
    ['extreme jumps', [-(2 ** 53 - 1), 2 ** 53 - 1, -(2 ** 53 - 1), 0, 2 ** 53 - 1]],
    ['past the safe range', [2 ** 53, 2 ** 60, -(2 ** 70), 1]],
    ['odd values', [-0, 0, 0.5, NaN, Infinity, -Infinity, 3, -0]],
  ])('round-trips %s', (_name, ts: number[]) => {
    expect(sameNumbers(decodeTimestamps(encodeTimestamps(ts)), ts)).toBe(true)
    expect(sameNumbers(deltaOfDelta(ts).back, ts)).toBe(true)
  })

  it('spends one bit per regular point in the delta-of-delta codes', () => {
    const { ts } = temperatureSeries(10_000)
    // First point up to 60 bits, second point a 24-bit code, then one bit each.
    expect(deltaOfDelta(ts).bits).toBeLessThanOrEqual(60 + 24 + 9_998)
  })

  it('stores a year of regular 1-minute timestamps in under 0.05 bytes a point', () => {
    const { ts } = temperatureSeries(525_600)
    // Measured 0.0235 B/pt: the integer column packs 64 regular points in 12 bits.
    expect(encodeTimestamps(ts).length / ts.length).toBeLessThan(0.05)
  })

  it('stores ±2 s arrival jitter near its entropy (~12 bits a point)', () => {
    const { ts } = jitteredTemperatureSeries(525_600)
    // Measured 1.68 B/pt; Gorilla codes alone would take about 2.2.
    expect(encodeTimestamps(ts).length / ts.length).toBeLessThan(1.85)
  })
})
