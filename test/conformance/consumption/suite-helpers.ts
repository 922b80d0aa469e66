/**
 * Shared fixtures and checks for the re-stated ETSI consumption and common-behaviour test cases:
 * a local test @context (the suite links to one this machine cannot reach), entity payloads with
 * the same structure and meaning as the suite's data files, and a comparison that ignores what
 * the suite's comparator ignores (array order, instanceId, the exact system timestamps, a
 * string-or-one-element-list @context, and with `anyCoreContext` any single core-context URL).
 */
import { expect } from 'vitest'
import { CORE_CONTEXT, linkTo, type Broker, type Reply } from '../support/broker.js'
import { buildingSimple } from '../support/fixtures.js'
import { useSetup } from '../support/use-broker.js'

/** Namespace of the test vocabulary; full IRIs in expectations use it. */
export const NS = 'https://civitas.test/conformance#'
export const DEFAULT_NS = 'https://uri.etsi.org/ngsi-ld/default-context/'
export const ERR = 'https://uri.etsi.org/ngsi-ld/errors/'

/** Terms the test context defines (isParked and a few others deliberately stay out of it). */
const TERMS = [
  'Building',
  'Vehicle',
  'OffStreetParking',
  'City',
  'Country',
  'Parking',
  'TouristDestination',
  'name',
  'subCategory',
  'airQualityLevel',
  'almostFull',
  'locatedAt',
  'locatedIn',
  'isInCountry',
  'description',
  'brandName',
  'speed',
  'category',
  'street',
  'availableSpotNumber',
  'totalSpotNumber',
  'tyreTreadDepths',
  'route',
  'vocabProperty',
  'population',
] as const

export function testContextDocument(): unknown {
  return { '@context': Object.fromEntries(TERMS.map((t) => [t, `${NS}${t}`])) }
}

