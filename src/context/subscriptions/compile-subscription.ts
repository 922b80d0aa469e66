/**
 * A subscription made ready for matching: its @contexts resolved once, q / scopeQ / geoQ parsed
 * once, selectors compiled to predicates. Matching then costs no parsing and no I/O.
 *
 * @example
 *   const c = await compileSubscription('default', sub, contexts)
 *   c.selects(entity) && c.filters(entity)
 */
import type { Entity } from '../../core/ngsi.js'
import {
  DEFAULT_TRIGGERS,
  type NotificationTrigger,
  type Subscription,
} from '../../core/subscription.js'
import type { ActiveContext, ContextProcessor, UserContext } from '../jsonld/index.js'
import {
  evaluateQ,
  evaluateScopeQ,
  matchesGeo,
  parseGeoQuery,
  parseQ,
  parseScopeQ,
} from '../query/index.js'

export interface CompiledSubscription {
  tenant: string
  sub: Subscription
  /** Whether the entity is one the `entities` member names (any entity when absent). */
  selects(entity: Entity): boolean
  /** q, scopeQ and geoQ. */
  filters(entity: Entity): boolean
  watched: ReadonlySet<string> | undefined
  triggers: ReadonlySet<NotificationTrigger>
  /** The context notifications are compacted with. */
  notifyCtx: ActiveContext
  /** Epoch ms of the last notification (throttling). */
  lastNotifiedAt: number
}

export async function compileSubscription(
  tenant: string,
  sub: Subscription,
  contexts: ContextProcessor,
): Promise<CompiledSubscription> {
  const subCtx = await contexts.activeContext(sub.context as UserContext | undefined)
  const notifyCtx =
    sub.jsonldContext === undefined ? subCtx : await contexts.activeContext(sub.jsonldContext)
  const selectors = (sub.entities ?? []).map((s) => {
    const pattern = s.idPattern === undefined ? undefined : new RegExp(s.idPattern)
    return (e: Entity) =>
      (s.id === undefined || s.id === e.id) &&
      (!pattern || pattern.test(e.id)) &&
      s.types.some((all) => all.every((t) => e.types.includes(t)))
  })
  const predicates: ((e: Entity) => boolean)[] = []
  if (sub.q !== undefined) {
    const q = parseQ(sub.q)
    predicates.push((e) => evaluateQ(q, e, subCtx.expandTerm))
  }
  if (sub.scopeQ !== undefined) {
    const scopeQ = parseScopeQ(sub.scopeQ)
    predicates.push((e) => evaluateScopeQ(scopeQ, e.scopes))
  }
  if (sub.geoQ) {
    const { geometry, coordinates, georel, geoproperty } = sub.geoQ
    // geoproperty is stored expanded; absolute IRIs pass through expansion unchanged.
    const geo = parseGeoQuery({ geometry, coordinates, georel, geoproperty }, subCtx.expandTerm)
    if (geo) predicates.push((e) => matchesGeo(geo, e))
  }
  return {
    tenant,
    sub,
    selects: (e) => selectors.length === 0 || selectors.some((m) => m(e)),
    filters: (e) => predicates.every((p) => p(e)),
    watched: sub.watchedAttributes ? new Set(sub.watchedAttributes) : undefined,
    triggers: new Set(sub.notificationTrigger ?? DEFAULT_TRIGGERS),
    notifyCtx,
    lastNotifiedAt: 0,
  }
}
