/**
 * The shape of Civitas configuration, as a TypeBox schema (the same schema library that validates
 * HTTP requests and generates the OpenAPI document).
 */
import { Type, type Static } from '@sinclair/typebox'

const Port = Type.Integer({ minimum: 0, maximum: 65535 })

export const ConfigSchema = Type.Object({
  dataDir: Type.String({ minLength: 1 }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
  ),
  http: Type.Object({
    host: Type.String(),
    port: Port,
    /** Largest request body accepted, bytes. */
    bodyLimit: Type.Integer({ minimum: 1024 }),
    /** Whole request must arrive within this (slow-client defence; Node's default is 300 s). */
    requestTimeoutMs: Type.Integer({ minimum: 1000 }),
    headersTimeoutMs: Type.Integer({ minimum: 1000 }),
    keepAliveTimeoutMs: Type.Integer({ minimum: 1000 }),
    /** Public base URL used in links (Location headers are relative and do not need it). */
    publicUrl: Type.Optional(Type.String()),
  }),
  mqtt: Type.Object({
    mode: Type.Union([Type.Literal('embedded'), Type.Literal('external'), Type.Literal('off')]),
    host: Type.String(),
    port: Port,
    /** External broker URL, e.g. mqtt://127.0.0.1:1883. */
    url: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    /** Client id of the persistent session on an external broker. */
    clientId: Type.String(),
    /** Packets larger than this close the connection before the broker buffers them. */
    maxPacketBytes: Type.Integer({ minimum: 1024 }),
  }),
  ingest: Type.Object({
    /** Most data points in one transaction. */
    maxBatchPoints: Type.Integer({ minimum: 1 }),
    /** Data points accepted but not yet committed before producers are slowed down. */
    maxQueuedPoints: Type.Integer({ minimum: 1 }),
    /** Most measurements in one message. */
    maxMeasurements: Type.Integer({ minimum: 1 }),
  }),
  history: Type.Object({
    /** A series buffer is sealed into a compressed chunk when it holds this many points. */
    sealPoints: Type.Integer({ minimum: 2 }),
    /** ...or when its oldest unsealed point arrived this long ago. */
    sealAgeMs: Type.Integer({ minimum: 1000 }),
    /** Upper bound on unsealed points held in memory before the largest buffers are sealed early. */
    maxBufferedPoints: Type.Integer({ minimum: 1000 }),
  }),
  ngsiLd: Type.Object({
    defaultLimit: Type.Integer({ minimum: 1 }),
    maxLimit: Type.Integer({ minimum: 1 }),
    ldContextNotAvailableStatus: Type.Union([Type.Literal(503), Type.Literal(504)]),
    /** Most instances per attribute in one temporal answer; beyond it 206 + Content-Range. */
    temporalMaxInstances: Type.Integer({ minimum: 1 }),
    /** Remote @contexts (GS CIM 009 §5.13): fetched only through the guarded fetcher. */
    contexts: Type.Object({
      /** Fetch remote @contexts at all; off = only bundled and stored contexts resolve. */
      fetchRemote: Type.Boolean(),
      /** Hosts remote contexts may come from (`example.org`, `*.example.org`); empty = any. */
      allowedHosts: Type.Array(Type.String({ minLength: 1 })),
      /** Allow loopback and private addresses (an SSRF door: only for closed networks and tests). */
      allowPrivateAddresses: Type.Boolean(),
      fetchTimeoutMs: Type.Integer({ minimum: 100 }),
      maxBytes: Type.Integer({ minimum: 1024 }),
      maxRedirects: Type.Integer({ minimum: 0, maximum: 10 }),
      /** Lifetime of a downloaded (Cached) context before it is fetched again. */
      cacheTtlMs: Type.Integer({ minimum: 1000 }),
    }),
  }),
  callbacks: Type.Object({
    /**
     * Let the server call private, loopback and link-local addresses (subscription notifications,
     * remote @contexts). Off by default: it is an SSRF door into the city's own network.
     */
    allowPrivate: Type.Boolean(),
    /** When non-empty, only these host names may be called. */
    allowHosts: Type.Array(Type.String()),
    /** One notification attempt may take this long (ms). */
    timeoutMs: Type.Integer({ minimum: 100 }),
    /** Notifications waiting per endpoint; beyond it the oldest are dropped (and counted failed). */
    maxQueuedPerEndpoint: Type.Integer({ minimum: 1 }),
    /** Notification requests in flight per endpoint (1 keeps them in order). */
    maxInFlightPerEndpoint: Type.Integer({ minimum: 1 }),
    /** Attempts per notification (with exponential back-off between them). */
    maxAttempts: Type.Integer({ minimum: 1 }),
  }),
  web: Type.Object({
    /** Map tile URL template; null shows only the bundled city geometry. */
    tileUrl: Type.Union([Type.String(), Type.Null()]),
    tileAttribution: Type.String(),
  }),
  demo: Type.Object({
    devices: Type.Integer({ minimum: 1 }),
    intervalMs: Type.Integer({ minimum: 100 }),
    seed: Type.Integer(),
    /** Simulated device faults (dead batteries, stuck sensors, gaps, spikes); off for tests. */
    faults: Type.Boolean(),
    /** Where `civitas replay` finds the open datasets (one folder per dataset). */
    datasetsDir: Type.String(),
  }),
})

export type Config = Static<typeof ConfigSchema>
