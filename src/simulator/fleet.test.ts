import { describe, expect, it } from 'vitest'
import { CONNECTIVITY, DEVICE_ID_PATTERN } from '../core/device.js'
import { BUILTIN_PROFILES } from '../core/device-profiles.js'
import { createCity } from './city.js'
import { fleetComposition, planFleet } from './fleet.js'
import { distanceMeters, pointAlongLine, pointInPolygon } from './geometry.js'

describe('planFleet', () => {
  const city = createCity()
  const fleet = planFleet(city, { devices: 600 })
  const count = (profile: string) => fleet.filter((d) => d.profile === profile).length

  it('is deterministic per seed', () => {
    expect(planFleet(city, { devices: 600 })).toEqual(fleet)
    expect(planFleet(createCity(9), { devices: 100, seed: 9 })).toEqual(
      planFleet(createCity(9), { devices: 100, seed: 9 }),
    )
    expect(planFleet(city, { devices: 600, seed: 5 })).not.toEqual(fleet)
  })

  it('plans 600 devices over 8 built-in profiles with unique, well-formed ids', () => {
    expect(fleet).toHaveLength(600)
    const profiles = new Set(fleet.map((d) => d.profile))
    expect(profiles.size).toBeGreaterThanOrEqual(6)
    for (const p of profiles) expect(BUILTIN_PROFILES.has(p)).toBe(true)
    expect(new Set(fleet.map((d) => d.id)).size).toBe(600)
    expect(new Set(fleet.map((d) => d.name)).size).toBe(600)
    for (const d of fleet) {
      expect(d.id).toMatch(DEVICE_ID_PATTERN)
      expect(d.id).toMatch(/^(pk|aq|ns|tf|wc|sl|wm|ws)-\d{4}$/)
      expect(CONNECTIVITY).toContain(d.connectivity)
      expect(d.name.length).toBeGreaterThan(5)
    }
    expect(fleet.find((d) => d.profile === 'parking-spot')?.id).toBe('pk-0001')
    expect(count('parking-spot')).toBeGreaterThan(count('air-quality') * 10)
    expect(count('air-quality')).toBeGreaterThanOrEqual(3)
    expect(count('air-quality')).toBeLessThanOrEqual(12)
    expect(count('weather')).toBe(3)
  })

  it('puts every device inside the district it names', () => {
    const byName = new Map(city.districts.features.map((d) => [d.properties.name, d]))
    for (const d of fleet) {
      const district = byName.get(d.district)
      expect(district, d.id).toBeDefined()
      if (district)
        expect(pointInPolygon([d.location.lon, d.location.lat], district.geometry), d.id).toBe(true)
    }
  })

  it('places devices where a city would', () => {
    const landUse = new Map(
      city.districts.features.map((d) => [d.properties.name, d.properties.landUse]),
    )
    const use = (profile: string) =>
      fleet.filter((d) => d.profile === profile).map((d) => landUse.get(d.district))
    expect(new Set(use('parking-spot'))).toEqual(new Set(['centre', 'commercial', 'mixed']))
    for (const u of use('water-meter'))
      expect(['residential', 'mixed', 'centre', 'village']).toContain(u)
    expect(use('waste-container')).toContain('village')
    expect(use('weather')).toContain('village')
    expect(use('streetlight').length).toBe(count('streetlight'))
    // Traffic counters stand on a primary road (within a few metres of its line).
    const primaries = city.roads.features.filter((r) => r.properties.class === 'primary')
    for (const d of fleet.filter((x) => x.profile === 'traffic-flow')) {
      const p: [number, number] = [d.location.lon, d.location.lat]
      const nearest = Math.min(
        ...primaries.flatMap((r) =>
          Array.from({ length: 400 }, (_, k) =>
            distanceMeters(p, pointAlongLine(r.geometry.coordinates, k / 399)),
          ),
        ),
      )
      expect(nearest, d.id).toBeLessThan(30)
    }
    // Plausible radios: wired air stations, cellular traffic counters, LoRaWAN/satellite in the village.
    expect(
      fleet.filter((d) => d.profile === 'air-quality' && d.connectivity === 'ethernet').length,
    ).toBeGreaterThan(2)
    for (const d of fleet.filter((x) => x.profile === 'traffic-flow'))
      expect(['4g', '5g']).toContain(d.connectivity)
    for (const d of fleet.filter((x) => landUse.get(x.district) === 'village')) {
      expect(['lorawan', 'satellite']).toContain(d.connectivity)
    }
  })

  it('scales down and still covers many profiles', () => {
    for (const n of [20, 100, 1000]) {
      const composition = fleetComposition(n)
      expect([...composition.values()].reduce((a, b) => a + b, 0)).toBe(n)
      expect(planFleet(city, { devices: n })).toHaveLength(n)
    }
    expect([...fleetComposition(20).values()].filter((c) => c > 0).length).toBe(8)
  })
})
