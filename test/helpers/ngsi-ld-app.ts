/**
 * An in-process NGSI-LD API for tests: Fastify + ngsiLdPlugin + the memory store + the memory bus,
 * with a fixed clock and every published entity.changed event recorded.
 *
 * @example
 *   const t = await buildNgsiLdApp()
 *   const res = await t.app.inject({ method: 'GET', url: '/ngsi-ld/v1/types' })
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import type { EntityChanged } from '../../src/bus/bus.js'
import { createMemoryBus } from '../../src/bus/memory-bus.js'
import {
  ngsiLdPlugin,
  type ContextResolver,
  type NgsiLdConfig,
  type NgsiLdPluginOptions,
} from '../../src/context/index.js'
import { silentLogger } from '../../src/log/logger.js'
import {
  createMemoryEntityStore,
  type MemoryEntityStore,
} from '../../src/store/memory/memory-store.js'

export const API = '/ngsi-ld/v1'
export const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld'
export const LINK_REL = 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface SendOptions {
  /** Objects are sent as JSON (Content-Type application/json unless headers say otherwise). */
  body?: unknown
  headers?: Record<string, string>
}

export interface NgsiLdTestApp {
  app: FastifyInstance
  /** A request to a path under the API prefix. */
  send(method: Method, path: string, opts?: SendOptions): Promise<LightMyRequestResponse>
  store: MemoryEntityStore
  events: EntityChanged[]
  /** Moves the fixed clock forward. */
  tick(ms?: number): void
  close(): Promise<void>
}

export interface BuildOptions {
  contexts?: ContextResolver
  config?: Partial<NgsiLdConfig>
  /** Router mode of the host app (the production app ignores trailing slashes). */
  ignoreTrailingSlash?: boolean
  /** Further plugin options (the @context registry, registration store…). */
  plugin?: Partial<NgsiLdPluginOptions>
}

export async function buildNgsiLdApp(opts: BuildOptions = {}): Promise<NgsiLdTestApp> {
  const store = createMemoryEntityStore()
  const bus = createMemoryBus(silentLogger)
  const events: EntityChanged[] = []
  bus.subscribe('entity.changed', (e) => {
    events.push(e)
  })
  let now = Date.parse('2026-03-01T10:00:00.000Z')
  const app = Fastify({
    routerOptions: { maxParamLength: 2048, ignoreTrailingSlash: opts.ignoreTrailingSlash ?? false },
  })
  await app.register(ngsiLdPlugin, {
    prefix: API,
    entities: store,
    tenants: store.tenants,
    bus,
    log: silentLogger,
    clock: () => new Date(now),
    ...(opts.contexts && { contexts: opts.contexts }),
    config: { maxLimit: 1000, defaultLimit: 20, ldContextNotAvailableStatus: 503, ...opts.config },
    ...opts.plugin,
  })
  await app.ready()
  return {
    app,
    send(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers }
      let payload: string | undefined
      if (opts.body !== undefined) {
        payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          headers['content-type'] = 'application/json'
      }
      return app.inject({
        method,
        url: `${API}${path}`,
        headers,
        ...(payload !== undefined && { payload }),
      })
    },
    store,
    events,
    tick(ms = 1000) {
      now += ms
    },
    close: () => app.close(),
  }
}

/** A Link header naming a JSON-LD context. */
export function linkTo(url: string): string {
  return `<${url}>; ${LINK_REL}`
}

/** Asserts an NGSI-LD problem response: status, exact JSON content type, type URI, non-empty title. */
export function expectProblem(
  res: LightMyRequestResponse,
  status: number,
  kind: string,
): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toBe('application/json')
  expect(res.headers['link']).toBeUndefined()
  const body = res.json<Record<string, unknown>>()
  const base = kind.startsWith('http') ? '' : 'https://uri.etsi.org/ngsi-ld/errors/'
  expect(body['type']).toBe(base + kind)
  expect(typeof body['title'] === 'string' && body['title'] !== '').toBe(true)
  expect(body['status']).toBe(status)
  return body
}

/** A minimal valid entity in normalized form. */
export function building(
  id = 'urn:ngsi-ld:Building:1',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    type: 'Building',
    name: { type: 'Property', value: 'Eiffel Tower' },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [2.2945, 48.8584] } },
    ...extra,
  }
}
