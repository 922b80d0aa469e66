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

export class EntityCache {
  private readonly map = new Map<string, CachedEntity>()

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

  set(tenant: string, id: string, value: CachedEntity): void {
    const key = tenant + '\u0000' + id
    this.map.delete(key)
    this.map.set(key, value)
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value
      if (oldest !== undefined) this.map.delete(oldest)
    }
  }

  delete(tenant: string, id: string): void {
    this.map.delete(tenant + '\u0000' + id)
  }
}
