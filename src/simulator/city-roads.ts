/**
 * The road network of the demo city: radial main roads, the ring road around the old town, one
 * secondary arc per district, residential streets inside every district, the provincial road to
 * the village and a couple of tracks.
 *
 * @example
 *   const roads = createRoads(rng, layout, districts) // used by createCity()
 */
import type { CityLayout, DistrictFeature, RoadClass, RoadFeature } from './city.js'
import { PRIMARY_ROADS, RING_ROAD, STREET_NAMES, TRACKS, VILLAGE_ROAD } from './city-names.js'
import type { Position } from './geojson.js'
import { offsetMeters, pointInPolygon, toMeters } from './geometry.js'
import type { Rng } from './prng.js'

const TAU = 2 * Math.PI

function polar(origin: Position, r: number, angle: number): Position {
  return offsetMeters(origin, r * Math.cos(angle), r * Math.sin(angle))
}

function road(name: string, cls: RoadClass, coordinates: Position[]): RoadFeature {
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates },
    properties: { name, class: cls },
  }
}

export function createRoads(
  rng: Rng,
  layout: CityLayout,
  districts: DistrictFeature[],
): RoadFeature[] {
  const { center, sectorAngles } = layout
  const roads: RoadFeature[] = []
  const streetNames = shuffle(rng, STREET_NAMES)
  let nextStreet = 0
  const takeName = (): string => streetNames[nextStreet++ % streetNames.length] ?? 'Via Nuova'

  const villageDelta = toMeters(center, layout.village.center)
  const villageAngle = Math.atan2(villageDelta[1], villageDelta[0])

  // Radial main roads: one heads for the village, the others share the rest of the compass.
  const radialAngles = PRIMARY_ROADS.map((_, i) =>
    i === 0 ? villageAngle : villageAngle + (i * TAU) / PRIMARY_ROADS.length + rng.range(-0.2, 0.2),
  )
  let villageRoadStart: Position = center
  PRIMARY_ROADS.forEach((name, i) => {
    const a = radialAngles[i] ?? 0
    const end = layout.outerRadius(a) * 1.2
    const points: Position[] = []
    for (let r = 60; r < end; r += 280) points.push(polar(center, r, a + rng.range(-0.02, 0.02)))
    points.push(polar(center, end, a))
    if (i === 0) villageRoadStart = points[points.length - 1] ?? center
    roads.push(road(name, 'primary', points))
  })

  // The ring road follows the old walls just outside the centre.
  const ring: Position[] = []
  for (let k = 0; k < 90; k++) {
    const a = (k * TAU) / 90
    ring.push(polar(center, layout.innerRadius(a) * 1.1, a))
  }
  const firstRing = ring[0]
  if (firstRing !== undefined) ring.push(firstRing)
  roads.push(road(RING_ROAD, 'primary', ring))

  // One secondary arc through the middle of every outer district.
  sectorAngles.forEach((a, i) => {
    const next = sectorAngles[(i + 1) % sectorAngles.length] ?? a
    const b = next > a ? next : next + TAU
    // Together the arcs form an outer ring of boulevards, one named stretch per district.
    const from = a
    const to = b
    const arc: Position[] = []
    for (let k = 0; k <= 12; k++) {
      const t = from + ((to - from) * k) / 12
      const rIn = layout.innerRadius(t) * 1.1
      arc.push(polar(center, rIn + (layout.outerRadius(t) - rIn) * 0.5, t))
    }
    roads.push(road(takeName(), 'secondary', arc))
  })

  // Residential streets: short, gently bent, kept inside their district.
  for (const district of districts) {
    const { landUse } = district.properties
    const count = landUse === 'centre' ? 10 : landUse === 'village' ? 4 : 7
    const [minLen, maxLen] = landUse === 'centre' ? [180, 380] : [250, 650]
    for (let k = 0; k < count; k++) {
      const street = placeStreet(rng, district, layout, minLen, maxLen)
      if (street !== undefined) roads.push(road(takeName(), 'residential', street))
    }
  }

  roads.push(
    road(VILLAGE_ROAD, 'secondary', windingRoad(rng, villageRoadStart, layout.village.center)),
  )

  // Tracks: up the hill behind the village, and out of a residential district into the woods.
  const villageTrackEnd = offsetMeters(
    layout.village.center,
    rng.range(600, 900),
    rng.range(900, 1400),
  )
  roads.push(road(TRACKS[0], 'track', windingRoad(rng, layout.village.center, villageTrackEnd)))
  const woodsAngle = villageAngle + Math.PI * 0.6
  const woodsStart = polar(center, layout.outerRadius(woodsAngle) * 0.85, woodsAngle)
  const woodsEnd = polar(center, layout.outerRadius(woodsAngle) * 1.45, woodsAngle + 0.08)
  roads.push(road(TRACKS[1], 'track', windingRoad(rng, woodsStart, woodsEnd)))
  return roads
}

/** A country road between two points that swings gently from side to side. */
function windingRoad(rng: Rng, from: Position, to: Position): Position[] {
  const [dx, dy] = toMeters(from, to)
  const length = Math.hypot(dx, dy)
  const steps = Math.max(4, Math.round(length / 350))
  const amplitude = Math.min(180, length * 0.06)
  const phase = rng.range(0, TAU)
  const points: Position[] = [from]
  for (let k = 1; k < steps; k++) {
    const f = k / steps
    const side = amplitude * Math.sin(phase + f * 3 * Math.PI) * Math.sin(f * Math.PI)
    points.push(offsetMeters(from, dx * f - (dy / length) * side, dy * f + (dx / length) * side))
  }
  points.push(to)
  return points
}

function placeStreet(
  rng: Rng,
  district: DistrictFeature,
  layout: CityLayout,
  minLen: number,
  maxLen: number,
): Position[] | undefined {
  const polygon = district.geometry
  const outer = polygon.coordinates[0] ?? []
  const origin = outer[0] ?? layout.center
  const xs = outer.map((p) => toMeters(origin, p))
  const [minX, maxX] = [Math.min(...xs.map((p) => p[0])), Math.max(...xs.map((p) => p[0]))]
  const [minY, maxY] = [Math.min(...xs.map((p) => p[1])), Math.max(...xs.map((p) => p[1]))]
  const hub = district.properties.landUse === 'village' ? layout.village.center : layout.center
  for (let attempt = 0; attempt < 40; attempt++) {
    const mid = offsetMeters(origin, rng.range(minX, maxX), rng.range(minY, maxY))
    if (!pointInPolygon(mid, polygon)) continue
    // Streets run either towards the hub or across that direction, like a loose grid.
    const [hx, hy] = toMeters(hub, mid)
    const radial = Math.atan2(hy, hx)
    const heading = radial + (rng.chance(0.5) ? 0 : Math.PI / 2) + rng.range(-0.2, 0.2)
    const half = rng.range(minLen, maxLen) / 2
    const bend = rng.range(-0.12, 0.12) * half
    const ux = Math.cos(heading)
    const uy = Math.sin(heading)
    const points: Position[] = [
      offsetMeters(mid, -ux * half, -uy * half),
      offsetMeters(mid, -ux * half * 0.33 - uy * bend, -uy * half * 0.33 + ux * bend),
      offsetMeters(mid, ux * half * 0.33 - uy * bend, uy * half * 0.33 + ux * bend),
      offsetMeters(mid, ux * half, uy * half),
    ]
    if (points.every((p) => pointInPolygon(p, polygon))) return points
  }
  return undefined
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    const a = out[i] as T
    out[i] = out[j] as T
    out[j] = a
  }
  return out
}
