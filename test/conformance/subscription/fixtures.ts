/**
 * Shared fixtures of the subscription, context-source and temporal conformance tests: a test
 * @context with the vocabulary the ETSI test cases use (hosted by the broker's local context
 * server), ids, and payload builders with the same shape and meaning as the suite's data files.
 */
import type { Broker, Reply } from '../support/broker.js'
import { linkTo, uniqueUrn } from '../support/broker.js'

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
  'locatedAt',
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

export const subscriptionId = (): string => uniqueUrn('Subscription')
export const buildingId = (): string => uniqueUrn('Building')
export const registrationId = (): string => uniqueUrn('ContextSourceRegistration')

/** A Building entity like the suite's building-simple-attributes sample. */
export function building(id: string, ctxUrl: string): Record<string, unknown> {
  return {
    id,
    type: 'Building',
    name: { type: 'Property', value: 'Eiffel Tower' },
    subCategory: { type: 'Property', value: 'tourism' },
    airQualityLevel: { type: 'Property', value: 4, unitCode: 'C62' },
    '@context': [ctxUrl],
  }
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
