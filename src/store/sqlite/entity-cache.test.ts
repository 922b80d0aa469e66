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

  it('forgets first reads beyond capacity, so one-off reads never churn the cache', () => {
    const cache = new EntityCache(3)
    cache.set('t', 'hot', { rid: 100, entity: entity('hot') })
    for (let i = 0; i < 50; i++) cache.admit('t', `cold-${i}`, { rid: i, entity: entity(`c${i}`) })
    expect(cache.get('t', 'hot')?.rid).toBe(100)
    // cold-0 was forgotten long ago: reading it again is a first read again.
    expect(cache.admit('t', 'cold-0', { rid: 0, entity: entity('c0') })).toBe(false)
    expect(cache.admit('t', 'cold-49', { rid: 49, entity: entity('c49') })).toBe(true)
  })
})
