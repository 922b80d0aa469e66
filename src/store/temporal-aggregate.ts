/**
 * The aggregation query shared by every TemporalStore adapter: pick the coarsest rollup
 * resolution that answers exactly (period a multiple of it, origin and range bounds aligned to
 * it, every method rollup-able), otherwise aggregate raw points. Adapters only say how to read.
 *
 * @example
 *   aggregateSeries({ raw: () => points, rollup: (res, from, to) => buckets }, query)
 */
import type { ObservedValue } from '../core/observation.js'
import {
  RESOLUTIONS,
  ROLLUP_METHODS,
  bucketStart,
  emptyBucket,
  mergeBucket,
  methodValue,
  addValue,
  type RollupBucket,
} from './rollup.js'
import type {
  AggrMethod,
  AggregatePeriod,
  AggregateSeries,
  TemporalAggregateQuery,
} from './store.js'

export interface RawPoints {
  ts: readonly number[]
  values: readonly ObservedValue[]
}

export interface AggregateSource {
  /** Raw points of the attribute with from ≤ t < to (all of its datasets), in arrival order. */
  raw(from: number, to: number): RawPoints
  /**
   * Rollup buckets of width `res` with from ≤ t < to (bounds aligned to res), sealed and unsealed
   * data merged; undefined when the adapter keeps no rollups.
   */
  rollup?(res: number, from: number, to: number): RollupBucket[] | undefined
  /** Time of the earliest instance, for periods anchored at it. */
  earliest(): number | undefined
}

/** A period width standing for "the whole range" (PT0S): larger than any epoch span. */
const WHOLE = 2 ** 53

export function aggregateSeries(
  src: AggregateSource,
  q: TemporalAggregateQuery,
): AggregateSeries | undefined {
  const from = q.range.from ?? Number.MIN_SAFE_INTEGER
  const to = q.range.to ?? Number.MAX_SAFE_INTEGER
  const origin = q.origin ?? q.range.from ?? src.earliest()
  if (origin === undefined) return undefined
  const width = q.periodMs > 0 ? q.periodMs : WHOLE
  const res = src.rollup ? resolutionFor(q, origin) : undefined
  if (res !== undefined) {
    const buckets = src.rollup?.(res, from, to)
    // Strings among the values: min/max/distinctCount need them, so only raw answers exactly.
    const needsText = q.methods.some((m) => m === 'min' || m === 'max')
    if (buckets && !(needsText && buckets.some((b) => b.count !== b.n))) {
      const maxT = buckets.reduce((m, b) => Math.max(m, b.n > 0 ? b.lastT : b.t), origin)
      // Periods of exactly the rollup's width: each bucket is a period already.
      if (width === res && (origin - (buckets[0]?.t ?? origin)) % res === 0)
        return { periods: render(buckets, undefined, q, width, maxT), source: res }
      const periods = new Map<number, RollupBucket>()
      let p: RollupBucket | undefined
      for (const b of buckets) {
        // Buckets come in time order: most belong to the period of the one before.
        if (!(p && b.t >= p.t && b.t - p.t < width)) {
          const start = bucketStart(b.t, width, origin)
          p = periods.get(start)
          if (!p) periods.set(start, (p = emptyBucket(start)))
        }
        mergeBucket(p, b)
      }
      return { periods: render(sorted(periods), undefined, q, width, maxT), source: res }
    }
  }
  const raw = src.raw(Math.max(from, origin), to)
  const periods = new Map<number, RollupBucket>()
  const extras = new Map<number, TextStats>()
  const wantsText = q.methods.some((m) => m === 'min' || m === 'max' || m === 'distinctCount')
  let maxT = origin
  for (let i = 0; i < raw.ts.length; i++) {
    const t = raw.ts[i] as number
    if (t > maxT) maxT = t
    const v = raw.values[i] as ObservedValue
    const start = bucketStart(t, width, origin)
    let p = periods.get(start)
    if (!p) periods.set(start, (p = emptyBucket(start)))
    addValue(p, t, v)
    if (wantsText && v !== null) {
      let x = extras.get(start)
      if (!x) extras.set(start, (x = { distinct: new Set() }))
      x.distinct.add(distinctKey(v))
      if (typeof v === 'string') {
        if (x.minText === undefined || v < x.minText) x.minText = v
        if (x.maxText === undefined || v > x.maxText) x.maxText = v
      }
    }
  }
  return { periods: render(sorted(periods), extras, q, width, maxT), source: 'raw' }
}

interface TextStats {
  distinct: Set<string>
  minText?: string
  maxText?: string
}

function distinctKey(v: ObservedValue): string {
  return typeof v === 'string' ? 's' + v : 'j' + JSON.stringify(v)
}

/** The coarsest resolution that answers exactly, or undefined. */
function resolutionFor(q: TemporalAggregateQuery, origin: number): number | undefined {
  if (!q.methods.every((m) => ROLLUP_METHODS.has(m))) return undefined
  for (let i = RESOLUTIONS.length - 1; i >= 0; i--) {
    const r = RESOLUTIONS[i] as number
    const aligned = (t: number | undefined) => t === undefined || t % r === 0
    if (
      (q.periodMs === 0 || q.periodMs % r === 0) &&
      aligned(origin) &&
      aligned(q.range.from) &&
      aligned(q.range.to)
    )
      return r
  }
  return undefined
}

function sorted(periods: Map<number, RollupBucket>): RollupBucket[] {
  return [...periods.values()].sort((a, b) => a.t - b.t)
}

/** Periods (in time order) as the port returns them; empty periods are left out. */
function render(
  periods: readonly RollupBucket[],
  extras: Map<number, TextStats> | undefined,
  q: TemporalAggregateQuery,
  width: number,
  maxT: number,
): AggregatePeriod[] {
  const out: AggregatePeriod[] = []
  for (const p of periods) {
    const start = p.t
    if (p.count === 0) continue
    const x = extras?.get(start)
    const values: AggregatePeriod['values'] = {}
    for (const m of q.methods) values[m] = valueOf(p, x, m)
    const end = width === WHOLE ? (q.range.to ?? maxT) : start + width
    out.push({ start, end, values })
  }
  return out
}

function valueOf(p: RollupBucket, x: TextStats | undefined, m: AggrMethod): number | string | null {
  if (m === 'distinctCount') return x?.distinct.size ?? null
  if ((m === 'min' || m === 'max') && p.n === 0)
    return (m === 'min' ? x?.minText : x?.maxText) ?? null
  return methodValue(p, m)
}
