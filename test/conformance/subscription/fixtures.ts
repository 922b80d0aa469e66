/**
 * Shared fixtures of the subscription, context-source and temporal conformance tests: a test
 * @context with the vocabulary the ETSI test cases use (hosted by the broker's local context
 * server), ids, and payload builders with the same shape and meaning as the suite's data files.
 */
import type { Broker, Reply } from '../support/broker.js'
import { linkTo, uniqueUrn } from '../support/broker.js'
import { buildingSimple } from '../support/fixtures.js'
import { useSetup } from '../support/use-broker.js'

export const VOCAB = 'https://civitas.test/vocab#'

/** Terms of the test @context, each mapped to VOCAB + term. */
const TERMS = [
  'Building',
  'Vehicle',
  'City',
  'OffStreetParking',
  'Parking',
  'name',
  'almostFull',
  'airQualityLevel',
  'subCategory',
  'address',
  'street',
  'streetAddress',
  'postalCode',
  'addressLocality',
  'location',
  'brandName',
  'speed',
  'isParked',
  'availableSpotNumber',
  'totalSpotNumber',
  'temperature',
  'isRecordedBy',
  'fuelLevel',
  'description',
  'category',
  'owner',
  'isNextToBuilding',
  'isConnectedTo',
  'batteryLevel',
  'Bus',
  'jsonProperty',
  'vocabProperty',
]

export interface TestContext {
  /** URL of the test @context document. */
  url: string
  /** Link header for the test @context. */
  link: string
  /** Expanded IRI of a term. */
  iri(term: string): string
}

export function serveTestContext(broker: Broker, path = '/test-context.jsonld'): TestContext {
  const terms: Record<string, string> = {}
  for (const t of TERMS) terms[t] = `${VOCAB}${t}`
  const url = broker.serveContext(path, { '@context': terms })
  return { url, link: linkTo(url), iri: (t) => `${VOCAB}${t}` }
}

/** The test @context served by the file's broker (see useBroker), from its beforeAll on. */
export function useTestContext(broker: Broker, path?: string): TestContext {
  return useSetup(() => serveTestContext(broker, path))
}

export const subscriptionId = (): string => uniqueUrn('Subscription')
export const buildingId = (): string => uniqueUrn('Building')
export const registrationId = (): string => uniqueUrn('ContextSourceRegistration')

/** A Building entity like the suite's building-simple-attributes sample, with its @context. */
export function building(id: string, ctxUrl: string): Record<string, unknown> {
  return buildingSimple(id, { '@context': [ctxUrl] })
}

/** A minimal subscription on Buildings with the given extra members. */
export function subscription(
  id: string | undefined,
  ctxUrl: string | undefined,
  extra: Record<string, unknown> = {},
  notification: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...(id !== undefined && { id }),
    type: 'Subscription',
    entities: [{ type: 'Building' }],
    ...extra,
    notification: {
      endpoint: { uri: 'http://localhost:1111/notify', accept: 'application/json' },
      ...notification,
    },
    ...(ctxUrl !== undefined && { '@context': [ctxUrl] }),
  }
}

export const LD = { 'content-type': 'application/ld+json' }

export function postLd(broker: Broker, path: string, body: unknown): Promise<Reply> {
  return broker.request('POST', path, { headers: LD, body })
}

/** The problem type of an ETSI error name. */
export const problem = (name: string): string => `https://uri.etsi.org/ngsi-ld/errors/${name}`

/** Asserts the suite's ProblemDetails checks: a type and a non-empty title. */
export function problemOf(reply: Reply): { type: unknown; title: unknown } {
  const body = reply.body as { type?: unknown; title?: unknown } | undefined
  return { type: body?.type, title: typeof body?.title === 'string' && body.title !== '' }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A copy of a JSON value without the named members at any depth (the suite's ignored keys). */
export function without(value: unknown, keys: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => without(v, keys))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (!keys.includes(k)) out[k] = without(v, keys)
    return out
  }
  return value
}

/** The suite's airQualityLevel-fragment: airQualityLevel becomes 5. */
export function airQualityFragment(ctxUrl: string): Record<string, unknown> {
  return {
    airQualityLevel: {
      type: 'Property',
      value: 5,
      unitCode: 'C62',
      observedAt: '2020-09-09T16:40:00.000Z',
    },
    '@context': [ctxUrl],
  }
}

