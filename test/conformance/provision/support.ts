/**
 * Shared set-up for the Provision conformance tests: one broker per test file, a local stand-in
 * for the suite's test @context (its terms live under https://ngsi-ld-test-suite/context#), and
 * the few assertions the suite's keywords make (ProblemDetails type + title, entity bodies
 * compared with instanceId ignored, @context equal to the request's context).
 */
import { expect } from 'vitest'
import { startBroker, linkTo, uniqueUrn, type Broker, type Reply } from '../support/broker.js'
import { useSetup } from '../support/use-broker.js'

export { linkTo, uniqueUrn, type Broker, type Reply }

export const SUITE_NS = 'https://ngsi-ld-test-suite/context#'
export const ERR = 'https://uri.etsi.org/ngsi-ld/errors/'
export const CORE_V18 = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld'

/** The terms the Provision tests use, each mapped into the suite's namespace. */
/** `Building` is deliberately absent: the suite's fixtures expect it in the default vocabulary
 * (013_07 reads it back as "Building" without a context), while `Vehicle` is a suite term
 * (557_01_03 reads it back as the full IRI). Likewise `vocabProperty` (013_07_01 deletes it
 * without a context). */
const TERMS = [
  'Vehicle',
  'City',
  'OffStreetParking',
  'name',
  'subCategory',
  'airQualityLevel',
  'almostFull',
  'hasWeatherObserved',
  'customLocation',
  'street',
  'jsonProperty',
  'speed',
  'isParked',
  'brandName',
  'note',
  'address',
  'tickets',
  'route',
  'tyreTreadDepths',
  'area',
  'locatedAt',
  'description',
  'temperature',
  'newAttr',
  'anotherName',
  'monument',
  'sightseeing',
  'Hotel',
  'Restaurant',
  'Parking',
  'totalSpotNumber',
  'category',
  'reliability',
  'isInCountry',
  'probe',
  'sub',
  'Car',
  'providedBy',
]

export interface Provision {
  broker: Broker
  /** URL of the compound test @context: [suite terms, core v1.8], as the suite's. */
  ctx: string
}

export async function startProvisionBroker(
  extraEnv: Record<string, string> = {},
): Promise<Provision> {
  const broker = await startBroker(extraEnv)
  const terms = Object.fromEntries(TERMS.map((t) => [t, `${SUITE_NS}${t}`]))
  const termsUrl = broker.serveContext('/ngsi-ld-test-suite.jsonld', { '@context': terms })
  const ctx = broker.serveContext('/ngsi-ld-test-suite-compound.jsonld', {
    '@context': [termsUrl, CORE_V18],
  })
  return { broker, ctx }
}

/** The file's Provision broker, started before and stopped after its tests (see useSetup). */
export function useProvisionBroker(extraEnv: Record<string, string> = {}): Provision {
  return useSetup(
    () => startProvisionBroker(extraEnv),
    (p) => p.broker.stop(),
  )
}

export const LD = 'application/ld+json'
export const JSON_CT = 'application/json'
export const MERGE_PATCH = 'application/merge-patch+json'

/** Headers for a JSON body whose @context travels in a Link header. */
export function jsonWithLink(ctx: string): Record<string, string> {
  return { 'content-type': JSON_CT, link: linkTo(ctx) }
}

/** An entity payload with the compound @context in the body (application/ld+json). */
export function withCtx<T extends object>(ctx: string, body: T): T & { '@context': string[] } {
  return { ...body, '@context': [ctx] }
}

export function createLd(p: Provision, entity: object): Promise<Reply> {
  return p.broker.request('POST', '/entities/', {
    headers: { 'content-type': LD },
    body: withCtx(p.ctx, entity),
  })
}

export function createJson(p: Provision, entity: object, link?: string): Promise<Reply> {
  return p.broker.request('POST', '/entities/', {
    headers: link === undefined ? { 'content-type': JSON_CT } : jsonWithLink(link),
    body: entity,
  })
}

