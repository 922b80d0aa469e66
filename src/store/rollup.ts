/**
 * Aggregate buckets shared by every TemporalStore adapter: filling buckets from raw points,
 * merging buckets (rollups are mergeable, so late and out-of-order data just merge in), and
 * computing the NGSI-LD aggregation methods from a bucket.
 *
 * Numbers count as numeric values, booleans as 0 and 1; strings, objects and arrays count only
 * in `count` (totalCount); nulls count nowhere.
 *
 * @example
 *   const b = emptyBucket(0)
 *   addValue(b, 5, 21.5)
 *   methodValue(b, 'avg') // 21.5
 */
import type { ObservedValue } from '../core/observation.js'
import type { RollupBucket } from './codec/rollup-block.js'
import type { AggrMethod } from './store.js'

export type { RollupBucket }

/** Rollup resolutions kept per series, finest first: 1 minute, 1 hour, 1 day. */
export const RESOLUTIONS = [60_000, 3_600_000, 86_400_000] as const

/** Buckets per stored rollup block (a block is rewritten whole when one of its buckets changes). */
export const BLOCK_BUCKETS = 360

/** Methods a rollup answers exactly; distinctCount needs the raw values. */
export const ROLLUP_METHODS: ReadonlySet<AggrMethod> = new Set<AggrMethod>([
  'totalCount',
  'sum',
  'avg',
  'min',
  'max',
  'stddev',
  'sumsq',
])

export function numericOf(v: ObservedValue): number | undefined {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  return undefined
}

export function emptyBucket(t: number): RollupBucket {
  return {
    t,
    count: 0,
    n: 0,
    sum: 0,
    sumsq: 0,
    min: 0,
    max: 0,
    firstT: t,
    firstV: 0,
    lastT: t,
    lastV: 0,
  }
}

/**
 * Adds one value observed at `ts`. Values are added in arrival order: on equal times the first
 * keeps the earlier arrival and the last takes the later one, as a stable sort by time would.
 */
export function addValue(b: RollupBucket, ts: number, value: ObservedValue): void {
  if (value === null) return
  b.count++
  const v = numericOf(value)
  if (v === undefined) return
  if (b.n === 0) {
    b.n = 1
    b.sum = v
    b.sumsq = v * v
    b.min = v
    b.max = v
    b.firstT = ts
    b.firstV = v
    b.lastT = ts
    b.lastV = v
    return
  }
  b.n++
  b.sum += v
  b.sumsq += v * v
  if (v < b.min) b.min = v
  if (v > b.max) b.max = v
  if (ts < b.firstT) {
    b.firstT = ts
    b.firstV = v
  }
  if (ts >= b.lastT) {
    b.lastT = ts
    b.lastV = v
  }
}

/** Merges `later` (data that arrived after `into`'s) into `into`. */
export function mergeBucket(into: RollupBucket, later: RollupBucket): void {
  into.count += later.count
  if (later.n === 0) return
  if (into.n === 0) {
    into.n = later.n
    into.sum = later.sum
    into.sumsq = later.sumsq
    into.min = later.min
    into.max = later.max
    into.firstT = later.firstT
    into.firstV = later.firstV
    into.lastT = later.lastT
    into.lastV = later.lastV
    return
  }
  into.n += later.n
  into.sum += later.sum
  into.sumsq += later.sumsq
  if (later.min < into.min) into.min = later.min
  if (later.max > into.max) into.max = later.max
  if (later.firstT < into.firstT) {
    into.firstT = later.firstT
    into.firstV = later.firstV
  }
  if (later.lastT >= into.lastT) {
    into.lastT = later.lastT
    into.lastV = later.lastV
  }
}

export function bucketStart(ts: number, width: number, origin = 0): number {
  return origin + Math.floor((ts - origin) / width) * width
}

/** Adds points (in arrival order) to buckets of `width` ms anchored at `origin`. */
export function fillBuckets(
  ts: readonly number[],
  values: readonly ObservedValue[],
  width: number,
  into: Map<number, RollupBucket>,
  origin = 0,
): void {
  // Points mostly arrive in time order: reuse the previous bucket while it still applies, which
  // skips a Map lookup keyed by a double for nearly every point.
  let b: RollupBucket | undefined
  let end = -Infinity
  let start = Infinity
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i] as number
    if (!(b && t >= start && t < end)) {
      start = bucketStart(t, width, origin)
      end = start + width
      b = into.get(start)
      if (!b) into.set(start, (b = emptyBucket(start)))
    }
    addValue(b, t, values[i] as ObservedValue)
  }
}

/**
 * One aggregation method over a bucket; null when it has no answer (no numeric value). stddev is
 * the population standard deviation.
 */
export function methodValue(b: RollupBucket, m: AggrMethod): number | null {
  if (m === 'totalCount') return b.count
  if (b.n === 0) return null
  switch (m) {
    case 'sum':
      return b.sum
    case 'avg':
      return b.sum / b.n
    case 'min':
      return b.min
    case 'max':
      return b.max
    case 'sumsq':
      return b.sumsq
    case 'stddev': {
      const mean = b.sum / b.n
      return Math.sqrt(Math.max(0, b.sumsq / b.n - mean * mean))
    }
    case 'distinctCount':
      return null
  }
}
