import { describe, expect, it } from 'vitest'
import { isAppError } from '../../core/errors.js'
import { createEntityMapRegistry } from './entity-map-registry.js'

function setup(
  opts: { maxMapsPerTenant?: number; maxEntities?: number; maxEntitiesPerTenant?: number } = {},
) {
  let now = Date.parse('2026-01-01T00:00:00Z')
  let n = 0
  const maps = createEntityMapRegistry({
    clock: () => new Date(now),
    newId: () => `m${++n}`,
    defaultLifetimeMs: 60_000,
    maxLifetimeMs: 600_000,
    ...opts,
  })
  return { maps, advance: (ms: number) => (now += ms) }
}

function errorType(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return isAppError(err) ? err.kind : 'not an AppError'
  }
  return undefined
}

describe('EntityMap registry', () => {
  it('makes a map of local entities with an expiry', () => {
    const { maps } = setup()
    const map = maps.create('t', ['urn:a', 'urn:b'])
    expect(map).toEqual({
      id: 'urn:ngsi-ld:EntityMap:m1',
      type: 'EntityMap',
      expiresAt: '2026-01-01T00:01:00.000Z',
      entityMap: { 'urn:a': ['@none'], 'urn:b': ['@none'] },
      linkedMaps: {},
    })
    expect(maps.get('t', map.id)).toEqual(map)
  })

  it('keeps maps per tenant', () => {
    const { maps } = setup()
    const map = maps.create('t', ['urn:a'])
    expect(maps.get('other', map.id)).toBeUndefined()
    expect(errorType(() => maps.delete('other', map.id))).toBe('ResourceNotFound')
  })

  it('forgets a map once it expires', () => {
    const { maps, advance } = setup()
    const map = maps.create('t', ['urn:a'])
    advance(59_999)
    expect(maps.get('t', map.id)).toBeDefined()
    advance(1)
    expect(maps.get('t', map.id)).toBeUndefined()
    expect(errorType(() => maps.update('t', map.id, {}))).toBe('ResourceNotFound')
  })

  it('clamps the suggested lifetime', () => {
    const { maps } = setup()
    expect(maps.create('t', [], 10_000_000).expiresAt).toBe('2026-01-01T00:10:00.000Z')
    expect(maps.create('t', [], 0).expiresAt).toBe('2026-01-01T00:00:01.000Z')
  })

  it('updates only expiresAt, and only to a future DateTime', () => {
    const { maps } = setup()
    const map = maps.create('t', ['urn:a'])
    maps.update('t', map.id, { expiresAt: '2026-01-01T00:05:00Z', entityMap: { 'urn:x': [] } })
    expect(maps.get('t', map.id)).toMatchObject({
      expiresAt: '2026-01-01T00:05:00.000Z',
      entityMap: { 'urn:a': ['@none'] },
    })
    expect(errorType(() => maps.update('t', map.id, { expiresAt: 'soon' }))).toBe('BadRequestData')
    expect(errorType(() => maps.update('t', map.id, { expiresAt: '2025-01-01T00:00:00Z' }))).toBe(
      'BadRequestData',
    )
  })

  it('deletes a map', () => {
    const { maps } = setup()
    const map = maps.create('t', ['urn:a'])
    maps.delete('t', map.id)
    expect(maps.get('t', map.id)).toBeUndefined()
    expect(errorType(() => maps.delete('t', map.id))).toBe('ResourceNotFound')
  })

  it('bounds the number of maps and their size', () => {
    const { maps, advance } = setup({ maxMapsPerTenant: 2, maxEntities: 2 })
    const a = maps.create('t', ['urn:a'])
    advance(1)
    const b = maps.create('t', ['urn:b'])
    advance(1)
    const c = maps.create('t', ['urn:c'])
    // The map expiring first makes room.
    expect(maps.get('t', a.id)).toBeUndefined()
    expect(maps.get('t', b.id)).toBeDefined()
    expect(maps.get('t', c.id)).toBeDefined()
    expect(errorType(() => maps.create('t', ['urn:a', 'urn:b', 'urn:c']))).toBe('TooComplexQuery')
  })

  it('bounds the entities all maps of a tenant hold', () => {
    const { maps, advance } = setup({ maxEntities: 2, maxEntitiesPerTenant: 3 })
    const a = maps.create('t', ['urn:a', 'urn:b'])
    advance(1)
    const b = maps.create('t', ['urn:c'])
    advance(1)
    const c = maps.create('t', ['urn:d', 'urn:e'])
    expect(maps.get('t', a.id)).toBeUndefined()
    expect(maps.get('t', b.id)).toBeDefined()
    expect(maps.get('t', c.id)).toBeDefined()
    expect(maps.get('u', c.id)).toBeUndefined()
  })
})
