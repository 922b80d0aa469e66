/**
 * Checks a payload against a device profile the way ingest will (kinds, enums, ranges), so the
 * simulator's tests can prove its output valid and the replay can drop rows ingest would reject.
 *
 * @example
 *   checkPayload(BUILTIN_PROFILES.get('noise')!, { observedAt, LAeq: 300 }) // ['LAeq: 300 > max 160']
 */
import type { DeviceProfile, MeasurementKind } from '../core/device.js'

function kindOf(value: unknown): MeasurementKind | 'null' | 'undefined' {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  const t = typeof value
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'object' ? t : 'undefined'
}

/** The problems found; an empty list means ingest should accept the payload. */
export function checkPayload(profile: DeviceProfile, payload: Record<string, unknown>): string[] {
  const problems: string[] = []
  const observedAt = payload.observedAt
  if (typeof observedAt !== 'string' || Number.isNaN(Date.parse(observedAt))) {
    problems.push('observedAt: not an ISO 8601 date-time')
  }
  for (const [name, value] of Object.entries(payload)) {
    if (name === 'observedAt') continue
    const spec = profile.measurements[name]
    if (spec === undefined) {
      if (!profile.acceptUnknown) problems.push(`${name}: not in profile ${profile.name}`)
      continue
    }
    const kind = kindOf(value)
    if (kind !== spec.kind) {
      problems.push(`${name}: ${kind}, expected ${spec.kind}`)
      continue
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) problems.push(`${name}: not finite`)
      if (spec.min !== undefined && value < spec.min)
        problems.push(`${name}: ${value} < min ${spec.min}`)
      if (spec.max !== undefined && value > spec.max)
        problems.push(`${name}: ${value} > max ${spec.max}`)
    }
    if (typeof value === 'string' && spec.enum !== undefined && !spec.enum.includes(value)) {
      problems.push(`${name}: '${value}' not one of ${spec.enum.join('|')}`)
    }
  }
  return problems
}
