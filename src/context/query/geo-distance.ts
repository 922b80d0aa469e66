/**
 * Great-circle distance in metres from a point to any geometry: to the nearest vertex or edge,
 * and 0 inside a polygon. Used by the `near` georel.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import distance from '@turf/distance'
import { earthRadius } from '@turf/helpers'
import type { GeoJsonGeometry } from '../../core/ngsi.js'

export function distanceToGeometry(from: number[], geometry: GeoJsonGeometry): number {
  switch (geometry.type) {
    case 'Point':
      return pointDistance(from, geometry.coordinates)
    case 'MultiPoint':
      return Math.min(...geometry.coordinates.map((p) => pointDistance(from, p)))
    case 'LineString':
      return lineDistance(from, geometry.coordinates)
    case 'MultiLineString':
      return Math.min(...geometry.coordinates.map((l) => lineDistance(from, l)))
    case 'Polygon':
      return polygonDistance(from, geometry.coordinates)
    case 'MultiPolygon':
      return Math.min(...geometry.coordinates.map((p) => polygonDistance(from, p)))
  }
}

function pointDistance(a: number[], b: number[]): number {
  return distance(lonLat(a), lonLat(b), { units: 'meters' })
}

function lineDistance(from: number[], line: number[][]): number {
  let best = Infinity
  for (let i = 0; i < line.length; i++) {
    const a = line[i]!
    const b = line[i + 1]
    best = Math.min(best, b === undefined ? pointDistance(from, a) : segmentDistance(from, a, b))
  }
  return best
}

function polygonDistance(from: number[], rings: number[][][]): number {
  // Inside the outer ring and outside every hole: distance 0 (boundary counts as inside).
  if (booleanPointInPolygon(lonLat(from), { type: 'Polygon', coordinates: rings })) return 0
  return Math.min(...rings.map((r) => lineDistance(from, r)))
}

/** Point to great-circle segment a→b: cross-track distance if the foot falls on the segment. */
function segmentDistance(p: number[], a: number[], b: number[]): number {
  const d13 = angle(a, p)
  const d12 = angle(a, b)
  if (d12 === 0 || d13 === 0) return d13 * earthRadius
  const delta = bearing(a, p) - bearing(a, b)
  // Behind a (angle over 90°): a is the nearest point of the segment.
  if (Math.cos(delta) < 0) return d13 * earthRadius
  const crossTrack = Math.asin(Math.sin(d13) * Math.sin(delta))
  const alongTrack = Math.acos(clamp(Math.cos(d13) / Math.cos(crossTrack)))
  if (alongTrack > d12) return angle(b, p) * earthRadius
  return Math.abs(crossTrack) * earthRadius
}

/** Haversine central angle in radians. */
function angle(a: number[], b: number[]): number {
  const [l1, p1] = radians(a)
  const [l2, p2] = radians(b)
  const h =
    Math.sin((p2 - p1) / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin((l2 - l1) / 2) ** 2
  return 2 * Math.asin(Math.sqrt(clamp(h)))
}

function bearing(a: number[], b: number[]): number {
  const [l1, p1] = radians(a)
  const [l2, p2] = radians(b)
  const y = Math.sin(l2 - l1) * Math.cos(p2)
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(l2 - l1)
  return Math.atan2(y, x)
}

function radians(p: number[]): [number, number] {
  return [((p[0] ?? 0) * Math.PI) / 180, ((p[1] ?? 0) * Math.PI) / 180]
}

/** Drops altitude: distances are measured on the surface. */
function lonLat(p: number[]): [number, number] {
  return [p[0] ?? 0, p[1] ?? 0]
}

function clamp(x: number): number {
  return Math.max(-1, Math.min(1, x))
}
