import { describe, expect, it } from 'vitest'
import {
  mergeEvents,
  observedTimes,
  parseEntityEvent,
  reconnectDelay,
  resyncOnReconnect,
} from './entity-events.js'

describe('parseEntityEvent', () => {
  it('reads a well-formed event', () => {
    const data = JSON.stringify({
      entityId: 'urn:ngsi-ld:ParkingSpot:p1',
      type: 'ParkingSpot',
      attrs: { status: 'occupied' },
      observedAt: '2026-01-01T10:00:00Z',
    })
    expect(parseEntityEvent(data)).toEqual({
      entityId: 'urn:ngsi-ld:ParkingSpot:p1',
      type: 'ParkingSpot',
      attrs: { status: 'occupied' },
      observedAt: '2026-01-01T10:00:00Z',
    })
  })

  it('tolerates a missing type or observedAt', () => {
    const ev = parseEntityEvent('{"entityId":"e","attrs":{"a":1}}')
    expect(ev).toEqual({ entityId: 'e', type: '', attrs: { a: 1 } })
    expect(ev && 'observedAt' in ev).toBe(false)
  })

  it.each([
    ['not json', '{'],
    ['an array', '[]'],
    ['null', 'null'],
    ['no id', '{"attrs":{}}'],
    ['empty id', '{"entityId":"","attrs":{}}'],
    ['attrs not an object', '{"entityId":"e","attrs":[1]}'],
  ])('rejects %s', (_, data) => {
    expect(parseEntityEvent(data)).toBeUndefined()
  })
})

describe('mergeEvents', () => {
  it('keeps the newest value of each attribute and the latest time', () => {
    const merged = mergeEvents(
      { entityId: 'e', type: 'T', attrs: { a: 1, b: 1 }, observedAt: '2026-01-01T00:00:00Z' },
      { entityId: 'e', type: '', attrs: { b: 2 }, observedAt: '2026-01-01T00:00:05Z' },
    )
    expect(merged).toEqual({
      entityId: 'e',
      type: 'T',
      attrs: { a: 1, b: 2 },
      observedAt: '2026-01-01T00:00:05Z',
    })
  })

  it('keeps a known time when the newer event has none', () => {
    const merged = mergeEvents(
      { entityId: 'e', type: 'T', attrs: {}, observedAt: '2026-01-01T00:00:00Z' },
      { entityId: 'e', type: 'T', attrs: {} },
    )
    expect(merged.observedAt).toBe('2026-01-01T00:00:00Z')
  })
})

describe('reconnectDelay', () => {
  it('doubles from one second and caps at a minute', () => {
    const mid = () => 0.5
    expect([0, 1, 2, 5, 6, 30].map((a) => reconnectDelay(a, mid))).toEqual([
      1000, 2000, 4000, 32000, 60000, 60000,
    ])
  })

  it('spreads retries by ±25 %', () => {
    expect(reconnectDelay(0, () => 0)).toBe(750)
    expect(reconnectDelay(0, () => 1)).toBe(1250)
    expect(reconnectDelay(-3, () => 0.5)).toBe(1000)
  })
})

describe('resyncOnReconnect', () => {
  it('resyncs after a drop, not on the first connection, and not too often', () => {
    let t = 0
    let calls = 0
    const onStatus = resyncOnReconnect(
      () => calls++,
      30_000,
      () => t,
    )
    onStatus('connecting')
    onStatus('live')
    expect(calls).toBe(0)
    onStatus('reconnecting')
    onStatus('live')
    expect(calls).toBe(1)
    t = 10_000
    onStatus('reconnecting')
    onStatus('live')
    expect(calls).toBe(1)
    t = 45_000
    onStatus('reconnecting')
    onStatus('reconnecting')
    onStatus('live')
    onStatus('live')
    expect(calls).toBe(2)
  })
})

describe('observedTimes', () => {
  it('reads the observedAt of each attribute, of the default instance when there are several', () => {
    expect(
      observedTimes({
        id: 'urn:x',
        type: 'T',
        a: { type: 'Property', value: 1, observedAt: '2026-01-01T00:00:00Z' },
        b: [
          { type: 'Property', value: 2, datasetId: 'urn:d', observedAt: '2026-01-02T00:00:00Z' },
          { type: 'Property', value: 3, observedAt: '2026-01-03T00:00:00Z' },
        ],
        c: { type: 'Property', value: 4 },
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [0, 0] } },
      }),
    ).toEqual({ a: '2026-01-01T00:00:00Z', b: '2026-01-03T00:00:00Z' })
  })

  it('answers nothing for what is not an entity', () => {
    expect(observedTimes(null)).toEqual({})
    expect(observedTimes([1, 2])).toEqual({})
  })
})
