/**
 * Active subscriptions indexed so that one entity change looks only at the subscriptions that
 * could match it: by tenant, then by entity id (selectors naming an id), by entity type (the
 * first type of each selector clause: every clause needs all its types, so any one is a
 * necessary key), and a short list of subscriptions without `entities` (watchedAttributes only).
 *
 * @example
 *   index.add(compiled)
 *   for (const c of index.candidates('default', entity.id, entity.types)) …
 */
import type { CompiledSubscription } from './compile-subscription.js'

interface TenantIndex {
  byId: Map<string, Set<CompiledSubscription>>
  byType: Map<string, Set<CompiledSubscription>>
  anyEntity: Set<CompiledSubscription>
  all: Map<string, CompiledSubscription>
  /** Arrays of byType sets, rebuilt lazily after any change. */
  typeLists: Map<string, CompiledSubscription[]>
}

export class SubscriptionIndex {
  private readonly tenants = new Map<string, TenantIndex>()

  add(c: CompiledSubscription): void {
    this.remove(c.tenant, c.sub.id)
    const t = this.tenant(c.tenant)
    t.typeLists.clear()
    t.all.set(c.sub.id, c)
    if (!c.sub.entities) {
      t.anyEntity.add(c)
      return
    }
    for (const s of c.sub.entities) {
      if (s.id !== undefined) addTo(t.byId, s.id, c)
      else for (const clause of s.types) addTo(t.byType, clause[0]!, c)
    }
  }

  remove(tenant: string, id: string): CompiledSubscription | undefined {
    const t = this.tenants.get(tenant)
    const c = t?.all.get(id)
    if (!t || !c) return undefined
    t.typeLists.clear()
    t.all.delete(id)
    t.anyEntity.delete(c)
    for (const map of [t.byId, t.byType]) {
      for (const [key, set] of map) {
        if (set.delete(c) && set.size === 0) map.delete(key)
      }
    }
    return c
  }

  get(tenant: string, id: string): CompiledSubscription | undefined {
    return this.tenants.get(tenant)?.all.get(id)
  }

  /** Each candidate once; the caller still checks the selectors exactly. */
  candidates(
    tenant: string,
    entityId: string,
    types: readonly string[],
  ): readonly CompiledSubscription[] {
    const t = this.tenants.get(tenant)
    if (!t) return []
    const byId = t.byId.get(entityId)
    // The common case on the ingest path: one type. Its list (type-less subscriptions included)
    // is kept ready, so a change costs no set building unless id-specific ones join in.
    if (types.length === 1) {
      const list = this.typeList(t, types[0]!)
      if (!byId) return list
      const found = new Set(list)
      for (const c of byId) found.add(c)
      return [...found]
    }
    const found = new Set<CompiledSubscription>(t.anyEntity)
    for (const c of byId ?? []) found.add(c)
    for (const type of types) for (const c of t.byType.get(type) ?? []) found.add(c)
    return [...found]
  }

  private typeList(t: TenantIndex, type: string): readonly CompiledSubscription[] {
    let list = t.typeLists.get(type)
    if (!list) {
      list = [...new Set([...t.anyEntity, ...(t.byType.get(type) ?? [])])]
      t.typeLists.set(type, list)
    }
    return list
  }

  *all(): Iterable<CompiledSubscription> {
    for (const t of this.tenants.values()) yield* t.all.values()
  }

  get size(): number {
    let n = 0
    for (const t of this.tenants.values()) n += t.all.size
    return n
  }

  private tenant(name: string): TenantIndex {
    let t = this.tenants.get(name)
    if (!t) {
      t = {
        byId: new Map(),
        byType: new Map(),
        anyEntity: new Set(),
        all: new Map(),
        typeLists: new Map(),
      }
      this.tenants.set(name, t)
    }
    return t
  }
}

function addTo(
  map: Map<string, Set<CompiledSubscription>>,
  key: string,
  c: CompiledSubscription,
): void {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  set.add(c)
}
