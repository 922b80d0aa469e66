/**
 * The `notification` member of a Subscription (§5.2.14 NotificationParams, §5.2.15 Endpoint):
 * checked and turned into the internal form with expanded attribute names. Read-only members
 * the broker writes (status, timesSent, lastNotification…) are ignored on input.
 *
 * @example
 *   parseNotificationParams({ format: 'keyValues', endpoint: { uri: 'http://x/n' } }, ctx)
 */
import { AppError } from '../../core/errors.js'
import type {
  KeyValuePair,
  NotificationEndpoint,
  NotificationParams,
} from '../../core/subscription.js'
import { isJsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import { expandAttributeName, isAbsoluteUri } from '../representation/index.js'
import { parseJoin } from '../representation/join-entities.js'

export const NOTIFICATION_FORMATS = ['normalized', 'concise', 'keyValues', 'simplified']
export const ENDPOINT_SCHEMES = ['http', 'https', 'mqtt', 'mqtts']
const ACCEPT_TYPES = ['application/json', 'application/ld+json', 'application/geo+json']
const READ_ONLY = new Set([
  'status',
  'timesSent',
  'timesFailed',
  'lastNotification',
  'lastSuccess',
  'lastFailure',
])
const KNOWN = new Set([
  'attributes',
  'pick',
  'omit',
  'format',
  'showChanges',
  'sysAttrs',
  'endpoint',
  'join',
  'joinLevel',
])
const CORE_MEMBERS = new Set(['id', 'type', 'scope'])

export function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

export function parseNotificationParams(raw: unknown, ctx: ActiveContext): NotificationParams {
  if (!isJsonObject(raw)) throw bad('notification must be an object')
  for (const key of Object.keys(raw)) {
    if (!KNOWN.has(key) && !READ_ONLY.has(key)) throw bad(`unknown member '${key}' in notification`)
  }
  if (raw['endpoint'] === undefined || raw['endpoint'] === null)
    throw bad('notification.endpoint is mandatory')
  const out: NotificationParams = { endpoint: parseEndpoint(raw['endpoint']) }
  const { attributes, pick, omit } = raw
  if (attributes !== undefined && pick !== undefined)
    throw bad('notification.attributes and notification.pick cannot be combined')
  if (attributes !== undefined && omit !== undefined)
    throw bad('notification.attributes and notification.omit cannot be combined')
  if (attributes !== undefined) {
    out.attributes = nameList(attributes, 'notification.attributes').map((n) =>
      expandAttributeName(n, ctx),
    )
  }
  if (pick !== undefined) out.pick = projectionList(pick, 'notification.pick', ctx)
  if (omit !== undefined) out.omit = projectionList(omit, 'notification.omit', ctx)
  if (out.pick && out.omit) {
    const both = out.pick.find((n) => out.omit!.includes(n))
    if (both !== undefined) throw bad(`'${both}' is in both notification.pick and .omit`)
  }
  if (raw['format'] !== undefined) {
    if (typeof raw['format'] !== 'string' || !NOTIFICATION_FORMATS.includes(raw['format']))
      throw bad(`notification.format must be one of ${NOTIFICATION_FORMATS.join(', ')}`)
    out.format = raw['format']
  }
  const { join, joinLevel } = raw
  if (joinLevel !== undefined && typeof joinLevel !== 'number')
    throw bad('notification.joinLevel must be a positive integer')
  // Same rules as the join / joinLevel of a query (§5.2.14 refers to §4.5.23).
  parseJoin(join, joinLevel, undefined, undefined)
  if (join !== undefined) out.join = join as string
  if (joinLevel !== undefined) out.joinLevel = joinLevel
  if (raw['showChanges'] !== undefined) out.showChanges = bool(raw['showChanges'], 'showChanges')
  if (raw['sysAttrs'] !== undefined) out.sysAttrs = bool(raw['sysAttrs'], 'sysAttrs')
  if (out.showChanges && (out.format === 'keyValues' || out.format === 'simplified'))
    throw bad('notification.showChanges cannot be used with the keyValues format')
  return out
}

function bool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw bad(`notification.${name} must be true or false`)
  return v
}

