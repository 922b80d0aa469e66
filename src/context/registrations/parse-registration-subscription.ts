/**
 * Context source registration subscriptions (GS CIM 009 §5.11, data type §5.2.12 used for CSR
 * subscriptions): validation of a create body or an update patch (members replaced whole),
 * names expanded by the request's @context, and the broker-made `status`.
 *
 * @example
 *   const { id, body } = parseRegistrationSubscription(raw, ctx, Date.now())
 *   renderRegistrationSubscription(record, ctx, Date.now()) // { id, type, …, status: 'active' }
 */
import { NGSI_LD_NULL } from '../../core/ngsi.js'
import type { DeliveryStatus } from '../../core/subscription.js'
import type { ActiveContext } from '../jsonld/index.js'
import { parseGeoQuery, parseQ, parseScopeQ } from '../query/index.js'
import { parseDateTime } from '../query/temporal.js'
import {
  attributeNames,
  bad,
  compactEntityInfo,
  datasetIds,
  dateTime,
  entityInfo,
  isObject,
  keyValuePairs,
  nonEmptyArray,
  nonEmptyString,
  positiveNumber,
  uri,
  type Json,
} from './registration-members.js'

export const SUBSCRIPTION_TYPE = 'Subscription'
const FORMATS = ['normalized', 'concise', 'keyValues', 'simplified']
const ACCEPTS = ['application/json', 'application/ld+json']
const READ_ONLY = new Set(['status', 'createdAt', 'modifiedAt'])
const MANDATORY = ['type', 'notification'] as const

type Check = (v: unknown, ctx: ActiveContext, now: number) => unknown

const MEMBERS: Record<string, Check> = {
  type: (v) => {
    if (v !== SUBSCRIPTION_TYPE) throw bad(`type must be "${SUBSCRIPTION_TYPE}"`)
    return v
  },
  subscriptionName: (v) => nonEmptyString(v, 'subscriptionName'),
  description: (v) => nonEmptyString(v, 'description'),
  entities: (v, ctx) =>
    nonEmptyArray(v, 'entities').map((e, i) => entityInfo(e, `entities[${i}]`, ctx)),
  watchedAttributes: (v, ctx) => attributeNames(v, 'watchedAttributes', ctx),
  timeInterval: (v) => positiveNumber(v, 'timeInterval'),
  throttling: (v) => positiveNumber(v, 'throttling'),
  q: (v) => {
    parseQ(nonEmptyString(v, 'q'))
    return v
  },
  csf: (v) => {
    parseQ(nonEmptyString(v, 'csf'))
    return v
  },
  scopeQ: (v) => {
    parseScopeQ(nonEmptyString(v, 'scopeQ'))
    return v
  },
  geoQ: (v, ctx) => {
    if (!isObject(v)) throw bad('geoQ must be an object')
    const { georel, geometry, coordinates, geoproperty } = v
    const strings = [georel, geometry, geoproperty].every(
      (s) => s === undefined || typeof s === 'string',
    )
    if (!strings || georel === undefined) throw bad('geoQ needs georel, geometry and coordinates')
    parseGeoQuery(
      {
        georel: georel as string,
        geometry: geometry as string | undefined,
        coordinates,
        geoproperty: geoproperty as string | undefined,
      },
      ctx.expandTerm,
    )
    return v
  },
  temporalQ: (v) => temporalQ(v),
  isActive: (v) => {
    if (typeof v !== 'boolean') throw bad('isActive must be true or false')
    return v
  },
  expiresAt: (v, _ctx, now) => {
    const at = dateTime(v, 'expiresAt')
    if (Date.parse(at) <= now) throw bad('expiresAt must be in the future')
    return at
  },
  lang: (v) => nonEmptyString(v, 'lang'),
  datasetId: (v) => datasetIds(v, 'datasetId'),
  jsonldContext: (v) => uri(v, 'jsonldContext'),
  notification: (v, ctx) => notification(v, ctx),
}

