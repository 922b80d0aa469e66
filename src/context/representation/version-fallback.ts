/**
 * Backwards compatibility of payloads (§4.3.6.8): a consumer may prefer an earlier NGSI-LD version
 * (`Prefer: ngsi-ld=1.5`), and the broker then reformats what that version cannot express. Per
 * Table 4.3.6.8-1, the attribute kinds introduced in 1.8 (VocabProperty, JsonProperty,
 * ListProperty) fall back to a Property holding their content as its value.
 *
 * @example
 *   preferredVersion('ngsi-ld=1.5, return=minimal') // '1.5'
 *   amendForVersion(entity, '1.5') // { changed: true } when a VocabProperty became a Property
 */
import type { JsonObject } from '../jsonld/core-context.js'

/**
 * The `ngsi-ld=<major>.<minor>` preference of a Prefer header, if any. The header is a list of
 * preferences (RFC 7240): comma-separated, names case-insensitive, a value a token or a quoted
 * string, and parameters after `;` that do not change which preference it is.
 */
export function preferredVersion(prefer: string | undefined): string | undefined {
  if (prefer === undefined || !/ngsi-ld/i.test(prefer)) return undefined
  for (const part of prefer.split(',')) {
    const [preference = ''] = part.split(';')
    const m = /^\s*ngsi-ld\s*=\s*(?:"(\d+\.\d+)"|(\d+\.\d+))\s*$/i.exec(preference)
    if (m) return m[1] ?? m[2]
  }
  return undefined
}

const SINCE_1_8: Record<string, string> = {
  VocabProperty: 'vocab',
  JsonProperty: 'json',
  ListProperty: 'valueList',
}

function before(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number)
  return a < major || (a === major && b < minor)
}

/** Rewrites a normalized entity in place for the version; true when something changed. */
export function amendForVersion(entity: JsonObject, version: string): boolean {
  if (!before(version, 1, 8)) return false
  let changed = false
  const amend = (attr: unknown): unknown => {
    if (typeof attr !== 'object' || attr === null || Array.isArray(attr)) return attr
    const a = attr as JsonObject
    const member = typeof a['type'] === 'string' ? SINCE_1_8[a['type']] : undefined
    if (member === undefined || !(member in a)) return attr
    changed = true
    const { [member]: content, ...rest } = a
    return { ...rest, type: 'Property', value: content }
  }
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'id' || key === 'type' || key === '@context') continue
    entity[key] = Array.isArray(value) ? value.map(amend) : amend(value)
  }
  return changed
}
