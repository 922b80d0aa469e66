import { describe, expect, it } from 'vitest'
import { profileAttrs, profileUnitCode, unitSymbol } from './units.js'

describe('units', () => {
  it('maps common codes to symbols', () => {
    expect(unitSymbol('CEL')).toBe('°C')
    expect(unitSymbol('GQ')).toBe('µg/m³')
    expect(unitSymbol('2N')).toBe('dB')
    expect(unitSymbol('C62')).toBe('')
  })

  it('shows unknown codes as-is and nothing for no code', () => {
    expect(unitSymbol('XYZ')).toBe('XYZ')
    expect(unitSymbol(undefined)).toBe('')
  })

  it('reads units and attribute order from the built-in profiles', () => {
    expect(profileUnitCode('AirQualityObserved', 'no2')).toBe('GQ')
    expect(profileUnitCode('ParkingSpot', 'status')).toBeUndefined()
    expect(profileUnitCode('Nope', 'x')).toBeUndefined()
    expect(profileAttrs('ParkingSpot')).toEqual(['status', 'batteryLevel'])
  })
})
