/**
 * Checks for the scalar formats NGSI-LD payloads use: URIs, DateTimes, scopes, language tags,
 * and the NGSI-LD Null marker.
 */
import { NGSI_LD_NULL } from '../../core/ngsi.js'

// eslint-disable-next-line no-control-regex
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]+$/

/**
 * Characters an IRI (RFC 3987) may technically hold but that no identifier should: format and
 * bidi controls, separators, noncharacters, private use, variation selectors and the invisible
 * fillers. An id with one renders as a different id wherever it is shown (suite 451_02).
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Z}\p{Cn}\p{Co}\p{Cs}\uFE00-\uFE0F\u180B-\u180D\u{E0100}-\u{E01EF}\u115F\u1160\u3164\uFFA0\u2800]/u

/** An absolute URI (RFC 3986 `scheme:rest`) without whitespace, control, invisible or unsafe characters. */
export function isAbsoluteUri(s: string): boolean {
  return ABSOLUTE_URI.test(s) && (/^[\x21-\x7e]*$/.test(s) || !INVISIBLE.test(s))
}

/** A JSON value that is a string holding an absolute URI. */
export function isUri(v: unknown): v is string {
  return typeof v === 'string' && isAbsoluteUri(v)
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** An ISO 8601 date-time with seconds and a time zone (Z or ±hh:mm) that names a real instant. */
export function isDateTime(s: unknown): s is string {
  return (
    typeof s === 'string' && DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) && hasValidFields(s)
  )
}

/** A DateTime as attribute members carry it (§4.6.3): UTC, the trailing Z mandatory. */
export function isUtcDateTime(s: unknown): s is string {
  return isDateTime(s) && s.endsWith('Z')
}

/** Date.parse accepts 2024-02-30; check day and hour ranges explicitly. */
function hasValidFields(s: string): boolean {
  const field = (from: number, to: number) => Number(s.slice(from, to))
  const month = field(5, 7)
  const day = field(8, 10)
  const days = new Date(Date.UTC(field(0, 4), month, 0)).getUTCDate()
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= days &&
    field(11, 13) <= 23 &&
    field(14, 16) <= 59 &&
    field(17, 19) <= 60
  )
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
