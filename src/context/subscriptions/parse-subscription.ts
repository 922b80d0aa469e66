/**
 * Create and Update Subscription payloads (§5.8.1, §5.8.2, data type §5.2.12): every member
 * checked, names expanded with the request's @context. A PATCH replaces whole top-level members
 * (§5.5.8); null removes an optional one. The rules that tie members together are checked on
 * the result, so a PATCH cannot produce a subscription a create would refuse.
 *
 * @example
 *   const sub = parseSubscription(body, ctx, { now, newId, context })
 *   const next = patchSubscription(sub, patchBody, ctx, { now, context })
 */
import { AppError } from '../../core/errors.js'
import {
  NOTIFICATION_TRIGGERS,
  type JsonValue,
  type NotificationTrigger,
  type Subscription,
  type SubscriptionEntitySelector,
  type SubscriptionGeoQuery,
} from '../../core/subscription.js'
import { isJsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import {
  linkedDepth,
  parseGeoQuery,
  parseQ,
  parseQWithOptions,
  parseScopeQ,
  parseTypeSelection,
  qNameList,
  type QOptions,
} from '../query/index.js'
import { MAX_JOIN_LEVEL } from '../representation/join-entities.js'
import {
  expandAttributeName,
  isAbsoluteUri,
  isDateTime,
  isUri,
  parseLang,
} from '../representation/index.js'
import { bad, parseNotificationParams } from './parse-notification-params.js'

export interface ParseOptions {
  now: Date
  /** The @context of the request, as given (kept for q names and notifications). */
  context: JsonValue | undefined
}

type Fields = Partial<Omit<Subscription, 'id' | 'createdAt' | 'modifiedAt'>>
type MemberParser = (value: unknown, ctx: ActiveContext, now: Date) => Fields

/** Members a client may set (besides id and type). */
const MEMBERS: Record<string, MemberParser> = {
  subscriptionName: (v) => ({ subscriptionName: text(v, 'subscriptionName') }),
  description: (v) => ({ description: text(v, 'description') }),
  entities: (v, ctx) => ({ entities: entitySelectors(v, ctx) }),
  watchedAttributes: (v, ctx) => ({
    watchedAttributes: nonEmptyNames(v, 'watchedAttributes').map((n) =>
      expandAttributeName(n, ctx),
    ),
  }),
  notificationTrigger: (v) => ({ notificationTrigger: triggers(v) }),
  timeInterval: (v) => ({ timeInterval: positive(v, 'timeInterval') }),
  // Parsed once every member is known (checkRules): expandValues changes how q reads.
  q: (v) => ({ q: text(v, 'q') }),
  expandValues: (v) => ({ expandValues: nameList(v, 'expandValues') }),
  jsonKeys: (v) => ({ jsonKeys: nameList(v, 'jsonKeys') }),
  geoQ: (v, ctx) => ({ geoQ: geoQuery(v, ctx) }),
  scopeQ: (v) => {
    parseScopeQ(text(v, 'scopeQ'))
    return { scopeQ: v as string }
  },
  csf: (v) => {
    // §5.2.12: "a valid query string as per clause 4.9", the q grammar on registration members.
    parseQ(text(v, 'csf'))
    return { csf: v as string }
  },
  lang: (v) => {
    parseLang(text(v, 'lang'))
    return { lang: v as string }
  },
  datasetId: (v) => ({ datasetId: datasetIds(v) }),
  isActive: (v) => {
    if (typeof v !== 'boolean') throw bad('isActive must be true or false')
    return { isActive: v }
  },
  expiresAt: (v, _ctx, now) => {
    if (!isDateTime(v)) throw bad('expiresAt must be a DateTime')
    if (Date.parse(v) <= now.getTime()) throw bad('expiresAt must be in the future')
    return { expiresAt: v }
  },
  throttling: (v) => ({ throttling: positive(v, 'throttling') }),
  jsonldContext: (v) => {
    if (typeof v !== 'string' || !isAbsoluteUri(v)) throw bad('jsonldContext must be a URI')
    return { jsonldContext: v }
  },
  notification: (v, ctx) => ({ notification: parseNotificationParams(v, ctx) }),
  localOnly: (v) => {
    // A single broker holds only local data: accepted, and it changes nothing.
    if (typeof v !== 'boolean') throw bad('localOnly must be true or false')
    return {}
  },
}
const NOT_SUPPORTED = ['splitEntities', 'ngsildConformance']
/** Written by the broker; ignored when a client echoes them back. */
const READ_ONLY = new Set(['status', 'createdAt', 'modifiedAt'])
const MANDATORY = new Set(['notification'])

export function parseSubscription(
  body: unknown,
  ctx: ActiveContext,
  opts: ParseOptions & { newId: () => string },
): Subscription {
  const raw = subscriptionObject(body)
  if (raw['type'] === undefined) throw bad('type is mandatory and must be "Subscription"')
  let id: string
  if (raw['id'] === undefined) id = opts.newId()
  else if (isUri(raw['id'])) id = raw['id']
  else throw bad('id must be a URI')
  if (raw['notification'] === undefined) throw bad('notification is mandatory')
  const at = opts.now.toISOString()
  const sub: Subscription = {
    id,
    notification: { endpoint: { uri: '' } },
    createdAt: at,
    modifiedAt: at,
  }
  for (const [name, value] of Object.entries(raw)) {
    if (value === null) throw bad(`${name} must not be null`)
    Object.assign(sub, parseMember(name, value, ctx, opts.now))
  }
  if (opts.context !== undefined) sub.context = opts.context
  checkRules(sub, true, ctx)
  return sub
}

export function patchSubscription(
  current: Subscription,
  body: unknown,
  ctx: ActiveContext,
  opts: ParseOptions,
): Subscription {
  const raw = subscriptionObject(body)
  if (Object.keys(raw).length === 0) throw bad('the patch is empty')
  if (raw['id'] !== undefined && raw['id'] !== current.id)
    throw bad('the id of a subscription cannot be changed')
  const next: Subscription = { ...current, modifiedAt: opts.now.toISOString() }
  for (const [name, value] of Object.entries(raw)) {
    if (value === null) {
      if (MANDATORY.has(name) || name === 'type' || name === 'id')
        throw bad(`${name} is mandatory and cannot be removed`)
      delete (next as unknown as Record<string, unknown>)[name]
      continue
    }
    Object.assign(next, parseMember(name, value, ctx, opts.now))
  }
  // Names in a new q are read with the @context of the request that gives it.
  if (raw['q'] !== undefined && opts.context !== undefined) next.context = opts.context
  checkRules(next, false, ctx)
  return next
}

function subscriptionObject(body: unknown): Record<string, unknown> {
  if (!isJsonObject(body))
    throw new AppError('InvalidRequest', 'the request body must be a Subscription object')
  if (body['type'] !== undefined && body['type'] !== 'Subscription')
    throw bad('type must be "Subscription"')
  if (body['temporalQ'] !== undefined)
    throw bad('temporalQ is only for context source registration subscriptions')
  return body
}

function parseMember(name: string, value: unknown, ctx: ActiveContext, now: Date): Fields {
  if (name === 'id' || name === 'type' || name === '@context' || READ_ONLY.has(name)) return {}
  if (NOT_SUPPORTED.includes(name))
    throw new AppError('OperationNotSupported', `the Subscription member ${name} is not supported`)
  const parse = MEMBERS[name]
  if (!parse) throw bad(`unknown member '${name}' in the Subscription`)
  return parse(value, ctx, now)
}

/** The q options of a subscription (§5.2.12 expandValues and jsonKeys) as lists of names. */
export function qOptionsOf(sub: Pick<Subscription, 'expandValues' | 'jsonKeys'>): QOptions {
  return {
    expandValues: qNameList(sub.expandValues, 'expandValues'),
    jsonKeys: qNameList(sub.jsonKeys, 'jsonKeys'),
  }
}

/** §5.2.12: the rules between members. */
function checkRules(sub: Subscription, creating: boolean, ctx: ActiveContext): void {
  if (sub.q !== undefined) {
    const q = parseQWithOptions(sub.q, qOptionsOf(sub), ctx.expandTerm)
    // Each hop of a linked-entity term (§4.9) is a store read per matching change: bounded as joins are.
    if (linkedDepth(q) > MAX_JOIN_LEVEL)
      throw bad(`q: linked-entity terms follow at most ${MAX_JOIN_LEVEL} Relationships`)
  }
  if (!sub.entities && !sub.watchedAttributes)
    throw bad('a subscription needs entities or watchedAttributes (or both)')
  if (sub.timeInterval !== undefined && sub.watchedAttributes)
    throw bad('timeInterval and watchedAttributes cannot be combined')
  if (sub.timeInterval !== undefined && sub.throttling !== undefined)
    throw bad('timeInterval and throttling cannot be combined')
  if (sub.timeInterval !== undefined && sub.notificationTrigger)
    throw bad('timeInterval subscriptions are periodic: notificationTrigger does not apply')
  if (!creating && !sub.notification.endpoint.uri) throw bad('notification.endpoint is mandatory')
}

function text(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw bad(`${name} must be a non-empty string`)
  return v
}

/** A list of attribute names as given (list text or array), once checked. */
function nameList(v: unknown, name: string): string | string[] {
  qNameList(v, name)
  return v as string | string[]
}

function positive(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    throw bad(`${name} must be a number of seconds greater than 0`)
  return v
}

function nonEmptyNames(v: unknown, name: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x !== ''))
    throw bad(`${name} must be a non-empty array of attribute names`)
  return v as string[]
}

