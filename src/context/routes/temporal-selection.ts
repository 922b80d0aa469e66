/**
 * Which entities a temporal query answers with (GS CIM 009 §5.7.4.4): ids, types and scopeQ are
 * judged on the entities as GET /entities judges them, the values filter (q) and the geoquery on
 * the attribute instances inside the temporal interval (temporal/window-filter.ts).
 *
 * Without q or geoquery the store pages and counts as usual. With them, candidates come from the
 * store in batches and are judged one by one: a page reads only as many candidates as it takes to
 * fill it (every one with count=true), and the instances examined share one budget.
 *
 * @example
 *   const { entities, more, count } = await selectForTemporal(deps, tenant, selection, attrs, page, ctx, range)
 */
import type { Entity } from '../../core/ngsi.js'
import type { InstanceTime, TimeRange } from '../../core/observation.js'
import type { EntityQuery, EntityStore, TemporalStore } from '../../store/store.js'
import type { ActiveContext } from '../jsonld/index.js'
import { matchesInWindow, ScanBudget, WINDOW_SCAN_BUDGET } from '../temporal/window-filter.js'
import { toStoreQuery, type EntitySelection, type Page } from './entity-selection.js'

export interface TemporalSelection {
  /** The page, at most `page.limit` entities. */
  entities: Entity[]
  /** Whether more matching entities follow the page. */
  more: boolean
  /** All matching entities, when the page asked for the count. */
  count?: number
}

/** Candidates read from the store at a time when q or a geoquery decides. */
const CANDIDATE_BATCH = 200

export async function selectForTemporal(
  stores: { entities: EntityStore; temporal: TemporalStore },
  tenant: string,
  selection: EntitySelection,
  anyAttrs: string[] | undefined,
  page: Page,
  ctx: ActiveContext,
  range: TimeRange,
  opts: {
    /** Entities plus instances one request may examine. */
    budget?: number
    /** Adjusts each store query (the caller's scopeQ-over-time filter). */
    narrow?: ((query: EntityQuery) => void) | undefined
    /** The time `range` applies to; observedAt when absent. */
    timeproperty?: InstanceTime | undefined
  } = {},
): Promise<TemporalSelection> {
  const { q, geo, ...onCurrentState } = selection
  if (!q && !geo) {
    const query = toStoreQuery(selection, anyAttrs, page, ctx)
    opts.narrow?.(query)
    const result = await stores.entities.query(tenant, query)
    return {
      entities: result.entities.slice(0, page.limit),
      more: result.entities.length > page.limit,
      ...(page.count && { count: result.count ?? 0 }),
    }
  }
  // The store's geo index and q prefilter speak of the current state: neither may narrow here.
  const base = toStoreQuery(onCurrentState, anyAttrs, page, ctx)
  const filter = { q, geo, expand: ctx.expandTerm, timeproperty: opts.timeproperty }
  const spent = new ScanBudget(opts.budget ?? WINDOW_SCAN_BUDGET)
  const kept: Entity[] = []
  let matched = 0
  for (let offset = 0; ; offset += CANDIDATE_BATCH) {
    const query: EntityQuery = { ...base, limit: CANDIDATE_BATCH, offset, count: false }
    opts.narrow?.(query)
    const { entities } = await stores.entities.query(tenant, query)
    for (const entity of entities) {
      // Each candidate costs a read even when it has no history: it counts against the budget.
      spent.take(1)
      if (!(await matchesInWindow(stores.temporal, tenant, entity, filter, range, spent))) continue
      if (matched >= page.offset && kept.length <= page.limit) kept.push(entity)
      matched++
      // One match past the page tells that a next page exists.
      if (!page.count && kept.length > page.limit) break
    }
    if (entities.length < CANDIDATE_BATCH || (!page.count && kept.length > page.limit)) break
  }
  return {
    entities: kept.slice(0, page.limit),
    more: kept.length > page.limit,
    ...(page.count && { count: matched }),
  }
}
