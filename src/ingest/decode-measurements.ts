/**
 * Decode and validate one device message against its profile: the only gate between the network
 * and storage. Everything it rejects gets a reason a device maker can act on.
 *
 * Values outside a profile's plausible min/max are kept (anomaly detection needs them); wrong kinds,
 * unknown names, bad timestamps and malformed JSON are rejected.
 *
 * @example
 *   decodeMeasurements(Buffer.from('{"no2": 41.5}'), profile, { now: Date.now(), maxMeasurements: 200 })
 */
import type { DeviceProfile, MeasurementKind } from '../core/device.js'
import { AppError } from '../core/errors.js'
import { isGeometry } from '../core/geo-bbox.js'
import type { GeoJsonGeometry } from '../core/ngsi.js'
import type { ObservedValue } from '../core/observation.js'

export interface Measurement {
  name: string
  value: ObservedValue
  unitCode?: string
  geo?: GeoJsonGeometry
}

export interface DecodedMessage {
  observedAt: number
  measurements: Measurement[]
}

export interface DecodeOptions {
  now: number
  maxMeasurements: number
  /** How far in the future observedAt may be (device clock drift). */
  maxFutureMs?: number
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/
// NGSI-LD member names: a measurement may not pose as the structure of an attribute or entity.
const RESERVED = new Set([
  'id',
  'type',
  'scope',
  'value',
  'object',
  'languageMap',
  'vocab',
  'json',
  'valueList',
  'objectList',
  'createdAt',
  'modifiedAt',
  'deletedAt',
  'observedAt',
  'datasetId',
  'unitCode',
  'instanceId',
  '@context',
])
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/

/** Parses bytes (MQTT payload, HTTP body) or an already parsed JSON value. */
/** `input` is bytes (MQTT payload) or an already parsed JSON value (HTTP body). */
export function decodeMeasurements(
  input: unknown,
  profile: DeviceProfile,
  opts: DecodeOptions,
): DecodedMessage {
  const body = input instanceof Uint8Array ? parseJson(input) : input
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError(
      'BadRequestData',
      'payload must be a JSON object of measurements, e.g. {"temperature": 21.5}',
    )
  }
  const entries = Object.entries(body as Record<string, unknown>)
  let observedAt = opts.now
  const measurements: Measurement[] = []
  for (const [name, raw] of entries) {
    if (name === 'observedAt') {
      observedAt = parseObservedAt(raw, opts)
      continue
    }
    if (!NAME.test(name) || RESERVED.has(name)) {
      throw new AppError(
        'BadRequestData',
        `"${name}" is not a valid measurement name (letters, digits, underscore; not a reserved NGSI-LD member)`,
      )
    }
    measurements.push(checkMeasurement(name, raw, profile))
  }
  if (measurements.length === 0)
    throw new AppError('BadRequestData', 'payload holds no measurements')
  if (measurements.length > opts.maxMeasurements) {
    throw new AppError(
      'BadRequestData',
      `payload holds ${measurements.length} measurements; at most ${opts.maxMeasurements} are allowed`,
    )
  }
  return { observedAt, measurements }
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new AppError('BadRequestData', 'payload is not valid UTF-8')
  }
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new AppError('BadRequestData', `payload is not valid JSON: ${(err as Error).message}`)
  }
}

function parseObservedAt(raw: unknown, opts: DecodeOptions): number {
  if (typeof raw !== 'string' || !ISO_8601.test(raw)) {
    throw new AppError(
      'BadRequestData',
      'observedAt must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T10:00:00Z',
    )
  }
  const t = Date.parse(raw)
  if (Number.isNaN(t) || !isRealDate(raw))
    throw new AppError('BadRequestData', `observedAt "${raw}" is not a real date-time`)
  if (t > opts.now + (opts.maxFutureMs ?? 5 * 60_000)) {
    throw new AppError(
      'BadRequestData',
      `observedAt ${raw} is in the future; check the device clock`,
    )
  }
  return t
}

/** Date.parse rolls 2026-02-30 over to March; a device clock that says so is wrong, not late. */
function isRealDate(iso: string): boolean {
  const y = Number(iso.slice(0, 4))
  const m = Number(iso.slice(5, 7))
  const d = Number(iso.slice(8, 10))
  const h = Number(iso.slice(11, 13))
  const min = Number(iso.slice(14, 16))
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return m >= 1 && m <= 12 && d >= 1 && d <= days && h <= 23 && min <= 59
}

function kindOf(v: unknown): MeasurementKind | 'null' | 'invalid' {
  if (v === null) return 'null'
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : 'invalid'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'boolean'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'object') return 'object'
  return 'invalid'
}

function checkMeasurement(name: string, raw: unknown, profile: DeviceProfile): Measurement {
  if (name === 'location') {
    if (!isGeometry(raw))
      throw new AppError(
        'BadRequestData',
        'location must be a GeoJSON geometry, e.g. {"type":"Point","coordinates":[lon,lat]}',
      )
    return { name, value: raw, geo: raw }
  }
  const spec = profile.measurements[name]
  const kind = kindOf(raw)
  if (kind === 'invalid' || kind === 'null') {
    throw new AppError(
      'BadRequestData',
      `measurement "${name}" has no usable value (null, NaN or Infinity)`,
    )
  }
  if (!spec) {
    if (!profile.acceptUnknown) {
      const known = Object.keys(profile.measurements).join(', ')
      throw new AppError(
        'BadRequestData',
        `unknown measurement "${name}" for profile ${profile.name}; expected one of: ${known}`,
      )
    }
    return { name, value: raw as ObservedValue }
  }
  if (kind !== spec.kind) {
    throw new AppError(
      'BadRequestData',
      `measurement "${name}" must be a ${spec.kind}, got ${kind}`,
    )
  }
  if (spec.enum && !spec.enum.includes(raw as string)) {
    throw new AppError(
      'BadRequestData',
      `measurement "${name}" must be one of ${spec.enum.join(', ')}, got "${String(raw)}"`,
    )
  }
  const m: Measurement = { name, value: raw as ObservedValue }
  if (spec.unitCode !== undefined) m.unitCode = spec.unitCode
  return m
}
