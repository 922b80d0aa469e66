/**
 * The ETSI NGSI-LD core @context, bundled (GS CIM 009 §4.4): every genuine core URL maps to the
 * v1.9 copy read from contexts/ at module load, so the broker never fetches it.
 *
 * @example
 *   isCoreContextUrl('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld') // true
 */
import { readFileSync } from 'node:fs'
import { CORE_CONTEXT_URL } from '../../core/ngsi.js'

export type JsonObject = Record<string, unknown>

/** The genuine ETSI core-context URLs. Look-alikes (`…-non-existing.jsonld`) are ordinary remote URLs. */
export const CORE_CONTEXT_URLS: readonly string[] = [
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.7.jsonld',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld',
  CORE_CONTEXT_URL,
]
const CORE_URLS = new Set(CORE_CONTEXT_URLS)

export function isCoreContextUrl(url: string): boolean {
  return CORE_URLS.has(url)
}

/** Path of the bundled file; the build must copy src/context/jsonld/contexts/ next to this module. */
const BUNDLED_FILE = new URL('./contexts/ngsi-ld-core-context-v1.9.jsonld', import.meta.url)

/** The core context document exactly as ETSI publishes it: `{ "@context": { … } }`. */
export const coreContextDocument: Readonly<{ '@context': JsonObject }> = deepFreeze(loadBundled())

/**
 * The core's term definitions as the processor uses them. The `ngsildproof` term's scoped context
 * points at a remote W3C security context, which JSON-LD processors load eagerly; entity
 * processing never needs it, so it is dropped here rather than fetched.
 */
export const coreTermDefinitions: Readonly<JsonObject> = deepFreeze(withoutRemoteScopedContexts())

function loadBundled(): { '@context': JsonObject } {
  const doc: unknown = JSON.parse(readFileSync(BUNDLED_FILE, 'utf8'))
  const ctx = isJsonObject(doc) ? doc['@context'] : undefined
  if (!isJsonObject(ctx))
    throw new Error(`bundled core @context ${BUNDLED_FILE.pathname} has no @context object`)
  return { '@context': ctx }
}

function withoutRemoteScopedContexts(): JsonObject {
  const out: JsonObject = {}
  for (const [term, def] of Object.entries(coreContextDocument['@context'])) {
    if (isJsonObject(def) && '@context' in def) {
      const { '@context': _scoped, ...rest } = def
      out[term] = rest
    } else {
      out[term] = def
    }
  }
  return out
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
