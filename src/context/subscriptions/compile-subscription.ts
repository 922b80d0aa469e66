/**
 * A subscription made ready for matching: its @contexts resolved once, q / scopeQ / geoQ parsed
 * once, selectors compiled to predicates. Matching then costs no parsing and no I/O.
 *
 * @example
 *   const c = await compileSubscription('default', sub, contexts)
 *   c.selects(entity) && c.filters(entity)
 */
import { expandBbox, geometryBbox, isGeometry, type Bbox } from '../../core/geo-bbox.js'
import type { Entity } from '../../core/ngsi.js'
import type { GeoFilter, ValuePredicate } from '../../store/store.js'
import { valuePrefilter } from '../query/value-prefilter.js'
import {
  DEFAULT_TRIGGERS,
  type NotificationTrigger,
  type Subscription,
} from '../../core/subscription.js'
import {
  uncounted,
  type ActiveContext,
  type ContextProcessor,
  type UserContext,
} from '../jsonld/index.js'
import {
  evaluateQ,
  evaluateScopeQ,
  linkedPaths,
  matchesGeo,
  parseGeoQuery,
  parseQWithOptions,
  parseScopeQ,
  withoutLinkedTerms,
  type LinkedResolver,
  type QPath,
} from '../query/index.js'
import { qOptionsOf } from './parse-subscription.js'

export interface CompiledSubscription {
  tenant: string
  sub: Subscription
  /** Whether the entity is one the `entities` member names (any entity when absent). */
  selects(entity: Entity): boolean
  /**
   * q, scopeQ and geoQ. With linked-entity terms in q (see `linked`), a necessary condition only:
   * those terms count as true here.
   */
  filters(entity: Entity): boolean
  /**
   * Set when q has linked-entity terms (§4.9): the Relationship paths whose targets must be
   * read, and q evaluated exactly with them. Only such subscriptions pay for store reads.
   */
  linked?: {
    paths: QPath[]
    expand: (term: string) => string
    holds(entity: Entity, resolve: LinkedResolver): boolean
  }
  /** notification.join asks for linked entities in notifications (§4.5.23). */
  joins: boolean
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
  // The broker's own resolutions are not uses of the @contexts (their numberOfHits).
  const subCtx = await uncounted(() =>
    contexts.activeContext(sub.context as UserContext | undefined),
  )
  const jsonldContext = sub.jsonldContext
  const notifyCtx =
    jsonldContext === undefined
      ? subCtx
      : await uncounted(() => contexts.activeContext(jsonldContext))
  const selectors = (sub.entities ?? []).map((s) => {
    const pattern = s.idPattern === undefined ? undefined : new RegExp(s.idPattern)
    return (e: Entity) =>
      (s.id === undefined || s.id === e.id) &&
      (!pattern || pattern.test(e.id)) &&
      s.types.some((all) => all.every((t) => e.types.includes(t)))
  })
  const predicates: ((e: Entity) => boolean)[] = []
  let linked: CompiledSubscription['linked']
  if (sub.q !== undefined) {
    const q = parseQWithOptions(percentDecoded(sub.q), qOptionsOf(sub), subCtx.expandTerm)
    const screens = valuePrefilter(q, subCtx.expandTerm).map(compileScreen)
    const paths = linkedPaths(q)
    const local = paths.length > 0 ? withoutLinkedTerms(q) : q
    predicates.push(
      (e) => screens.every((mayHold) => mayHold(e)) && evaluateQ(local, e, subCtx.expandTerm),
    )
    if (paths.length > 0)
      linked = {
        paths,
        expand: subCtx.expandTerm,
        holds: (e, resolve) => evaluateQ(q, e, subCtx.expandTerm, resolve),
      }
  }
  if (sub.scopeQ !== undefined) {
    const scopeQ = parseScopeQ(sub.scopeQ)
    predicates.push((e) => evaluateScopeQ(scopeQ, e.scopes))
  }
  if (sub.geoQ) {
    const { geometry, coordinates, georel, geoproperty } = sub.geoQ
    // geoproperty is stored expanded; absolute IRIs pass through expansion unchanged.
    const geo = parseGeoQuery({ geometry, coordinates, georel, geoproperty }, subCtx.expandTerm)
    if (geo) {
      const box = geoPrefilterBox(geo)
      predicates.push((e) => (!box || mayMeet(box, e, geo.geoproperty)) && matchesGeo(geo, e))
    }
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
    ...(linked && { linked }),
    joins: sub.notification.join === 'inline' || sub.notification.join === 'flat',
  }
}

/**
 * A box any matching entity geometry must touch, so most non-matching entities are refused
 * without the exact (turf) predicate: every relation but disjoint, and near only with a
 * maxDistance. undefined when no such box exists.
 */
function geoPrefilterBox(geo: GeoFilter): Bbox | undefined {
  const box = geometryBbox(geo.geometry)
  if (!box) return undefined
  if (geo.georel === 'near')
    return geo.maxDistance === undefined ? undefined : expandBbox(box, geo.maxDistance)
  return geo.georel === 'disjoint' ? undefined : box
}

function mayMeet(box: Bbox, e: Entity, geoproperty: string): boolean {
  for (const b of entityBoxes(e, geoproperty)) {
    if (b[0] <= box[2] && b[2] >= box[0] && b[1] <= box[3] && b[3] >= box[1]) return true
  }
  return false
}

// One change is tested against many subscriptions in a row: its boxes are computed once.
let lastEntity: Entity | undefined
let lastProperty = ''
let lastBoxes: Bbox[] = []

function entityBoxes(e: Entity, geoproperty: string): Bbox[] {
  if (e === lastEntity && geoproperty === lastProperty) return lastBoxes
  const boxes: Bbox[] = []
  for (const inst of e.attrs[geoproperty] ?? []) {
    const b = isGeometry(inst.value) ? geometryBbox(inst.value) : undefined
    if (b) boxes.push(b)
  }
  lastEntity = e
  lastProperty = geoproperty
  lastBoxes = boxes
  return boxes
}

/**
 * A quick necessary test from one q prefilter term: false only when every instance of the
 * attribute is a plain Property whose number or string value fails the comparison (or the
 * attribute is missing, which no comparison survives). Anything else is left to the exact q.
 */
function compileScreen(p: ValuePredicate): (e: Entity) => boolean {
  const holds = (v: unknown): boolean => {
    if (typeof v !== typeof p.value) return false
    const a = v as number | string
    switch (p.op) {
      case '==':
        return a === p.value
      case '<':
        return a < p.value
      case '<=':
        return a <= p.value
      case '>':
        return a > p.value
      case '>=':
        return a >= p.value
    }
  }
  return (e) => {
    const instances = e.attrs[p.attr]
    if (!instances || instances.length === 0) return false
    for (const inst of instances) {
      const v = inst.value
      if (inst.type !== 'Property' || (typeof v !== 'number' && typeof v !== 'string')) return true
      if (holds(v)) return true
    }
    return false
  }
}

/**
 * A subscription's q as a GET query would read it: clients write it URL-encoded, as in the
 * query string (the conformance suite sends `name=="Eiffel%20Tower"`). Left as it is when it
 * is not valid percent-encoding.
 */
export function percentDecoded(q: string): string {
  if (!q.includes('%')) return q
  try {
    return decodeURIComponent(q)
  } catch {
    return q
  }
}
