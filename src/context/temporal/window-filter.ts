/**
 * The values filter (q) and the geoquery of Query Temporal Evolution of Entities, judged on the
 * attribute instances inside the temporal interval (GS CIM 009 §5.7.4.4, steps S2 and S3), not
 * on the entity's current state: an instance outside the window never satisfies q, one inside
 * does, whatever the entity holds now.
 *
 * Each term of q is satisfied when some instance in the window satisfies it (§4.9: "any
 * instance"); a negated `!attr` when no instance of the attribute is in the window. Only the
 * attributes the filter names are read, one entity and one stored chunk at a time
 * (TemporalStore.scan), and reading stops as soon as the outcome is known, so memory stays at one
 * chunk whatever the history holds. A budget bounds the instances one request may examine.
 *
 * History keeps each instance's value, observedAt, unitCode and datasetId; the attribute's type
 * comes from the current entity (as the temporal representation takes it). Sub-attributes other
 * than those members are not kept in history, so a q path through them matches no windowed
 * instance.
 *
 * @example
 *   const budget = new ScanBudget(WINDOW_SCAN_BUDGET)
 *   await matchesInWindow(temporal, tenant, entity, { q, expand }, { from, to }, budget)
 */
import { AppError } from '../../core/errors.js'
import {
  NGSI_LD_NULL,
  type AttributeInstance,
  type AttributeType,
  type Entity,
} from '../../core/ngsi.js'
import type { InstanceTime, Observation, TimeRange } from '../../core/observation.js'
import type { GeoFilter, TemporalScan, TemporalStore } from '../../store/store.js'
import { evaluateQ, matchesGeo, type QNode, type QPath } from '../query/index.js'
import { expandName } from '../query/names.js'
import { VALUE_MEMBER } from '../representation/index.js'
import { isoTime } from './temporal-evolution.js'

export interface WindowFilter {
  q?: QNode | undefined
  geo?: GeoFilter | undefined
  /** Short attribute name → expanded IRI (the request's @context). */
  expand: (term: string) => string
  /** The time the window applies to; observedAt when absent. */
  timeproperty?: InstanceTime | undefined
}

/**
 * Candidate entities plus instances one temporal query may examine to judge its values filter
 * and geoquery: about a year of one-minute data for ten entities. Beyond it the request is
 * TooManyResults, so a wide query over long histories cannot hold the broker.
 */
export const WINDOW_SCAN_BUDGET = 5_000_000

/** What is left of a request's budget; `take` throws TooManyResults once it is spent. */
export class ScanBudget {
  constructor(private left: number) {}

  take(instances: number): void {
    this.left -= instances
    if (this.left < 0)
      throw new AppError(
        'TooManyResults',
        'the values filter or geoquery would examine too many entities and attribute instances: narrow the temporal interval or the entity selection',
      )
  }
}

/** One test the window must satisfy: a q term (in its plain form) or the geoquery. */
interface Leaf {
  attr: string
  test: (view: Entity) => boolean
  /** Whether some instance in the window satisfied the test so far. */
  hit: boolean
}

export async function matchesInWindow(
  temporal: TemporalStore,
  tenant: string,
  entity: Entity,
  filter: WindowFilter,
  range: TimeRange,
  budget: ScanBudget,
): Promise<boolean> {
  const leaves: Leaf[] = []
  const parts: ((assume: Assume) => boolean)[] = []
  if (filter.q) parts.push(compile(filter.q, filter.expand, leaves))
  const geo = filter.geo
  if (geo) {
    const leaf: Leaf = { attr: geo.geoproperty, test: (v) => matchesGeo(geo, v), hit: false }
    leaves.push(leaf)
    parts.push((assume) => leaf.hit || assume === 'best')
  }
  const holds = (assume: Assume) => parts.every((p) => p(assume))
  // Tests only ever go from unmet to met, which can only make a plain term true and a negated
  // one false: once the best and the worst the rest of the window could do agree, it is decided.
  const settled = () => holds('best') === holds('worst')
  const attrs = [...new Set(leaves.map((l) => l.attr))]
  const stamped = filter.q !== undefined && mentionsObservedAt(filter.q)
  const selection = {
    entityIds: [entity.id],
    attrs,
    range,
    ...(filter.timeproperty && { timeproperty: filter.timeproperty }),
  }
  scan: for await (const batch of windowInstances(temporal, tenant, selection)) {
    // A chunk sealed from a large burst may be big: it is judged a slice at a time.
    for (let i = 0; i < batch.length; i += SLICE) {
      const slice = batch.slice(i, i + SLICE)
      budget.take(slice.length)
      const view = windowView(entity, slice, stamped)
      for (const leaf of leaves)
        if (!leaf.hit && view.attrs[leaf.attr] !== undefined && leaf.test(view)) leaf.hit = true
      if (settled()) break scan
    }
  }
  return holds('now')
}

