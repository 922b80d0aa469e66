/**
 * The composition root: builds a Civitas server from a Config without listening. Adapters are
 * chosen here and nowhere else.
 *
 * @example
 *   const civitas = await createApp(loadConfig())
 *   const { httpPort, mqttPort } = await civitas.start()
 *   await civitas.stop()
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { Config } from './config/load-config.js'
import { BUILTIN_PROFILES } from './core/device-profiles.js'
import { AppError } from './core/errors.js'
import { createMemoryBus } from './bus/memory-bus.js'
import type { Bus } from './bus/bus.js'
import type { Logger } from './log/logger.js'
import { createPinoLogger } from './log/pino-logger.js'
import { createDeviceDirectory, type DeviceDirectory } from './ingest/device-directory.js'
import { createDeviceRegistry, type DeviceRegistry } from './ingest/device-registry.js'
import { operatorGuard, registerDeviceRoutes } from './ingest/http/device-routes.js'
import { registerImportRoutes } from './ingest/http/import-routes.js'
import { registerMeasurementRoutes } from './ingest/http/measurement-routes.js'
import { startEmbeddedBroker, type EmbeddedBroker } from './ingest/mqtt/embedded-broker.js'
import { startExternalClient, type ExternalClient } from './ingest/mqtt/external-client.js'
import { createIngestPipeline, type IngestPipeline } from './ingest/pipeline.js'
import { createMetrics } from './ops/metrics.js'
import { registerOpsRoutes } from './ops/ops-routes.js'
import { FailureOnlyLogController } from './ops/request-log.js'
import { lazyChildLoggerFactory } from './ops/lazy-request-logger.js'
import { loadOrCreateAdminToken } from './security/admin-token.js'
import { registerCityRoutes, type CityGeography } from './services/city/city-routes.js'
import { registerLiveRoutes } from './services/live/live-routes.js'
import { registerExportRoutes } from './services/history/export-routes.js'
import { registerRetentionRoutes } from './services/history/retention-routes.js'
import { openSqliteStore, type SqliteStore } from './store/sqlite/sqlite-store.js'
import {
  createBundledContextResolver,
  createContextFetcher,
  createContextProcessor,
  createContextRegistry,
  createStrictUrlCheck,
} from './context/jsonld/index.js'
import { createSnapshotSerializer } from './context/representation/index.js'
import { problemErrorHandler } from './context/problem.js'
import { ngsiLdPlugin } from './context/routes/ngsi-ld-plugin.js'
import { ENDPOINT_SCHEMES } from './context/subscriptions/parse-notification-params.js'
import {
  createSubscriptionService,
  type SubscriptionService,
} from './context/subscriptions/subscription-service.js'
import { checkUrl } from './security/url-guard.js'
import { createHttpSender } from './services/notify/http-sender.js'
import { createMqttSender } from './services/notify/mqtt-sender.js'

export interface CivitasApp {
  readonly http: FastifyInstance
  readonly store: SqliteStore
  readonly bus: Bus
  readonly pipeline: IngestPipeline
  readonly registry: DeviceRegistry
  readonly directory: DeviceDirectory
  readonly subscriptions: SubscriptionService
  readonly adminToken: string
  readonly log: Logger
  start(): Promise<{ httpPort: number; mqttPort: number | undefined }>
  stop(): Promise<void>
}

export interface AppOptions {
  log?: Logger
  /** City geography for the map (the demo passes its fictional city). */
  city?: CityGeography
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError'
  constructor(
    readonly service: 'http' | 'mqtt',
    readonly port: number,
  ) {
    super(
      service === 'mqtt'
        ? `MQTT port ${port} is already in use (is another broker such as Mosquitto running?). ` +
            `Choose another port with CIVITAS_MQTT_PORT=1884, or use that broker with CIVITAS_MQTT_MODE=external CIVITAS_MQTT_URL=mqtt://127.0.0.1:${port}.`
        : `HTTP port ${port} is already in use. Choose another with CIVITAS_HTTP_PORT=8081.`,
    )
  }
}

