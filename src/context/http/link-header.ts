/**
 * The HTTP Link header as NGSI-LD uses it: the JSON-LD context link of requests and JSON
 * responses (§6.3.5), and pagination links (§5.5.9).
 *
 * @example
 *   parseContextLink('<https://ex.org/ctx.jsonld>; rel="http://www.w3.org/ns/json-ld#context"') // 'https://ex.org/ctx.jsonld'
 */
import { AppError } from '../../core/errors.js'

export const JSON_LD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context'

interface Link {
  target: string
  params: Map<string, string>
}

/** The URL of the JSON-LD context link, undefined when none; malformed or several → BadRequestData. */
export function parseContextLink(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined
  const contexts = parseLinks(header).filter((l) =>
    l.params.get('rel')?.split(/\s+/).includes(JSON_LD_CONTEXT_REL),
  )
  if (contexts.length > 1)
    throw new AppError('BadRequestData', 'the Link header names more than one JSON-LD context')
  const [link] = contexts
  if (!link) return undefined
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/.test(link.target)) {
    throw new AppError(
      'BadRequestData',
      `the JSON-LD context link <${link.target}> is not an absolute URL`,
    )
  }
  return link.target
}

const LINK = /^\s*<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,\s]*))?)*)\s*(?:,|$)/
const PARAM = /;\s*([^;,=\s]+)\s*(?:=\s*(?:"([^"]*)"|([^;,\s]*)))?/g

function parseLinks(header: string): Link[] {
  const links: Link[] = []
  let rest = header
  while (rest.trim() !== '') {
    const m = LINK.exec(rest)
    if (!m) throw new AppError('BadRequestData', `malformed Link header: ${header}`)
    const params = new Map<string, string>()
    for (const p of m[2]!.matchAll(PARAM)) params.set(p[1]!.toLowerCase(), p[2] ?? p[3] ?? '')
    links.push({ target: m[1]!.trim(), params })
    rest = rest.slice(m[0].length)
  }
  return links
}

/** `<url>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` (§6.3.5). */
export function contextLink(url: string): string {
  return `<${url}>; rel="${JSON_LD_CONTEXT_REL}"; type="application/ld+json"`
}

export interface PageLinkInput {
  /** Path of the resource, with the API prefix (`/ngsi-ld/v1/entities`). */
  path: string
  /** The raw query string of the request (without `?`). */
  rawQuery: string
  limit: number
  offset: number
  /** Whether entities exist beyond this page. */
  hasMore: boolean
  mediaType: string
}

/**
 * Relative prev/next links: the request's other parameters first, as sent, then limit and offset.
 * No prev on the first page, no next on the last.
 */
export function paginationLinks(input: PageLinkInput): string[] {
  const others = input.rawQuery
    .split('&')
    .filter((p) => p !== '' && !/^(limit|offset)(=|$)/.test(p))
  const link = (offset: number, rel: string) =>
    `<${input.path}?${[...others, `limit=${input.limit}`, `offset=${offset}`].join('&')}>;rel="${rel}";type="${input.mediaType}"`
  const links: string[] = []
  if (input.limit <= 0) return links
  if (input.offset > 0) links.push(link(Math.max(0, input.offset - input.limit), 'prev'))
  if (input.hasMore) links.push(link(input.offset + input.limit, 'next'))
  return links
}
