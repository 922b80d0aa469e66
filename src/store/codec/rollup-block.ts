/**
 * Rollup block format: a run of aggregate buckets of one series at one resolution, compressed
 * column-wise like chunks. A bucket holding one numeric value stores only its time and value
 * (sum, min, max, last and sumsq follow from it), so 1-minute rollups of 1-minute data cost about
 * what the raw points cost instead of ten doubles each.
 *
 * @example
 *   const bytes = encodeRollupBlock([{ t: 0, count: 1, n: 1, sum: 2, sumsq: 4, min: 2, max: 2,
 *     firstT: 5, firstV: 2, lastT: 5, lastV: 2 }])
 *   decodeRollupBlock(bytes) // → the same bucket
 */
import { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { corruptChunk, unsupportedValue } from './codec-error.js'
import { readIntColumn, writeIntColumn } from './int-column.js'
import { checkCount, readCount } from './limits.js'
import { readNumbers, writeNumbers } from './numbers.js'
import { readTimestamps, writeTimestamps } from './timestamps.js'

/**
 * Aggregates of one time bucket [t, t + resolution). `count` counts every non-null value; the
 * numeric members cover the `n` numeric values (booleans as 0 and 1) and are meaningless when
 * n = 0. firstT/lastT are the times of the earliest and latest numeric value.
 */
export interface RollupBucket {
  t: number
  count: number
  n: number
  sum: number
  sumsq: number
  min: number
  max: number
  firstT: number
  firstV: number
  lastT: number
  lastV: number
}

const VERSION = 1

export function encodeRollupBlock(buckets: readonly RollupBucket[]): Uint8Array {
  const k = checkCount(buckets.length)
  const w = new BitWriter(32 + k * 2)
  w.bits(VERSION, 8)
  w.varUint(k)
  writeTimestamps(
    w,
    buckets.map((b) => b.t),
  )
  writeIntColumn(
    w,
    buckets.map((b) => b.count),
  )
  const allNumeric = buckets.every((b) => b.n === b.count)
  w.bits(allNumeric ? 0 : 1, 1)
  if (!allNumeric)
    writeIntColumn(
      w,
      buckets.map((b) => b.n),
    )
  const one = buckets.filter((b) => b.n >= 1)
  const many = buckets.filter((b) => b.n >= 2)
  for (const b of one) {
    if (b.firstT < b.t || b.lastT < b.firstT)
      throw unsupportedValue(`rollup bucket ${b.t} with times out of order`)
  }
  writeIntColumn(
    w,
    one.map((b) => b.firstT - b.t),
  )
  writeNumbers(
    w,
    one.map((b) => b.firstV),
  )
  writeIntColumn(
    w,
    many.map((b) => b.lastT - b.t),
  )
  for (const pick of MANY_COLUMNS)
    writeNumbers(
      w,
      many.map((b) => b[pick]),
    )
  return w.finish()
}

/** Numeric members stored only for buckets of two or more values, in this order. */
const MANY_COLUMNS = ['lastV', 'min', 'max', 'sum', 'sumsq'] as const

export function decodeRollupBlock(buf: Uint8Array): RollupBucket[] {
  const r = new BitReader(buf)
  const version = r.bits(8)
  if (version !== VERSION) throw corruptChunk(`unknown rollup block version ${version}`)
  const k = readCount(r)
  const ts = readTimestamps(r, k)
  const counts = readIntColumn(r, k)
  const ns = r.bits(1) === 0 ? counts : readIntColumn(r, k)
  let ones = 0
  let manys = 0
  for (let i = 0; i < k; i++) {
    if (ns[i]! >= 1) ones++
    if (ns[i]! >= 2) manys++
  }
  const firstOff = readIntColumn(r, ones)
  const firstV = readNumbers(r, ones)
  const lastOff = readIntColumn(r, manys)
  const cols = MANY_COLUMNS.map(() => readNumbers(r, manys))
  r.end()
  const out: RollupBucket[] = []
  let a = 0
  let b = 0
  for (let i = 0; i < k; i++) {
    const t = ts[i]!
    const n = ns[i]!
    const bucket: RollupBucket = {
      t,
      count: counts[i]!,
      n,
      sum: 0,
      sumsq: 0,
      min: 0,
      max: 0,
      firstT: t,
      firstV: 0,
      lastT: t,
      lastV: 0,
    }
    if (n >= 1) {
      const v = firstV[a]!
      bucket.firstT = t + firstOff[a]!
      bucket.firstV = v
      a++
      if (n === 1) {
        bucket.sum = v
        bucket.sumsq = v * v
        bucket.min = v
        bucket.max = v
        bucket.lastT = bucket.firstT
        bucket.lastV = v
      } else {
        bucket.lastT = t + lastOff[b]!
        bucket.lastV = cols[0]![b]!
        bucket.min = cols[1]![b]!
        bucket.max = cols[2]![b]!
        bucket.sum = cols[3]![b]!
        bucket.sumsq = cols[4]![b]!
        b++
      }
    }
    out.push(bucket)
  }
  return out
}
