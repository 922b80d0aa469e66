/**
 * Reading and rendering the temporal evolution of entities (§4.5.7–4.5.9, §5.7.3/5.7.4): the
 * instances per attribute from the TemporalStore, the instance cap with its time cut and
 * `Content-Range` (§6.3.10), and the normalized, temporalValues and aggregated representations.
 *
 * @example
 *   const evo = await readEvolutions(temporal, tenant, entities, attrs, params, 10_000)
 *   const { status, headers } = cutEvolutions(evo, params, 10_000)
 *   const body = evo.map((e) => renderEvolution(e, ctx, params))
 */
import { createHash } from 'node:crypto'
import { IRI, NGSI_LD, type AttributeType, type Entity } from '../../core/ngsi.js'
import type { Observation } from '../../core/observation.js'
import { aggregateValue } from '../../store/aggregate-series.js'
import type { AggregateSeries, HistoryEvent, TemporalStore } from '../../store/store.js'
import { keptSlice } from '../../store/instance-window.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import type { TemporalParams } from './temporal-params.js'

/** One instance of an evolution: an observation, or one the Core API recorded (HistoryEvent). */
export interface EvolutionInstance extends Observation {
  /**
   * The instant under the request's timeproperty (what the window, order, lastN and the cap
   * apply to) when that is not observedAt; see instantOf.
   */
  at?: number
  /**
   * Set on instances from history events: their kind, and whether they have an observedAt of
   * their own to show (a deletion has none).
   */
  event?: { kind: AttributeType; observed: boolean; deletedAt?: number }
}

/** The instance's time under the request's timeproperty. */
export function instantOf(o: EvolutionInstance): number {
  return o.at ?? o.observedAt
}

export interface Evolution {
  entity: Entity
  /** Expanded attribute name → instances, oldest first (normalized and temporalValues). */
  instances: Map<string, EvolutionInstance[]>
  /** Kinds of attributes the Core API deleted (gone from the entity), from history events. */
  kinds?: Map<string, AttributeType>
  /** Expanded attribute name → periods (aggregatedValues). */
  aggregates?: Map<string, AggregateSeries>
}

export async function readEvolutions(
  temporal: TemporalStore,
  tenant: string,
  entities: readonly Entity[],
  attrs: readonly string[] | undefined,
  params: TemporalParams,
  cap: number,
): Promise<Evolution[]> {
  const out: Evolution[] = []
  const events = new Map<string, HistoryEvent[]>()
  if (!params.aggr && entities.length > 0) {
    const ids = entities.map((e) => e.id)
    for (const e of await temporal.events(tenant, { entityIds: ids, ...(attrs && { attrs }) })) {
      const list = events.get(e.entityId)
      if (list) list.push(e)
      else events.set(e.entityId, [e])
    }
  }
  for (const entity of entities) {
    const base = { entityId: entity.id, range: params.range, ...(attrs && { attrs }) }
    if (params.aggr) {
      const aggregates = await temporal.aggregate(tenant, {
        ...base,
        methods: params.aggr.methods,
        periodMs: params.aggr.periodMs,
        periodMonths: params.aggr.periodMonths,
      })
      out.push({ entity, instances: new Map(), aggregates })
      continue
    }
    // One instance over the cap tells whether the answer is partial. Observations have no
    // deletedAt: under that timeproperty only the recorded deletions answer.
    const { timeproperty } = params
    const instances: Map<string, EvolutionInstance[]> =
      timeproperty === 'deletedAt'
        ? new Map<string, EvolutionInstance[]>()
        : await temporal.query(tenant, {
            ...base,
            timeproperty,
            limit: cap + 1,
            ...(params.lastN !== undefined && { lastN: params.lastN }),
          })
    if (timeproperty === 'createdAt' || timeproperty === 'modifiedAt')
      for (const list of instances.values())
        for (const o of list) {
          // The store returns only instances that have this time.
          const t = o[timeproperty]
          if (t !== undefined) o.at = t
        }
    const own = events.get(entity.id) ?? []
    mergeEvents(instances, own, params, cap + 1)
    if (own.length === 0) out.push({ entity, instances })
    else out.push({ entity, instances, kinds: new Map(own.map((e) => [e.attr, e.kind])) })
  }
  return out
}

