/**
 * In-memory EntityStore and TenantStore, for tests and throwaway runs. Entities are cloned on the
 * way in and out, so callers can never change stored state by mutating what they hold.
 *
 * @example
 *   const store = createMemoryEntityStore()
 *   await store.tenants.ensure('city')
 *   await store.create('city', entity)
 */
import { AppError } from '../../core/errors.js'
import { DEFAULT_TENANT, type Entity } from '../../core/ngsi.js'
import type { EntityPage, EntityQuery, EntityStore, HistoryEvent, TenantStore } from '../store.js'
import { summarizeAttributes, summarizeTypes } from '../type-summaries.js'

export interface MemoryEntityStore extends EntityStore {
  tenants: TenantStore
}

/** `recordEvents` receives what a write's `history` made of it, as part of the write. */
export function createMemoryEntityStore(
  recordEvents: (tenant: string, events: readonly HistoryEvent[]) => void = () => undefined,
): MemoryEntityStore {
  const tenants = new Set<string>([DEFAULT_TENANT])
  const data = new Map<string, Map<string, Entity>>()

  const entitiesOf = (tenant: string): Map<string, Entity> => {
    let map = data.get(tenant)
    if (!map) data.set(tenant, (map = new Map<string, Entity>()))
    return map
  }

  return {
    tenants: {
      list: () => Promise.resolve([...tenants].sort()),
      exists: (tenant) => Promise.resolve(tenants.has(tenant)),
      ensure(tenant) {
        tenants.add(tenant)
        return Promise.resolve()
      },
    },
    get(tenant, id) {
      const e = data.get(tenant)?.get(id)
      return Promise.resolve(e && structuredClone(e))
    },
    // Stored objects are replaced, never changed in place, so they can be shared.
    read: (tenant, id) => Promise.resolve(data.get(tenant)?.get(id)),
    create: (tenant, entity, history) =>
      settle(() => {
        const map = entitiesOf(tenant)
        if (map.has(entity.id))
          throw new AppError('AlreadyExists', `entity ${entity.id} already exists`)
        const events = history?.({ kind: 'created', entity })
        map.set(entity.id, structuredClone(entity))
        if (events) recordEvents(tenant, events)
        tenants.add(tenant)
      }),
    update: (tenant, id, change, history) =>
      settle(() => {
        const map = data.get(tenant)
        const current = map?.get(id)
        if (!map || !current) throw new AppError('ResourceNotFound', `entity ${id} not found`)
        const next = change(structuredClone(current))
        if (next === undefined) return structuredClone(current)
        if (next.id !== id)
          throw new AppError('InternalError', `an update may not change the entity id ${id}`)
        const events = history?.({ kind: 'updated', entity: next, previous: current })
        map.set(id, structuredClone(next))
        if (events) recordEvents(tenant, events)
        return structuredClone(next)
      }),
    delete: (tenant, id, history) =>
      settle(() => {
        const map = data.get(tenant)
        const current = map?.get(id)
        if (!map || !current) return undefined
        // History first: if it fails, nothing was deleted.
        const events = history?.({ kind: 'deleted', entity: current })
        map.delete(id)
        if (events) recordEvents(tenant, events)
        return current
      }),
    query(tenant, q) {
      return Promise.resolve(runQuery([...(data.get(tenant)?.values() ?? [])], q))
    },
    types(tenant) {
      const types = new Set<string>()
      for (const e of data.get(tenant)?.values() ?? []) e.types.forEach((t) => types.add(t))
      return Promise.resolve([...types].sort(byCodeUnits))
    },
    typeSummaries(tenant, types) {
      return Promise.resolve(summarizeTypes(data.get(tenant)?.values() ?? [], types))
    },
    attributeSummaries(tenant) {
      return Promise.resolve(summarizeAttributes(data.get(tenant)?.values() ?? []))
    },
  }
}

/**
 * Applies every selector exactly except `geo`: the port lets adapters treat geo as a prefilter
 * only, and callers check it exactly in `filter`, so skipping it never loses a match.
 */
function runQuery(all: Entity[], q: EntityQuery): EntityPage {
  const ids = q.ids && q.ids.length > 0 ? new Set(q.ids) : undefined
  const pattern = q.idPattern !== undefined ? new RegExp(q.idPattern) : undefined
  const matches = all
    .filter((e) => !ids || ids.has(e.id))
    .filter((e) => !pattern || pattern.test(e.id))
    .filter(
      (e) =>
        !q.types ||
        q.types.length === 0 ||
        q.types.some((all) => all.every((t) => e.types.includes(t))),
    )
    .filter((e) => !q.anyAttrs || q.anyAttrs.length === 0 || q.anyAttrs.some((a) => a in e.attrs))
    .filter((e) => !q.filter || q.filter(e))
    .sort((a, b) => byCodeUnits(a.id, b.id))
  const entities = matches.slice(q.offset, q.offset + q.limit).map((e) => structuredClone(e))
  return q.count ? { entities, count: matches.length } : { entities }
}

/** Binary (code unit) order, the same order SQLite's default collation gives. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Runs a synchronous store operation as the port's Promise: a throw becomes a rejection. */
function settle<T>(operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation())
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)))
  }
}
