/**
 * Plans the demo fleet: which devices exist, where they stand and how they talk. Placement follows
 * what a city would do: parking bays in rows along central roads, counters on main roads, water
 * meters where people live, bins everywhere including the village.
 *
 * @example
 *   const specs = planFleet(createCity(), { devices: 600 })
 *   specs.filter((d) => d.profile === 'weather').length // 3
 */
import type { Connectivity } from '../core/device.js'
import type { CityModel, DistrictFeature, LandUse, RoadClass, RoadFeature } from './city.js'
import { DEFAULT_CITY_SEED } from './city.js'
import type { Position } from './geojson.js'
import { lineLength, pointAlongLine, pointInPolygon, randomPointInPolygon } from './geometry.js'
import { createRng, hashInts, type Rng } from './prng.js'

export interface DeviceSpec {
  id: string
  profile: string
  name: string
  location: { lon: number; lat: number }
  connectivity: Connectivity
  /** Name of the district the device stands in. */
  district: string
}

interface ProfilePlan {
  profile: string
  prefix: string
  label: string
  /** Share of the devices left after the fixed-count profiles. */
  weight: number
}

/** Profiles whose count is a share of the fleet; air-quality and weather are added apart. */
const SHARED: readonly ProfilePlan[] = [
  { profile: 'parking-spot', prefix: 'pk', label: 'Parking bay', weight: 0.3 },
  { profile: 'waste-container', prefix: 'wc', label: 'Waste container', weight: 0.2 },
  { profile: 'streetlight', prefix: 'sl', label: 'Streetlight', weight: 0.2 },
  { profile: 'water-meter', prefix: 'wm', label: 'Water meter', weight: 0.15 },
  { profile: 'noise', prefix: 'ns', label: 'Noise monitor', weight: 0.05 },
  { profile: 'traffic-flow', prefix: 'tf', label: 'Traffic counter', weight: 0.05 },
]

export const DEFAULT_FLEET_SIZE = 600

/** How many devices of each profile a fleet of `devices` gets (largest-remainder rounding). */
export function fleetComposition(devices: number): Map<string, number> {
  const weather = devices >= 100 ? 3 : Math.min(2, devices)
  const air = Math.min(devices - weather, Math.max(1, Math.round(devices * 0.012)))
  const rest = Math.max(0, devices - weather - air)
  const total = SHARED.reduce((s, p) => s + p.weight, 0)
  const exact = SHARED.map((p) => (rest * p.weight) / total)
  const counts = exact.map(Math.floor)
  let left = rest - counts.reduce((a, b) => a + b, 0)
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac)
  for (const { i } of order) {
    if (left-- <= 0) break
    counts[i] = (counts[i] ?? 0) + 1
  }
  const out = new Map<string, number>()
  SHARED.forEach((p, i) => out.set(p.profile, counts[i] ?? 0))
  out.set('air-quality', Math.max(0, air))
  out.set('weather', weather)
  return out
}

interface Placement {
  p: Position
  district: DistrictFeature
  /** Set when the device stands beside a road: which one, how far along (0–1), which kerb (m). */
  road?: RoadFeature
  along?: { fraction: number; side: number }
}