function nameList(v: unknown, name: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x !== ''))
    throw bad(`${name} must be a non-empty array of names`)
  return v as string[]
}

/** pick / omit: attribute names expanded, the core members id, type and scope kept as they are. */
function projectionList(v: unknown, name: string, ctx: ActiveContext): string[] {
  const names = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : nameList(v, name)
  return names.map((n) => (CORE_MEMBERS.has(n) ? n : expandAttributeName(n, ctx)))
}

function parseEndpoint(raw: unknown): NotificationEndpoint {
  if (!isJsonObject(raw)) throw bad('notification.endpoint must be an object')
  for (const key of Object.keys(raw)) {
    if (!['uri', 'accept', 'receiverInfo', 'notifierInfo', 'timeout', 'cooldown'].includes(key))
      throw bad(`unknown member '${key}' in notification.endpoint`)
  }
  const uri = raw['uri']
  if (typeof uri !== 'string' || !isAbsoluteUri(uri))
    throw bad('notification.endpoint.uri must be an absolute URI')
  const scheme = uri.slice(0, uri.indexOf(':')).toLowerCase()
  if (!ENDPOINT_SCHEMES.includes(scheme))
    throw bad(`notification.endpoint.uri must use ${ENDPOINT_SCHEMES.join(', ')}`)
  try {
    new URL(uri)
  } catch {
    throw bad(`notification.endpoint.uri '${uri}' is not a valid URL`)
  }
  if (scheme.startsWith('mqtt') && new URL(uri).pathname.replace(/^\//, '') === '')
    throw bad('an MQTT notification endpoint needs a topic: mqtt://host:port/topic')
  if (scheme.startsWith('mqtt') && /[+#]/.test(decodeURIComponent(new URL(uri).pathname)))
    throw bad('an MQTT notification topic cannot contain the wildcards + or #')
  const out: NotificationEndpoint = { uri }
  if (raw['accept'] !== undefined) {
    if (typeof raw['accept'] !== 'string' || !ACCEPT_TYPES.includes(raw['accept']))
      throw bad(`notification.endpoint.accept must be one of ${ACCEPT_TYPES.join(', ')}`)
    out.accept = raw['accept']
  }
  if (raw['receiverInfo'] !== undefined)
    out.receiverInfo = keyValues(raw['receiverInfo'], 'receiverInfo')
  if (raw['notifierInfo'] !== undefined) {
    out.notifierInfo = keyValues(raw['notifierInfo'], 'notifierInfo')
    checkMqttInfo(out.notifierInfo)
  }
  for (const name of ['timeout', 'cooldown'] as const) {
    const v = raw[name]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw bad(`notification.endpoint.${name} must be a non-negative number of milliseconds`)
    out[name] = v
  }
  return out
}

function keyValues(raw: unknown, name: string): KeyValuePair[] {
  if (!Array.isArray(raw)) throw bad(`notification.endpoint.${name} must be an array`)
  return raw.map((item: unknown) => {
    if (
      !isJsonObject(item) ||
      typeof item['key'] !== 'string' ||
      typeof item['value'] !== 'string' ||
      Object.keys(item).length !== 2 ||
      !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(item['key'])
    ) {
      throw bad(`each ${name} entry must be {"key": <header name>, "value": <string>}`)
    }
    // Values become header values: no line breaks that could smuggle extra headers.
    if (/[\r\n]/.test(item['value'])) throw bad(`${name} values must not contain line breaks`)
    return { key: item['key'], value: item['value'] }
  })
}

/** MQTT binding (§7.2): MQTT-QoS 0, 1 or 2; MQTT-Version mqtt3.1.1 or mqtt5.0. */
function checkMqttInfo(info: KeyValuePair[]): void {
  for (const { key, value } of info) {
    if (key === 'MQTT-QoS' && !['0', '1', '2'].includes(value))
      throw bad('notifierInfo MQTT-QoS must be 0, 1 or 2')
    if (key === 'MQTT-Version' && !['mqtt3.1.1', 'mqtt5.0'].includes(value))
      throw bad('notifierInfo MQTT-Version must be mqtt3.1.1 or mqtt5.0')
  }
}
