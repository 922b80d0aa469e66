import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { decodeNumbers, encodeNumbers } from './numbers.js'
import { counterSeries, temperatureSeries } from './sample-series.js'
import { anyNumber, decimalNumber, sameNumbers } from './test-arbitraries.js'
import { readXorFloats, writeXorFloats } from './xor-floats.js'

function roundTrip(values: number[]): number[] {
  return decodeNumbers(encodeNumbers(values))
}

function bytesPerPoint(values: number[]): number {
  return encodeNumbers(values).length / values.length
}

/** A seeded random walk in tenths, like a slow sensor: 1013.2, 1013.3, 1013.1 … */
function walk(start: number, points: number, scale: number): number[] {
  let seed = 7
  let v = Math.round(start * scale)
  return Array.from({ length: points }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    v += (seed % 5) - 2
    return v / scale
  })
}

describe('number codec', () => {
  it('round-trips any doubles exactly (-0, NaN, ±Infinity, subnormals, near 2^53)', () => {
    fc.assert(
      fc.property(fc.array(anyNumber, { maxLength: 300 }), (values) => {
        expect(sameNumbers(roundTrip(values), values)).toBe(true)
      }),
    )
  })

  it('round-trips decimal series with a few odd values mixed in', () => {
    const odd = fc.constantFrom(-0, NaN, Infinity, -Infinity, 0.1 + 0.2, 1e-7, 2 ** 52 + 0.5)
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof({ weight: 30, arbitrary: decimalNumber }, { weight: 1, arbitrary: odd }),
          {
            maxLength: 500,
          },
        ),
        (values) => {
          expect(sameNumbers(roundTrip(values), values)).toBe(true)
        },
      ),
    )
  })

  it('round-trips the XOR path on its own, whatever the chooser picks', () => {
    fc.assert(
      fc.property(fc.array(anyNumber, { maxLength: 200 }), (values) => {
        const w = new BitWriter()
        writeXorFloats(w, values)
        const r = new BitReader(w.finish())
        expect(sameNumbers(readXorFloats(r, values.length), values)).toBe(true)
        r.end()
      }),
    )
  })

  it.each([
    ['empty', []],
    ['single', [21.3]],
    ['single -0', [-0]],
    ['integers near 2^53', [2 ** 53 - 1, 2 ** 53 - 2, -(2 ** 53 - 1), 2 ** 53]],
    ['tiny and huge', [5e-324, -5e-324, 1.7976931348623157e308, 2.2250738585072014e-308]],
    ['all NaN', [NaN, NaN, NaN]],
  ])('round-trips %s', (_name, values: number[]) => {
    expect(sameNumbers(roundTrip(values), values)).toBe(true)
  })

  it('keeps -0 from rounding near zero without giving up decimal coding', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.round(Math.sin(i / 50) * 3) / 10)
    values[500] = -0
    values[501] = NaN
    expect(sameNumbers(roundTrip(values), values)).toBe(true)
    expect(bytesPerPoint(values)).toBeLessThan(0.5)
  })

  it('compresses one-decimal readings (humidity 41.7, pressure 1013.2) to well under 1 byte', () => {
    // Measured about 0.4 B/pt for both: ±0.2 steps need 3 bits plus block headers.
    expect(bytesPerPoint(walk(41.7, 10_000, 10))).toBeLessThan(0.5)
    expect(bytesPerPoint(walk(1013.2, 10_000, 10))).toBeLessThan(0.5)
    expect(bytesPerPoint(walk(3.25, 10_000, 100))).toBeLessThan(0.5)
  })

  it('compresses a year of 1-minute temperature (0.1 °C, daily cycle, noise) below 0.6 B/pt', () => {
    const values = temperatureSeries(525_600).values as number[]
    // Measured 0.539 B/pt.
    expect(bytesPerPoint(values)).toBeLessThan(0.6)
  })

  it('compresses a monotone counter below 0.6 B/pt', () => {
    const values = counterSeries(525_600).values as number[]
    // Measured 0.523 B/pt: increments of 0–11 need 4 bits.
    expect(bytesPerPoint(values)).toBeLessThan(0.6)
  })

  it('stores a constant in about 12 bits per 64 points', () => {
    // One block header (width 0, minimum) per 64 points: 0.023 B/pt.
    expect(bytesPerPoint(new Array<number>(100_000).fill(21.5))).toBeLessThan(0.03)
  })

  it('falls back to XOR for non-decimal doubles and stays within 9 bytes a point', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 1000)
    expect(sameNumbers(roundTrip(values), values)).toBe(true)
    expect(bytesPerPoint(values)).toBeLessThan(9)
  })
})
