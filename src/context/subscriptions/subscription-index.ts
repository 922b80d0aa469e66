/**
 * Active subscriptions indexed so that one entity change looks only at the subscriptions that
 * could match it: by tenant, then by entity id (selectors naming an id), by entity type (the
 * first type of each selector clause: every clause needs all its types, so any one is a
 * necessary key), and subscriptions without `entities` (watchedAttributes only) by the attributes
 * they watch: a creation or update concerns such a subscription only when it touches one of them
 * (match-change.ts), so the others are not even looked at.
 *
 * @example
 *   index.add(compiled)
 *   for (const c of index.candidates('default', entity.id, entity.types, event.attrs)) …
 */
import type { CompiledSubscription } from './compile-subscription.js'

interface TenantIndex {
  byId: Map<string, Set<CompiledSubscription>>
  byType: Map<string, Set<CompiledSubscription>>
  /** Without `entities` and without watchedAttributes. */
  anyEntity: Set<CompiledSubscription>
  /** Without `entities`, by watched attribute; `anyWatched` holds them all. */
  byWatched: Map<string, Set<CompiledSubscription>>
  anyWatched: Set<CompiledSubscription>
  all: Map<string, CompiledSubscription>
  /** anyEntity + byType per type, as an array and a set, rebuilt lazily after any change. */
  typeLists: Map<string, { list: CompiledSubscription[]; set: Set<CompiledSubscription> }>
}

const NONE: readonly CompiledSubscription[] = []

export class SubscriptionIndex {
  private readonly tenants = new Map<string, TenantIndex>()

  add(c: CompiledSubscription): void {
    this.remove(c.tenant, c.sub.id)
    const t = this.tenant(c.tenant)
    t.typeLists.clear()
    t.all.set(c.sub.id, c)
    if (!c.sub.entities) {
      if (!c.watched) t.anyEntity.add(c)
      else {
        t.anyWatched.add(c)
        for (const attr of c.watched) addTo(t.byWatched, attr, c)
      }
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
    t.anyWatched.delete(c)
    for (const map of [t.byId, t.byType, t.byWatched]) {
      for (const [key, set] of map) {
        if (set.delete(c) && set.size === 0) map.delete(key)
      }
    }
    return c
  }

  get(tenant: string, id: string): CompiledSubscription | undefined {
    return this.tenants.get(tenant)?.all.get(id)
  }

  /**
   * Each candidate once; the caller still checks the selectors exactly. `changedAttrs` (those a
   * creation or update touched) leaves out type-less subscriptions watching none of them; without
   * it (deletions) they all are candidates.
   */
  candidates(
    tenant: string,
    entityId: string,
    types: readonly string[],
    changedAttrs?: readonly string[],
  ): readonly CompiledSubscription[] {
    const t = this.tenants.get(tenant)
    if (!t) return NONE
    const byId = t.byId.get(entityId)
    const watchers = watchersOf(t, changedAttrs)
    // The common case on the ingest path: one type. Its list is kept ready, so a change costs no
    // set building; id-specific and watching subscriptions are appended when there are any.
    if (types.length === 1) {
      const { list, set } = this.typeList(t, types[0]!)
      if (!byId && watchers.length === 0) return list
      const more: CompiledSubscription[] = []
      for (const c of byId ?? NONE) if (!set.has(c)) more.push(c)
      // Watchers have no `entities`, so they are in neither the type list nor byId.
      for (const c of watchers) more.push(c)
      return more.length === 0 ? list : list.concat(more)
    }
    const found = new Set<CompiledSubscription>(t.anyEntity)
    for (const c of byId ?? NONE) found.add(c)
    for (const type of types) for (const c of t.byType.get(type) ?? NONE) found.add(c)
    for (const c of watchers) found.add(c)
    return [...found]
  }

  private typeList(
    t: TenantIndex,
    type: string,
  ): { list: CompiledSubscription[]; set: Set<CompiledSubscription> } {
    let entry = t.typeLists.get(type)
    if (!entry) {
      const set = new Set([...t.anyEntity, ...(t.byType.get(type) ?? NONE)])
      entry = { list: [...set], set }
      t.typeLists.set(type, entry)
    }
    return entry
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
        byWatched: new Map(),
        anyWatched: new Set(),
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

/** Type-less subscriptions watching one of `attrs` (all of them when `attrs` is not known). */
function watchersOf(
  t: TenantIndex,
  attrs: readonly string[] | undefined,
): readonly CompiledSubscription[] {
  if (t.anyWatched.size === 0) return NONE
  if (!attrs) return [...t.anyWatched]
  let found: Set<CompiledSubscription> | undefined
  for (const attr of attrs) {
    const set = t.byWatched.get(attr)
    if (set) for (const c of set) (found ??= new Set()).add(c)
  }
  return found ? [...found] : NONE
}