export function planFleet(city: CityModel, opts: { devices: number; seed?: number }): DeviceSpec[] {
  const rng = createRng(hashInts(opts.seed ?? DEFAULT_CITY_SEED, 0xf1ee7))
  const counts = fleetComposition(opts.devices)
  const place = createPlacer(city, rng)
  const specs: DeviceSpec[] = []
  const numbers = new Map<string, number>()
  /** Adds a device; names shared by many devices (one per street) get a running number. */
  const add = (prefix: string, profile: string, name: string, at: Placement, c: Connectivity) => {
    const n = (numbers.get(profile) ?? 0) + 1
    numbers.set(profile, n)
    const unique = profile === 'air-quality' || profile === 'weather'
    const k = (numbers.get(name) ?? 0) + 1
    numbers.set(name, k)
    specs.push({
      id: `${prefix}-${String(n).padStart(4, '0')}`,
      profile,
      name: unique ? name : `${name} ${k}`,
      location: { lon: at.p[0], lat: at.p[1] },
      connectivity: c,
      district: at.district.properties.name,
    })
  }
  const roadName = (at: Placement) => at.road?.properties.name ?? at.district.properties.name
  const isVillage = (at: Placement) => at.district.properties.kind === 'village'

  // Parking bays come in rows of 4–10 along central roads.
  for (let left = counts.get('parking-spot') ?? 0; left > 0;) {
    const anchor = place.onRoad(
      ['primary', 'secondary', 'residential'],
      ['centre', 'commercial', 'mixed'],
      5,
    )
    const row = Math.min(left, rng.int(4, 10))
    for (let k = 0; k < row; k++) {
      const at = place.near(anchor, k * 6)
      if (at === undefined) break
      add(
        'pk',
        'parking-spot',
        `Parking bay ${roadName(at)}`,
        at,
        rng.chance(0.8) ? 'lorawan' : 'nb-iot',
      )
      left--
    }
  }
  const urban: LandUse[] = ['centre', 'commercial', 'mixed', 'residential', 'industrial']
  // One station per district, the old town first (the reference site), then by population.
  const stationDistricts = city.districts.features
    .filter((d) => d.properties.kind === 'city')
    .sort(
      (a, b) =>
        Number(b.properties.landUse === 'centre') - Number(a.properties.landUse === 'centre') ||
        b.properties.population - a.properties.population,
    )
  for (let i = 0; i < (counts.get('air-quality') ?? 0); i++) {
    const target = stationDistricts[i % stationDistricts.length]
    const at = place.onRoad(['primary', 'secondary'], (d) => d === target, 12)
    const suffix =
      i >= stationDistricts.length ? ` ${Math.floor(i / stationDistricts.length) + 1}` : ''
    add(
      'aq',
      'air-quality',
      `Air quality station ${at.district.properties.name}${suffix}`,
      at,
      i === 3 ? '4g' : 'ethernet',
    )
  }
  for (let i = 0; i < (counts.get('noise') ?? 0); i++) {
    const at = place.onRoad(['primary', 'secondary'], urban, 10)
    add(
      'ns',
      'noise',
      `Noise monitor ${roadName(at)}`,
      at,
      rng.pick(['nb-iot', 'lte-m', 'wifi'] as const),
    )
  }
  for (let i = 0; i < (counts.get('traffic-flow') ?? 0); i++) {
    const at = place.onRoad(['primary'], urban, 2)
    add('tf', 'traffic-flow', `Traffic counter ${roadName(at)}`, at, rng.chance(0.85) ? '4g' : '5g')
  }
  const villageShare = Math.max(1, Math.round((counts.get('waste-container') ?? 0) * 0.06))
  for (let i = 0; i < (counts.get('waste-container') ?? 0); i++) {
    const at =
      i < villageShare ? place.inUse(['village'], true) : place.inUse(urban, rng.chance(0.7))
    add(
      'wc',
      'waste-container',
      `Waste container ${roadName(at)}`,
      at,
      isVillage(at) || rng.chance(0.7) ? 'lorawan' : 'nb-iot',
    )
  }
  for (let i = 0; i < (counts.get('streetlight') ?? 0); i++) {
    const at = place.onRoad(['primary', 'secondary', 'residential'], [...urban, 'village'], 8)
    add(
      'sl',
      'streetlight',
      `Streetlight ${roadName(at)}`,
      at,
      isVillage(at) || rng.chance(0.5) ? 'lorawan' : 'lte-m',
    )
  }
  for (let i = 0; i < (counts.get('water-meter') ?? 0); i++) {
    const at = place.inUse(['residential', 'mixed', 'centre', 'village'], false)
    add(
      'wm',
      'water-meter',
      `Water meter ${at.district.properties.name}`,
      at,
      isVillage(at) || rng.chance(0.75) ? 'lorawan' : 'nb-iot',
    )
  }
  const weatherSites: LandUse[][] = [['village'], ['centre'], ['industrial', 'commercial']]
  for (let i = 0; i < (counts.get('weather') ?? 0); i++) {
    const at = place.inUse(weatherSites[i] ?? urban, false)
    add(
      'ws',
      'weather',
      `Weather station ${at.district.properties.name}`,
      at,
      isVillage(at) ? 'satellite' : 'ethernet',
    )
  }
  return specs
}

