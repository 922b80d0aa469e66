/**
 * Media types of the NGSI-LD API (§6.3.4–6.3.6): request Content-Type classification and Accept
 * negotiation with q-weights and wildcards.
 *
 * @example
 *   negotiate('application/ld+json;q=0.9, text/html', ENTITY_RESPONSE_TYPES) // 'application/ld+json'
 */
export const JSON_TYPE = 'application/json'
export const JSON_LD_TYPE = 'application/ld+json'
export const GEO_JSON_TYPE = 'application/geo+json'
export const MERGE_PATCH_TYPE = 'application/merge-patch+json'

export type ResponseMediaType = typeof JSON_TYPE | typeof JSON_LD_TYPE | typeof GEO_JSON_TYPE

/** Preference order of the broker when the client accepts several equally. */
export const ENTITY_RESPONSE_TYPES: readonly ResponseMediaType[] = [
  JSON_TYPE,
  JSON_LD_TYPE,
  GEO_JSON_TYPE,
]
export const JSON_RESPONSE_TYPES: readonly ResponseMediaType[] = [JSON_TYPE, JSON_LD_TYPE]

/** The lower-cased `type/subtype` of a Content-Type header, without parameters. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const essence = header.split(';')[0]!.trim().toLowerCase()
  return essence === '' ? undefined : essence
}

interface MediaRange {
  type: string
  subtype: string
  q: number
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of header.split(',')) {
    const [essence = '', ...params] = part.split(';').map((s) => s.trim())
    const [type, subtype] = essence.toLowerCase().split('/')
    if (!type || !subtype) continue
    let q = 1
    for (const p of params) {
      const m = /^q\s*=\s*([01](\.\d{0,3})?)$/i.exec(p)
      if (m) q = Math.min(1, Number(m[1]))
    }
    ranges.push({ type, subtype, q })
  }
  return ranges
}

/** 2 = exact, 1 = `type/*`, 0 = `*\/*`, -1 = no match. */
function specificity(range: MediaRange, offered: string): number {
  const [type, subtype] = offered.split('/')
  if (range.type === type && range.subtype === subtype) return 2
  if (range.type === type && range.subtype === '*') return 1
  if (range.type === '*' && range.subtype === '*') return 0
  return -1
}

/**
 * The offered type the client prefers: highest q (from its most specific matching range), then the
 * one it named explicitly, then the broker's order. Undefined when nothing is acceptable (406).
 * A missing or empty Accept header means `application/json` (§6.3.6).
 */
export function negotiate(
  accept: string | undefined,
  offered: readonly ResponseMediaType[],
): ResponseMediaType | undefined {
  if (accept === undefined || accept.trim() === '')
    return offered.includes(JSON_TYPE) ? JSON_TYPE : offered[0]
  const ranges = parseAccept(accept)
  let best: { type: ResponseMediaType; q: number; specificity: number } | undefined
  for (const type of offered) {
    let match: { q: number; specificity: number } | undefined
    for (const range of ranges) {
      const s = specificity(range, type)
      if (s >= 0 && (!match || s > match.specificity)) match = { q: range.q, specificity: s }
    }
    if (!match || match.q <= 0) continue
    if (!best || match.q > best.q || (match.q === best.q && match.specificity > best.specificity)) {
      best = { type, ...match }
    }
  }
  return best?.type
}
