/**
 * The demo city "Civitas Nova" (≈ 60,000 inhabitants) and the village "Valmora", generated from a
 * seed: district polygons that tile the city like a map, and a named road network.
 *
 * @example
 *   const city = createCity(7)
 *   city.districts.features.map((f) => f.properties.name)
 */
import {
  CENTRE_DISTRICT,
  CITY_NAME,
  DENSITY,
  OUTER_DISTRICTS,
  VILLAGE_NAME,
  type DistrictTemplate,
  type LandUse,
} from './city-names.js'
import { createRoads } from './city-roads.js'
import type { Feature, FeatureCollection, LineString, Polygon, Position } from './geojson.js'
import { offsetMeters, signedArea, toMeters } from './geometry.js'
import { createRng, type Rng } from './prng.js'

export type { LandUse } from './city-names.js'

export interface DistrictProperties {
  name: string
  population: number
  kind: 'city' | 'village'
  /** What the district is mostly used for; the fleet planner places devices by it. */
  landUse: LandUse
}

export type RoadClass = 'primary' | 'secondary' | 'residential' | 'track'

export interface RoadProperties {
  name: string
  class: RoadClass
}

export type DistrictFeature = Feature<Polygon, DistrictProperties>
export type RoadFeature = Feature<LineString, RoadProperties>

export interface CityModel {
  name: string
  /** [lon, lat] of the main square. */
  center: [number, number]
  /** A web-map zoom level that shows the city and the village. */
  zoom: number
  districts: FeatureCollection<Polygon, DistrictProperties>
  roads: FeatureCollection<LineString, RoadProperties>
}

/** The radial layout the road generator follows. */
export interface CityLayout {
  center: Position
  village: { center: Position; radius: number }
  /** Radius (m) of the old-town boundary and of the city edge at a given angle (radians). */
  innerRadius: (angle: number) => number
  outerRadius: (angle: number) => number
  /** Angles (radians, ascending, first in [0, 2π)) where outer districts meet. */
  sectorAngles: number[]
}

export const DEFAULT_CITY_SEED = 20_240_601
const CENTER: Position = [11.3, 46.5]
const TARGET_POPULATION = 60_000
const TAU = 2 * Math.PI

export function createCity(seed: number = DEFAULT_CITY_SEED): CityModel {
  const rng = createRng(seed)
  const layout = createLayout(rng)
  const districts = createDistricts(rng, layout)
  const roads = createRoads(rng, layout, districts)
  return {
    name: CITY_NAME,
    center: [CENTER[0], CENTER[1]],
    zoom: 13,
    districts: { type: 'FeatureCollection', features: districts },
    roads: { type: 'FeatureCollection', features: roads },
  }
}

/** A wobbly circle: a base radius modulated by a few seeded harmonics. */
function wobbly(rng: Rng, base: number, amplitudes: number[]): (angle: number) => number {
  const harmonics = amplitudes.map((a, i) => ({ a, k: i + 1, phase: rng.range(0, TAU) }))
  return (angle) =>
    base * (1 + harmonics.reduce((s, h) => s + h.a * Math.sin(h.k * angle + h.phase), 0))
}

function createLayout(rng: Rng): CityLayout {
  const innerRadius = wobbly(rng, 720, [0.04, 0.1, 0.05])
  const outerRadius = wobbly(rng, 2500, [0.12, 0.07, 0.05])
  const n = OUTER_DISTRICTS.length
  const start = rng.range(-0.15, 0.15)
  const sectorAngles = Array.from({ length: n }, (_, i) => {
    const a = start + (i * TAU) / n + rng.range(-0.12, 0.12)
    return (a + TAU) % TAU
  }).sort((a, b) => a - b)
  const villageAngle = rng.range(0.25, 0.5) // east-north-east, up the valley
  const villageDistance = rng.range(5000, 5600)
  const village = {
    center: offsetMeters(
      CENTER,
      villageDistance * Math.cos(villageAngle),
      villageDistance * Math.sin(villageAngle),
    ),
    radius: rng.range(380, 480),
  }
  return { center: CENTER, village, innerRadius, outerRadius, sectorAngles }
}

function polar(origin: Position, r: number, angle: number): Position {
  return offsetMeters(origin, r * Math.cos(angle), r * Math.sin(angle))
}

/**
 * Samples a closed curve once, at regular steps plus the given break angles, so that districts
 * sharing an edge share the very same vertices.
 */
