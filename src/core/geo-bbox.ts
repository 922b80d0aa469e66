/**
 * Bounding boxes of GeoJSON geometries, for spatial index prefilters.
 *
 * @example
 *   geometryBbox({ type: 'Point', coordinates: [11.3, 46.5] }) // [11.3, 46.5, 11.3, 46.5]
 */
import { IRI, type Entity, type GeoJsonGeometry } from './ngsi.js'

/** [minLon, minLat, maxLon, maxLat] */
export type Bbox = [number, number, number, number]

export function geometryBbox(g: GeoJsonGeometry): Bbox | undefined {
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity]
  visit(g.coordinates, box)
  return box[0] <= box[2] ? box : undefined
}

function visit(c: unknown, box: Bbox): void {
  if (!Array.isArray(c)) return
  if (typeof c[0] === 'number' && typeof c[1] === 'number') {
    const [x, y] = c as [number, number]
    if (x < box[0]) box[0] = x
    if (y < box[1]) box[1] = y
    if (x > box[2]) box[2] = x
    if (y > box[3]) box[3] = y
    return
  }
  for (const child of c) visit(child, box)
}

/** Grows a box by a distance in metres (generously: a prefilter must not lose matches). */
export function expandBbox(box: Bbox, metres: number): Bbox {
  const dLat = metres / 110_000
  const lat = Math.max(Math.abs(box[1]), Math.abs(box[3]))
  const cos = Math.max(Math.cos((Math.min(lat, 89) * Math.PI) / 180), 0.01)
  const dLon = metres / (110_000 * cos)
  return [box[0] - dLon, box[1] - dLat, box[2] + dLon, box[3] + dLat]
}

export function isGeometry(v: unknown): v is GeoJsonGeometry {
  if (v === null || typeof v !== 'object') return false
  const t = (v as { type?: unknown }).type
  return (
    (t === 'Point' ||
      t === 'MultiPoint' ||
      t === 'LineString' ||
      t === 'MultiLineString' ||
      t === 'Polygon' ||
      t === 'MultiPolygon') &&
    Array.isArray((v as { coordinates?: unknown }).coordinates)
  )
}

/** The box around every instance of an entity's `location`, or undefined when it has none. */
export function locationBbox(attrs: Entity['attrs']): Bbox | undefined {
  let box: Bbox | undefined
  for (const inst of attrs[IRI.location] ?? []) {
    if (!isGeometry(inst.value)) continue
    const b = geometryBbox(inst.value)
    if (!b) continue
    box = box
      ? [
          Math.min(box[0], b[0]),
          Math.min(box[1], b[1]),
          Math.max(box[2], b[2]),
          Math.max(box[3], b[3]),
        ]
      : b
  }
  return box
}