/** GET /entities/{id}, with the compound context in a Link header unless `ctx` is null. */
export function retrieve(
  p: Provision,
  id: string,
  options: { ctx?: string | null; accept?: string; query?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {}
  const ctx = options.ctx === undefined ? p.ctx : options.ctx
  if (ctx !== null) headers.link = linkTo(ctx)
  if (options.accept !== undefined) headers.accept = options.accept
  const q = options.query === undefined ? '' : `?${options.query}`
  return p.broker.request('GET', `/entities/${encodeURIComponent(id)}${q}`, { headers })
}

export async function retrieveBody(
  p: Provision,
  id: string,
  options: { ctx?: string | null; accept?: string; query?: string } = {},
): Promise<Record<string, unknown>> {
  const r = await retrieve(p, id, options)
  expect(r.status, r.text).toBe(200)
  return r.body as Record<string, unknown>
}

/** The suite's ProblemDetails checks: status, `type`, and a non-empty `title`. */
export function expectProblem(reply: Reply, status: number, type?: string): void {
  expect(reply.status, reply.text).toBe(status)
  if (type === undefined) return
  const body = reply.body as { type?: unknown; title?: unknown }
  expect(body.type, reply.text).toBe(`${ERR}${type}`)
  expect(typeof body.title === 'string' && body.title.length > 0, reply.text).toBe(true)
}

/** 201 with an empty body and a Location naming the id. */
export function expectCreated(reply: Reply, id?: string): void {
  expect(reply.status, reply.text).toBe(201)
  expect(reply.text).toBe('')
  if (id !== undefined) expect(reply.headers.get('location') ?? '').toContain(id)
}

export function expectNoContent(reply: Reply): void {
  expect(reply.status, reply.text).toBe(204)
  expect(reply.text).toBe('')
}

/** Removes `instanceId` keys everywhere and the top-level @context, as the suite's comparator does. */
export function stripIgnored(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => stripIgnored(v, false))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      if (k === 'instanceId') continue
      if (top && k === '@context') continue
      out[k] = stripIgnored(v, false)
    }
    return out
  }
  return value
}

/** Arrays compared without regard to order, as the suite's comparator (DeepDiff ignore_order). */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    )
  return value
}

/** Entity body equal to the expectation, ignoring instanceId and comparing @context leniently. */
export function expectEntity(actual: unknown, expected: Record<string, unknown>): void {
  expect(canonical(stripIgnored(actual))).toEqual(canonical(stripIgnored(expected)))
  const expectedCtx = expected['@context']
  if (expectedCtx !== undefined) {
    const got = (actual as Record<string, unknown>)['@context']
    const norm = (c: unknown): unknown => (Array.isArray(c) && c.length === 1 ? c[0] : c)
    expect(norm(got)).toEqual(norm(expectedCtx))
  }
}

export async function deleteEntity(p: Provision, id: string): Promise<void> {
  await p.broker.request('DELETE', `/entities/${encodeURIComponent(id)}`)
}

/** Random ids in the suite's families. */
export const newBuildingId = (): string => uniqueUrn('Building')
export const newVehicleId = (): string => uniqueUrn('Vehicle')

/** The suite's building-simple-attributes sample as the Provision tests write it (no id). */
export const SIMPLE_BUILDING = {
  type: 'Building',
  name: { type: 'Property', value: 'Atomium' },
  subCategory: { type: 'Property', value: 'landmark' },
  airQualityLevel: {
    type: 'Property',
    value: 7,
    unitCode: 'C62',
    observedAt: '2021-03-04T10:20:00.000Z',
  },
  almostFull: { type: 'Property', value: true },
}

/** The suite's building with one attribute of each type (no id). */
export const DIFFERENT_TYPES_BUILDING = {
  type: 'Building',
  name: { type: 'Property', value: 'Atomium' },
  locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:Brussels' },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [4.34, 50.89] } },
  street: { type: 'LanguageProperty', languageMap: { fr: 'Place Royale', nl: 'Koningsplein' } },
}

/** `o` without its `key` member. */
export const without = (o: Record<string, unknown>, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))

/** Drops createdAt / modifiedAt everywhere (the suite ignores them by name). */
export function withoutSysAttrs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSysAttrs)
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'createdAt' && k !== 'modifiedAt')
        .map(([k, v]) => [k, withoutSysAttrs(v)]),
    )
  return value
}
