/**
 * Notifications of context source registration subscriptions (GS CIM 009 §5.11.7, Notification
 * data type §5.3.2): on subscription (and on its update) the registrations that match now, as
 * `newlyMatching`; on a registration created, updated or deleted the subscriptions it matches
 * before or after, as `newlyMatching`, `updated` or `noLongerMatching`. Delivery goes through the
 * entity subscriptions' notifier (SSRF guard, retries); the delivery status of each subscription
 * is kept in memory. A periodic (timeInterval) subscription instead reports every matching
 * registration on subscription and then every timeInterval seconds (timers of this process: a
 * restart resumes them only once the subscription is updated).
 *
 * @example
 *   const notices = createCSourceNotifications({ registrations, send, newId, now })
 *   await notices.registrationChanged(tenant, before, after, req.ctx)
 */
import { DEFAULT_TENANT } from '../../core/ngsi.js'
import type { DeliveryStatus, NotificationMessage } from '../../core/subscription.js'
import type { RegistrationRecord, RegistrationStore } from '../../store/store.js'
import type { ActiveContext } from '../jsonld/index.js'
import { foldOutcome, type Outcome } from '../subscriptions/notifier.js'
import { parseGeoQuery, parseQ } from '../query/index.js'
import {
  infoMatches,
  matchesRegistration,
  parseTemporal,
  type RegistrationQuery,
} from './match-registration.js'
import { renderRegistration } from './parse-registration.js'
import type { Json } from './registration-members.js'

export type CSourceTrigger = 'newlyMatching' | 'updated' | 'noLongerMatching'

export interface CSourceNotificationsDeps {
  registrations: RegistrationStore
  /** Hands a message to the notifier, which reports each outcome. */
  send: (message: NotificationMessage, onOutcome: (outcome: Outcome) => void) => void
  newId: () => string
  now: () => Date
}

export interface CSourceNotifications {
  /** A subscription was created or updated: every matching registration, as newlyMatching. */
  subscribed(tenant: string, subscription: RegistrationRecord, ctx: ActiveContext): Promise<void>
  /** A registration was created (no before), updated, or deleted (no after). */
  registrationChanged(
    tenant: string,
    before: RegistrationRecord | undefined,
    after: RegistrationRecord | undefined,
    ctx: ActiveContext,
  ): Promise<void>
  /** Delivery figures of a subscription since this process started, once it has notified. */
  delivery(tenant: string, id: string): DeliveryStatus | undefined
  /** The subscription is gone. */
  forget(tenant: string, id: string): void
  /** Stops the periodic timers. */
  close(): void
}

const key = (tenant: string, id: string) => `${tenant}\u0000${id}`

export function createCSourceNotifications(deps: CSourceNotificationsDeps): CSourceNotifications {
  const statuses = new Map<string, DeliveryStatus>()

  function send(m: NotificationMessage): void {
    const k = key(m.tenant, m.subscriptionId)
    deps.send(m, (o) => {
      let d = statuses.get(k)
      if (!d) statuses.set(k, (d = { timesSent: 0, timesFailed: 0 }))
      foldOutcome(d, o)
    })
  }

  function message(
    tenant: string,
    sub: RegistrationRecord,
    trigger: CSourceTrigger,
    data: RegistrationRecord[],
    ctx: ActiveContext,
  ): NotificationMessage {
    const notification = sub.body['notification'] as Json
    const endpoint = notification['endpoint'] as Json
    const accept = (endpoint['accept'] as string | undefined) ?? 'application/json'
    const m: NotificationMessage = {
      tenant,
      subscriptionId: sub.id,
      endpoint: { uri: endpoint['uri'] as string, accept },
      body: {
        id: `urn:ngsi-ld:Notification:${deps.newId()}`,
        type: 'Notification',
        subscriptionId: sub.id,
        notifiedAt: deps.now().toISOString(),
        triggerReason: trigger,
        data: data.map((r) => renderRegistration(relevantPart(r, sub.body, ctx), ctx, false)),
      },
      contentType: accept,
    }
    if (tenant !== DEFAULT_TENANT) m.tenantHeader = tenant
    return m
  }

  const timers = new Map<string, NodeJS.Timeout>()

  function stopPeriodic(k: string): void {
    clearInterval(timers.get(k))
    timers.delete(k)
  }

  /** Every registration that matches now, unless the subscription is paused, expired or gone. */
  async function report(tenant: string, id: string, ctx: ActiveContext): Promise<void> {
    const sub = await deps.registrations.subscriptions.get(tenant, id)
    if (!sub || sub.body['timeInterval'] === undefined) return stopPeriodic(key(tenant, id))
    if (!isActive(sub.body, deps.now().getTime())) return
    const matching = (await deps.registrations.registrations.list(tenant)).filter((r) =>
      matchesSubscription(r, sub.body, ctx),
    )
    if (matching.length > 0) send(message(tenant, sub, 'newlyMatching', matching, ctx))
  }

  async function activeSubscriptions(tenant: string): Promise<RegistrationRecord[]> {
    const subs = deps.registrations.subscriptions
    const nowMs = deps.now().getTime()
    return (await subs.list(tenant)).filter((s) => isNotified(s.body, nowMs))
  }

  return {
    async subscribed(tenant, sub, ctx) {
      const k = key(tenant, sub.id)
      stopPeriodic(k)
      const interval = sub.body['timeInterval']
      if (typeof interval === 'number') {
        const timer = setInterval(() => {
          report(tenant, sub.id, ctx).catch(() => stopPeriodic(k))
        }, interval * 1000)
        timer.unref()
        timers.set(k, timer)
        return report(tenant, sub.id, ctx)
      }
      if (!isNotified(sub.body, deps.now().getTime())) return
      const matching = (await deps.registrations.registrations.list(tenant)).filter((r) =>
        matchesSubscription(r, sub.body, ctx),
      )
      if (matching.length > 0) send(message(tenant, sub, 'newlyMatching', matching, ctx))
    },
    async registrationChanged(tenant, before, after, ctx) {
      for (const sub of await activeSubscriptions(tenant)) {
        const was = before !== undefined && matchesSubscription(before, sub.body, ctx)
        const is = after !== undefined && matchesSubscription(after, sub.body, ctx)
        if (is) send(message(tenant, sub, was ? 'updated' : 'newlyMatching', [after], ctx))
        else if (was) send(message(tenant, sub, 'noLongerMatching', [after ?? before], ctx))
      }
    },
    delivery(tenant, id) {
      const d = statuses.get(key(tenant, id))
      return d && { ...d }
    },
    forget(tenant, id) {
      statuses.delete(key(tenant, id))
      stopPeriodic(key(tenant, id))
    },
    close() {
      for (const k of [...timers.keys()]) stopPeriodic(k)
    },
  }
}

