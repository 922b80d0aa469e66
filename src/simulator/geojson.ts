/**
 * The few GeoJSON (RFC 7946) types the simulator emits: Points, LineStrings and Polygons in
 * Features and FeatureCollections. Positions are [longitude, latitude] in WGS84.
 *
 * @example
 *   const p: Point = { type: 'Point', coordinates: [11.3, 46.5] }
 */
export type Position = [number, number]

export interface Point {
  type: 'Point'
  coordinates: Position
}

export interface LineString {
  type: 'LineString'
  coordinates: Position[]
}

/** First ring is the exterior (counter-clockwise), the others are holes; every ring is closed. */
export interface Polygon {
  type: 'Polygon'
  coordinates: Position[][]
}

export type Geometry = Point | LineString | Polygon

export interface Feature<G extends Geometry = Geometry, P = Record<string, unknown>> {
  type: 'Feature'
  id?: string
  geometry: G
  properties: P
}

export interface FeatureCollection<G extends Geometry = Geometry, P = Record<string, unknown>> {
  type: 'FeatureCollection'
  features: Feature<G, P>[]
}
