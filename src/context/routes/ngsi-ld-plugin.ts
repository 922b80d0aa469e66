/**
 * The NGSI-LD API as a Fastify plugin (GS CIM 009 V1.9.1): register it under `/ngsi-ld/v1`. It
 * keeps its own JSON body parsers, error handler and not-found handler inside its encapsulated
 * context, so other route groups keep Fastify's defaults.
 *
 * @example
 *   await app.register(ngsiLdPlugin, { prefix: '/ngsi-ld/v1', entities, tenants, bus, log,
 *     config: { maxLimit: 1000, defaultLimit: 20, ldContextNotAvailableStatus: 504 } })
 */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Bus } from '../../bus/bus.js'
import { AppError } from '../../core/errors.js'
import type { Logger } from '../../log/logger.js'
import type {
  EntityStore,
  RegistrationStore,
  TemporalStore,
  TenantStore,
} from '../../store/store.js'
import { JSON_LD_TYPE, JSON_TYPE, MERGE_PATCH_TYPE } from '../http/media-types.js'
import { TENANT_HEADER } from '../http/tenant.js'
import {
  createBundledContextResolver,
  createContextProcessor,
  type ContextRegistry,
  type ContextResolver,
} from '../jsonld/index.js'
import { problemErrorHandler, sendProblem, toProblem } from '../problem.js'
import { createCSourceNotifications } from '../registrations/index.js'
import { RenderCache } from '../representation/index.js'
import { attributeDiscoveryRoutes } from './attribute-discovery-routes.js'
import { attributeRoutes } from './attribute-routes.js'
import { batchRoutes } from './batch-routes.js'
import { createEntityMapRegistry } from '../entity-maps/entity-map-registry.js'
import { entityMapRoutes } from './entity-map-routes.js'
import { entityRoutes } from './entity-routes.js'
import { jsonldContextRoutes } from './jsonld-context-routes.js'
import type { RouteDeps } from './ngsi-route.js'
import { purgeRoutes } from './purge-routes.js'
import { queryRoutes } from './query-routes.js'
import { registerNgsiRoutes } from './register-routes.js'
import { temporalRoutes } from './temporal-routes.js'
import { temporalWriteRoutes } from './temporal-write-routes.js'
import type { SubscriptionService } from '../subscriptions/subscription-service.js'
import { subscriptionRoutes } from './subscription-routes.js'
import { sourceIdentityRoutes } from './source-identity-routes.js'
import { registrationRoutes } from './registration-routes.js'
import { registrationSubscriptionRoutes } from './registration-subscription-routes.js'
import { typeRoutes } from './type-routes.js'

export interface NgsiLdConfig {
  maxLimit: number
  defaultLimit: number
  /** GS CIM 009 V1.9.1 says 504; the conformance suite snapshot expects 503. */
  ldContextNotAvailableStatus: 503 | 504
  /** Prepended to Location headers (e.g. `https://city.example`); relative when absent. */
  baseUrl?: string
  /** Most instances per attribute in one temporal answer (206 + Content-Range beyond). */
  temporalMaxInstances?: number
}

export interface NgsiLdPluginOptions {
  entities: EntityStore
  tenants: TenantStore
  /** History for the temporal API; without it the temporal routes are not offered. */
  temporal?: TemporalStore
  bus: Bus
  /** Where remote @contexts come from; by default only the bundled core context. */
  contexts?: ContextResolver
  /** The @context storage: serves /jsonldContexts and resolves contexts (wins over `contexts`). */
  registry?: ContextRegistry
  /** Context source registrations: serves /csourceRegistrations and /csourceSubscriptions. */
  registrations?: RegistrationStore
  config: NgsiLdConfig
  log: Logger
  /** Subscriptions (§5.8); the routes are offered only when given. */
  subscriptions?: SubscriptionService
  /** Injectable clock for createdAt / modifiedAt. */
  clock?: () => Date
}

