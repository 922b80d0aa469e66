/**
 * The fast half of @context handling: term expansion and IRI compaction answered from tables built
 * once per processed context, following the JSON-LD 1.1 IRI expansion and IRI compaction
 * algorithms (term selection, @vocab suffix, compact IRIs) for the value shapes NGSI-LD uses.
 *
 * @example
 *   ctx.expandTerm('temperature') // 'https://uri.etsi.org/ngsi-ld/default-context/temperature'
 *   ctx.compactIri('https://uri.etsi.org/ngsi-ld/location') // 'location'
 */
import type { JsonObject } from './core-context.js'

/** The @context a client named, as given: a URL, an inline object, or an array of them. */
export type UserContext = string | JsonObject | readonly (string | JsonObject)[]

/**
 * Where an IRI is compacted. `property`: a member name whose value is a node object (attribute and
 * sub-attribute names). `vocab`: an @type value or a value of an `@type: @vocab` member (entity
 * types, VocabProperty values, objectType).
 */
export type IriPosition = 'property' | 'vocab'

export interface ActiveContext {
  /** The user context as the client gave it; undefined when only the core context applies. */
  readonly userContext: UserContext | undefined
  /** Expands a term, compact IRI or absolute IRI (vocab-relative); keywords come back as keywords. */
  expandTerm: (term: string) => string
  compactIri: (iri: string, position?: IriPosition) => string
}

/** The slice of a jsonld.js processed context that is read to build the tables. */
export interface ProcessedContext {
  mappings: Map<string, ProcessedTerm | null>
  '@vocab'?: unknown
}

export interface ProcessedTerm {
  '@id'?: unknown
  '@type'?: unknown
  '@container'?: unknown
  '@language'?: unknown
  '@direction'?: unknown
  reverse?: unknown
  _prefix?: unknown
  _termHasColon?: unknown
}

interface TermInfo {
  term: string
  iri: string
  container: string
  /** `@id`, `@none` (no type, language or direction), or undefined when the term suits neither. */
  typeKey: '@id' | '@none' | undefined
  prefix: boolean
}

/** Containers JSON-LD term selection tries, in order, for a node object without @id or @index. */
const PROPERTY_CONTAINERS = [
  '@id',
  '@id@set',
  '@type',
  '@set@type',
  '@set',
  '@none',
  '@index',
  '@index@set',
]
/** …and for a value compacted with no value (types, @vocab values). */
const VOCAB_CONTAINERS = ['@set', '@none']
const MEMO_LIMIT = 10_000

export function createActiveContext(
  processed: ProcessedContext,
  userContext: UserContext | undefined,
): ActiveContext {
  const vocab = typeof processed['@vocab'] === 'string' ? processed['@vocab'] : undefined
  const { byTerm, byIri, prefixes } = buildTables(processed.mappings)
  const expanded = new Map<string, string>()
  const compacted = { property: new Map<string, string>(), vocab: new Map<string, string>() }

  function expand(term: string): string {
    const def = byTerm.get(term)
    if (def) return def.iri
    if (processed.mappings.has(term)) return term // explicitly null: stays unexpanded, so it fails validation
    const colon = term.indexOf(':')
    if (colon > 0) {
      const prefix = term.slice(0, colon)
      const suffix = term.slice(colon + 1)
      if (prefix === '_' || suffix.startsWith('//')) return term
      const p = byTerm.get(prefix)
      if (p?.prefix) return p.iri + suffix
      return term
    }
    return vocab !== undefined && !term.startsWith('@') ? vocab + term : term
  }

  function compact(iri: string, position: IriPosition): string {
    const term = selectTerm(byIri.get(iri), position)
    if (term !== undefined) return term
    if (vocab !== undefined && iri.startsWith(vocab) && iri.length > vocab.length) {
      const suffix = iri.slice(vocab.length)
      if (!processed.mappings.has(suffix)) return suffix
    }
    return compactIriWithPrefix(iri, position) ?? iri
  }

  function compactIriWithPrefix(iri: string, position: IriPosition): string | undefined {
    let choice: string | undefined
    for (const p of prefixes) {
      if (iri.length <= p.iri.length || !iri.startsWith(p.iri)) continue
      const curie = `${p.term}:${iri.slice(p.iri.length)}`
      const taken = processed.mappings.has(curie)
      const usable = !taken || (position === 'vocab' && byTerm.get(curie)?.iri === iri)
      if (usable && (choice === undefined || shortestLeast(curie, choice) < 0)) choice = curie
    }
    return choice
  }

  return {
    userContext,
    expandTerm: (term) => memo(expanded, term, expand),
    compactIri: (iri, position = 'property') =>
      memo(compacted[position], iri, (i) => compact(i, position)),
  }
}

function memo(cache: Map<string, string>, key: string, compute: (key: string) => string): string {
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const value = compute(key)
  if (cache.size >= MEMO_LIMIT) cache.clear()
  cache.set(key, value)
  return value
}

function buildTables(mappings: ProcessedContext['mappings']): {
  byTerm: Map<string, TermInfo>
  byIri: Map<string, TermInfo[]>
  prefixes: TermInfo[]
} {
  const byTerm = new Map<string, TermInfo>()
  const byIri = new Map<string, TermInfo[]>()
  const prefixes: TermInfo[] = []
  // Term selection prefers the shortest, then lexicographically least term (JSON-LD inverse context).
  for (const term of [...mappings.keys()].sort(shortestLeast)) {
    const def = mappings.get(term)
    if (!def || typeof def['@id'] !== 'string') continue
    const info: TermInfo = {
      term,
      iri: def['@id'],
      container: containerKey(def['@container']),
      typeKey: typeKeyOf(def),
      prefix: def._prefix === true && def._termHasColon !== true,
    }
    byTerm.set(term, info)
    if (def.reverse === true || info.iri.startsWith('@')) continue
    const list = byIri.get(info.iri)
    if (list) list.push(info)
    else byIri.set(info.iri, [info])
    if (info.prefix) prefixes.push(info)
  }
  return { byTerm, byIri, prefixes }
}

function containerKey(container: unknown): string {
  if (typeof container === 'string') return container
  if (Array.isArray(container) && container.length > 0)
    return [...(container as string[])].sort().join('')
  return '@none'
}

function typeKeyOf(def: ProcessedTerm): TermInfo['typeKey'] {
  if ('@type' in def) {
    if (def['@type'] === '@id') return '@id'
    return def['@type'] === '@none' ? '@none' : undefined
  }
  if ('@language' in def || '@direction' in def) return undefined
  return '@none'
}

/**
 * JSON-LD term selection for a node object (property) or a bare IRI (vocab): containers in order,
 * and within each a term typed `@id` before an untyped one.
 */
function selectTerm(candidates: TermInfo[] | undefined, position: IriPosition): string | undefined {
  if (!candidates) return undefined
  const containers = position === 'property' ? PROPERTY_CONTAINERS : VOCAB_CONTAINERS
  for (const container of containers) {
    for (const typeKey of ['@id', '@none'] as const) {
      const found = candidates.find((c) => c.container === container && c.typeKey === typeKey)
      if (found) return found.term
    }
  }
  return undefined
}

function shortestLeast(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}
