/**
 * The shapes the dashboard reads from the server, as the API documents them. Only types: the
 * few runtime checks live next to the code that parses untrusted input (entity-events.ts).
 */
import type { FeatureCollection, Geometry } from 'geojson'
import type { Device } from '../../../src/core/device.js'

export interface DistrictProps {
  name: string
  population?: number
  kind?: string
}

export type RoadClass = 'primary' | 'secondary' | 'residential' | 'track'

export interface RoadProps {
  name?: string
  class: RoadClass
}

export interface City {
  name: string
  /** [lon, lat], GeoJSON order. */
  center: [number, number]
  zoom: number
  /** Raster tile URL template, or null when the deployment has no base map. */
  tileUrl: string | null
  /** HTML from the server's config (e.g. the OpenStreetMap credit with its link). */
  tileAttribution: string
  districts: FeatureCollection<Geometry, DistrictProps>
  roads: FeatureCollection<Geometry, RoadProps>
}

export type Health = 'ok' | 'stale' | 'silent' | 'never'

/** A device as GET /api/v1/devices shows it: the registry's Device without tenant and secret. */
export type DeviceSummary = Omit<Device, 'tenant' | 'secretHash'> & { health: Health }

export interface DevicePage {
  total: number
  items: DeviceSummary[]
}

/** An NGSI-LD entity in keyValues form: attribute name → plain value. */
export interface EntityKV {
  id: string
  type: string
  [attr: string]: unknown
}

export interface History {
  attr: string
  unitCode?: string
  /** [epoch ms, value], already downsampled by the server. */
  points: Array<[number, number]>
}
