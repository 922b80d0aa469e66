/**
 * Reads configuration once: defaults ← optional JSON file (CIVITAS_CONFIG) ← environment. Validates
 * against the schema, deep-freezes and returns it. The only module that reads process.env.
 *
 * @example
 *   const config = loadConfig()            // process.env
 *   const test = loadConfig({ CIVITAS_HTTP_PORT: '0' })
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Value } from '@sinclair/typebox/value'
import { ConfigSchema, type Config } from './config-schema.js'

export type { Config } from './config-schema.js'

type Env = Readonly<Record<string, string | undefined>>
type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }

export function defaultConfig(): Config {
  return {
    dataDir: './data',
    logLevel: 'info',
    http: {
      host: '0.0.0.0',
      port: 8080,
      bodyLimit: 1024 * 1024,
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
    },
    mqtt: {
      mode: 'embedded',
      host: '0.0.0.0',
      port: 1883,
      clientId: 'civitas-ingest',
      maxPacketBytes: 256 * 1024,
    },
    ingest: { maxBatchPoints: 20_000, maxQueuedPoints: 200_000, maxMeasurements: 200 },
    history: { sealPoints: 1_000, sealAgeMs: 3_600_000, maxBufferedPoints: 20_000_000 },
    ngsiLd: {
      defaultLimit: 20,
      maxLimit: 1000,
      ldContextNotAvailableStatus: 503,
      temporalMaxInstances: 10_000,
      contexts: {
        fetchRemote: true,
        allowedHosts: [],
        allowPrivateAddresses: false,
        fetchTimeoutMs: 5_000,
        maxBytes: 1024 * 1024,
        maxRedirects: 3,
        cacheTtlMs: 24 * 3_600_000,
      },
    },
    callbacks: {
      allowPrivate: false,
      allowHosts: [],
      timeoutMs: 5_000,
      maxQueuedPerEndpoint: 1_000,
      maxInFlightPerEndpoint: 4,
      maxAttempts: 3,
    },
    web: {
      tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      tileAttribution: '© OpenStreetMap contributors',
    },
    demo: {
      devices: 600,
      intervalMs: 10_000,
      seed: 42,
      faults: true,
      datasetsDir: '../shared/datasets',
    },
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** Environment variables and the config path they set. */
const ENV_MAP: Record<
  string,
  { path: string[]; kind: 'string' | 'int' | 'nullable' | 'boolean' | 'list' }
> = {
  CIVITAS_DATA_DIR: { path: ['dataDir'], kind: 'string' },
  CIVITAS_LOG_LEVEL: { path: ['logLevel'], kind: 'string' },
  CIVITAS_HTTP_HOST: { path: ['http', 'host'], kind: 'string' },
  CIVITAS_HTTP_PORT: { path: ['http', 'port'], kind: 'int' },
  CIVITAS_HTTP_BODY_LIMIT: { path: ['http', 'bodyLimit'], kind: 'int' },
  CIVITAS_PUBLIC_URL: { path: ['http', 'publicUrl'], kind: 'string' },
  CIVITAS_MQTT_MODE: { path: ['mqtt', 'mode'], kind: 'string' },
  CIVITAS_MQTT_HOST: { path: ['mqtt', 'host'], kind: 'string' },
  CIVITAS_MQTT_PORT: { path: ['mqtt', 'port'], kind: 'int' },
  CIVITAS_MQTT_URL: { path: ['mqtt', 'url'], kind: 'string' },
  CIVITAS_MQTT_USERNAME: { path: ['mqtt', 'username'], kind: 'string' },
  CIVITAS_MQTT_PASSWORD: { path: ['mqtt', 'password'], kind: 'string' },
  CIVITAS_MQTT_CLIENT_ID: { path: ['mqtt', 'clientId'], kind: 'string' },
  CIVITAS_MQTT_MAX_PACKET_BYTES: { path: ['mqtt', 'maxPacketBytes'], kind: 'int' },
  CIVITAS_INGEST_MAX_QUEUED_POINTS: { path: ['ingest', 'maxQueuedPoints'], kind: 'int' },
  CIVITAS_HISTORY_SEAL_POINTS: { path: ['history', 'sealPoints'], kind: 'int' },
  CIVITAS_HISTORY_SEAL_AGE_MS: { path: ['history', 'sealAgeMs'], kind: 'int' },
  CIVITAS_TILE_URL: { path: ['web', 'tileUrl'], kind: 'nullable' },
  CIVITAS_DEMO_DEVICES: { path: ['demo', 'devices'], kind: 'int' },
  CIVITAS_DEMO_INTERVAL_MS: { path: ['demo', 'intervalMs'], kind: 'int' },
  CIVITAS_DATASETS_DIR: { path: ['demo', 'datasetsDir'], kind: 'string' },
  CIVITAS_DEMO_FAULTS: { path: ['demo', 'faults'], kind: 'boolean' },
  CIVITAS_CONTEXT_FETCH: { path: ['ngsiLd', 'contexts', 'fetchRemote'], kind: 'boolean' },
  CIVITAS_CONTEXT_ALLOWED_HOSTS: { path: ['ngsiLd', 'contexts', 'allowedHosts'], kind: 'list' },
  CIVITAS_CONTEXT_ALLOW_PRIVATE: {
    path: ['ngsiLd', 'contexts', 'allowPrivateAddresses'],
    kind: 'boolean',
  },
  CIVITAS_TEMPORAL_MAX_INSTANCES: { path: ['ngsiLd', 'temporalMaxInstances'], kind: 'int' },
  CIVITAS_ALLOW_PRIVATE_CALLBACKS: { path: ['callbacks', 'allowPrivate'], kind: 'boolean' },
}

export function loadConfig(env: Env = process.env, overrides: DeepPartial<Config> = {}): Config {
  const config = defaultConfig() as unknown as Record<string, unknown>
  const file = env.CIVITAS_CONFIG
  if (file) {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(resolve(file), 'utf8'))
    } catch (err) {
      throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`)
    }
    deepMerge(config, parsed)
  }
  for (const [name, { path, kind }] of Object.entries(ENV_MAP)) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    let value: unknown = raw
    if (kind === 'int') {
      if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${name} must be an integer, got "${raw}"`)
      value = Number(raw)
    } else if (kind === 'boolean') {
      if (!/^(true|false|on|off|1|0)$/.test(raw))
        throw new ConfigError(`${name} must be true or false, got "${raw}"`)
      value = /^(true|on|1)$/.test(raw)
    } else if (kind === 'list') {
      value = raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    } else if (kind === 'nullable' && (raw === 'none' || raw === 'null')) {
      value = null
    }
    setPath(config, path, value)
  }
  deepMerge(config, overrides)
  if (!Value.Check(ConfigSchema, config)) {
    const first = [...Value.Errors(ConfigSchema, config)][0]
    throw new ConfigError(
      `invalid configuration at ${first?.path ?? '/'}: ${first?.message ?? 'invalid'}`,
    )
  }
  return deepFreeze(config)
}

/** The config as it is safe to print: secrets replaced. */
export function maskConfig(config: Config): unknown {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) =>
      /password|secret|token/i.test(key) && typeof value === 'string' ? '***' : value,
    ),
  )
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>
  node[path[path.length - 1] as string] = value
}

function deepMerge(target: Record<string, unknown>, source: unknown): void {
  if (source === null || typeof source !== 'object') return
  for (const [k, v] of Object.entries(source)) {
    const cur = target[k]
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object') {
      deepMerge(cur as Record<string, unknown>, v)
    } else if (v !== undefined) {
      target[k] = v
    }
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}