/**
 * Adds the entity's history events inside the window to its instances, ordered by the
 * timeproperty, then applies lastN and the `limit` again. Under observedAt the Scope valid at the
 * window start (set before it, not removed since; §4.18) is part of the evolution too.
 */
function mergeEvents(
  instances: Map<string, EvolutionInstance[]>,
  events: readonly HistoryEvent[],
  params: TemporalParams,
  limit: number,
): void {
  if (events.length === 0) return
  const from = params.range.from ?? -Infinity
  const to = params.range.to ?? Infinity
  const key = params.timeproperty
  const added = new Map<string, EvolutionInstance[]>()
  const add = (attr: string, inst: EvolutionInstance) => {
    const list = added.get(attr)
    if (list) list.push(inst)
    else added.set(attr, [inst])
  }
  for (const e of events) {
    const at = e[key]
    if (at === undefined || at < from || at >= to) continue
    add(e.attr, instanceOf(e, key === 'observedAt' ? undefined : at))
  }
  if (key === 'observedAt' && params.range.from !== undefined) {
    const valid = scopeAt(events, params.range.from)
    if (valid?.observedAt !== undefined) add(IRI.scope, instanceOf(valid, undefined))
  }
  for (const [attr, extra] of added) {
    const list = [...(instances.get(attr) ?? []), ...extra].sort(
      (a, b) => instantOf(a) - instantOf(b),
    )
    const [start, end] = keptSlice(list.length, params.lastN, limit)
    instances.set(attr, list.slice(start, end))
  }
}

/** The Scope event in force just before `t`, when it set a Scope (not a deletion). */
export function scopeAt(events: readonly HistoryEvent[], t: number): HistoryEvent | undefined {
  let last: HistoryEvent | undefined
  let lastAt = -Infinity
  for (const e of events) {
    if (e.attr !== IRI.scope) continue
    const at = e.observedAt ?? e.deletedAt ?? e.modifiedAt
    if (at < t && at >= lastAt) {
      last = e
      lastAt = at
    }
  }
  return last?.deletedAt === undefined ? last : undefined
}

/**
 * An event as an instance; `at` is its time under a timeproperty other than observedAt. An
 * instance without observedAt (a deletion) takes its deletedAt or modifiedAt for one, which only
 * its instance id and the order of a deletedAt request read.
 */
function instanceOf(e: HistoryEvent, at: number | undefined): EvolutionInstance {
  const inst: EvolutionInstance = {
    entityId: e.entityId,
    attr: e.attr,
    observedAt: e.observedAt ?? e.deletedAt ?? e.modifiedAt,
    value: e.value,
    modifiedAt: e.modifiedAt,
    event: {
      kind: e.kind,
      observed: e.observedAt !== undefined,
      ...(e.deletedAt !== undefined && { deletedAt: e.deletedAt }),
    },
  }
  if (at !== undefined) inst.at = at
  if (e.createdAt !== undefined) inst.createdAt = e.createdAt
  if (e.datasetId !== undefined) inst.datasetId = e.datasetId
  return inst
}

/**
 * Applies the instance cap. When an attribute has more matching instances than `cap`, every
 * attribute of every entity is cut at one instant so the answer is a consistent time window
 * (an attribute may be left with `[]`), and the reply is 206 with
 * `Content-Range: date-time <start>-<end>/<size>`: forward (oldest first) without lastN, backward
 * from the upper bound with lastN, size = lastN or `*`.
 */