/** Active, not expired, and not periodic. */
function isNotified(body: Json, nowMs: number): boolean {
  return body['timeInterval'] === undefined && isActive(body, nowMs)
}

/** Neither paused nor expired. */
function isActive(body: Json, nowMs: number): boolean {
  if (body['isActive'] === false) return false
  const expiresAt = body['expiresAt']
  return typeof expiresAt !== 'string' || Date.parse(expiresAt) > nowMs
}

/**
 * The registration queries a subscription stands for: one per entity selector (any may match),
 * each with its watchedAttributes, q, geoQ and temporalQ.
 */
export function subscriptionQueries(sub: Json, ctx: ActiveContext): RegistrationQuery[] {
  const base: RegistrationQuery = {}
  const watched = sub['watchedAttributes'] as string[] | undefined
  if (watched) base.attrs = watched
  if (typeof sub['q'] === 'string') base.q = parseQ(sub['q'])
  const geoQ = sub['geoQ'] as Json | undefined
  if (geoQ) {
    const geo = parseGeoQuery(
      {
        georel: geoQ['georel'] as string,
        geometry: geoQ['geometry'] as string | undefined,
        coordinates: geoQ['coordinates'],
        geoproperty: geoQ['geoproperty'] as string | undefined,
      },
      ctx.expandTerm,
    )
    if (geo) base.geo = geo
  }
  const temporalQ = sub['temporalQ'] as Record<string, string | undefined> | undefined
  if (temporalQ) {
    const temporal = parseTemporal(temporalQ)
    if (temporal) base.temporal = temporal
  }
  const entities = sub['entities'] as Json[] | undefined
  if (!entities) return [base]
  return entities.map((e) => {
    const query: RegistrationQuery = { ...base }
    const type = e['type']
    if (type !== undefined) query.types = [[type].flat() as string[]]
    if (typeof e['id'] === 'string') query.ids = [e['id']]
    if (typeof e['idPattern'] === 'string') query.idPattern = new RegExp(e['idPattern'])
    return query
  })
}

/** A registration matches a subscription's entities, watchedAttributes, q, geoQ and temporalQ. */
export function matchesSubscription(
  record: RegistrationRecord,
  sub: Json,
  ctx: ActiveContext,
): boolean {
  return subscriptionQueries(sub, ctx).some((q) => matchesRegistration(record, q, ctx))
}

/** The registration with only the RegistrationInfo elements relevant to the subscription. */
function relevantPart(
  record: RegistrationRecord,
  sub: Json,
  ctx: ActiveContext,
): RegistrationRecord {
  const information = record.body['information'] as Json[] | undefined
  if (!information) return record
  const queries = subscriptionQueries(sub, ctx)
  const relevant = information.filter((info) => queries.some((q) => infoMatches(info, q)))
  if (relevant.length === 0) return record
  return { ...record, body: { ...record.body, information: relevant } }
}