function triggers(v: unknown): NotificationTrigger[] {
  if (!Array.isArray(v) || v.length === 0)
    throw bad('notificationTrigger must be a non-empty array')
  for (const t of v) {
    if (!(NOTIFICATION_TRIGGERS as readonly unknown[]).includes(t))
      throw bad(`notificationTrigger: unknown trigger ${JSON.stringify(t)}`)
  }
  return [...new Set(v as NotificationTrigger[])]
}

function entitySelectors(v: unknown, ctx: ActiveContext): SubscriptionEntitySelector[] {
  if (!Array.isArray(v) || v.length === 0)
    throw bad('entities must be a non-empty array of entity selectors')
  return v.map((item: unknown) => {
    if (!isJsonObject(item)) throw bad('each entity selector must be an object')
    const unknown = Object.keys(item).find((k) => !['id', 'idPattern', 'type'].includes(k))
    if (unknown !== undefined) throw bad(`unknown member '${unknown}' in an entity selector`)
    if (typeof item['type'] !== 'string' || item['type'] === '')
      throw bad('each entity selector needs a type')
    const selector: SubscriptionEntitySelector = {
      types: parseTypeSelection(item['type'], ctx.expandTerm),
    }
    if (item['id'] !== undefined) {
      if (!isUri(item['id']))
        throw bad(`entity selector id ${JSON.stringify(item['id'])} is not a URI`)
      selector.id = item['id']
    }
    if (item['idPattern'] !== undefined) {
      const pattern = text(item['idPattern'], 'idPattern')
      try {
        new RegExp(pattern)
      } catch {
        throw bad(`idPattern '${pattern}' is not a valid regular expression`)
      }
      selector.idPattern = pattern
    }
    return selector
  })
}

