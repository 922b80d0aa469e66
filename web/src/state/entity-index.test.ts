import { describe, expect, it } from 'vitest'
import { createEntityIndex } from './entity-index.js'

const spot = (id: string, status = 'free') => ({ id, type: 'ParkingSpot', status })

describe('createEntityIndex', () => {
  it('upserts and counts by type', () => {
    const index = createEntityIndex()
    index.upsert(spot('a'))
    index.upsert(spot('b'))
    index.upsert({ id: 'w', type: 'WasteContainer', fillingLevel: 0.4 })
    index.upsert(spot('a', 'occupied'))
    expect(index.size).toBe(3)
    expect(index.get('a')?.status).toBe('occupied')
    expect([...index.countsByType()]).toEqual([
      ['ParkingSpot', 2],
      ['WasteContainer', 1],
    ])
  })

  it('applies an event as a new object and records observedAt', () => {
    const index = createEntityIndex()
    const before = index.upsert(spot('a'))
    const after = index.apply({
      entityId: 'a',
      type: 'ParkingSpot',
      attrs: { status: 'occupied', batteryLevel: 80 },
      observedAt: '2026-01-01T00:00:00Z',
    })
    expect(after).not.toBe(before)
    expect(after).toEqual({ id: 'a', type: 'ParkingSpot', status: 'occupied', batteryLevel: 80 })
    expect(before.status).toBe('free')
    expect(index.observedAt('a')).toBe('2026-01-01T00:00:00Z')
  })

  it('ignores events for unknown entities and never changes id or type', () => {
    const index = createEntityIndex()
    expect(index.apply({ entityId: 'x', type: 'T', attrs: { a: 1 } })).toBeUndefined()
    index.upsert(spot('a'))
    const after = index.apply({ entityId: 'a', type: 'T', attrs: { id: 'b', type: 'Other' } })
    expect(after?.id).toBe('a')
    expect(after?.type).toBe('ParkingSpot')
  })
})
