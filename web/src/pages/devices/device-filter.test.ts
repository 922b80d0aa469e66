import { describe, expect, it } from 'vitest'
import type { DeviceSummary } from '../../api/types.js'
import { filterDevices, filterTerms } from './device-filter.js'

const device = (over: Partial<DeviceSummary> & { id: string }): DeviceSummary => ({
  profile: 'parking-spot',
  entityId: `urn:ngsi-ld:ParkingSpot:${over.id}`,
  entityType: 'ParkingSpot',
  createdAt: '2026-01-01T00:00:00Z',
  messages: 0,
  rejected: 0,
  health: 'ok',
  ...over,
})

const devices = [
  device({ id: 'p-001', name: 'Market square 1', connectivity: 'lorawan' }),
  device({ id: 'p-002', connectivity: 'nb-iot', health: 'silent' }),
  device({
    id: 'aq-1',
    profile: 'air-quality',
    entityType: 'AirQualityObserved',
    entityId: 'urn:ngsi-ld:AirQualityObserved:aq-1',
    connectivity: 'lorawan',
    health: 'never',
    lastError: { at: '2026-01-01T00:00:00Z', reason: 'no2 out of range' },
  }),
]

describe('filterDevices', () => {
  const ids = (q: string) => filterDevices(devices, q).map((d) => d.id)

  it('returns everything for an empty query', () => {
    expect(ids('')).toEqual(['p-001', 'p-002', 'aq-1'])
    expect(ids('   ')).toHaveLength(3)
  })

  it('matches any visible field, case-insensitively', () => {
    expect(ids('MARKET')).toEqual(['p-001'])
    expect(ids('air-quality')).toEqual(['aq-1'])
    expect(ids('never seen')).toEqual(['aq-1'])
    expect(ids('out of range')).toEqual(['aq-1'])
    expect(ids('AirQualityObserved')).toEqual(['aq-1'])
  })

  it('requires every word', () => {
    expect(ids('lorawan p-')).toEqual(['p-001'])
    expect(ids('silent lorawan')).toEqual([])
  })

  it('splits terms on any whitespace', () => {
    expect(filterTerms('  A\tb  c ')).toEqual(['a', 'b', 'c'])
  })
})
