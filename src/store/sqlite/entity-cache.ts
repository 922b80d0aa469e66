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
import { LRUCache } from 'lru-cache'
import type { Entity } from '../../core/ngsi.js'

export interface CachedEntity {
  rid: number
  entity: Entity
}

interface Slot extends CachedEntity {
  tenant: string
}

export class EntityCache {
  /**
   * lru-cache keeps recency in a linked list over typed arrays: O(1) to refresh and to evict. A
   * Map used as an LRU (delete the first key, re-insert on a hit) is not: V8 leaves deleted
   * entries in place until the table is rehashed, and finding the first live key walks over all
   * of them; with 50k entries that cost ~19 µs per eviction here (BENCHMARKS.md, session 6).
   */
  private readonly lru: LRUCache<string, Slot>
  /** The same entries by rid, for readers that walk an index of rids. */
  private readonly byRid = new Map<number, Slot>()
  /**
   * Recent first reads not admitted yet, as a direct-mapped table of key hashes: a slot holds the
   * last key read whose hash falls in it. O(1), no allocation, and small integers cost the GC
   * nothing; a collision only forgets a first read (or, rarely, admits an entity a read early).
   */
  private readonly seen: Uint32Array

  constructor(capacity: number) {
    this.lru = new LRUCache<string, Slot>({
      max: Math.max(1, capacity),
      dispose: (slot) => {
        if (this.byRid.get(slot.rid) === slot) this.byRid.delete(slot.rid)
      },
    })
    let size = 8
    while (size < capacity * 2) size *= 2
    this.seen = new Uint32Array(size)
  }

  get(tenant: string, id: string): CachedEntity | undefined {
    return this.lru.get(tenant + '\u0000' + id)
  }

  /** A lookup by rid that leaves recency alone, so a large query does not churn the hot set. */
  peekRid(rid: number): Readonly<Slot> | undefined {
    return this.byRid.get(rid)
  }

  set(tenant: string, id: string, value: CachedEntity): void {
    const slot: Slot = { rid: value.rid, entity: value.entity, tenant }
    this.lru.set(tenant + '\u0000' + id, slot)
    this.byRid.set(slot.rid, slot)
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
    const i = h & (this.seen.length - 1)
    // Stored as h + 1 so that an empty slot (0) never matches.
    if (this.seen[i] === h + 1) {
      this.seen[i] = 0
      return true
    }
    this.seen[i] = h + 1
    return false
  }

  delete(tenant: string, id: string): void {
    this.lru.delete(tenant + '\u0000' + id)
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