export function ngsiLdPlugin(app: FastifyInstance, deps: NgsiLdPluginOptions): Promise<void> {
  const { config } = deps
  installJsonParsers(app)
  app.setErrorHandler(
    problemErrorHandler({
      log: deps.log,
      ldContextNotAvailableStatus: config.ldContextNotAvailableStatus,
    }),
  )
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    sendProblem(
      reply,
      toProblem(
        new AppError('ResourceNotFound', `no NGSI-LD resource at ${request.url.split('?')[0]}`),
      ),
    )
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    const tenant = request.headers[TENANT_HEADER]
    if (typeof tenant === 'string' && tenant !== '') reply.header('NGSILD-Tenant', tenant)
    done(null, payload)
  })
  const clock = deps.clock ?? (() => new Date())
  const { subscriptions } = deps
  const routeDeps: RouteDeps = {
    entities: deps.entities,
    tenants: deps.tenants,
    bus: deps.bus,
    contexts: createContextProcessor({
      resolver: deps.registry ?? deps.contexts ?? createBundledContextResolver(),
    }),
    renders: new RenderCache(),
    log: deps.log,
    paging: { maxLimit: config.maxLimit, defaultLimit: config.defaultLimit },
    prefix: app.prefix,
    baseUrl: config.baseUrl ?? '',
    now: () => clock().toISOString(),
    ...(deps.temporal && { temporal: deps.temporal }),
    ...(config.temporalMaxInstances !== undefined && {
      temporalMaxInstances: config.temporalMaxInstances,
    }),
    ...(deps.registry && { registry: deps.registry }),
    ...(deps.registrations && { registrations: deps.registrations }),
    ...(deps.registrations &&
      subscriptions && {
        csourceNotifications: createCSourceNotifications({
          registrations: deps.registrations,
          send: (m, onOutcome) => subscriptions.send(m, onOutcome),
          newId: randomUUID,
          now: clock,
        }),
      }),
    entityMaps: createEntityMapRegistry({ clock }),
    ldContextNotAvailableStatus: config.ldContextNotAvailableStatus,
  }
  const { registry } = deps
  if (registry) app.addHook('onClose', () => registry.close())
  const { csourceNotifications } = routeDeps
  if (csourceNotifications)
    app.addHook('onClose', () => Promise.resolve(csourceNotifications.close()))
  registerNgsiRoutes(
    app,
    [
      ...entityRoutes(routeDeps),
      ...queryRoutes(routeDeps),
      ...attributeRoutes(routeDeps),
      ...batchRoutes(routeDeps),
      ...purgeRoutes(routeDeps),
      ...typeRoutes(routeDeps),
      ...temporalRoutes(routeDeps),
      ...temporalWriteRoutes(routeDeps),
      ...(deps.subscriptions ? subscriptionRoutes(routeDeps, deps.subscriptions) : []),
      ...jsonldContextRoutes(routeDeps),
      ...registrationRoutes(routeDeps),
      ...registrationSubscriptionRoutes(routeDeps),
      ...attributeDiscoveryRoutes(routeDeps),
      ...sourceIdentityRoutes(routeDeps),
      ...entityMapRoutes(routeDeps),
    ],
    routeDeps,
  )
  return Promise.resolve()
}

/** JSON bodies for the three media types NGSI-LD accepts; syntax errors are InvalidRequest. */
function installJsonParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    [JSON_TYPE, JSON_LD_TYPE, MERGE_PATCH_TYPE],
    { parseAs: 'string' },
    (
      request: FastifyRequest,
      body: string | Buffer,
      done: (err: Error | null, body?: unknown) => void,
    ) => {
      const text = typeof body === 'string' ? body : body.toString('utf8')
      // A DELETE carries no body; clients may still label the empty one (Content-Length: 0)
      // with a JSON Content-Type, as the conformance suite's HTTP client does.
      if (text === '' && (request.method === 'DELETE' || request.method === 'GET')) {
        done(null, undefined)
        return
      }
      if (text.trim() === '') {
        // A DELETE or GET carries no body: a Content-Type on it (the suite sends
        // application/json on DELETE attrs, 013_01) is not an empty body error.
        if (request.method === 'DELETE' || request.method === 'GET') done(null, undefined)
        else done(new AppError('InvalidRequest', 'the request body is empty'))
        return
      }
      try {
        done(
          null,
          text.includes('__proto__') ? JSON.parse(text, rejectProtoKeys) : JSON.parse(text),
        )
      } catch (err) {
        done(
          err instanceof AppError
            ? err
            : new AppError('InvalidRequest', 'the request body is not valid JSON'),
        )
      }
    },
  )
}

/** `__proto__` keys are a prototype-pollution vector and never valid NGSI-LD names. */
function rejectProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__')
    throw new AppError('BadRequestData', "'__proto__' is not allowed as a member name")
  return value
}