function geoQuery(v: unknown, ctx: ActiveContext): SubscriptionGeoQuery {
  if (!isJsonObject(v)) throw bad('geoQ must be an object with geometry, coordinates and georel')
  const unknown = Object.keys(v).find(
    (k) => !['geometry', 'coordinates', 'georel', 'geoproperty'].includes(k),
  )
  if (unknown !== undefined) throw bad(`unknown member '${unknown}' in geoQ`)
  const { geometry, coordinates, georel, geoproperty } = v
  if (geometry === undefined || coordinates === undefined || georel === undefined)
    throw bad('geoQ needs geometry, coordinates and georel')
  if (typeof geometry !== 'string' || typeof georel !== 'string')
    throw bad('geoQ geometry and georel must be strings')
  if (geoproperty !== undefined && typeof geoproperty !== 'string')
    throw bad('geoQ geoproperty must be a string')
  const filter = parseGeoQuery({ geometry, coordinates, georel, geoproperty }, ctx.expandTerm)!
  const out: SubscriptionGeoQuery = {
    geometry,
    coordinates: coordinates as JsonValue,
    georel,
  }
  if (geoproperty !== undefined) out.geoproperty = filter.geoproperty
  return out
}

function datasetIds(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) throw bad('datasetId must be a non-empty array of URIs')
  for (const id of v) {
    if (id !== '@none' && !isUri(id)) throw bad(`datasetId ${JSON.stringify(id)} is not a URI`)
  }
  return v as string[]
}
