import { describe, expect, it } from 'vitest'
import {
  devicesUrl,
  entitiesUrl,
  entityHref,
  entityUrl,
  eventsUrl,
  historyUrl,
  withQuery,
} from './urls.js'

describe('api urls', () => {
  it('leaves undefined params out and keeps order', () => {
    expect(withQuery('/x', { a: 1, b: undefined, c: 'z' })).toBe('/x?a=1&c=z')
    expect(withQuery('/x', {})).toBe('/x')
  })

  it('builds the devices page url', () => {
    expect(devicesUrl({ limit: 50, offset: 100 })).toBe('/api/v1/devices?limit=50&offset=100')
  })

  it('builds entity list pages in the documented order', () => {
    expect(entitiesUrl({ limit: 1000, offset: 2000 })).toBe(
      '/ngsi-ld/v1/entities?local=true&format=keyValues&limit=1000&offset=2000',
    )
    expect(entitiesUrl({ limit: 10, offset: 0, count: true })).toContain('&count=true')
  })

  it('encodes entity ids in paths and hash links', () => {
    const id = 'urn:ngsi-ld:ParkingSpot:a/b c'
    expect(entityUrl(id)).toBe(
      '/ngsi-ld/v1/entities/urn%3Angsi-ld%3AParkingSpot%3Aa%2Fb%20c?format=keyValues',
    )
    expect(entityHref(id)).toBe('#/entity/urn%3Angsi-ld%3AParkingSpot%3Aa%2Fb%20c')
  })

  it('builds the events url with and without an entity', () => {
    expect(eventsUrl()).toBe('/api/v1/events')
    expect(eventsUrl('urn:x:1')).toBe('/api/v1/events?entityId=urn%3Ax%3A1')
  })

  it('builds the history url with ISO times and clamped maxPoints', () => {
    const url = historyUrl({
      entityId: 'urn:x:1',
      attr: 'no2',
      from: Date.UTC(2026, 0, 1),
      to: new Date(Date.UTC(2026, 0, 2)),
      maxPoints: 640.4,
    })
    const q = new URL(url, 'http://h').searchParams
    expect(url.startsWith('/api/v1/history?')).toBe(true)
    expect(q.get('entityId')).toBe('urn:x:1')
    expect(q.get('attr')).toBe('no2')
    expect(q.get('from')).toBe('2026-01-01T00:00:00.000Z')
    expect(q.get('to')).toBe('2026-01-02T00:00:00.000Z')
    expect(q.get('maxPoints')).toBe('640')
    const tiny = historyUrl({ entityId: 'e', attr: 'a', from: 0, to: 1, maxPoints: 0 })
    expect(new URL(tiny, 'http://h').searchParams.get('maxPoints')).toBe('10')
    const huge = historyUrl({ entityId: 'e', attr: 'a', from: 0, to: 1, maxPoints: 1e9 })
    expect(new URL(huge, 'http://h').searchParams.get('maxPoints')).toBe('5000')
  })
})