export interface ParsedRegistrationSubscription {
  id: string | undefined
  body: Json
}

/** Create CSR Subscription body (§5.11.2). @throws BadRequestData */
export function parseRegistrationSubscription(
  raw: unknown,
  ctx: ActiveContext,
  now: number,
): ParsedRegistrationSubscription {
  if (!isObject(raw)) throw bad('a subscription must be a JSON object')
  if (Object.keys(raw).length === 0) throw bad('the subscription is empty')
  const id = raw['id'] === undefined ? undefined : uri(raw['id'], 'id')
  const body = readMembers(raw, ctx, now)
  checkComplete(body)
  return { id, body }
}

/** Update CSR Subscription (§5.11.3): members given replace the stored ones whole. */
export function patchRegistrationSubscription(
  current: Json,
  raw: unknown,
  id: string,
  ctx: ActiveContext,
  now: number,
): Json {
  if (!isObject(raw)) throw bad('the update must be a JSON object')
  if (Object.keys(raw).length === 0) throw bad('the update is empty')
  if (raw['id'] !== undefined && raw['id'] !== id)
    throw bad('the id of a subscription cannot change')
  const next: Json = { ...current }
  for (const [name, value] of Object.entries(raw)) {
    if (value !== null && value !== NGSI_LD_NULL) continue
    if ((MANDATORY as readonly string[]).includes(name)) throw bad(`${name} cannot be removed`)
    delete next[name]
  }
  const given = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== null && v !== NGSI_LD_NULL),
  )
  Object.assign(next, readMembers(given, ctx, now))
  checkComplete(next)
  return next
}

function readMembers(raw: Json, ctx: ActiveContext, now: number): Json {
  const out: Json = {}
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'id' || READ_ONLY.has(name)) continue
    const check = MEMBERS[name]
    if (!check) throw bad(`'${name}' is not a member of a subscription`)
    if (value === null) throw bad(`${name} must not be null`)
    out[name] = check(value, ctx, now)
  }
  return out
}

function checkComplete(body: Json): void {
  for (const m of MANDATORY) if (body[m] === undefined) throw bad(`${m} is mandatory`)
  if (body['entities'] === undefined && body['watchedAttributes'] === undefined)
    throw bad('a subscription needs entities or watchedAttributes')
  if (body['timeInterval'] !== undefined) {
    if (body['watchedAttributes'] !== undefined)
      throw bad('timeInterval and watchedAttributes cannot go together')
    if (body['throttling'] !== undefined)
      throw bad('timeInterval and throttling cannot go together')
  }
}

function notification(v: unknown, ctx: ActiveContext): Json {
  if (!isObject(v)) throw bad('notification must be an object')
  const out: Json = {}
  for (const [name, value] of Object.entries(v)) {
    if (name === 'status' || name.startsWith('times') || name.startsWith('last')) continue
    if (name === 'attributes') out[name] = attributeNames(value, 'notification.attributes', ctx)
    else if (name === 'format') {
      if (typeof value !== 'string' || !FORMATS.includes(value))
        throw bad(`notification.format must be one of ${FORMATS.join(', ')}`)
      out[name] = value
    } else if (name === 'sysAttrs') {
      if (typeof value !== 'boolean') throw bad('notification.sysAttrs must be a boolean')
      out[name] = value
    } else if (name === 'endpoint') out[name] = endpoint(value)
    else throw bad(`notification has an unknown member '${name}'`)
  }
  if (out['endpoint'] === undefined) throw bad('notification.endpoint is mandatory')
  return out
}

