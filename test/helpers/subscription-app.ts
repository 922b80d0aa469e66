/**
 * An in-process NGSI-LD API with subscriptions: Fastify + ngsiLdPlugin + memory stores + the
 * memory bus + the subscription service with the real HTTP and MQTT senders and the real URL
 * guard. The clock is real unless a test moves it forward.
 *
 * @example
 *   const t = await buildSubscriptionApp()
 *   await t.send('POST', '/subscriptions', { body: sub })
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import type { Bus } from '../../src/bus/bus.js'
import { createMemoryBus } from '../../src/bus/memory-bus.js'
import { ngsiLdPlugin } from '../../src/context/index.js'
import {
  createBundledContextResolver,
  createContextProcessor,
  type ContextResolver,
} from '../../src/context/jsonld/index.js'
import { ENDPOINT_SCHEMES } from '../../src/context/subscriptions/parse-notification-params.js'
import {
  createSubscriptionService,
  type SubscriptionService,
} from '../../src/context/subscriptions/subscription-service.js'
import { silentLogger } from '../../src/log/logger.js'
import { checkUrl } from '../../src/security/url-guard.js'
import { createHttpSender } from '../../src/services/notify/http-sender.js'
import { createMqttSender } from '../../src/services/notify/mqtt-sender.js'
import { createMemoryEntityStore } from '../../src/store/memory/memory-store.js'
import { createMemorySubscriptionStore } from '../../src/store/memory/memory-subscription-store.js'
import type { SubscriptionStore } from '../../src/store/store.js'
import { API, type Method, type SendOptions } from './ngsi-ld-app.js'

export interface SubscriptionTestApp {
  app: FastifyInstance
  send(method: Method, path: string, opts?: SendOptions): Promise<LightMyRequestResponse>
  subs: SubscriptionService
  store: SubscriptionStore
  bus: Bus
  /** Moves the clock forward. */
  tick(ms: number): void
  close(): Promise<void>
}

export async function buildSubscriptionApp(
  opts: {
    allowPrivate?: boolean
    maxAttempts?: number
    timeoutMs?: number
    contexts?: ContextResolver
  } = {},
): Promise<SubscriptionTestApp> {
  const entities = createMemoryEntityStore()
  const store = createMemorySubscriptionStore((t) => void entities.tenants.ensure(t))
  const bus = createMemoryBus(silentLogger)
  const resolver = opts.contexts ?? createBundledContextResolver()
  let offset = 0
  const clock = () => new Date(Date.now() + offset)
  const subs = createSubscriptionService({
    store,
    entities,
    bus,
    contexts: createContextProcessor({ resolver }),
    log: silentLogger,
    clock,
    checkUrl: (uri) =>
      checkUrl(uri, { schemes: ENDPOINT_SCHEMES, allowPrivate: opts.allowPrivate ?? true }),
    delivery: {
      senders: [createHttpSender(), createMqttSender()],
      timeoutMs: opts.timeoutMs ?? 2000,
      maxQueuedPerEndpoint: 100,
      maxAttempts: opts.maxAttempts ?? 1,
      backoffMs: 20,
    },
    flushIntervalMs: 50,
  })
  await subs.start()
  const app = Fastify({ routerOptions: { maxParamLength: 2048, ignoreTrailingSlash: true } })
  await app.register(ngsiLdPlugin, {
    prefix: API,
    entities,
    tenants: entities.tenants,
    bus,
    subscriptions: subs,
    contexts: resolver,
    log: silentLogger,
    clock,
    config: { maxLimit: 1000, defaultLimit: 20, ldContextNotAvailableStatus: 503 },
  })
  await app.ready()
  return {
    app,
    subs,
    store,
    bus,
    send(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers }
      let payload: string | undefined
      if (o.body !== undefined) {
        payload = typeof o.body === 'string' ? o.body : JSON.stringify(o.body)
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
    tick(ms) {
      offset += ms
    },
    async close() {
      await app.close()
      await subs.stop()
    },
  }
}
