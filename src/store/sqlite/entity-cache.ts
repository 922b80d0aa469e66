/**
 * A bounded cache of parsed entities by (tenant, id), kept in step with every write of this
 * process, so hot entities (those devices report on) skip a SELECT and a JSON parse per message.
 * Cached objects are never mutated: writers put a new object after their transaction commits.
 *
 * Writers always cache what they wrote. Readers only `admit` what they loaded: an entity read
 * for the first time in a while is remembered by a hash of its key alone and cached on its
 * second read. Random reads over a store many times the capacity (1M entities, one read each)
 * would otherwise evict a hot entity per read and turn every loaded entity into old-generation
 * garbage for the collector; measured at 1M entities this was ~10 % of the CPU of a read.
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
  /** Key hashes of recent reads not admitted yet: small integers, so they cost the GC nothing. */
  private readonly seenOnce = new Set<number>()

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

  /** Caches what a reader loaded if its key was read recently; true when it did. */
  admit(tenant: string, id: string, value: CachedEntity): boolean {
    if (!this.readAgain(tenant, id)) return false
    this.set(tenant, id, value)
    return true
  }

  /**
   * Notes a read of an entity not in the cache: true when it was read recently (the reader should
   * now cache it), false when this is its first read in a while (now remembered).
   */
  readAgain(tenant: string, id: string): boolean {
    const h = keyHash(tenant, id)
    if (this.seenOnce.delete(h)) return true
    this.seenOnce.add(h)
    if (this.seenOnce.size > this.capacity) {
      const oldest = this.seenOnce.values().next().value
      if (oldest !== undefined) this.seenOnce.delete(oldest)
    }
    return false
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

/**
 * FNV-1a over both strings, kept to 30 bits so it stays a small integer. A collision only admits
 * an entity one read early.
 */
function keyHash(tenant: string, id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < tenant.length; i++) h = Math.imul(h ^ tenant.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ 0, 0x01000193)
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return h & 0x3fffffff
}
