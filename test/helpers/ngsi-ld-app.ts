/**
 * An in-process NGSI-LD API for tests: Fastify + ngsiLdPlugin + the memory store + the memory bus,
 * with a fixed clock and every published entity.changed event recorded.
 *
 * @example
 *   const t = await buildNgsiLdApp()
 *   const res = await t.app.inject({ method: 'GET', url: '/ngsi-ld/v1/types' })
 */
import Fastify, { type FastifyInstance } from 'fastify'
import type { EntityChanged } from '../../src/bus/bus.js'
import { createMemoryBus } from '../../src/bus/memory-bus.js'
import { ngsiLdPlugin, type ContextResolver, type NgsiLdConfig } from '../../src/context/index.js'
import { silentLogger } from '../../src/log/logger.js'
import { createMemoryEntityStore, type MemoryEntityStore } from '../../src/store/memory/memory-store.js'

export const API = '/ngsi-ld/v1'
export const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld'
export const LINK_REL = 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'

export interface NgsiLdTestApp {
  app: FastifyInstance
  store: MemoryEntityStore
  events: EntityChanged[]
  /** Moves the fixed clock forward. */
  tick(ms?: number): void
  close(): Promise<void>
}

export interface BuildOptions {
  contexts?: ContextResolver
  config?: Partial<NgsiLdConfig>
}

export async function buildNgsiLdApp(opts: BuildOptions = {}): Promise<NgsiLdTestApp> {
  const store = createMemoryEntityStore()
  const bus = createMemoryBus(silentLogger)
  const events: EntityChanged[] = []
  bus.subscribe('entity.changed', (e) => {
    events.push(e)
  })
  let now = Date.parse('2026-03-01T10:00:00.000Z')
  const app = Fastify({ routerOptions: { maxParamLength: 2048 } })
  await app.register(ngsiLdPlugin, {
    prefix: API,
    entities: store,
    tenants: store.tenants,
    bus,
    log: silentLogger,
    clock: () => new Date(now),
    ...(opts.contexts && { contexts: opts.contexts }),
    config: { maxLimit: 1000, defaultLimit: 20, ldContextNotAvailableStatus: 503, ...opts.config },
  })
  await app.ready()
  return {
    app,
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
