import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import { EntityCache } from './entity-cache.js'

const entity = (id: string): Entity => ({
  id,
  types: ['T'],
  createdAt: '2026-01-01T00:00:00.000Z',
  modifiedAt: '2026-01-01T00:00:00.000Z',
  attrs: {},
})

describe('EntityCache', () => {
  it('caches what writers set, evicting the least recently used beyond capacity', () => {
    const cache = new EntityCache(2)
    cache.set('t', 'a', { rid: 1, entity: entity('a') })
    cache.set('t', 'b', { rid: 2, entity: entity('b') })
    expect(cache.get('t', 'a')?.rid).toBe(1) // a is now the most recent
    cache.set('t', 'c', { rid: 3, entity: entity('c') })
    expect(cache.get('t', 'b')).toBeUndefined()
    expect(cache.get('t', 'a')?.rid).toBe(1)
    expect(cache.peekRid(3)?.entity.id).toBe('c')
  })

  it('admits a read entity on its second read, not its first', () => {
    const cache = new EntityCache(10)
    expect(cache.admit('t', 'a', { rid: 1, entity: entity('a') })).toBe(false)
    expect(cache.get('t', 'a')).toBeUndefined()
    expect(cache.admit('t', 'a', { rid: 1, entity: entity('a') })).toBe(true)
    expect(cache.get('t', 'a')?.rid).toBe(1)
  })

  it('keeps tenants apart when admitting', () => {
    const cache = new EntityCache(10)
    cache.admit('t1', 'a', { rid: 1, entity: entity('a') })
    expect(cache.admit('t2', 'a', { rid: 2, entity: entity('a') })).toBe(false)
  })

  it('forgets a first read once later first reads take its place, so one-off reads never churn the cache', () => {
    const cache = new EntityCache(3)
    cache.set('t', 'hot', { rid: 100, entity: entity('hot') })
    for (let i = 0; i < 50; i++) cache.admit('t', `cold-${i}`, { rid: i, entity: entity(`c${i}`) })
    expect(cache.get('t', 'hot')?.rid).toBe(100)
    // cold-0 was forgotten long ago (8 slots for capacity 3): reading it again is a first read.
    expect(cache.admit('t', 'cold-0', { rid: 0, entity: entity('c0') })).toBe(false)
    expect(cache.admit('t', 'cold-49', { rid: 49, entity: entity('c49') })).toBe(true)
  })
})

describe('EntityCache at scale', () => {
  it('stays bounded through 200k more entities than it holds, oldest out first', () => {
    // A Map used as an LRU walked every deleted entry to find the oldest: ~19 µs per eviction.
    const cache = new EntityCache(50_000)
    for (let i = 0; i < 250_000; i++) cache.set('t', `e-${i}`, { rid: i, entity: entity(`e-${i}`) })
    expect(cache.get('t', 'e-0')).toBeUndefined()
    expect(cache.get('t', 'e-249999')?.rid).toBe(249_999)
    expect(cache.peekRid(0)).toBeUndefined()
    expect(cache.peekRid(249_999)?.entity.id).toBe('e-249999')
  })

  it('keeps byRid in step when an entry is replaced, deleted or evicted', () => {
    const cache = new EntityCache(2)
    cache.set('t', 'a', { rid: 1, entity: entity('a') })
    cache.set('t', 'a', { rid: 1, entity: entity('a2') })
    expect(cache.peekRid(1)?.entity.id).toBe('a2')
    cache.delete('t', 'a')
    expect(cache.peekRid(1)).toBeUndefined()
    cache.set('t', 'b', { rid: 2, entity: entity('b') })
    cache.set('t', 'c', { rid: 3, entity: entity('c') })
    cache.set('t', 'd', { rid: 4, entity: entity('d') })
    expect(cache.peekRid(2)).toBeUndefined()
    expect([cache.peekRid(3)?.entity.id, cache.peekRid(4)?.entity.id]).toEqual(['c', 'd'])
  })
})
