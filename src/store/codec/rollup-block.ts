/**
 * Rollup block format: a run of aggregate buckets of one series at one resolution, compressed
 * column-wise like chunks. A bucket holding one numeric value stores only its time and value
 * (sum, min, max, last and sumsq follow from it), so 1-minute rollups of 1-minute data cost about
 * what the raw points cost instead of ten doubles each.
 *
 * Layout (version 2): a version byte, the bucket count and a directory of column byte lengths
 * (LEB128), then the columns, each byte-aligned. The directory lets a reader skip the columns it
 * does not need: an hourly average decodes times, counts, the values of one-value buckets (often
 * none) and sums, not min, max, sumsq or first/last.
 *
 * @example
 *   const bytes = encodeRollupBlock([{ t: 0, count: 1, n: 1, sum: 2, sumsq: 4, min: 2, max: 2,
 *     firstT: 5, firstV: 2, lastT: 5, lastV: 2 }])
 *   decodeRollupBlock(bytes) // → the same bucket
 *   decodeRollupColumns(bytes, ['sum']).sum // → Float64Array [2]
 */
import { AppError } from '../../core/errors.js'
import { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { corruptChunk, unsupportedValue } from './codec-error.js'
import { readIntColumn, writeIntColumn } from './int-column.js'
import { MAX_POINTS, checkCount } from './limits.js'
import { readNumbers, writeNumbers } from './numbers.js'
import { readTimestampColumn, writeTimestamps } from './timestamps.js'

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

/** Groups of bucket members a reader may ask for; `first` and `last` are each a time and value. */
export type RollupMember = 'sum' | 'sumsq' | 'min' | 'max' | 'first' | 'last'

export const ALL_MEMBERS: readonly RollupMember[] = ['sum', 'sumsq', 'min', 'max', 'first', 'last']

type DenseName = 'sum' | 'sumsq' | 'min' | 'max' | 'firstT' | 'firstV' | 'lastT' | 'lastV'

/**
 * Buckets as parallel arrays, one entry per bucket. t, count and n are always there; the other
 * arrays only when their member was asked for.
 */
export type RollupColumns = {
  length: number
  t: Float64Array
  count: Float64Array
  n: Float64Array
} & Partial<Record<DenseName, Float64Array>>

const VERSION = 2

/** Column slots in the directory, in stored order. */
const T = 0
const COUNT = 1
/** Empty when every value is numeric (n = count). */
const N = 2
const FIRST_OFF = 3
/** The value of each one-value bucket: all its members follow from it. */
const SINGLE = 4
const LAST_OFF = 5
const LAST_V = 6
const MIN = 7
const MAX = 8
const SUM = 9
const SUMSQ = 10
/** Kept apart from SINGLE so sums of many-value buckets decode without any per-value column. */
const FIRST_V = 11
const SLOTS = 12

export function encodeRollupBlock(buckets: readonly RollupBucket[]): Uint8Array {
  const k = checkCount(buckets.length)
  const one = buckets.filter((b) => b.n >= 1)
  const many = buckets.filter((b) => b.n >= 2)
  for (const b of one) {
    if (b.firstT < b.t || b.lastT < b.firstT)
      throw unsupportedValue(`rollup bucket ${b.t} with times out of order`)
  }
  const allNumeric = buckets.every((b) => b.n === b.count)
  const cols: Uint8Array[] = []
  cols[T] = column((w) =>
    writeTimestamps(
      w,
      buckets.map((b) => b.t),
    ),
  )
  cols[COUNT] = column((w) =>
    writeIntColumn(
      w,
      buckets.map((b) => b.count),
    ),
  )
  cols[N] = allNumeric
    ? new Uint8Array(0)
    : column((w) =>
        writeIntColumn(
          w,
          buckets.map((b) => b.n),
        ),
      )
  cols[FIRST_OFF] = column((w) =>
    writeIntColumn(
      w,
      one.map((b) => b.firstT - b.t),
    ),
  )
  cols[SINGLE] = column((w) =>
    writeNumbers(
      w,
      buckets.filter((b) => b.n === 1).map((b) => b.firstV),
    ),
  )
  cols[LAST_OFF] = column((w) =>
    writeIntColumn(
      w,
      many.map((b) => b.lastT - b.t),
    ),
  )
  const manyCols: [number, keyof RollupBucket][] = [
    [LAST_V, 'lastV'],
    [MIN, 'min'],
    [MAX, 'max'],
    [SUM, 'sum'],
    [SUMSQ, 'sumsq'],
    [FIRST_V, 'firstV'],
  ]
  for (const [slot, pick] of manyCols)
    cols[slot] = column((w) =>
      writeNumbers(
        w,
        many.map((b) => b[pick]),
      ),
    )
  const head: number[] = [VERSION]
  leb128(head, k)
  for (const c of cols) leb128(head, c.length)
  const out = new Uint8Array(head.length + cols.reduce((s, c) => s + c.length, 0))
  out.set(head)
  let at = head.length
  for (const c of cols) {
    out.set(c, at)
    at += c.length
  }
  return out
}

function column(write: (w: BitWriter) => void): Uint8Array {
  const w = new BitWriter(64)
  write(w)
  return w.finish()
}

function leb128(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
}

/** Where each column lies in the block. */
interface Directory {
  k: number
  /** SLOTS + 1 byte offsets: column i is [at[i], at[i + 1]). */
  at: number[]
}

function readDirectory(buf: Uint8Array): Directory {
  if (buf[0] !== VERSION) throw corruptChunk(`unknown rollup block version ${buf[0] ?? 'none'}`)
  let pos = 1
  const next = (): number => {
    let v = 0
    let scale = 1
    for (let i = 0; i < 5; i++) {
      const b = buf[pos++]
      if (b === undefined) throw corruptChunk('rollup block directory cut short')
      v += (b & 0x7f) * scale
      if (b < 0x80) return v
      scale *= 128
    }
    throw corruptChunk('rollup block directory entry too long')
  }
  const k = next()
  if (k > MAX_POINTS) throw corruptChunk(`rollup block of ${k} buckets`)
  const lengths: number[] = []
  for (let i = 0; i < SLOTS; i++) lengths.push(next())
  const at = [pos]
  for (const len of lengths) at.push((at[at.length - 1] as number) + len)
  if (at[SLOTS] !== buf.length)
    throw corruptChunk(`rollup block of ${buf.length} bytes, directory says ${at[SLOTS]}`)
  return { k, at }
}

/**
 * Decodes t, count, n and the asked members into arrays, reading only the columns they need.
 * Members of a bucket without numeric values are 0 (times: the bucket start), as in decodeRollupBlock.
 */
export function decodeRollupColumns(
  buf: Uint8Array,
  members: readonly RollupMember[],
): RollupColumns {
  const { k, at } = readDirectory(buf)
  const slot = <R>(i: number, read: (r: BitReader) => R): R => {
    const r = new BitReader(buf.subarray(at[i], at[i + 1]))
    const out = read(r)
    r.end()
    return out
  }
  const t = slot(T, (r) => readTimestampColumn(r, k))
  const count = slot(COUNT, (r) => readIntColumn(r, k))
  const n = at[N] === at[N + 1] ? count : slot(N, (r) => readIntColumn(r, k))
  const out: RollupColumns = { length: k, t, count, n }
  if (members.length === 0) return out
  let ones = 0
  let singles = 0
  let manys = 0
  for (let i = 0; i < k; i++) {
    const c = n[i]!
    if (c >= 1) ones++
    if (c === 1) singles++
    if (c >= 2) manys++
  }
  const single = slot(SINGLE, (r) => readNumbers(r, singles))
  const many = (i: number) => slot(i, (r) => readNumbers(r, manys))
  const wantsFirst = members.includes('first')
  const wantsLast = members.includes('last')
  if (members.includes('sum')) out.sum = dense(n, single, many(SUM), false)
  if (members.includes('sumsq')) out.sumsq = dense(n, single, many(SUMSQ), true)
  if (members.includes('min')) out.min = dense(n, single, many(MIN), false)
  if (members.includes('max')) out.max = dense(n, single, many(MAX), false)
  if (wantsFirst || wantsLast) {
    const firstOff = slot(FIRST_OFF, (r) => readIntColumn(r, ones))
    const firstT = new Float64Array(k)
    for (let i = 0, a = 0; i < k; i++) firstT[i] = n[i]! >= 1 ? t[i]! + firstOff[a++]! : t[i]!
    if (wantsFirst) {
      out.firstT = firstT
      out.firstV = dense(n, single, many(FIRST_V), false)
    }
    if (wantsLast) {
      const lastOff = slot(LAST_OFF, (r) => readIntColumn(r, manys))
      const lastT = new Float64Array(k)
      for (let i = 0, b = 0; i < k; i++) lastT[i] = n[i]! >= 2 ? t[i]! + lastOff[b++]! : firstT[i]!
      out.lastT = lastT
      out.lastV = dense(n, single, many(LAST_V), false)
    }
  }
  return out
}

/**
 * One member per bucket: from the many-value column for n ≥ 2, from the single value (squared for
 * sumsq) for n = 1, 0 for n = 0.
 */
function dense(
  n: Float64Array,
  single: Float64Array,
  many: Float64Array,
  square: boolean,
): Float64Array {
  const out = new Float64Array(n.length)
  let a = 0
  let b = 0
  for (let i = 0; i < n.length; i++) {
    const c = n[i]!
    if (c >= 2) {
      out[i] = many[b++]!
    } else if (c === 1) {
      const v = single[a++]!
      out[i] = square ? v * v : v
    }
  }
  return out
}

export function decodeRollupBlock(buf: Uint8Array): RollupBucket[] {
  return bucketsOf(decodeRollupColumns(buf, ALL_MEMBERS))
}

/** Bucket objects from columns holding every member. */
export function bucketsOf(c: RollupColumns): RollupBucket[] {
  const { sum, sumsq, min, max, firstT, firstV, lastT, lastV } = c
  if (!sum || !sumsq || !min || !max || !firstT || !firstV || !lastT || !lastV)
    throw new AppError('InternalError', 'bucketsOf needs every rollup member')
  const out: RollupBucket[] = []
  for (let i = 0; i < c.length; i++)
    out.push({
      t: c.t[i]!,
      count: c.count[i]!,
      n: c.n[i]!,
      sum: sum[i]!,
      sumsq: sumsq[i]!,
      min: min[i]!,
      max: max[i]!,
      firstT: firstT[i]!,
      firstV: firstV[i]!,
      lastT: lastT[i]!,
      lastV: lastV[i]!,
    })
  return out
}

/** Columns holding every member, from bucket objects (for reads that merge several sources). */
export function columnsOf(buckets: readonly RollupBucket[]): RollupColumns {
  const k = buckets.length
  const c = {
    length: k,
    t: new Float64Array(k),
    count: new Float64Array(k),
    n: new Float64Array(k),
    sum: new Float64Array(k),
    sumsq: new Float64Array(k),
    min: new Float64Array(k),
    max: new Float64Array(k),
    firstT: new Float64Array(k),
    firstV: new Float64Array(k),
    lastT: new Float64Array(k),
    lastV: new Float64Array(k),
  }
  buckets.forEach((b, i) => {
    c.t[i] = b.t
    c.count[i] = b.count
    c.n[i] = b.n
    c.sum[i] = b.sum
    c.sumsq[i] = b.sumsq
    c.min[i] = b.min
    c.max[i] = b.max
    c.firstT[i] = b.firstT
    c.firstV[i] = b.firstV
    c.lastT[i] = b.lastT
    c.lastV[i] = b.lastV
  })
  return c
}