/** The NGSI-LD core @context URL the suite names (v1.8; Civitas has it bundled). */
export const CORE_URL = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld'

const SYSTEM_TIMES = ["['createdAt']", "['modifiedAt']", "['deletedAt']"]

/**
 * The suite's document comparison (libraries/assertionUtils.py, DeepDiff with ignore_order):
 * members whose path matches one of `exclude` (regular expressions searched in paths written
 * like root['notification']['timesSent']) are skipped on both sides, an @context equals its
 * one-element-array form, createdAt / modifiedAt / deletedAt only need to be dates, observedAt
 * compares as a date, and arrays compare in any order. Returns the differences found.
 */
export function suiteDiff(
  expected: unknown,
  actual: unknown,
  exclude: readonly (string | RegExp)[] = [],
): string[] {
  const patterns = exclude.map((e) => (typeof e === 'string' ? new RegExp(e) : e))
  const out: string[] = []
  compare(expected, actual, 'root', patterns, out)
  return out
}

function compare(e: unknown, a: unknown, path: string, ex: RegExp[], out: string[]): void {
  if (ex.some((r) => r.test(path))) return
  if (path.endsWith("['@context']")) {
    const wrap = (c: unknown): unknown[] => (Array.isArray(c) ? (c as unknown[]) : [c])
    if (JSON.stringify(wrap(e)) !== JSON.stringify(wrap(a))) out.push(`${path}: @context differs`)
    return
  }
  if (SYSTEM_TIMES.some((t) => path.endsWith(t))) {
    if (typeof a !== 'string' || Number.isNaN(Date.parse(a))) out.push(`${path}: not a date`)
    return
  }
  if (path.endsWith("['observedAt']") && typeof e === 'string' && typeof a === 'string') {
    if (Date.parse(e) !== Date.parse(a)) out.push(`${path}: ${a} is not ${e}`)
    return
  }
  if (Array.isArray(e) && Array.isArray(a)) {
    if (e.length !== a.length) out.push(`${path}: ${a.length} items, expected ${e.length}`)
    const used = new Set<number>()
    e.forEach((item, i) => {
      const j = a.findIndex((c, k) => {
        if (used.has(k)) return false
        const d: string[] = []
        compare(item, c, `${path}[${i}]`, ex, d)
        return d.length === 0
      })
      if (j >= 0) used.add(j)
      else if (i < a.length) compare(item, a[i], `${path}[${i}]`, ex, out)
      else out.push(`${path}[${i}]: no match for ${JSON.stringify(item)}`)
    })
    return
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
  if (isObject(e) && isObject(a)) {
    for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) {
      const p = `${path}['${k}']`
      if (ex.some((r) => r.test(p))) continue
      if (!(k in a)) out.push(`${p}: missing`)
      else if (!(k in e)) out.push(`${p}: unexpected ${JSON.stringify(a[k])}`)
      else compare(e[k], a[k], p, ex, out)
    }
    return
  }
  if (JSON.stringify(e) !== JSON.stringify(a))
    out.push(`${path}: ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`)
}

/** The suite's context-source-registration.jsonld: a Vehicle and two OffStreetParking groups. */
export function registration(
  id: string | undefined,
  ctxUrl: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...(id !== undefined && { id }),
    type: 'ContextSourceRegistration',
    information: [
      {
        entities: [{ id: 'urn:ngsi-ld:Vehicle:A456', type: 'Vehicle' }],
        propertyNames: ['brandName', 'speed'],
        relationshipNames: ['isParked'],
      },
      {
        entities: [
          { idPattern: '.*downtown$', type: 'OffStreetParking' },
          { idPattern: '.*47$', type: 'OffStreetParking' },
        ],
        propertyNames: ['availableSpotNumber', 'totalSpotNumber'],
        relationshipNames: ['isNextToBuilding'],
      },
    ],
    endpoint: 'http://my.csource.org:1026',
    ...extra,
    ...(ctxUrl !== undefined && { '@context': [ctxUrl] }),
  }
}
