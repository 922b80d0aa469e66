/**
 * Small planar geometry on WGS84 positions, good for a few kilometres around one place: metre
 * offsets, distances, point-in-polygon and walking along a line.
 *
 * @example
 *   const p = offsetMeters([11.3, 46.5], 500, 0) // 500 m east
 *   pointInPolygon(p, district.geometry)
 */
import type { Polygon, Position } from './geojson.js'
import type { Rng } from './prng.js'

const METERS_PER_DEGREE_LAT = 111_320

function metersPerDegreeLon(lat: number): number {
  return METERS_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180)
}

/** Rounds to 6 decimals (≈ 0.1 m): enough for a map, and keeps the output stable and small. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6
}

/** The position `dx` metres east and `dy` metres north of `origin`. */
export function offsetMeters(origin: Position, dx: number, dy: number): Position {
  return [
    round6(origin[0] + dx / metersPerDegreeLon(origin[1])),
    round6(origin[1] + dy / METERS_PER_DEGREE_LAT),
  ]
}

/** Metres east and north of `origin` (equirectangular: fine at city scale). */
export function toMeters(origin: Position, p: Position): [number, number] {
  return [
    (p[0] - origin[0]) * metersPerDegreeLon(origin[1]),
    (p[1] - origin[1]) * METERS_PER_DEGREE_LAT,
  ]
}

export function distanceMeters(a: Position, b: Position): number {
  const [dx, dy] = toMeters(a, b)
  return Math.hypot(dx, dy)
}

/** Ray casting; points exactly on an edge may fall either way. */
export function pointInRing(p: Position, ring: readonly Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]
    const b = ring[j]
    if (a === undefined || b === undefined) continue
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]
      if (p[0] < x) inside = !inside
    }
  }
  return inside
}

export function pointInPolygon(p: Position, polygon: Polygon): boolean {
  const [outer, ...holes] = polygon.coordinates
  if (outer === undefined || !pointInRing(p, outer)) return false
  return !holes.some((hole) => pointInRing(p, hole))
}

/** Shoelace area in square degrees: positive when the ring runs counter-clockwise. */
export function signedArea(ring: readonly Position[]): number {
  let sum = 0
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i]
    const b = ring[i + 1]
    if (a === undefined || b === undefined) continue
    sum += a[0] * b[1] - b[0] * a[1]
  }
  return sum / 2
}

export function isClosedRing(ring: readonly Position[]): boolean {
  const first = ring[0]
  const last = ring[ring.length - 1]
  return (
    ring.length >= 4 &&
    first !== undefined &&
    last !== undefined &&
    first[0] === last[0] &&
    first[1] === last[1]
  )
}

export function boundingBox(ring: readonly Position[]): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of ring) {
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x)
    maxY = Math.max(maxY, y)
  }
  return [minX, minY, maxX, maxY]
}

/** A uniformly random point inside the polygon (rejection sampling in its bounding box). */
export function randomPointInPolygon(rng: Rng, polygon: Polygon): Position {
  const outer = polygon.coordinates[0] ?? []
  const [minX, minY, maxX, maxY] = boundingBox(outer)
  for (let i = 0; i < 1000; i++) {
    const p: Position = [round6(rng.range(minX, maxX)), round6(rng.range(minY, maxY))]
    if (pointInPolygon(p, polygon)) return p
  }
  throw new Error('randomPointInPolygon: polygon too thin to sample')
}

export function lineLength(line: readonly Position[]): number {
  let total = 0
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]
    const b = line[i]
    if (a !== undefined && b !== undefined) total += distanceMeters(a, b)
  }
  return total
}

/**
 * The position at `fraction` (0–1) of the way along the line, pushed `side` metres to the left of
 * the direction of travel (negative = right): e.g. a lamp post beside the carriageway.
 */
export function pointAlongLine(line: readonly Position[], fraction: number, side = 0): Position {
  const target = lineLength(line) * Math.min(1, Math.max(0, fraction))
  let walked = 0
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]
    const b = line[i]
    if (a === undefined || b === undefined) continue
    const step = distanceMeters(a, b)
    if (walked + step >= target || i === line.length - 1) {
      const f = step === 0 ? 0 : Math.min(1, (target - walked) / step)
      const [dx, dy] = toMeters(a, b)
      const norm = Math.hypot(dx, dy) || 1
      return offsetMeters(a, dx * f - (dy / norm) * side, dy * f + (dx / norm) * side)
    }
    walked += step
  }
  const only = line[0]
  if (only === undefined) throw new Error('pointAlongLine: empty line')
  return only
}