export function cutEvolutions(
  evolutions: Evolution[],
  params: TemporalParams,
  cap: number,
): { status: 200 | 206; headers?: Record<string, string> } {
  const backward = params.lastN !== undefined
  let cut: number | undefined
  let first = Infinity
  let last = -Infinity
  for (const e of evolutions) {
    for (const list of e.instances.values()) {
      if (list.length > cap) {
        const kept = backward ? list.slice(list.length - cap) : list.slice(0, cap)
        const last = backward ? kept[0] : kept[kept.length - 1]
        const edge = last && instantOf(last)
        if (edge !== undefined)
          cut = cut === undefined ? edge : backward ? Math.max(cut, edge) : Math.min(cut, edge)
      }
    }
  }
  if (cut === undefined) return { status: 200 }
  for (const e of evolutions) {
    for (const [attr, list] of e.instances) {
      const kept = list.filter((o) => (backward ? instantOf(o) >= cut : instantOf(o) <= cut))
      const capped = backward ? kept.slice(Math.max(0, kept.length - cap)) : kept.slice(0, cap)
      e.instances.set(attr, capped)
      for (const o of capped) {
        const t = instantOf(o)
        if (t < first) first = t
        if (t > last) last = t
      }
    }
  }
  let start: number
  let end: number
  if (backward) {
    start = params.timerel === 'before' ? (params.timeAt ?? last) : (params.endTimeAt ?? last)
    end = cut
  } else {
    start =
      params.timerel === 'after' || params.timerel === 'between' ? (params.timeAt ?? first) : first
    end = cut
  }
  const size = backward ? String(params.lastN) : '*'
  return {
    status: 206,
    headers: { 'Content-Range': `date-time ${isoTime(start)}-${isoTime(end)}/${size}` },
  }
}

/** ISO 8601 UTC, without milliseconds when there are none (the suite compares `…:03:00Z`). */
export function isoTime(ms: number): string {
  const iso = new Date(ms).toISOString()
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso
}

/**
 * A stable instance id per (entity, attribute, dataset, time, n-th instance at that time): history
 * keeps no ids, and these stay the same from one request to the next.
 */
