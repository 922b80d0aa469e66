/**
 * Checks GeoJSON geometry coordinates (lon,lat order) for geoqueries and for stored GeoProperty
 * values, closing polygon rings that were left open so the geo relations see valid rings.
 */
import type { GeoJsonGeometry } from '../../core/ngsi.js'

export const GEOMETRY_TYPES = [
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
] as const
export type GeometryType = (typeof GEOMETRY_TYPES)[number]

export function isGeometryType(type: unknown): type is GeometryType {
  return (GEOMETRY_TYPES as readonly unknown[]).includes(type)
}

class ShapeError extends Error {}

/** The checked geometry, or a message naming the first thing wrong with its coordinates. */
export function toGeometry(type: GeometryType, coordinates: unknown): GeoJsonGeometry | string {
  const at = 'coordinates'
  try {
    switch (type) {
      case 'Point':
        return { type, coordinates: position(coordinates, at) }
      case 'MultiPoint':
        return { type, coordinates: positions(coordinates, at, 1) }
      case 'LineString':
        return { type, coordinates: positions(coordinates, at, 2) }
      case 'MultiLineString':
        return {
          type,
          coordinates: list(coordinates, at).map((l, i) => positions(l, `${at}[${i}]`, 2)),
        }
      case 'Polygon':
        return { type, coordinates: polygon(coordinates, at) }
      case 'MultiPolygon':
        return { type, coordinates: list(coordinates, at).map((p, i) => polygon(p, `${at}[${i}]`)) }
    }
  } catch (err) {
    if (err instanceof ShapeError) return err.message
    throw err
  }
}

/** A stored GeoProperty value as a usable geometry, or undefined (never throws). */
export function readGeometry(value: unknown): GeoJsonGeometry | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown }
  if (!isGeometryType(type)) return undefined
  const geometry = toGeometry(type, coordinates)
  return typeof geometry === 'string' ? undefined : geometry
}

function list(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0) throw new ShapeError(`${at} must be a non-empty array`)
  return v as unknown[]
}

function position(v: unknown, at: string): number[] {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3) {
    throw new ShapeError(`${at} must be a position [longitude, latitude] or [lon, lat, altitude]`)
  }
  if (!v.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new ShapeError(`${at} must contain only numbers`)
  }
  const [lon, lat] = v as number[]
  if (Math.abs(lon!) > 180 || Math.abs(lat!) > 90) {
    throw new ShapeError(`${at} is out of range (longitude -180..180, latitude -90..90)`)
  }
  return v as number[]
}

function positions(v: unknown, at: string, min: number): number[][] {
  const items = list(v, at).map((p, i) => position(p, `${at}[${i}]`))
  if (items.length < min) throw new ShapeError(`${at} needs at least ${min} positions`)
  return items
}

/** Rings left open are closed; repeated vertices are accepted (the conformance suite uses them). */
function polygon(v: unknown, at: string): number[][][] {
  return list(v, at).map((r, i) => {
    const ring = positions(r, `${at}[${i}]`, 3)
    const first = ring[0]!
    const last = ring.at(-1)!
    const closed = first.length === last.length && first.every((n, k) => n === last[k])
    const result = closed ? ring : [...ring, first]
    if (result.length < 4) throw new ShapeError(`${at}[${i}] needs at least 3 distinct positions`)
    return result
  })
}
