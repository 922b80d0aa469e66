/**
 * Shared set-up for the temporal Provision conformance tests (temporal entities and their
 * attributes): the Provision helpers, a local test @context with the terms these tests use, the
 * suite's vehicle history (two speeds, three fuel levels of which one in its own dataset), and
 * the calls the suite's temporal keywords make.
 */
import { request as httpRequest } from 'node:http'
import { expect } from 'vitest'
import { startBroker } from '../support/broker.js'
import { useSetup } from '../support/use-broker.js'
import {
  CORE_V18,
  LD,
  SUITE_NS,
  linkTo,
  uniqueUrn,
  type Broker,
  type Provision,
  type Reply,
} from '../provision/support.js'

export * from '../provision/support.js'

const TERMS = ['Vehicle', 'speed', 'fuelLevel', 'brandName']

export async function startTemporalBroker(): Promise<Provision> {
  const broker = await startBroker()
  const terms = Object.fromEntries(TERMS.map((t) => [t, `${SUITE_NS}${t}`]))
  const termsUrl = broker.serveContext('/temporal-terms.jsonld', { '@context': terms })
  const ctx = broker.serveContext('/temporal-compound.jsonld', {
    '@context': [termsUrl, CORE_V18],
  })
  return { broker, ctx }
}

/** The file's temporal Provision broker, started before and stopped after its tests. */
export function useTemporalBroker(): Provision {
  return useSetup(startTemporalBroker, (p) => p.broker.stop())
}

export const FUEL_DATASET = 'urn:ngsi-ld:Vehicle:12345-fuel'

const prop = (value: unknown, observedAt: string, extra: Record<string, unknown> = {}) => ({
  type: 'Property',
  value,
  observedAt,
  ...extra,
})

export const SPEED = [prop(120, '2020-09-01T12:03:00Z'), prop(80, '2020-09-01T12:05:00Z')]
export const FUEL = [
  prop(67, '2020-09-01T12:03:00Z'),
  prop(53, '2020-09-01T13:05:00Z'),
  prop(40, '2020-09-01T14:07:00Z', { datasetId: FUEL_DATASET }),
]

/** The vehicle history most temporal provision cases start from. */
export function vehicleHistory(id: string): Record<string, unknown> {
  return { id, type: 'Vehicle', speed: SPEED, fuelLevel: FUEL }
}

export { prop as temporalProp }

/** POST /temporal/entities with the compound @context in the body (application/ld+json). */
export function upsertTemporal(p: Provision, body: Record<string, unknown>): Promise<Reply> {
  return p.broker.request('POST', '/temporal/entities/', {
    headers: { 'content-type': LD },
    body: { ...body, '@context': [p.ctx] },
  })
}

export async function createVehicleHistory(p: Provision): Promise<string> {
  const id = uniqueUrn('Vehicle')
  const r = await upsertTemporal(p, vehicleHistory(id))
  expect(r.status, r.text).toBe(201)
  return id
}

/** GET /temporal/entities/{id} as the suite's Retrieve keyword: Link context, Accept, options. */
export function retrieveTemporal(
  p: Provision,
  id: string,
  options: { ctx?: string | null; accept?: string; query?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {}
  const ctx = options.ctx === undefined ? p.ctx : options.ctx
  if (ctx !== null) headers.link = linkTo(ctx)
  if (options.accept !== undefined) headers.accept = options.accept
  const q = options.query === undefined ? '' : `?${options.query}`
  return p.broker.request('GET', `/temporal/entities/${id}${q}`, { headers })
}

export async function retrieveTemporalBody(
  p: Provision,
  id: string,
  options: { ctx?: string | null; accept?: string; query?: string } = {},
): Promise<Record<string, unknown>> {
  const r = await retrieveTemporal(p, id, { accept: LD, ...options })
  expect(r.status, r.text).toBe(200)
  return r.body as Record<string, unknown>
}

/** The instanceId of the first speed instance, as the suite picks it. */
export async function firstSpeedInstance(p: Provision, id: string): Promise<string> {
  const body = await retrieveTemporalBody(p, id)
  const speed = body['speed'] as { instanceId?: unknown }[]
  const instanceId = speed[0]?.instanceId
  expect(typeof instanceId).toBe('string')
  return instanceId as string
}

export function deleteTemporal(p: Provision, id: string): Promise<Reply> {
  return p.broker.request('DELETE', `/temporal/entities/${id}`)
}

/**
 * A request whose path goes on the wire byte for byte: fetch (WHATWG URL) would resolve
 * percent-encoded dot segments such as %2e%2e before sending, as the suite's client does not.
 */
export function rawRequest(
  broker: Broker,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const api = new URL(broker.api)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: api.hostname, port: api.port, method, path: `${api.pathname}${path}`, headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const h = new Headers()
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v)
          let body: unknown = text === '' ? undefined : text
          if (text !== '' && /json/.test(res.headers['content-type'] ?? '')) {
            try {
              body = JSON.parse(text)
            } catch {
              // keep the text
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: h, body, text })
        })
      },
    )
    req.on('error', reject)
    req.end()
  })
}
