/**
 * Checks for the scalar formats NGSI-LD payloads use: URIs, DateTimes, scopes, language tags,
 * and the NGSI-LD Null marker.
 */
import { NGSI_LD_NULL } from '../../core/ngsi.js'

/** An absolute URI (RFC 3986 `scheme:rest`) without whitespace, control or unsafe characters. */
export function isAbsoluteUri(s: unknown): s is string {
  // eslint-disable-next-line no-control-regex
  return typeof s === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]+$/.test(s)
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** An ISO 8601 date-time with seconds and a time zone (Z or ±hh:mm) that names a real instant. */
export function isDateTime(s: unknown): s is string {
  return typeof s === 'string' && DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) && hasValidFields(s)
}

/** Date.parse accepts 2024-02-30; check day and hour ranges explicitly. */
function hasValidFields(s: string): boolean {
  const [y, mo, d, h, mi, se] = [0, 5, 8, 11, 14, 17].map((i, k) => Number(s.slice(i, k === 0 ? 4 : i + 2)))
  const days = new Date(Date.UTC(y!, mo!, 0)).getUTCDate()
  return mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= days && h! <= 23 && mi! <= 59 && se! <= 60
}

/** A scope: `/`-separated path segments, e.g. `/Madrid/Gardens/ParqueNorte` (§4.18). */
export function isScope(s: unknown): s is string {
  return typeof s === 'string' && /^(\/[\p{L}\p{N}_.~-]+)+$/u.test(s)
}

/** A BCP 47 language tag (loosely), or `@none` for text without a language. */
export function isLanguageKey(s: string): boolean {
  return s === '@none' || /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(s)
}

export function isNullMarker(v: unknown): boolean {
  return v === NGSI_LD_NULL
}
