import { describe, expect, it } from 'vitest'
import { BUILTIN_PROFILES } from '../../core/device-profiles.js'
import { checkPayload } from '../check-payload.js'
import { createCity } from '../city.js'
import { planFleet } from '../fleet.js'
import { createSimDevices } from '../sim-device.js'
import { batteryLevel } from './battery.js'
import { NO_FAULTS } from './faults.js'
import { nextReading } from './models.js'
import type { Payload, SignalState, SimDevice } from './types.js'
import { collectionDays } from './waste.js'

const HOUR = 3_600_000
const city = createCity()
/** Monday 2 March 2026, 00:00 local (CET). */
const MONDAY = Date.parse('2026-03-01T23:00:00Z')
const devices = createSimDevices(city, planFleet(city, { devices: 600 }), {
  startAt: MONDAY,
  faults: NO_FAULTS,
})
const ofProfile = (profile: string) => devices.filter((d) => d.spec.profile === profile)

/** A reading at local hour `h` of day `day` (0 = Monday 2 March 2026). */
function at(device: SimDevice, day: number, h: number, state: SignalState = {}): Payload {
  const payload = nextReading(
    device,
    new Date(MONDAY + (day * 24 + h) * HOUR),
    state,
    NO_FAULTS,
  ).payload
  if (payload === undefined) throw new Error('silent without faults')
  return payload
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const numberAt = (profile: string, name: string, day: number, h: number) =>
  mean(ofProfile(profile).map((d) => Number(at(d, day, h)[name])))

describe('signal models', () => {
  it('emit payloads that validate against their profile, all week, for every device', () => {
    const problems: string[] = []
    for (const device of devices) {
      const profile = BUILTIN_PROFILES.get(device.spec.profile)
      if (profile === undefined) throw new Error(device.spec.profile)
      let state: SignalState = {}
      for (let h = 0; h < 7 * 24; h += 1.25) {
        const reading = nextReading(device, new Date(MONDAY + h * HOUR), state, NO_FAULTS)
        state = reading.state
        const payload = reading.payload ?? {}
        expect(Object.keys(payload).length).toBeGreaterThan(1)
        problems.push(...checkPayload(profile, payload).map((p) => `${device.spec.id}: ${p}`))
      }
    }
    expect(problems).toEqual([])
  })

  it('are deterministic', () => {
    const d = devices[0]
    if (d === undefined) throw new Error('no device')
    expect(at(d, 2, 10.3)).toEqual(at(d, 2, 10.3))
    const again = createSimDevices(city, planFleet(city, { devices: 600 }), {
      startAt: MONDAY,
      faults: NO_FAULTS,
    })
    expect(again.map((x) => at(x, 1, 8))).toEqual(devices.map((x) => at(x, 1, 8)))
  })

  it('fill parking bays in business hours and for Saturday shopping', () => {
    const occupied = (day: number, h: number) =>
      mean(ofProfile('parking-spot').map((d) => (at(d, day, h).status === 'occupied' ? 1 : 0)))
    expect(occupied(2, 11)).toBeGreaterThan(occupied(2, 3) + 0.4)
    expect(occupied(5, 15)).toBeGreaterThan(occupied(6, 15) + 0.25) // Saturday vs Sunday afternoon
  })

  it('make NO2, noise and traffic follow the rush hours', () => {
    expect(numberAt('air-quality', 'no2', 1, 8)).toBeGreaterThan(
      2 * numberAt('air-quality', 'no2', 1, 3),
    )
    expect(numberAt('noise', 'LAeq', 1, 17.5)).toBeGreaterThan(numberAt('noise', 'LAeq', 1, 3) + 10)
    expect(numberAt('traffic-flow', 'intensity', 1, 17.5)).toBeGreaterThan(
      5 * numberAt('traffic-flow', 'intensity', 1, 3),
    )
    expect(numberAt('traffic-flow', 'intensity', 1, 17.5)).toBeGreaterThan(
      numberAt('traffic-flow', 'intensity', 6, 17.5),
    )
    expect(numberAt('traffic-flow', 'averageVehicleSpeed', 1, 17.5)).toBeLessThan(
      numberAt('traffic-flow', 'averageVehicleSpeed', 1, 3),
    )
    const congested = ofProfile('traffic-flow').filter(
      (d) => at(d, 1, 17.5).congested === true,
    ).length
    expect(congested).toBeGreaterThan(0)
    expect(ofProfile('traffic-flow').filter((d) => at(d, 1, 3).congested === true)).toHaveLength(0)
  })

  it('fill waste containers over the days and empty them on collection day', () => {
    for (const bin of ofProfile('waste-container').slice(0, 30)) {
      const day = (collectionDays(bin)[0] ?? 1) - 1 // weekday → day offset from Monday
      const before = Number(at(bin, day, 5.5).fillingLevel)
      const after = Number(at(bin, day, 12).fillingLevel)
      expect(after, bin.spec.id).toBeLessThan(before)
      expect(Number(at(bin, day + 1, 12).fillingLevel)).toBeGreaterThan(after)
    }
  })

  it('switch streetlights on at night, dim them late, off by day', () => {
    const lamps = ofProfile('streetlight').filter((d) => at(d, 0, 12).status === 'ok')
    for (const lamp of lamps) {
      expect(at(lamp, 0, 12).powerState).toBe('off')
      expect(at(lamp, 0, 21).powerState).toBe('on')
      expect(at(lamp, 0, 2).powerState).toBe('low')
      expect(Number(at(lamp, 0, 21).powerConsumption)).toBeGreaterThan(
        Number(at(lamp, 0, 2).powerConsumption),
      )
    }
    expect(ofProfile('streetlight').some((d) => at(d, 0, 21).status === 'defectiveLamp')).toBe(true)
  })

  it('draw water in morning and evening peaks', () => {
    const litres = (h: number) =>
      mean(
        ofProfile('water-meter').map((d) =>
          Number(at(d, 1, h, { previousAt: MONDAY + (24 + h - 1) * HOUR }).waterConsumption),
        ),
      )
    expect(litres(7.5)).toBeGreaterThan(4 * litres(3.5))
    expect(litres(20)).toBeGreaterThan(3 * litres(3.5))
  })

  it('warm the afternoon, cool the night, and the village is colder', () => {
    const [village, ...town] = ofProfile('weather')
    if (village === undefined) throw new Error('no weather station')
    expect(village.landUse).toBe('village')
    const t = (d: SimDevice, day: number, h: number) => Number(at(d, day, h).temperature)
    for (let day = 0; day < 7; day++) {
      for (const station of [village, ...town])
        expect(t(station, day, 15)).toBeGreaterThan(t(station, day, 5))
      expect(t(village, day, 12)).toBeLessThan(t(town[0] ?? village, day, 12))
    }
    expect(Number(at(village, 0, 13).illuminance)).toBeGreaterThan(1000)
    expect(Number(at(village, 0, 23).illuminance)).toBe(0)
  })

  it('drain batteries slowly', () => {
    const withBattery = devices.filter((d) => d.battery !== undefined)
    expect(withBattery.length).toBeGreaterThan(300)
    for (const d of withBattery.slice(0, 50)) {
      const now = batteryLevel(d, MONDAY) ?? 0
      const later = batteryLevel(d, MONDAY + 120 * 24 * HOUR) ?? 0
      expect(later).toBeLessThan(now)
      expect(now - (batteryLevel(d, MONDAY + 24 * HOUR) ?? 0)).toBeLessThanOrEqual(1)
    }
  })
})