export function instanceId(o: Observation, i: number): string {
  const h = createHash('sha1')
    .update(`${o.entityId}\u0000${o.attr}\u0000${o.datasetId ?? ''}\u0000${o.observedAt}\u0000${i}`)
    .digest('hex')
  return `urn:ngsi-ld:Instance:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/** Attribute type → its value member in an instance and in the simplified pairs (4.5.7, 4.5.9). */
const MEMBERS: Record<string, [string, string]> = {
  Relationship: ['object', 'objects'],
  ListProperty: ['valueList', 'valueLists'],
  ListRelationship: ['objectList', 'objectLists'],
  LanguageProperty: ['languageMap', 'languageMaps'],
  JsonProperty: ['json', 'jsons'],
  VocabProperty: ['vocab', 'vocabs'],
}
/** Types whose simplified pairs wrap the value in an object named by its member (4.5.9). */
const WRAPPED = new Set(['LanguageProperty', 'JsonProperty', 'VocabProperty'])

export function renderEvolution(
  e: Evolution,
  ctx: ActiveContext,
  params: TemporalParams,
): JsonObject {
  const types = e.entity.types.map((t) => ctx.compactIri(t, 'vocab'))
  const out: JsonObject = { id: e.entity.id, type: types.length === 1 ? types[0]! : types }
  if (params.sysAttrs) {
    // §6.3.11: the system members of the entity where known (its current state knows them).
    const { createdAt, modifiedAt } = e.entity
    if (createdAt !== undefined) out['createdAt'] = createdAt
    if (modifiedAt !== undefined) out['modifiedAt'] = modifiedAt
    // A transient entity's expiresAt is kept as a member under its core IRI (parse-entity.ts).
    const expiresAt = e.entity.attrs[`${NGSI_LD}expiresAt`]?.[0]?.value
    if (expiresAt !== undefined) out['expiresAt'] = expiresAt
  }
  // A deleted attribute is gone from the entity: its recorded deletions tell its kind.
  const typeOf = (attr: string) =>
    e.entity.attrs[attr]?.[0]?.type ?? e.kinds?.get(attr) ?? 'Property'
  if (e.aggregates) {
    for (const [attr, series] of e.aggregates) {
      const rendered: JsonObject = { type: typeOf(attr) }
      for (const m of params.aggr?.methods ?? [])
        rendered[m] = Array.from({ length: series.length }, (_, i) => [
          aggregateValue(series, m, i),
          isoTime(series.start[i]!),
          isoTime(series.end[i]!),
        ])
      out[ctx.compactIri(attr)] = rendered
    }
    return out
  }
  // A VocabProperty keeps expanded IRIs: they compact against the request's @context (4.5.24).
  const valueOf = (type: string, o: Observation): unknown => {
    if (type !== 'VocabProperty') return o.value
    const compact = (v: unknown) => (typeof v === 'string' ? ctx.compactIri(v, 'vocab') : v)
    return Array.isArray(o.value) ? o.value.map(compact) : compact(o.value)
  }
  for (const [attr, list] of e.instances) {
    const type = typeOf(attr)
    const [member, pairsMember] = MEMBERS[type] ?? ['value', 'values']
    if (params.format === 'temporalValues') {
      // One simplified attribute per datasetId (4.5.9 with 4.5.5): an array when there are several.
      const groups = [...byDataset(list)].map(([datasetId, instances]) => ({
        type,
        ...(datasetId !== undefined && { datasetId }),
        [pairsMember]: instances.map((o) => [
          WRAPPED.has(type) ? { [member]: valueOf(type, o) } : valueOf(type, o),
          isoTime(instantOf(o)),
        ]),
      }))
      // An attribute the instance cap emptied keeps its (empty) pair list.
      out[ctx.compactIri(attr)] =
        groups.length === 0
          ? { type, [pairsMember]: [] }
          : groups.length === 1
            ? groups[0]!
            : groups
      continue
    }
    const seen = new Map<number, number>()
    out[ctx.compactIri(attr)] = list.map((o) => {
      const nth = seen.get(o.observedAt) ?? 0
      seen.set(o.observedAt, nth + 1)
      if (o.event) return renderEvent(o, o.event, nth, params)
      const inst: JsonObject = {
        type,
        [member]: valueOf(type, o),
        observedAt: isoTime(o.observedAt),
        instanceId: instanceId(o, nth),
      }
      if (o.unitCode !== undefined) inst['unitCode'] = o.unitCode
      if (o.datasetId !== undefined) inst['datasetId'] = o.datasetId
      addSystemTimes(inst, o, params)
      return inst
    })
  }
  return out
}

/**
 * The instance's createdAt and modifiedAt where known: with sysAttrs (§6.3.11), and the one the
 * request selected by even without, so the instant its window applied to is visible.
 */
function addSystemTimes(inst: JsonObject, o: Observation, params: TemporalParams): void {
  for (const name of ['createdAt', 'modifiedAt'] as const) {
    const t = o[name]
    if (t !== undefined && (params.sysAttrs || params.timeproperty === name))
      inst[name] = isoTime(t)
  }
}

/** Instances grouped by datasetId, the default instance (undefined) first, each oldest first. */
function byDataset(list: readonly Observation[]): Map<string | undefined, Observation[]> {
  const groups = new Map<string | undefined, Observation[]>()
  if (list.some((o) => o.datasetId === undefined)) groups.set(undefined, [])
  for (const o of list) {
    const group = groups.get(o.datasetId)
    if (group) group.push(o)
    else groups.set(o.datasetId, [o])
  }
  return groups
}

/**
 * An instance the Core API recorded: a deletion (the NGSI-LD Null of its kind and deletedAt, no
 * observedAt) or a Scope (observedAt a copy of modifiedAt when set through the Core API, §4.5.6).
 * modifiedAt is known for these, so sysAttrs shows it.
 */
function renderEvent(
  o: EvolutionInstance,
  event: NonNullable<EvolutionInstance['event']>,
  nth: number,
  params: TemporalParams,
): JsonObject {
  const [member] = MEMBERS[event.kind] ?? ['value']
  const inst: JsonObject = { type: event.kind, [member]: o.value }
  if (event.observed) inst['observedAt'] = isoTime(o.observedAt)
  inst['instanceId'] = instanceId(o, nth)
  if (o.datasetId !== undefined) inst['datasetId'] = o.datasetId
  if (event.deletedAt !== undefined) inst['deletedAt'] = isoTime(event.deletedAt)
  addSystemTimes(inst, o, params)
  return inst
}