/** Hosts the test context and a compound one ([test context, core v1.8]); returns both URLs. */
export function serveTestContexts(broker: Broker): { ctx: string; compound: string } {
  const ctx = broker.serveContext('/ctx/test-terms.jsonld', testContextDocument())
  const compound = broker.serveContext('/ctx/test-compound.jsonld', {
    '@context': [ctx, 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld'],
  })
  return { ctx, compound }
}

/** serveTestContexts on the file's broker (see useBroker), from its beforeAll on. */
export function useTestContexts(broker: Broker): { ctx: string; compound: string } {
  return useSetup(() => serveTestContexts(broker))
}

export const link = linkTo

let counter = 0
/** A unique tenant name, so each test counts only its own entities. */
export function uniqueTenant(prefix = 't'): string {
  counter += 1
  return `${prefix}${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`
}

type Json = Record<string, unknown>

/** building-simple-attributes (one definition for every area). */
export { buildingSimple }

export function buildingMinimal(id: string): Json {
  return { id, type: 'Building' }
}

/** vehicle-simple-attributes: brandName and isParked (a term outside the test context, with a sub-relationship). */
export function vehicleSimple(id: string): Json {
  return {
    id,
    type: 'Vehicle',
    brandName: { type: 'Property', value: 'Mercedes' },
    isParked: {
      type: 'Relationship',
      object: 'urn:ngsi-ld:OffStreetParking:Downtown1',
      observedAt: '2017-07-29T12:00:04Z',
      providedBy: { type: 'Relationship', object: 'urn:ngsi-ld:Person:Bob' },
    },
  }
}

export function parkingSimple(id: string): Json {
  return {
    id,
    type: 'OffStreetParking',
    availableSpotNumber: { type: 'Property', value: 121 },
    totalSpotNumber: { type: 'Property', value: 200 },
    location: {
      type: 'GeoProperty',
      value: { type: 'Point', coordinates: [-8.5, 41.2] },
    },
  }
}

export interface CreateOptions {
  tenant?: string
  /** ld+json: the @context goes in the body (default); json: in a Link header. */
  as?: 'ld+json' | 'json'
  context: string | string[]
}

/** Creates an entity and fails the test unless the broker answers 201. */
export async function createEntity(
  broker: Broker,
  entity: Json,
  opts: CreateOptions,
): Promise<void> {
  const r = await postEntity(broker, entity, opts)
  expect(r.status, r.text).toBe(201)
}

export function postEntity(broker: Broker, entity: Json, opts: CreateOptions): Promise<Reply> {
  if (opts.as === 'json') {
    const ctx = Array.isArray(opts.context) ? opts.context[0]! : opts.context
    return broker.request('POST', '/entities', {
      body: entity,
      headers: { 'content-type': 'application/json', link: link(ctx) },
      ...(opts.tenant !== undefined && { tenant: opts.tenant }),
    })
  }
  return broker.request('POST', '/entities', {
    body: { ...entity, '@context': opts.context },
    headers: { 'content-type': 'application/ld+json' },
    ...(opts.tenant !== undefined && { tenant: opts.tenant }),
  })
}

/** A query string from pairs, percent-encoded like the suite's HTTP client does. */
export function qs(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
  return parts.length === 0 ? '' : `?${parts.join('&')}`
}

export function expectProblem(reply: Reply, status: number, type: string): void {
  expect(reply.status, reply.text).toBe(status)
  const body = reply.body as { type?: unknown; title?: unknown }
  expect(body.type).toBe(`${ERR}${type}`)
  expect(typeof body.title === 'string' && body.title.length > 0).toBe(true)
}

const CORE_PATTERN = /^https:\/\/uri\.etsi\.org\/ngsi-ld\/v1\/ngsi-ld-core-context-v\d\.\d\.jsonld$/
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

export interface CompareOptions {
  /** The actual @context may be any single core-context URL (the suite's ignore_core_context_version). */
  anyCoreContext?: boolean
  /** Keys ignored wherever they appear (instanceId always is). */
  ignore?: readonly string[]
}

/** Differences between an expected and an actual JSON value, the way the suite's comparator sees them. */
export function differences(
  expected: unknown,
  actual: unknown,
  options: CompareOptions = {},
  path = '$',
): string[] {
  const ignore = new Set(['instanceId', ...(options.ignore ?? [])])
  const key = path.slice(path.lastIndexOf('.') + 1)
  if (key === '@context') {
    const a = Array.isArray(actual) ? actual : [actual]
    if (options.anyCoreContext)
      return a.length === 1 && typeof a[0] === 'string' && CORE_PATTERN.test(a[0])
        ? []
        : [`${path}: ${JSON.stringify(actual)} is not a single core context`]
    const e = Array.isArray(expected) ? expected : [expected]
    return JSON.stringify(e) === JSON.stringify(a)
      ? []
      : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`]
  }
  if (key === 'createdAt' || key === 'modifiedAt' || key === 'deletedAt')
    return typeof actual === 'string' && DATE_PATTERN.test(actual)
      ? []
      : [`${path}: ${JSON.stringify(actual)} is not a DateTime`]
  if (key === 'observedAt' && typeof expected === 'string' && typeof actual === 'string')
    return Date.parse(expected) === Date.parse(actual)
      ? []
      : [`${path}: expected ${expected}, got ${actual}`]
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`]
    if (expected.length !== actual.length)
      return [`${path}: expected ${expected.length} items, got ${JSON.stringify(actual)}`]
    const unused: unknown[] = [...(actual as unknown[])]
    const out: string[] = []
    for (const [i, e] of expected.entries()) {
      const at = unused.findIndex((a) => differences(e, a, options, `${path}[${i}]`).length === 0)
      if (at < 0)
        out.push(`${path}[${i}]: no match for ${JSON.stringify(e)} in ${JSON.stringify(actual)}`)
      else unused.splice(at, 1)
    }
    return out
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`]
    const e = expected as Json
    const a = actual as Json
    const out: string[] = []
    for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) {
      if (ignore.has(k)) continue
      if (!(k in a)) out.push(`${path}.${k}: missing`)
      else if (!(k in e)) out.push(`${path}.${k}: unexpected ${JSON.stringify(a[k])}`)
      else out.push(...differences(e[k], a[k], options, `${path}.${k}`))
    }
    return out
  }
  return Object.is(expected, actual) || expected === actual
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`]
}

export function expectMatches(expected: unknown, actual: unknown, options?: CompareOptions): void {
  expect(differences(expected, actual, options)).toEqual([])
}

export { CORE_CONTEXT }
