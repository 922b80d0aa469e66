import { describe, expect, it } from 'vitest'
import { createCity } from './city.js'
import { isClosedRing, pointInPolygon, signedArea, distanceMeters } from './geometry.js'
import { createRng } from './prng.js'

describe('createCity', () => {
  const city = createCity()

  it('is deterministic per seed', () => {
    expect(createCity(123)).toEqual(createCity(123))
    expect(createCity()).toEqual(city)
    expect(createCity(124).districts).not.toEqual(createCity(123).districts)
  })

  it('describes Civitas Nova with 6–10 city districts and one village', () => {
    expect(city.name).toBe('Civitas Nova')
    expect(city.center).toEqual([11.3, 46.5])
    const kinds = city.districts.features.map((d) => d.properties.kind)
    const cityDistricts = kinds.filter((k) => k === 'city').length
    expect(cityDistricts).toBeGreaterThanOrEqual(6)
    expect(cityDistricts).toBeLessThanOrEqual(10)
    expect(kinds.filter((k) => k === 'village')).toHaveLength(1)
    const village = city.districts.features.find((d) => d.properties.kind === 'village')
    expect(village?.properties.name).toBe('Valmora')
    const population = city.districts.features
      .filter((d) => d.properties.kind === 'city')
      .reduce((s, d) => s + d.properties.population, 0)
    expect(population).toBeGreaterThan(57_000)
    expect(population).toBeLessThan(63_000)
    expect(village?.properties.population).toBeGreaterThan(500)
    expect(new Set(city.districts.features.map((d) => d.properties.name)).size).toBe(kinds.length)
  })

  it.each([1, 2, 3, 20_240_601])(
    'has valid polygons that tile without overlapping (seed %i)',
    (seed) => {
      const c = createCity(seed)
      for (const d of c.districts.features) {
        expect(d.type).toBe('Feature')
        expect(d.geometry.type).toBe('Polygon')
        const ring = d.geometry.coordinates[0] ?? []
        expect(isClosedRing(ring)).toBe(true)
        expect(signedArea(ring)).toBeGreaterThan(0) // RFC 7946: exterior rings counter-clockwise
        for (const [lon, lat] of ring) {
          expect(Math.abs(lon - 11.3)).toBeLessThan(0.15)
          expect(Math.abs(lat - 46.5)).toBeLessThan(0.1)
        }
      }
      // Sample points: none may fall in two districts.
      const rng = createRng(seed)
      for (let i = 0; i < 3000; i++) {
        const p: [number, number] = [rng.range(11.25, 11.38), rng.range(46.47, 46.53)]
        const hits = c.districts.features.filter((d) => pointInPolygon(p, d.geometry)).length
        expect(hits).toBeLessThanOrEqual(1)
      }
    },
  )

  it('has a named road network of every class, with a road to the village', () => {
    const roads = city.roads.features
    expect(roads.length).toBeGreaterThan(40)
    const classes = new Set(roads.map((r) => r.properties.class))
    expect([...classes].sort()).toEqual(['primary', 'residential', 'secondary', 'track'])
    for (const r of roads) {
      expect(r.geometry.type).toBe('LineString')
      expect(r.geometry.coordinates.length).toBeGreaterThanOrEqual(2)
      expect(r.properties.name.length).toBeGreaterThan(3)
    }
    const ring = roads.find((r) => r.properties.name === 'Viale Circonvallazione')
    expect(ring?.geometry.coordinates[0]).toEqual(ring?.geometry.coordinates.at(-1))
    const village = city.districts.features.find((d) => d.properties.kind === 'village')
    const toVillage = roads.find((r) => r.properties.name.includes('Valmora'))
    const end = toVillage?.geometry.coordinates.at(-1)
    expect(village && end && pointInPolygon(end, village.geometry)).toBe(true)
    const start = toVillage?.geometry.coordinates[0]
    expect(start && distanceMeters(start, city.center)).toBeGreaterThan(2000)
  })
})
