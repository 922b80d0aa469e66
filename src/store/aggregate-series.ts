/**
 * Reading the columns of an AggregateSeries (see store.ts).
 *
 * @example
 *   for (let i = 0; i < s.length; i++) chart.push([s.start[i], aggregateValue(s, 'avg', i)])
 */
import type { AggrMethod, AggregatePeriod, AggregateSeries } from './store.js'

/** Method m's value in period i; null when the period has none (or m was not asked for). */
export function aggregateValue(
  s: AggregateSeries,
  m: AggrMethod,
  i: number,
): number | string | null {
  const v = s.values[m]?.[i]
  if (v === undefined || v === null) return null
  return typeof v === 'number' && Number.isNaN(v) ? null : v
}

/** The periods as objects: for small answers and tests. */
export function aggregatePeriods(s: AggregateSeries): AggregatePeriod[] {
  const methods = Object.keys(s.values) as AggrMethod[]
  const out: AggregatePeriod[] = []
  for (let i = 0; i < s.length; i++) {
    const values: AggregatePeriod['values'] = {}
    for (const m of methods) values[m] = aggregateValue(s, m, i)
    out.push({ start: s.start[i]!, end: s.end[i]!, values })
  }
  return out
}

/** aggregatePeriods of a series that may be absent. */
export function periodsOf(s: AggregateSeries | undefined): AggregatePeriod[] | undefined {
  return s && aggregatePeriods(s)
}
