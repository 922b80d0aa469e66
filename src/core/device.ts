/**
 * Devices: the things that send measurements, each feeding one NGSI-LD entity.
 *
 * @example
 *   const p = BUILTIN_PROFILES.get('generic') // accepts any measurement
 */
export const CONNECTIVITY = [
  'lorawan',
  'nb-iot',
  'lte-m',
  '4g',
  '5g',
  'wifi',
  'ethernet',
  'satellite',
] as const
export type Connectivity = (typeof CONNECTIVITY)[number]

export type MeasurementKind = 'number' | 'string' | 'boolean' | 'object' | 'array'

export interface MeasurementSpec {
  kind: MeasurementKind
  /** UN/CEFACT common code, e.g. CEL, GQ (µg/m³), 2N (dB). */
  unitCode?: string
  min?: number
  max?: number
  /** For strings: the allowed values. */
  enum?: readonly string[]
}

/** A device profile says which Smart Data Models entity type a device feeds and what it may send. */
export interface DeviceProfile {
  name: string
  /** Short Smart Data Models type name, e.g. ParkingSpot. */
  entityType: string
  description: string
  measurements: Readonly<Record<string, MeasurementSpec>>
  /** When true, measurements not listed are accepted (kind inferred); `generic` does this. */
  acceptUnknown: boolean
}

export interface Device {
  tenant: string
  id: string
  profile: string
  name?: string
  entityId: string
  entityType: string
  location?: { lon: number; lat: number }
  connectivity?: Connectivity
  /** scrypt hash of the device secret: `scrypt$N$r$p$salt$hash` (base64). */
  secretHash: string
  createdAt: string
  lastSeenAt?: string
  messages: number
  rejected: number
  lastError?: { at: string; reason: string }
}

/** What provisioning hands back once: the only time the plain secret is visible. */
export interface ProvisionedDevice {
  id: string
  tenant: string
  profile: string
  secret: string
  entityId: string
  entityType: string
  topic: string
}

export function deviceTopic(tenant: string, id: string): string {
  return `civitas/${tenant}/devices/${id}/up`
}

export function defaultEntityId(entityType: string, deviceId: string): string {
  return `urn:ngsi-ld:${entityType}:${deviceId}`
}

/** Device ids double as MQTT usernames and topic levels, so keep them to a safe alphabet. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