/** Which districts a device may go to: by land use, or any test on the district. */
type DistrictFilter = LandUse[] | ((d: DistrictFeature) => boolean)

function matches(where: DistrictFilter): (d: DistrictFeature) => boolean {
  return typeof where === 'function' ? where : (d) => where.includes(d.properties.landUse)
}

function createPlacer(city: CityModel, rng: Rng) {
  const districts = city.districts.features
  const roads = city.roads.features.map((road) => ({
    road,
    length: lineLength(road.geometry.coordinates),
  }))
  const districtAt = (p: Position) => districts.find((d) => pointInPolygon(p, d.geometry))

  /** A random point beside a road of the given classes, inside a matching district. */
  const onRoad = (classes: RoadClass[], where: DistrictFilter, side: number): Placement => {
    const accept = matches(where)
    const pool = roads.filter((r) => classes.includes(r.road.properties.class))
    const total = pool.reduce((s, r) => s + r.length, 0)
    for (let attempt = 0; attempt < 2000; attempt++) {
      let x = rng.range(0, total)
      const pick = pool.find((r) => (x -= r.length) < 0) ?? pool[0]
      if (pick === undefined) break
      const along = { fraction: rng.next(), side: rng.chance(0.5) ? side : -side }
      const p = pointAlongLine(pick.road.geometry.coordinates, along.fraction, along.side)
      const district = districtAt(p)
      if (district !== undefined && accept(district)) {
        return { p, district, road: pick.road, along }
      }
    }
    return inUse(where, false)
  }

  /** A point in a matching district, chosen by population; `street` puts it beside a street. */
  const inUse = (where: DistrictFilter, street: boolean): Placement => {
    const pool = districts.filter(matches(where))
    const total = pool.reduce((s, d) => s + d.properties.population, 0)
    let x = rng.range(0, total)
    const district = pool.find((d) => (x -= d.properties.population) < 0) ?? pool[0] ?? districts[0]
    if (district === undefined) throw new Error('planFleet: the city has no districts')
    if (street) {
      const inside = roads.filter((r) =>
        r.road.geometry.coordinates.some((q) => pointInPolygon(q, district.geometry)),
      )
      for (let attempt = 0; attempt < 50 && inside.length > 0; attempt++) {
        const road = rng.pick(inside).road
        const along = { fraction: rng.next(), side: rng.range(-7, 7) }
        const p = pointAlongLine(road.geometry.coordinates, along.fraction, along.side)
        if (pointInPolygon(p, district.geometry)) return { p, district, road, along }
      }
    }
    return { p: randomPointInPolygon(rng, district.geometry), district }
  }

  /** The next bay in a row: `metres` further along the anchor's road, same kerb. */
  const near = (anchor: Placement, metres: number): Placement | undefined => {
    if (metres === 0) return anchor
    const { road, along } = anchor
    if (road === undefined || along === undefined) return undefined
    const line = road.geometry.coordinates
    const fraction = along.fraction + metres / lineLength(line)
    if (fraction > 1) return undefined
    const p = pointAlongLine(line, fraction, along.side)
    const district = districtAt(p)
    return district === anchor.district
      ? { p, district, road, along: { ...along, fraction } }
      : undefined
  }
  return { onRoad, inUse, near }
}
