/**
 * The entities a page knows about, by id, with the time each was last observed. Updates make a
 * new object per entity so views can tell what changed; nothing here touches the DOM.
 *
 * @example
 *   const index = createEntityIndex()
 *   index.upsert(entity)
 *   const updated = index.apply(event) // undefined when the entity is not known yet
 */
import type { EntityEvent } from '../api/entity-events.js'
import type { EntityKV } from '../api/types.js'

export interface EntityIndex {
  get(id: string): EntityKV | undefined
  /** ISO time of the last event applied to this entity, if any. */
  observedAt(id: string): string | undefined
  upsert(entity: EntityKV): EntityKV
  apply(event: EntityEvent): EntityKV | undefined
  values(): IterableIterator<EntityKV>
  readonly size: number
  countsByType(): Map<string, number>
}

export function createEntityIndex(): EntityIndex {
  const entities = new Map<string, EntityKV>()
  const observed = new Map<string, string>()
  return {
    get: (id) => entities.get(id),
    observedAt: (id) => observed.get(id),
    upsert(entity) {
      entities.set(entity.id, entity)
      return entity
    },
    apply(event) {
      const current = entities.get(event.entityId)
      if (!current) return undefined
      // id and type are identity: an event cannot rename the entity it belongs to.
      const next: EntityKV = { ...current, ...event.attrs, id: current.id, type: current.type }
      entities.set(next.id, next)
      if (event.observedAt !== undefined) observed.set(next.id, event.observedAt)
      return next
    },
    values: () => entities.values(),
    get size() {
      return entities.size
    },
    countsByType() {
      const counts = new Map<string, number>()
      for (const e of entities.values()) counts.set(e.type, (counts.get(e.type) ?? 0) + 1)
      return counts
    },
  }
}
