/**
 * scopeQ over time (§4.18, §5.7.4.4 S4): a Scope is valid from the time it was set until it is
 * replaced or removed, so a temporal query selects the entities whose Scope matched scopeQ at some
 * time inside the window, and keeps only the instances of those times. The Scope history is the
 * entity's Scope events (core-history.ts); an entity without any (written before they were kept)
 * has had its current Scope since its creation.
 *
 * @example
 *   const windows = scopeWindows(timeline(events, entity), parseScopeQ('/A/#'), { from, to })
 *   // [] → the entity is not selected; else instances must fall inside one of the windows
 */
import { IRI, type Entity } from '../../core/ngsi.js'
import type { TimeRange } from '../../core/observation.js'
import type { EntityQuery, HistoryEvent } from '../../store/store.js'
import { evaluateScopeQ, type ScopeQNode } from '../query/index.js'
import type { Evolution } from './temporal-evolution.js'

/** [from, to) in epoch ms. */
export interface TimeWindow {
  from: number
  to: number
}

export interface ScopePeriod extends TimeWindow {
  scopes: string[]
}

/** The entity's Scope over time, oldest first, from its Scope events (in recorded order). */
export function scopeTimeline(events: readonly HistoryEvent[], entity: Entity): ScopePeriod[] {
  if (events.length === 0) {
    if (!entity.scopes || entity.scopes.length === 0) return []
    const since = Date.parse(entity.createdAt)
    return [{ from: Number.isNaN(since) ? -Infinity : since, to: Infinity, scopes: entity.scopes }]
  }
  const timeOf = (e: HistoryEvent) => e.observedAt ?? e.deletedAt ?? e.modifiedAt
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => timeOf(a.e) - timeOf(b.e) || a.i - b.i)
    .map(({ e }) => e)
  return sorted.map((e, i) => {
    const next = sorted[i + 1]
    const scopes =
      e.deletedAt !== undefined || !Array.isArray(e.value)
        ? []
        : e.value.filter((s): s is string => typeof s === 'string')
    return { from: timeOf(e), to: next ? timeOf(next) : Infinity, scopes }
  })
}

/** The parts of the window in which the Scope matched `q`; empty when it never did. */
export function scopeWindows(
  timeline: readonly ScopePeriod[],
  q: ScopeQNode,
  range: TimeRange,
): TimeWindow[] {
  const start = range.from ?? -Infinity
  const end = range.to ?? Infinity
  const out: TimeWindow[] = []
  for (const p of timeline) {
    const from = Math.max(p.from, start)
    const to = Math.min(p.to, end)
    if (from < to && evaluateScopeQ(q, p.scopes)) out.push({ from, to })
  }
  return out
}

export function inWindows(t: number, windows: readonly TimeWindow[]): boolean {
  return windows.some((w) => t >= w.from && t < w.to)
}

/**
 * A temporal query's scopeQ as a store-query filter: `narrow` makes the query keep only entities
 * whose Scope matched inside `range` (replacing the current-state scope prefilter), and records in
 * `windows`, per entity id, the times it matched, for trimming the instances afterwards.
 */
export function scopeNarrowing(
  scopeEvents: readonly HistoryEvent[],
  scopeQ: ScopeQNode,
  range: TimeRange,
): { narrow: (query: EntityQuery) => void; windows: Map<string, TimeWindow[]> } {
  const byEntity = new Map<string, HistoryEvent[]>()
  for (const e of scopeEvents) {
    const list = byEntity.get(e.entityId)
    if (list) list.push(e)
    else byEntity.set(e.entityId, [e])
  }
  const windows = new Map<string, TimeWindow[]>()
  const narrow = (query: EntityQuery): void => {
    const exact = query.filter
    query.filter = (e) => {
      const w = scopeWindows(scopeTimeline(byEntity.get(e.id) ?? [], e), scopeQ, range)
      windows.set(e.id, w)
      return w.length > 0 && (!exact || exact(e))
    }
    delete query.prefilterCovers
  }
  return { narrow, windows }
}

/** Under scopeQ only the instances of the times the Scope matched stay (the Scope's own all do). */
export function keepScopeWindows(
  evolutions: readonly Evolution[],
  windows: ReadonlyMap<string, TimeWindow[]>,
): void {
  for (const e of evolutions) {
    const w = windows.get(e.entity.id) ?? []
    for (const [attr, list] of e.instances)
      if (attr !== IRI.scope)
        e.instances.set(
          attr,
          list.filter((o) => inWindows(o.observedAt, w)),
        )
  }
}