function endpoint(v: unknown): Json {
  if (!isObject(v)) throw bad('notification.endpoint must be an object')
  const out: Json = {}
  for (const [name, value] of Object.entries(v)) {
    if (name === 'uri') {
      const u = uri(value, 'notification.endpoint.uri')
      if (!/^(https?|mqtts?):\/\/\S+$/i.test(u))
        throw bad('notification.endpoint.uri must be an http, https, mqtt or mqtts URL')
      out[name] = u
    } else if (name === 'accept') {
      if (typeof value !== 'string' || !ACCEPTS.includes(value))
        throw bad(`notification.endpoint.accept must be one of ${ACCEPTS.join(', ')}`)
      out[name] = value
    } else if (name === 'receiverInfo' || name === 'notifierInfo')
      out[name] = keyValuePairs(value, `notification.endpoint.${name}`)
    else if (name === 'timeout' || name === 'cooldown')
      out[name] = positiveNumber(value, `notification.endpoint.${name}`)
    else throw bad(`notification.endpoint has an unknown member '${name}'`)
  }
  if (out['uri'] === undefined) throw bad('notification.endpoint.uri is mandatory')
  return out
}

function temporalQ(v: unknown): Json {
  if (!isObject(v)) throw bad('temporalQ must be an object')
  const { timerel, timeAt, endTimeAt, timeproperty } = v
  if (timerel !== 'before' && timerel !== 'after' && timerel !== 'between')
    throw bad('temporalQ.timerel must be before, after or between')
  const at = typeof timeAt === 'string' ? parseDateTime(timeAt) : undefined
  if (at === undefined) throw bad('temporalQ.timeAt must be a DateTime')
  if (timerel === 'between') {
    const end = typeof endTimeAt === 'string' ? parseDateTime(endTimeAt) : undefined
    if (end === undefined || end <= at)
      throw bad('temporalQ.endTimeAt must be a DateTime after timeAt for between')
  }
  if (
    timeproperty !== undefined &&
    (typeof timeproperty !== 'string' ||
      !['observedAt', 'createdAt', 'modifiedAt', 'deletedAt'].includes(timeproperty))
  )
    throw bad('temporalQ.timeproperty must be observedAt, createdAt, modifiedAt or deletedAt')
  return v
}

/**
 * As the API shows it: names compacted, `status` computed (active, paused or expired), and the
 * delivery figures in `notification` once it has notified.
 */
export function renderRegistrationSubscription(
  record: { id: string; body: Json; createdAt: string; modifiedAt: string },
  ctx: ActiveContext,
  now: number,
  sysAttrs = false,
  delivery?: DeliveryStatus,
): Json {
  const out: Json = { id: record.id }
  for (const [name, value] of Object.entries(record.body)) {
    if (name === 'entities') out[name] = (value as Json[]).map((e) => compactEntityInfo(e, ctx))
    else if (name === 'watchedAttributes')
      out[name] = (value as string[]).map((a) => ctx.compactIri(a))
    else if (name === 'notification')
      out[name] = withDelivery(compactNotification(value as Json, ctx), delivery)
    else out[name] = value
  }
  const expiresAt = record.body['expiresAt']
  out['status'] =
    typeof expiresAt === 'string' && Date.parse(expiresAt) <= now
      ? 'expired'
      : record.body['isActive'] === false
        ? 'paused'
        : 'active'
  if (sysAttrs) {
    out['createdAt'] = record.createdAt
    out['modifiedAt'] = record.modifiedAt
  }
  return out
}

function withDelivery(n: Json, d: DeliveryStatus | undefined): Json {
  if (!d || (d.timesSent === 0 && d.timesFailed === 0)) return n
  const out: Json = { ...n, timesSent: d.timesSent }
  if (d.timesFailed > 0) out['timesFailed'] = d.timesFailed
  if (d.status !== undefined) out['status'] = d.status
  if (d.lastNotification !== undefined) out['lastNotification'] = d.lastNotification
  if (d.lastSuccess !== undefined) out['lastSuccess'] = d.lastSuccess
  if (d.lastFailure !== undefined) out['lastFailure'] = d.lastFailure
  return out
}

function compactNotification(n: Json, ctx: ActiveContext): Json {
  const attrs = n['attributes'] as string[] | undefined
  return attrs ? { ...n, attributes: attrs.map((a) => ctx.compactIri(a)) } : n
}
