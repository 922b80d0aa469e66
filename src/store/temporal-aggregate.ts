/**
 * The aggregation query shared by every TemporalStore adapter: pick the coarsest rollup
 * resolution that answers exactly (period a multiple of it, origin and range bounds aligned to
 * it, every method rollup-able), otherwise aggregate raw points. Adapters only say how to read.
 *
 * @example
 *   aggregateSeries({ raw: () => points, rollup: (res, from, to, members) => columns }, query)
 *
 * The rollup path works on columns (typed arrays) end to end and asks the adapter only for the
 * members its methods need, so a year of hourly averages decodes sums and counts, nothing else.
 */
import { AppError } from '../core/errors.js'
import { addMonths } from '../core/iso-duration.js'
import type { ObservedValue } from '../core/observation.js'
import type { RollupColumns, RollupMember } from './codec/rollup-block.js'
import {
  RESOLUTIONS,
  ROLLUP_METHODS,
  bucketStart,
  emptyBucket,
  methodValue,
  addValue,
  type RollupBucket,
} from './rollup.js'
import type { AggrMethod, AggregateSeries, TemporalAggregateQuery } from './store.js'

export interface RawPoints {
  ts: readonly number[]
  values: readonly ObservedValue[]
}

export interface AggregateSource {
  /** Raw points of the attribute with from ≤ t < to (all of its datasets), in arrival order. */
  raw(from: number, to: number): RawPoints
  /**
   * Rollup buckets of width `res` with from ≤ t < to (bounds aligned to res), in time order,
   * sealed and unsealed data merged, holding at least `members`; undefined when the adapter keeps
   * no rollups.
   */
  rollup?(
    res: number,
    from: number,
    to: number,
    members: readonly RollupMember[],
  ): RollupColumns | undefined
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
  const months = q.periodMonths ?? 0
  const width = months > 0 ? 0 : q.periodMs > 0 ? q.periodMs : WHOLE
  const grid = months > 0 ? monthGrid(origin, months) : fixedGrid(origin, width)
  const res = src.rollup ? resolutionFor(q, origin) : undefined
  if (res !== undefined) {
    // The end of a whole-range period without an upper bound is the latest value's time.
    const needsMaxT = width === WHOLE && q.range.to === undefined
    const cols = src.rollup?.(res, from, to, membersFor(q.methods, needsMaxT))
    // Strings among the values: min/max/distinctCount need them, so only raw answers exactly.
    const needsText = q.methods.some((m) => m === 'min' || m === 'max')
    if (cols && !(needsText && hasText(cols))) {
      let maxT = origin
      if (needsMaxT) for (const t of need(cols.lastT)) if (t > maxT) maxT = t
      // Periods of exactly the rollup's width: each bucket is a period already.
      const first = cols.length > 0 ? cols.t[0]! : origin
      const periods = width === res && (origin - first) % res === 0 ? cols : fold(cols, grid)
      return { ...renderColumns(periods, q, grid, width === WHOLE, maxT), source: res }
    }
  }
  const raw = src.raw(Math.max(from, origin), to)
  const periods = new Map<number, RollupBucket>()
  const extras = new Map<number, TextStats>()
  const wantsText = q.methods.some((m) => m === 'min' || m === 'max' || m === 'distinctCount')
  let maxT = origin
  let start = Number.NaN
  let end = Number.NaN
  for (let i = 0; i < raw.ts.length; i++) {
    const t = raw.ts[i] as number
    if (t > maxT) maxT = t
    const v = raw.values[i] as ObservedValue
    // Points come mostly in time order: the previous period usually still holds.
    if (!(t >= start && t < end)) {
      start = grid.start(t)
      end = grid.end(start)
    }
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
  return { ...render(sorted(periods), extras, q, grid, width === WHOLE, maxT), source: 'raw' }
}

/** Where periods fall: start(t) is the start of the period holding t, end(s) its end. */
interface Grid {
  start(t: number): number
  end(start: number): number
}

function fixedGrid(origin: number, width: number): Grid {
  return {
    start: (t) => bucketStart(t, width, origin),
    end: (start) => start + width,
  }
}

/** Calendar periods of `months` months (UTC) from origin. */
function monthGrid(origin: number, months: number): Grid {
  const o = new Date(origin)
  const oy = o.getUTCFullYear()
  const om = o.getUTCMonth()
  /** The month offset (a multiple of `months`) of the period holding t. */
  const index = (t: number): number => {
    const d = new Date(t)
    let k = Math.floor(((d.getUTCFullYear() - oy) * 12 + d.getUTCMonth() - om) / months) * months
    // Day-of-month clamping and times of day can put t just before its naive period.
    while (addMonths(origin, k) > t) k -= months
    while (addMonths(origin, k + months) <= t) k += months
    return k
  }
  return {
    start: (t) => addMonths(origin, index(t)),
    end: (start) => addMonths(origin, index(start) + months),
  }
}

/** The bucket members the methods read (count and n come always). */
function membersFor(methods: readonly AggrMethod[], lastT: boolean): RollupMember[] {
  const out = new Set<RollupMember>()
  for (const m of methods) {
    if (m === 'sum' || m === 'avg') out.add('sum')
    else if (m === 'stddev') out.add('sum').add('sumsq')
    else if (m === 'sumsq' || m === 'min' || m === 'max') out.add(m)
  }
  if (lastT) out.add('last')
  return [...out]
}

function hasText(c: RollupColumns): boolean {
  for (let i = 0; i < c.length; i++) if (c.count[i] !== c.n[i]) return true
  return false
}

function need(col: Float64Array | undefined): Float64Array {
  // The members come from membersFor, so a missing one is an adapter bug.
  if (!col) throw new AppError('InternalError', 'rollup source left out a member it was asked for')
  return col
}

/**
 * Merges time-ordered buckets into periods of `width` anchored at `origin` (periods come out in
 * time order too), for the members present. first/last are not carried: no method reads them.
 */
function fold(c: RollupColumns, grid: Grid): RollupColumns {
  const cap = c.length
  const out: RollupColumns = {
    length: 0,
    t: new Float64Array(cap),
    count: new Float64Array(cap),
    n: new Float64Array(cap),
  }
  const { sum, sumsq, min, max } = c
  if (sum) out.sum = new Float64Array(cap)
  if (sumsq) out.sumsq = new Float64Array(cap)
  if (min) out.min = new Float64Array(cap)
  if (max) out.max = new Float64Array(cap)
  let p = -1
  let end = -Infinity
  for (let i = 0; i < c.length; i++) {
    const t = c.t[i]!
    if (p < 0 || t >= end) {
      p++
      const start = grid.start(t)
      out.t[p] = start
      end = grid.end(start)
    }
    const n = c.n[i]!
    out.count[p] = out.count[p]! + c.count[i]!
    if (n === 0) continue
    const had = out.n[p]!
    out.n[p] = had + n
    if (sum && out.sum) out.sum[p] = out.sum[p]! + sum[i]!
    if (sumsq && out.sumsq) out.sumsq[p] = out.sumsq[p]! + sumsq[i]!
    if (min && out.min && (had === 0 || min[i]! < out.min[p]!)) out.min[p] = min[i]!
    if (max && out.max && (had === 0 || max[i]! > out.max[p]!)) out.max[p] = max[i]!
  }
  out.length = p + 1
  return out
}

/** renderColumns' per-method value; null when the period has no numeric value. */
function columnValue(c: RollupColumns, i: number, m: AggrMethod): number | null {
  if (m === 'totalCount') return c.count[i]!
  const n = c.n[i]!
  if (n === 0) return null
  switch (m) {
    case 'sum':
      return need(c.sum)[i]!
    case 'avg':
      return need(c.sum)[i]! / n
    case 'min':
      return need(c.min)[i]!
    case 'max':
      return need(c.max)[i]!
    case 'sumsq':
      return need(c.sumsq)[i]!
    case 'stddev': {
      const mean = need(c.sum)[i]! / n
      return Math.sqrt(Math.max(0, need(c.sumsq)[i]! / n - mean * mean))
    }
    case 'distinctCount':
      return null
  }
}

type PeriodColumns = Pick<AggregateSeries, 'length' | 'start' | 'end' | 'values'>

/** render() for periods held as columns: straight into typed arrays, no object per period. */
function renderColumns(
  c: RollupColumns,
  q: TemporalAggregateQuery,
  grid: Grid,
  whole: boolean,
  maxT: number,
): PeriodColumns {
  let k = 0
  for (let i = 0; i < c.length; i++) if (c.count[i] !== 0) k++
  const start = new Float64Array(k)
  const end = new Float64Array(k)
  const methods = [...new Set(q.methods)]
  const values: Partial<Record<AggrMethod, Float64Array>> = {}
  const columns = methods.map((m) => (values[m] = new Float64Array(k)))
  let j = 0
  for (let i = 0; i < c.length; i++) {
    if (c.count[i] === 0) continue
    start[j] = c.t[i]!
    end[j] = whole ? (q.range.to ?? maxT) : grid.end(c.t[i]!)
    for (let x = 0; x < methods.length; x++)
      columns[x]![j] = columnValue(c, i, methods[x]!) ?? Number.NaN
    j++
  }
  return { length: k, start, end, values }
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
  grid: Grid,
  whole: boolean,
  maxT: number,
): PeriodColumns {
  const kept = periods.filter((p) => p.count !== 0)
  const start = new Float64Array(kept.length)
  const end = new Float64Array(kept.length)
  const methods = [...new Set(q.methods)]
  const values: Partial<Record<AggrMethod, (number | string | null)[]>> = {}
  for (const m of methods) values[m] = []
  kept.forEach((p, i) => {
    start[i] = p.t
    end[i] = whole ? (q.range.to ?? maxT) : grid.end(p.t)
    const x = extras?.get(p.t)
    for (const m of methods) values[m]!.push(valueOf(p, x, m))
  })
  return { length: kept.length, start, end, values }
}

function valueOf(p: RollupBucket, x: TextStats | undefined, m: AggrMethod): number | string | null {
  if (m === 'distinctCount') return x?.distinct.size ?? null
  if ((m === 'min' || m === 'max') && p.n === 0)
    return (m === 'min' ? x?.minText : x?.maxText) ?? null
  return methodValue(p, m)
}
