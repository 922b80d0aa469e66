/**
 * A stored subscription as the API answers it (§5.8.3, §5.8.4): members echoed as given, names
 * compacted with the request's @context, the broker's `status`, and delivery figures only once
 * something was sent (the suite compares whole documents; invented members fail it).
 *
 * @example
 *   renderSubscription(stored, ctx, new Date())
 */
import { subscriptionStatus } from '../../core/subscription.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import type { StoredSubscription } from '../../store/store.js'

const CORE_MEMBERS = new Set(['id', 'type', 'scope'])
const DEFAULT_TRIGGERS = ['attributeCreated', 'attributeUpdated']

export function renderSubscription(
  stored: StoredSubscription,
  ctx: ActiveContext,
  now: Date,
): JsonObject {
  const sub = stored.subscription
  const name = (iri: string) => ctx.compactIri(iri)
  const out: JsonObject = { id: sub.id, type: 'Subscription' }
  if (sub.subscriptionName !== undefined) out['subscriptionName'] = sub.subscriptionName
  if (sub.description !== undefined) out['description'] = sub.description
  if (sub.entities) {
    out['entities'] = sub.entities.map((e) => {
      const s: JsonObject = {}
      if (e.id !== undefined) s['id'] = e.id
      if (e.idPattern !== undefined) s['idPattern'] = e.idPattern
      s['type'] = typeSelectionText(e.types, ctx)
      return s
    })
  }
  if (sub.watchedAttributes) out['watchedAttributes'] = sub.watchedAttributes.map(name)
  if (sub.notificationTrigger) out['notificationTrigger'] = [...sub.notificationTrigger]
  // Table 5.2.12-1: the triggers default to attributeCreated and attributeUpdated (periodic
  // subscriptions have none); the suite expects the default shown (028_06).
  else if (sub.timeInterval === undefined) out['notificationTrigger'] = [...DEFAULT_TRIGGERS]
  if (sub.timeInterval !== undefined) out['timeInterval'] = sub.timeInterval
  if (sub.q !== undefined) out['q'] = sub.q
  if (sub.geoQ) {
    const g: JsonObject = {
      geometry: sub.geoQ.geometry,
      coordinates: sub.geoQ.coordinates,
      georel: sub.geoQ.georel,
    }
    if (sub.geoQ.geoproperty !== undefined) g['geoproperty'] = name(sub.geoQ.geoproperty)
    out['geoQ'] = g
  }
  if (sub.scopeQ !== undefined) out['scopeQ'] = sub.scopeQ
  if (sub.csf !== undefined) out['csf'] = sub.csf
  if (sub.lang !== undefined) out['lang'] = sub.lang
  if (sub.datasetId) out['datasetId'] = [...sub.datasetId]
  if (sub.isActive !== undefined) out['isActive'] = sub.isActive
  if (sub.expiresAt !== undefined) out['expiresAt'] = sub.expiresAt
  if (sub.throttling !== undefined) out['throttling'] = sub.throttling
  if (sub.jsonldContext !== undefined) out['jsonldContext'] = sub.jsonldContext
  if (sub.expandValues !== undefined) out['expandValues'] = copy(sub.expandValues)
  if (sub.jsonKeys !== undefined) out['jsonKeys'] = copy(sub.jsonKeys)
  out['notification'] = renderNotification(stored, ctx)
  out['status'] = subscriptionStatus(sub, now)
  return out
}

function copy(v: string | string[]): string | string[] {
  return typeof v === 'string' ? v : [...v]
}

function renderNotification(stored: StoredSubscription, ctx: ActiveContext): JsonObject {
  const n = stored.subscription.notification
  const name = (iri: string) => (CORE_MEMBERS.has(iri) ? iri : ctx.compactIri(iri))
  const out: JsonObject = {}
  if (n.attributes) out['attributes'] = n.attributes.map(name)
  if (n.pick) out['pick'] = n.pick.map(name)
  if (n.omit) out['omit'] = n.omit.map(name)
  if (n.format !== undefined) out['format'] = n.format
  if (n.showChanges !== undefined) out['showChanges'] = n.showChanges
  if (n.sysAttrs !== undefined) out['sysAttrs'] = n.sysAttrs
  if (n.join !== undefined) out['join'] = n.join
  if (n.joinLevel !== undefined) out['joinLevel'] = n.joinLevel
  const e = n.endpoint
  const endpoint: JsonObject = { uri: e.uri }
  if (e.accept !== undefined) endpoint['accept'] = e.accept
  if (e.receiverInfo) endpoint['receiverInfo'] = e.receiverInfo.map((p) => ({ ...p }))
  if (e.notifierInfo) endpoint['notifierInfo'] = e.notifierInfo.map((p) => ({ ...p }))
  if (e.timeout !== undefined) endpoint['timeout'] = e.timeout
  if (e.cooldown !== undefined) endpoint['cooldown'] = e.cooldown
  out['endpoint'] = endpoint
  const d = stored.delivery
  if (d.timesSent > 0 || d.timesFailed > 0) {
    out['timesSent'] = d.timesSent
    if (d.timesFailed > 0) out['timesFailed'] = d.timesFailed
    if (d.status !== undefined) out['status'] = d.status
    if (d.lastNotification !== undefined) out['lastNotification'] = d.lastNotification
    if (d.lastSuccess !== undefined) out['lastSuccess'] = d.lastSuccess
    if (d.lastFailure !== undefined) out['lastFailure'] = d.lastFailure
  }
  return out
}

/** The DNF back as a selection: `A`, `A;B`, `A|B`, `(A;B)|C`, with compacted names. */
export function typeSelectionText(dnf: readonly (readonly string[])[], ctx: ActiveContext): string {
  const clause = (all: readonly string[]) => all.map((t) => ctx.compactIri(t, 'vocab')).join(';')
  if (dnf.length === 1) return clause(dnf[0]!)
  return dnf.map((all) => (all.length > 1 ? `(${clause(all)})` : clause(all))).join('|')
}