/**
 * The instances of the selection: those the Core API wrote (history events, few: one batch) and
 * then the observations, batch by batch.
 */
async function* windowInstances(
  temporal: TemporalStore,
  tenant: string,
  selection: TemporalScan,
): AsyncIterable<Observation[]> {
  const key = selection.timeproperty ?? 'observedAt'
  const from = selection.range.from ?? -Infinity
  const to = selection.range.to ?? Infinity
  const recorded: Observation[] = []
  const { entityIds, attrs } = selection
  for (const e of await temporal.events(tenant, { entityIds, ...(attrs && { attrs }) })) {
    const t = e[key]
    if (t === undefined || t < from || t >= to) continue
    const o: Observation = {
      entityId: e.entityId,
      attr: e.attr,
      // NaN: no observedAt to show to a q that reads it (instanceOf leaves it out).
      observedAt: e.observedAt ?? NaN,
      value: e.value,
    }
    if (e.datasetId !== undefined) o.datasetId = e.datasetId
    recorded.push(o)
  }
  if (recorded.length > 0) yield recorded
  yield* temporal.scan(tenant, selection)
}

/** Instances turned into attribute instances and judged at once. */
const SLICE = 1024

/** Whether some term reads `observedAt`, the one member that costs a conversion per instance. */
function mentionsObservedAt(node: QNode): boolean {
  if (node.kind !== 'term') return node.children.some(mentionsObservedAt)
  const path = (p: QPath): boolean =>
    p.sub.includes('observedAt') || (!!p.linked && path(p.linked.path))
  return path(node.path)
}

/**
 * What a still unmet test is taken as: as it is now (unmet), or met by some instance still to
 * come, in the way that most helps (`best`) or most hurts (`worst`) the filter.
 */
type Assume = 'now' | 'best' | 'worst'

/** The q as a function of its leaves' outcomes. */
function compile(
  node: QNode,
  expand: (term: string) => string,
  leaves: Leaf[],
): (assume: Assume) => boolean {
  if (node.kind !== 'term') {
    const children = node.children.map((c) => compile(c, expand, leaves))
    return node.kind === 'and'
      ? (assume) => children.every((c) => c(assume))
      : (assume) => children.some((c) => c(assume))
  }
  const { negated, ...plain } = node
  const leaf: Leaf = {
    attr: expandName(node.path.attr, expand),
    test: (view) => evaluateQ(plain, view, expand),
    hit: false,
  }
  leaves.push(leaf)
  return negated
    ? (assume) => !(leaf.hit || assume === 'worst')
    : (assume) => leaf.hit || assume === 'best'
}

/** The entity with only this batch's instances as its attributes, for the q and geo evaluators. */
function windowView(entity: Entity, batch: readonly Observation[], stamped: boolean): Entity {
  const attrs: Record<string, AttributeInstance[]> = {}
  for (const o of batch) {
    const instance = instanceOf(o, typeOf(entity, o), stamped)
    if (instance) (attrs[o.attr] ??= []).push(instance)
  }
  return { ...entity, attrs }
}

/** As the current entity types the attribute; a geometry of a since-deleted one is a GeoProperty. */
function typeOf(entity: Entity, o: Observation): AttributeType {
  const type = entity.attrs[o.attr]?.[0]?.type
  if (type) return type
  const v = o.value
  return typeof v === 'object' && v !== null && 'coordinates' in v ? 'GeoProperty' : 'Property'
}

/**
 * One history instance as an attribute instance; a deleted one (NGSI-LD Null) is no instance.
 * `stamped`: with its observedAt (only a q that reads it needs the conversion).
 */
function instanceOf(
  o: Observation,
  type: AttributeType,
  stamped: boolean,
): AttributeInstance | undefined {
  if (o.value === NGSI_LD_NULL) return undefined
  const instance: AttributeInstance = { type }
  if (stamped && !Number.isNaN(o.observedAt)) instance.observedAt = isoTime(o.observedAt)
  instance[VALUE_MEMBER[type]] = o.value
  if (o.unitCode !== undefined) instance.unitCode = o.unitCode
  if (o.datasetId !== undefined) instance.datasetId = o.datasetId
  return instance
}
