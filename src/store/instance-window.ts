/**
 * Which instances of one attribute a temporal query keeps once they are ordered: the newest
 * `lastN` when asked, then at most `limit` (counted from the newest end when lastN is given, so
 * the cut keeps the most recent). Shared by the adapters and the evolution merge.
 *
 * @example
 *   const [start, end] = keptSlice(list.length, q.lastN, q.limit)
 *   list.slice(start, end)
 */
import type { InstanceTime, Observation } from '../core/observation.js'

export function keptSlice(
  length: number,
  lastN: number | undefined,
  limit: number,
): [start: number, end: number] {
  let start = lastN !== undefined ? Math.max(0, length - lastN) : 0
  let end = length
  if (end - start > limit) {
    if (lastN !== undefined) start = end - limit
    else end = start + limit
  }
  return [start, end]
}

/** The instance's time under `key`; undefined when it has none (never matches a window). */
export function timeOf(o: Observation, key: InstanceTime = 'observedAt'): number | undefined {
  return key === 'observedAt' ? o.observedAt : o[key]
}
