import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ObservedValue } from '../../core/observation.js'
import { fillBuckets } from '../rollup.js'
import {
  ALL_MEMBERS,
  decodeRollupBlock,
  decodeRollupColumns,
  encodeRollupBlock,
  type RollupBucket,
} from './rollup-block.js'
import { anyNumber, decimalNumber } from './test-arbitraries.js'

const value: fc.Arbitrary<ObservedValue> = fc.oneof(
  { weight: 6, arbitrary: decimalNumber },
  { weight: 2, arbitrary: anyNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(null) },
)

/** Buckets as the store builds them: from points of any shape, at a rollup width. */
const blocks = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 86_400_000 }), value), { maxLength: 400 }),
    fc.constantFrom(60_000, 3_600_000),
  )
  .map(([points, width]) => {
    const map = new Map<number, RollupBucket>()
    const t0 = Date.parse('2026-03-01T00:00:00Z')
    fillBuckets(
      points.map(([t]) => t0 + t),
      points.map(([, v]) => v),
      width,
      map,
    )
    return [...map.values()].filter((b) => b.count > 0).sort((a, b) => a.t - b.t)
  })

describe('rollup block codec', () => {
  it('round-trips buckets exactly (Object.is on every member)', () => {
    fc.assert(
      fc.property(blocks, (buckets) => {
        const back = decodeRollupBlock(encodeRollupBlock(buckets))
        expect(back).toHaveLength(buckets.length)
        back.forEach((b, i) => {
          const want = buckets[i] as RollupBucket
          expect(b.t).toBe(want.t)
          expect(b.count).toBe(want.count)
          expect(b.n).toBe(want.n)
          if (want.n === 0) return
          for (const k of [
            'sum',
            'sumsq',
            'min',
            'max',
            'firstT',
            'firstV',
            'lastT',
            'lastV',
          ] as const)
            expect(Object.is(b[k], want[k]), `${k}: ${b[k]} vs ${want[k]}`).toBe(true)
        })
      }),
      { numRuns: 300 },
    )
  })

  it('stores one-value buckets of regular minute data in about a byte each', () => {
    const ts = Array.from({ length: 360 }, (_, i) => 1_700_000_040_000 + i * 60_000)
    const values = ts.map((_, i) => Math.round(200 + 30 * Math.sin(i / 40)) / 10)
    const map = new Map<number, RollupBucket>()
    fillBuckets(ts, values, 60_000, map)
    const bytes = encodeRollupBlock([...map.values()])
    expect(bytes.byteLength).toBeLessThan(360 * 1.5)
  })

  it('decodes any subset of members exactly as the full decode does, and nothing else', () => {
    fc.assert(
      fc.property(blocks, fc.subarray([...ALL_MEMBERS]), (buckets, members) => {
        const bytes = encodeRollupBlock(buckets)
        const full = decodeRollupBlock(bytes)
        const cols = decodeRollupColumns(bytes, members)
        expect(cols.length).toBe(full.length)
        const names = {
          sum: ['sum'],
          sumsq: ['sumsq'],
          min: ['min'],
          max: ['max'],
          first: ['firstT', 'firstV'],
          last: ['lastT', 'lastV'],
        } as const
        for (const m of ALL_MEMBERS)
          for (const name of names[m]) {
            const col = cols[name]
            if (!members.includes(m)) {
              expect(col, name).toBeUndefined()
              continue
            }
            expect(col, name).toBeInstanceOf(Float64Array)
            full.forEach((b, i) => expect(Object.is(col?.[i], b[name]), name).toBe(true))
          }
        full.forEach((b, i) => {
          expect(cols.t[i]).toBe(b.t)
          expect(cols.count[i]).toBe(b.count)
          expect(cols.n[i]).toBe(b.n)
        })
      }),
      { numRuns: 200 },
    )
  })

  it('refuses a block whose column directory does not match its length', () => {
    const ts = [0, 60_000, 120_000]
    const map = new Map<number, RollupBucket>()
    fillBuckets(ts, [1.5, 2, 'x'], 60_000, map)
    const bytes = encodeRollupBlock([...map.values()])
    expect(() => decodeRollupBlock(bytes.subarray(0, bytes.length - 1))).toThrow(/directory/)
    const longer = new Uint8Array(bytes.length + 1)
    longer.set(bytes)
    expect(() => decodeRollupColumns(longer, [])).toThrow(/directory/)
    expect(() => decodeRollupBlock(bytes.subarray(0, 2))).toThrow(/directory|cut short/)
  })

  it('refuses a version it does not know', () => {
    const bytes = encodeRollupBlock([])
    bytes[0] = 9
    expect(() => decodeRollupBlock(bytes)).toThrow(/version/)
  })
})
