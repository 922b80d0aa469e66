import { describe, expect, it } from 'vitest'
import { BAD, GOOD, OFF, entityState, rampColor, stateLegend, typeColor } from './colors.js'

describe('typeColor', () => {
  it('gives known types their fixed colour and unknown types a stable one', () => {
    expect(typeColor('ParkingSpot')).toBe('#0072b2')
    const a = typeColor('BikeHireDockingStation')
    expect(a).toMatch(/^#[0-9a-f]{6}$/)
    expect(typeColor('BikeHireDockingStation')).toBe(a)
  })
})

describe('rampColor', () => {
  it('runs green → yellow → red and clamps', () => {
    expect(rampColor(0)).toBe('#1a9850')
    expect(rampColor(0.5)).toBe('#fee08b')
    expect(rampColor(1)).toBe('#d73027')
    expect(rampColor(-1)).toBe(rampColor(0))
    expect(rampColor(7)).toBe(rampColor(1))
    expect(rampColor(Number.NaN)).toBe(rampColor(0))
  })
})

describe('entityState', () => {
  const e = (type: string, attrs: Record<string, unknown>) => ({ id: 'x', type, ...attrs })

  it('colours parking spots by status', () => {
    expect(entityState(e('ParkingSpot', { status: 'free' }))).toEqual({
      color: GOOD,
      label: 'free',
    })
    expect(entityState(e('ParkingSpot', { status: 'occupied' }))?.color).toBe(BAD)
    expect(entityState(e('ParkingSpot', { status: 'closed' }))?.color).toBe(OFF)
    expect(entityState(e('ParkingSpot', { status: 'unknown' }))).toBeUndefined()
  })

  it('ramps waste containers by filling level, reading >1 as percent', () => {
    expect(entityState(e('WasteContainer', { fillingLevel: 0.8 }))).toEqual({
      color: rampColor(0.8),
      label: '80 % full',
    })
    expect(entityState(e('WasteContainer', { fillingLevel: 80 }))?.label).toBe('80 % full')
    expect(entityState(e('WasteContainer', {}))).toBeUndefined()
  })

  it('bands air quality and noise', () => {
    expect(entityState(e('AirQualityObserved', { no2: 20 }))?.label).toBe('good (20 µg/m³ NO₂)')
    expect(entityState(e('AirQualityObserved', { no2: 300 }))?.color).toBe(BAD)
    expect(entityState(e('NoiseLevelObserved', { LAeq: 60 }))?.label).toBe('fair (60 dB)')
  })

  it('reads booleans for traffic and water alarms', () => {
    expect(entityState(e('TrafficFlowObserved', { congested: true }))?.label).toBe('congested')
    expect(entityState(e('WaterConsumptionObserved', { alarmInProgress: 1 }))?.label).toBe('alarm')
    expect(entityState(e('WaterConsumptionObserved', {}))).toBeUndefined()
  })

  it('has no state for types without a rule', () => {
    expect(entityState(e('WeatherObserved', { temperature: 3 }))).toBeUndefined()
    expect(stateLegend('WeatherObserved')).toEqual([])
    expect(stateLegend('ParkingSpot').map((s) => s.label)).toEqual(['free', 'occupied', 'closed'])
  })
})