function sampleCurve(
  origin: Position,
  radius: (a: number) => number,
  breaks: number[],
  step: number,
): { points: Position[]; breakIndex: number[] } {
  const first = breaks[0] ?? 0
  const angles = new Set<number>()
  for (let a = first; a < first + TAU - step / 2; a += step) angles.add(a)
  for (const b of breaks) angles.add(b < first ? b + TAU : b)
  const sorted = [...angles].sort((a, b) => a - b)
  const points = sorted.map((a) => polar(origin, radius(a), a))
  const breakIndex = breaks.map((b) => sorted.indexOf(b < first ? b + TAU : b))
  return { points, breakIndex }
}

/** Points i (exclusive) to j (exclusive) going forward around a closed sample list. */
function between(points: Position[], i: number, j: number): Position[] {
  const out: Position[] = []
  for (let k = (i + 1) % points.length; k !== j; k = (k + 1) % points.length) {
    const p = points[k]
    if (p !== undefined) out.push(p)
  }
  return out
}

function createDistricts(rng: Rng, layout: CityLayout): Feature<Polygon, DistrictProperties>[] {
  const { center, sectorAngles } = layout
  const inner = sampleCurve(center, layout.innerRadius, sectorAngles, TAU / 60)
  const outer = sampleCurve(center, layout.outerRadius, sectorAngles, TAU / 72)

  // The edge between two outer districts: a slightly wandering line from old town to city edge.
  const edges = sectorAngles.map((a, i) => {
    const start = inner.points[inner.breakIndex[i] ?? 0] as Position
    const end = outer.points[outer.breakIndex[i] ?? 0] as Position
    const rIn = layout.innerRadius(a)
    const rOut = layout.outerRadius(a)
    const middle = [0.25, 0.5, 0.75].map((f) =>
      polar(center, rIn + (rOut - rIn) * f, a + rng.range(-0.035, 0.035)),
    )
    return [start, ...middle, end]
  })

  const shapes: { template: DistrictTemplate; ring: Position[] }[] = [
    { template: CENTRE_DISTRICT, ring: [...inner.points] },
  ]
  const n = sectorAngles.length
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n
    const edgeI = edges[i] ?? []
    const edgeJ = edges[j] ?? []
    const ring = [
      ...edgeI,
      ...between(outer.points, outer.breakIndex[i] ?? 0, outer.breakIndex[j] ?? 0),
      ...[...edgeJ].reverse(),
      ...between(
        [...inner.points].reverse(),
        inner.points.length - 1 - (inner.breakIndex[j] ?? 0),
        inner.points.length - 1 - (inner.breakIndex[i] ?? 0),
      ),
    ]
    shapes.push({
      template: OUTER_DISTRICTS[i] ?? { name: `Quartiere ${i + 1}`, landUse: 'mixed' },
      ring,
    })
  }

  const villageRadius = wobbly(rng, layout.village.radius, [0.08, 0.1, 0.05, 0.03])
  const villageRing = Array.from({ length: 36 }, (_, k) => {
    const a = (k * TAU) / 36
    return polar(layout.village.center, villageRadius(a), a)
  })
  shapes.push({ template: { name: VILLAGE_NAME, landUse: 'village' }, ring: villageRing })

  const weights = shapes.map((s) => areaKm2(s.ring) * DENSITY[s.template.landUse])
  const cityWeight = weights.slice(0, -1).reduce((a, b) => a + b, 0)
  return shapes.map((s, k) => {
    const village = s.template.landUse === 'village'
    const population = village
      ? Math.round(rng.range(900, 1500) / 10) * 10
      : Math.round((((weights[k] ?? 0) / cityWeight) * TARGET_POPULATION) / 10) * 10
    const ring = closeRing(s.ring)
    return {
      type: 'Feature',
      id: slug(s.template.name),
      geometry: { type: 'Polygon', coordinates: [ring] },
      properties: {
        name: s.template.name,
        population,
        kind: village ? 'village' : 'city',
        landUse: s.template.landUse,
      },
    }
  })
}

function closeRing(ring: Position[]): Position[] {
  const first = ring[0]
  const closed = first === undefined ? ring : [...ring, [first[0], first[1]] as Position]
  return signedArea(closed) < 0 ? closed.reverse() : closed
}

function areaKm2(ring: Position[]): number {
  const origin = ring[0] ?? CENTER
  const pts = ring.map((p) => toMeters(origin, p))
  let sum = 0
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i] ?? [0, 0]
    const b = pts[(i + 1) % pts.length] ?? [0, 0]
    sum += a[0] * b[1] - b[0] * a[1]
  }
  return Math.abs(sum) / 2 / 1e6
}

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
