/**
 * A bounded cache of parsed entities by (tenant, id), kept in step with every write of this
 * process, so hot entities (those devices report on) skip a SELECT and a JSON parse per message.
 * Cached objects are never mutated: writers put a new object after their transaction commits.
 */
import type { Entity } from '../../core/ngsi.js'

export interface CachedEntity {
  rid: number
  entity: Entity
}

interface Slot extends CachedEntity {
  tenant: string
}

export class EntityCache {
  private readonly map = new Map<string, Slot>()
  /** The same entries by rid, for readers that walk an index of rids. */
  private readonly byRid = new Map<number, Slot>()

  constructor(private readonly capacity: number) {}

  get(tenant: string, id: string): CachedEntity | undefined {
    const key = tenant + '\u0000' + id
    const hit = this.map.get(key)
    if (hit) {
      // Refresh recency: Map keeps insertion order, so the oldest key is evicted first.
      this.map.delete(key)
      this.map.set(key, hit)
    }
    return hit
  }

  /** A lookup by rid that leaves recency alone, so a large query does not churn the hot set. */
  peekRid(rid: number): Readonly<Slot> | undefined {
    return this.byRid.get(rid)
  }

  set(tenant: string, id: string, value: CachedEntity): void {
    const key = tenant + '\u0000' + id
    this.remove(key)
    const slot: Slot = { rid: value.rid, entity: value.entity, tenant }
    this.map.set(key, slot)
    this.byRid.set(slot.rid, slot)
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value
      if (oldest !== undefined) this.remove(oldest)
    }
  }

  delete(tenant: string, id: string): void {
    this.remove(tenant + '\u0000' + id)
  }

  private remove(key: string): void {
    const slot = this.map.get(key)
    if (!slot) return
    this.map.delete(key)
    if (this.byRid.get(slot.rid) === slot) this.byRid.delete(slot.rid)
  }
}