export async function createApp(config: Config, opts: AppOptions = {}): Promise<CivitasApp> {
  const log = opts.log ?? createPinoLogger({ level: config.logLevel })
  const dataDir = resolve(config.dataDir)
  mkdirSync(dataDir, { recursive: true })
  const adminToken = loadOrCreateAdminToken(dataDir)

  // Device measurement names are expanded and compacted with the NGSI-LD core @context, the same
  // way the context API treats a client that sends no Link header; the store serializes entities
  // for such a client too.
  const coreContext = await createContextProcessor({
    resolver: createBundledContextResolver(),
  }).activeContext(undefined)
  const store = openSqliteStore({
    file: join(dataDir, 'civitas.db'),
    history: config.history,
    serializer: createSnapshotSerializer(coreContext),
    onSeal: (r) => log.debug({ ...r }, 'history sealed'),
    onRetention: (run) => log.info({ ...run }, 'retention run'),
    onRetentionError: (err) => log.error({ err }, 'retention run failed'),
  })
  const bus = createMemoryBus(log.child({ module: 'bus' }))
  let broker: EmbeddedBroker | undefined
  let external: ExternalClient | undefined

  const metrics = createMetrics({
    queueDepth: () => pipeline.committer.depth,
    connectedDevices: () => broker?.connectedClients ?? 0,
    bufferedHistoryPoints: () => store.history.bufferedPoints,
  })
  const pipeline = createIngestPipeline({
    expandName: (name) => coreContext.expandTerm(name),
    store,
    bus,
    log: log.child({ module: 'ingest' }),
    profiles: BUILTIN_PROFILES,
    config: config.ingest,
    hooks: {
      committed(ms, points) {
        metrics.commitSeconds.observe(ms / 1000)
        metrics.commitPoints.observe(points)
        metrics.ingestedPoints.inc(points)
      },
      rejected: () => metrics.rejected.inc(),
    },
  })
  const directory = createDeviceDirectory(store.devices)
  // Remote @contexts only through the guarded fetcher; stored ones are served from this base URL.
  const ctxConfig = config.ngsiLd.contexts
  const contextRegistry = createContextRegistry({
    store: store.contexts,
    ...(ctxConfig.fetchRemote && {
      fetcher: createContextFetcher({
        checkUrl: createStrictUrlCheck(ctxConfig),
        timeoutMs: ctxConfig.fetchTimeoutMs,
        maxBytes: ctxConfig.maxBytes,
        maxRedirects: ctxConfig.maxRedirects,
        allowPrivateAddresses: ctxConfig.allowPrivateAddresses,
      }),
    }),
    servedBaseUrl: `${config.http.publicUrl ?? `http://localhost:${config.http.port}`}/ngsi-ld/v1/jsonldContexts/`,
    cacheTtlMs: ctxConfig.cacheTtlMs,
    log: log.child({ module: 'jsonld' }),
  })
  const { allowPrivate, allowHosts, ...delivery } = config.callbacks
  const subscriptions = createSubscriptionService({
    store: store.subscriptions,
    entities: store.entities,
    bus,
    // The same @contexts as the API: hosted and cached ones resolve for subscriptions too.
    contexts: createContextProcessor({ resolver: contextRegistry }),
    log: log.child({ module: 'subscriptions' }),
    checkUrl: (uri) => checkUrl(uri, { schemes: ENDPOINT_SCHEMES, allowPrivate, allowHosts }),
    delivery: { senders: [createHttpSender(), createMqttSender()], ...delivery },
  })
  const registry = createDeviceRegistry({
    devices: store.devices,
    profiles: BUILTIN_PROFILES,
    onChange: (t, id) => directory.forget(t, id),
  })

  const http = Fastify({
    ...('pino' in log && {
      loggerInstance: (log as ReturnType<typeof createPinoLogger>)
        .pino as unknown as FastifyBaseLogger,
    }),
    logController: new FailureOnlyLogController(),
    childLoggerFactory: lazyChildLoggerFactory,
    bodyLimit: config.http.bodyLimit,
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    connectionTimeout: config.http.requestTimeoutMs,
    return503OnClosing: true,
    // Node checks header/request timeouts on this interval (30 s by default), so a slow client
    // could hold a socket for 30 s past its deadline; check often enough to keep the deadline.
    http: {
      connectionsCheckingInterval: Math.max(
        100,
        Math.min(config.http.headersTimeoutMs, config.http.requestTimeoutMs) / 4,
      ),
    },
    // Entity ids are URIs in the path; Smart Data Models ids approach 100 characters.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  })
  http.server.headersTimeout = config.http.headersTimeoutMs
  http.setErrorHandler(
    problemErrorHandler({
      log,
      ldContextNotAvailableStatus: config.ngsiLd.ldContextNotAvailableStatus,
    }),
  )
  http.setNotFoundHandler((req) => {
    throw new AppError('ResourceNotFound', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`)
  })

  await http.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Civitas API',
        version: '0.1.0',
        description: 'Device ingest, device registry, live data and the ETSI NGSI-LD context API.',
      },
      tags: [
        { name: 'ingest', description: 'Devices send measurements' },
        { name: 'devices', description: 'Device registry' },
        { name: 'live', description: 'Dashboard data' },
        { name: 'history', description: 'Retention and export of history' },
        { name: 'operations', description: 'Health and metrics' },
        { name: 'ngsi-ld', description: 'ETSI NGSI-LD API (GS CIM 009 V1.9.1)' },
      ],
    },
  })
  await http.register(fastifySwaggerUi, { routePrefix: '/docs' })
  http.get('/openapi.json', { schema: { hide: true } }, () => http.swagger())

  registerOpsRoutes(http, {
    metrics,
    ready: () => {
      const saturated = !pipeline.hasRoom()
      const mqttOk =
        config.mqtt.mode === 'off' || broker !== undefined || (external?.connected ?? false)
      return {
        ready: started && !saturated && mqttOk,
        checks: {
          store: 'ok',
          mqtt: mqttOk ? 'ok' : 'down',
          ingest: saturated ? 'saturated' : 'ok',
          // Queries are answered meanwhile (by SQL); the in-memory index makes them fast.
          queryIndex: store.valueColumns.ready ? 'ok' : 'building',
        },
      }
    },
  })
  registerMeasurementRoutes(http, { pipeline, directory })
  registerDeviceRoutes(http, {
    devices: store.devices,
    registry,
    directory,
    profiles: BUILTIN_PROFILES,
    adminToken,
  })
  registerImportRoutes(http, { pipeline, directory, requireOperator: operatorGuard(adminToken) })
  registerLiveRoutes(http, {
    bus,
    temporal: store.temporal,
    entities: store.entities,
    compactName: (iri) => coreContext.compactIri(iri),
    expandName: (term) => coreContext.expandTerm(term),
  })
  registerRetentionRoutes(http, {
    retention: store.retention,
    requireOperator: operatorGuard(adminToken),
    expandName: (term) => coreContext.expandTerm(term),
    compactName: (iri) => coreContext.compactIri(iri),
  })
  registerExportRoutes(http, {
    temporal: store.temporal,
    entities: store.entities,
    expandName: (term) => coreContext.expandTerm(term),
    compactName: (iri) => coreContext.compactIri(iri),
  })
  registerCityRoutes(http, {
    city: () => Promise.resolve(opts.city ?? emptyCity()),
    tileUrl: config.web.tileUrl,
    tileAttribution: config.web.tileAttribution,
  })
  await http.register(ngsiLdPlugin, {
    prefix: '/ngsi-ld/v1',
    registry: contextRegistry,
    registrations: store.registrations,
    entities: store.entities,
    tenants: store.tenants,
    temporal: store.temporal,
    bus,
    subscriptions,
    config: config.ngsiLd,
    log: log.child({ module: 'ngsi-ld' }),
  })

  const webDist = fileURLToPath(new URL('../web/dist', import.meta.url))
  if (existsSync(webDist)) {
    await http.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      index: 'index.html',
      wildcard: false,
      maxAge: '1h',
    })
  }

  let started = false
  return {
    http,
    store,
    bus,
    pipeline,
    registry,
    directory,
    subscriptions,
    adminToken,
    log,
    async start() {
      store.history.warmUp()
      await subscriptions.start()
      if (config.mqtt.mode === 'embedded') {
        try {
          broker = await startEmbeddedBroker(config.mqtt, {
            pipeline,
            directory,
            log: log.child({ module: 'mqtt' }),
          })
        } catch (err) {
          if ((err as { code?: string }).code === 'EADDRINUSE')
            throw new PortInUseError('mqtt', config.mqtt.port)
          throw err
        }
      } else if (config.mqtt.mode === 'external') {
        if (!config.mqtt.url)
          throw new AppError(
            'BadRequestData',
            'CIVITAS_MQTT_URL is required when CIVITAS_MQTT_MODE=external',
          )
        external = await startExternalClient(
          {
            url: config.mqtt.url,
            clientId: config.mqtt.clientId,
            ...(config.mqtt.username !== undefined && { username: config.mqtt.username }),
            ...(config.mqtt.password !== undefined && { password: config.mqtt.password }),
          },
          { pipeline, directory, log: log.child({ module: 'mqtt-external' }) },
        )
      }
      try {
        await http.listen({ port: config.http.port, host: config.http.host })
      } catch (err) {
        await broker?.close()
        if ((err as { code?: string }).code === 'EADDRINUSE')
          throw new PortInUseError('http', config.http.port)
        throw err
      }
      started = true
      const addr = http.server.address()
      return {
        httpPort: typeof addr === 'object' && addr ? addr.port : config.http.port,
        mqttPort: broker?.port,
      }
    },
    async stop() {
      // Reverse order: stop taking data, flush what was accepted, then close storage.
      started = false
      await broker?.close()
      await external?.close()
      await http.close()
      await pipeline.close()
      await subscriptions.stop()
      await bus.close()
      await store.close()
    },
  }
}

function emptyCity(): CityGeography {
  return {
    name: 'Civitas',
    center: [0, 20],
    zoom: 2,
    districts: { type: 'FeatureCollection', features: [] },
    roads: { type: 'FeatureCollection', features: [] },
  }
}
