/**
 * The temporal write API (GS CIM 009 §5.6.11–§5.6.16, HTTP binding in §6): Create or Update Temporal
 * Representation of an Entity, Add Attributes to it, delete an attribute, modify or delete one
 * attribute instance (found by its derived instanceId), Delete the whole. Every attribute
 * instance with `observedAt` becomes one history observation. The entity's current state is kept
 * too (created, or given the newest instance per attribute and datasetId): the temporal read API
 * selects entities on their current state, and the conformance suite expects a current-state
 * entity after a temporal create (facts sheet §7, "Store coupling").
 *
 * @example
 *   POST /ngsi-ld/v1/temporal/entities
 *   {"id":"urn:v:1","type":"Vehicle","speed":[{"type":"Property","value":120,"observedAt":"2020-08-01T12:03:00Z"}]}
 */
import { AppError } from '../../core/errors.js'
import { IRI, NGSI_LD_NULL, type AttributeInstance, type Entity } from '../../core/ngsi.js'
import type { Observation, ObservedValue } from '../../core/observation.js'
import type { HistoryEvent, InstanceEdit, InstanceKey } from '../../store/store.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import { parseBooleanParam } from '../http/query-params.js'
import { instanceId as instanceIdOf } from '../temporal/temporal-evolution.js'
import { appendAttributes } from '../operations/append-attributes.js'
import { newEntity } from '../operations/stamp.js'
import {
  expandAttributeName,
  isAbsoluteUri,
  isNullInstance,
  parseEntity,
  parseFragment,
  type EntityFragment,
} from '../representation/index.js'
import type { NgsiRoute, RouteDeps } from './ngsi-route.js'
import { entityIdOf, publishChange, writeEntity } from './route-helpers.js'

/** Entity members that are not attributes (system members are ignored on input, as on create). */
const ENTITY_MEMBERS = new Set(['id', 'type', 'scope', 'createdAt', 'modifiedAt', 'deletedAt'])

/** The value member of an instance, by attribute kind (§4.5). */
const VALUE_MEMBERS = [
  'value',
  'object',
  'languageMap',
  'vocab',
  'json',
  'valueList',
  'objectList',
] as const

interface TemporalInput {
  /** Types and scopes of the entity (attrs empty); the scopes are the newest Scope instance's. */
  head: EntityFragment
  /** The Scope instances given (§4.5.6): a plain `scope` is one instance without observedAt. */
  scopes: ScopeInstance[]
  /** Newest instance per attribute and datasetId: what the current state gets. */
  latest: Record<string, AttributeInstance[]>
  observations: Observation[]
}

interface ScopeInstance {
  scopes: string[]
  observedAt?: number
}

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

export function temporalWriteRoutes(deps: RouteDeps): NgsiRoute[] {
  const temporal = deps.temporal
  if (!temporal) return []

  async function addToEntity(tenant: string, id: string, input: TemporalInput): Promise<void> {
    const now = deps.now()
    let held: readonly string[] = []
    await writeEntity(
      deps,
      tenant,
      id,
      (current) => {
        held = current.scopes ?? []
        const r = appendAttributes(
          current,
          { ...input.head, attrs: newerThanCurrent(current, input.latest) },
          { noOverwrite: false, now },
        )
        return { entity: r.entity, changed: r.updated, modified: r.changed }
      },
      // The temporal API states its history itself: the Scope instances as given.
      { history: false },
    )
    // A plain scope restating the entity's Scope changes nothing: no new instance.
    const same = (scopes: readonly string[]) =>
      scopes.length === held.length && scopes.every((x) => held.includes(x))
    const scopes = input.scopes.filter((x) => x.observedAt !== undefined || !same(x.scopes))
    await recordScopes(tenant, id, scopes, now)
  }

  /** The Scope instances of a temporal write, kept as history events (they are rare). */
  const recordScopes = async (
    tenant: string,
    id: string,
    scopes: readonly ScopeInstance[],
    now: string,
  ): Promise<void> => {
    const at = Date.parse(now)
    const events = scopes.map((s): HistoryEvent => ({
      entityId: id,
      attr: IRI.scope,
      kind: 'Property',
      value: s.scopes,
      observedAt: s.observedAt ?? at,
      modifiedAt: at,
    }))
    if (events.length > 0) await temporal.recordEvents(tenant, events)
  }

  /**
   * The history instance an instanceId names: ids are derived on read (temporal-evolution.ts),
   * so the attribute's history is read in the order the temporal API renders it.
   */
  const findInstance = async (
    tenant: string,
    id: string,
    iri: string,
    instanceId: string,
  ): Promise<{ key: InstanceKey; observation: Observation } | undefined> => {
    const history = await temporal.query(tenant, {
      entityId: id,
      attrs: [iri],
      range: {},
      limit: Number.MAX_SAFE_INTEGER,
    })
    const atTime = new Map<number, number>()
    const inSeries = new Map<string, number>()
    for (const o of history.get(iri) ?? []) {
      const nth = atTime.get(o.observedAt) ?? 0
      atTime.set(o.observedAt, nth + 1)
      const seriesKey = `${o.datasetId ?? ''}\u0000${o.observedAt}`
      const k = inSeries.get(seriesKey) ?? 0
      inSeries.set(seriesKey, k + 1)
      if (instanceIdOf(o, nth) !== instanceId) continue
      const key: InstanceKey = { observedAt: o.observedAt, nth: k }
      if (o.datasetId !== undefined) key.datasetId = o.datasetId
      return { key, observation: o }
    }
    return undefined
  }

  /**
   * An update of a temporal evolution (§5.6.11) restates instances: one at the time (and
   * datasetId) of an instance already in history replaces its value, as the conformance suite
   * expects (008_01_01). Returns the observations that are new, to append. Replacements are one
   * batch of edits (in SQLite, one rollup rebuild per edited series).
   */
  const replaceSameTime = async (
    tenant: string,
    observations: readonly Observation[],
  ): Promise<Observation[]> => {
    const first = observations[0]
    if (!first) return []
    let from = first.observedAt
    let to = first.observedAt
    for (const o of observations) {
      from = Math.min(from, o.observedAt)
      to = Math.max(to, o.observedAt)
    }
    const history = await temporal.query(tenant, {
      entityId: first.entityId,
      attrs: [...new Set(observations.map((o) => o.attr))],
      range: { from, to: to + 1 },
      limit: Number.MAX_SAFE_INTEGER,
    })
    const keyOf = (o: Observation) => `${o.attr}\u0000${o.datasetId ?? ''}\u0000${o.observedAt}`
    const held = new Map<string, number>()
    for (const list of history.values())
      for (const o of list) held.set(keyOf(o), (held.get(keyOf(o)) ?? 0) + 1)
    const used = new Map<string, number>()
    const fresh: Observation[] = []
    const edits: InstanceEdit[] = []
    for (const o of observations) {
      const key = keyOf(o)
      const nth = used.get(key) ?? 0
      if (nth >= (held.get(key) ?? 0)) {
        fresh.push(o)
        continue
      }
      used.set(key, nth + 1)
      const at: InstanceKey = { observedAt: o.observedAt, nth }
      if (o.datasetId !== undefined) at.datasetId = o.datasetId
      edits.push({ attr: o.attr, at, value: { value: o.value } })
    }
    if (edits.length > 0) await temporal.editInstances(tenant, first.entityId, edits)
    return fresh
  }

  return [
    {
      method: 'POST',
      url: '/temporal/entities',
      summary: 'Create or update the temporal representation of an entity',
      consumesBody: true,
      params: [],
      tenant: 'create',
      async handle(req) {
        const obj = requireBody(req.body)
        const entity = parseEntity(entityHead(obj, false), req.ctx)
        const input = parseTemporal(obj, entity.id, req.ctx)
        await deps.tenants.ensure(req.tenant)
        const existing = await deps.entities.read(req.tenant, entity.id)
        if (existing) {
          await addToEntity(req.tenant, entity.id, input)
          await temporal.append(req.tenant, await replaceSameTime(req.tenant, input.observations))
          return { status: 204 }
        }
        const now = deps.now()
        const created = newEntity(
          {
            ...entity,
            ...(input.head.scopes && { scopes: input.head.scopes }),
            attrs: input.latest,
          },
          now,
        )
        await deps.entities.create(req.tenant, created)
        await temporal.append(req.tenant, input.observations)
        await recordScopes(req.tenant, created.id, input.scopes, now)
        await publishChange(deps, {
          tenant: req.tenant,
          entityId: created.id,
          types: created.types,
          kind: 'created',
          attrs: Object.keys(created.attrs),
          entity: created,
        })
        return { status: 201, headers: { location: temporalLocation(deps, created.id) } }
      },
    },
    {
      method: 'POST',
      url: '/temporal/entities/:entityId/attrs',
      summary: 'Add attributes to the temporal representation of an entity',
      consumesBody: true,
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const obj = requireBody(req.body)
        if (obj['id'] !== undefined && obj['id'] !== id)
          throw bad(`the fragment's id ${JSON.stringify(obj['id'])} is not the entity's id ${id}`)
        const input = parseTemporal(obj, id, req.ctx)
        if (input.observations.length === 0 && Object.keys(input.latest).length === 0)
          throw bad('the fragment contains no attribute')
        // The entity must exist (404 otherwise) before any history is written.
        await addToEntity(req.tenant, id, input)
        await temporal.append(req.tenant, input.observations)
        return { status: 204 }
      },
    },
    {
      method: 'DELETE',
      url: '/temporal/entities/:entityId',
      summary: 'Delete the temporal representation of an entity',
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const existing = await deps.entities.read(req.tenant, id)
        if (!existing) throw new AppError('ResourceNotFound', `entity ${id} not found`)
        await temporal.deleteEntity(req.tenant, id)
        const removed = await deps.entities.delete(req.tenant, id)
        if (removed) {
          await publishChange(deps, {
            tenant: req.tenant,
            entityId: id,
            types: removed.types,
            kind: 'deleted',
            attrs: Object.keys(removed.attrs),
            entity: removed,
          })
        }
        return { status: 204 }
      },
    },
    {
      method: 'DELETE',
      url: '/temporal/entities/:entityId/attrs/:attrId',
      summary: 'Delete an attribute from the temporal representation of an entity',
      params: ['deleteAll', 'datasetId'],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const iri = expandAttributeName(req.params['attrId'] ?? '', req.ctx)
        const all = parseBooleanParam(req.query['deleteAll'], 'deleteAll') ?? false
        const datasetId = req.query['datasetId']
        if (datasetId !== undefined && !isAbsoluteUri(datasetId))
          throw bad(`datasetId '${datasetId}' is not a URI`)
        if (all && datasetId !== undefined) throw bad('give either deleteAll=true or datasetId')
        if (!(await deps.entities.read(req.tenant, id)))
          throw new AppError('ResourceNotFound', `entity ${id} not found`)
        // Only history goes: the entity's current state is the current-state API's to change.
        const deleted = await temporal.deleteAttribute(req.tenant, id, iri, {
          ...(datasetId !== undefined && { datasetId }),
          all,
        })
        if (!deleted)
          throw new AppError('ResourceNotFound', `entity ${id} has no history of ${iri}`)
        return { status: 204 }
      },
    },
    ...(['PATCH', 'DELETE'] as const).map((method): NgsiRoute => ({
      method,
      url: '/temporal/entities/:entityId/attrs/:attrId/:instanceId',
      summary: `${method === 'PATCH' ? 'Modify' : 'Delete'} an attribute instance`,
      consumesBody: method === 'PATCH',
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const name = req.params['attrId'] ?? ''
        const iri = expandAttributeName(name, req.ctx)
        const instanceId = req.params['instanceId'] ?? ''
        if (!isAbsoluteUri(instanceId)) throw bad(`instanceId '${instanceId}' is not a URI`)
        const patch =
          method === 'PATCH' ? parseInstancePatch(req.body, name, id, req.ctx) : undefined
        if (!(await deps.entities.read(req.tenant, id)))
          throw new AppError('ResourceNotFound', `entity ${id} not found`)
        const found = await findInstance(req.tenant, id, iri, instanceId)
        if (!found)
          throw new AppError('ResourceNotFound', `${name} of ${id} has no instance ${instanceId}`)
        const { key, observation } = found
        const moved = patch?.observedAt !== undefined && patch.observedAt !== key.observedAt
        const [kept] = await temporal.editInstances(req.tenant, id, [
          { attr: iri, at: key, ...(patch && !moved && { value: { value: patch.value } }) },
        ])
        if (!kept) throw new AppError('ResourceNotFound', `instance ${instanceId} not found`)
        if (patch && moved) {
          await temporal.append(req.tenant, [
            { ...observation, value: patch.value, observedAt: patch.observedAt ?? key.observedAt },
          ])
        }
        return { status: 204 }
      },
    })),
  ]
}

/** The new value (and optionally time) of an instance, from a Modify Attribute Instance body. */
function parseInstancePatch(
  body: unknown,
  name: string,
  id: string,
  ctx: ActiveContext,
): { value: ObservedValue; observedAt?: number } {
  const obj = requireBody(body)
  const parsed = parseFragment({ [name]: obj }, ctx, { entityId: id, allowNull: false })
  const inst = Object.values(parsed.attrs)[0]?.[0]
  if (!inst) throw bad('the body is not an attribute instance')
  const member = VALUE_MEMBERS.find((m) => inst[m] !== undefined)
  if (member === undefined) throw bad('the instance has no value')
  const observedAt = observedMs(inst)
  return {
    value: inst[member] as ObservedValue,
    ...(observedAt !== undefined && { observedAt }),
  }
}

function requireBody(body: unknown): JsonObject {
  if (body === undefined)
    throw new AppError('InvalidRequest', 'the request has no body; expected an entity')
  if (!isJsonObject(body))
    throw new AppError('InvalidRequest', 'the request body must be an entity')
  return body
}

/** id, type and (unless `withScope` is false) a plain scope of a temporal body. */
function entityHead(obj: JsonObject, withScope = true): JsonObject {
  const head: JsonObject = {}
  for (const key of ['id', 'type', 'scope']) {
    const value = obj[key]
    if (value === undefined || (key === 'scope' && (!withScope || isScopeInstances(value))))
      continue
    head[key] = value
  }
  return head
}

/** A scope given as temporal Property instances (§4.5.6) rather than as scope strings. */
function isScopeInstances(raw: unknown): boolean {
  return isJsonObject(raw) || (Array.isArray(raw) && raw.some(isJsonObject))
}

/**
 * The Scope instances of a temporal body: a plain scope (a string or an array of them) is one
 * instance without time; instances are Properties whose value is a scope or an array of scopes.
 */
function parseScopeInstances(raw: unknown, id: string, ctx: ActiveContext): ScopeInstance[] {
  if (raw === undefined) return []
  const parse = (value: unknown): string[] => {
    const parsed = parseFragment({ scope: value }, ctx, {
      entityId: id,
      allowNull: false,
      allowEmpty: true,
    })
    if (!parsed.scopes) throw bad('a Scope instance needs a value')
    return parsed.scopes
  }
  if (!isScopeInstances(raw)) return [{ scopes: parse(raw) }]
  const list = Array.isArray(raw) ? raw : [raw]
  return list.map((one) => {
    if (!isJsonObject(one)) throw bad('each Scope instance must be an object')
    if (one['type'] !== undefined && one['type'] !== 'Property')
      throw bad('a Scope instance is a Property')
    const unknown = Object.keys(one).filter((k) => !SCOPE_INSTANCE_MEMBERS.has(k))
    if (unknown.length > 0) throw bad(`a Scope instance cannot have '${unknown[0]}'`)
    const observed = one['observedAt']
    let observedAt: number | undefined
    if (observed !== undefined) {
      observedAt = typeof observed === 'string' ? Date.parse(observed) : NaN
      if (Number.isNaN(observedAt))
        throw bad(`observedAt ${JSON.stringify(observed)} is not a date-time`)
    }
    return { scopes: parse(one['value']), ...(observedAt !== undefined && { observedAt }) }
  })
}

/** A Scope instance has only the non-reified temporal sub-Properties (§4.5.6). */
const SCOPE_INSTANCE_MEMBERS = new Set([
  'type',
  'value',
  'observedAt',
  'createdAt',
  'modifiedAt',
  'deletedAt',
  'instanceId',
])

/** The newest Scope instance (the later one in the payload when times are missing or equal). */
function newestScopes(instances: readonly ScopeInstance[]): string[] | undefined {
  let newest: ScopeInstance | undefined
  for (const s of instances)
    if (
      !newest ||
      s.observedAt === undefined ||
      newest.observedAt === undefined ||
      s.observedAt >= newest.observedAt
    )
      newest = s
  return newest?.scopes
}

/**
 * Reads the attributes of a temporal body: each one an instance or an array of instances, every
 * instance checked as the current-state API checks it. Several instances may share a datasetId
 * (they differ in time), which a current-state entity never allows, so each is read on its own.
 */
function parseTemporal(obj: JsonObject, id: string, ctx: ActiveContext): TemporalInput {
  const head: EntityFragment = { attrs: {} }
  const latest: Record<string, AttributeInstance[]> = {}
  const observations: Observation[] = []
  for (const [name, raw] of Object.entries(obj)) {
    if (ENTITY_MEMBERS.has(name)) continue
    const list = Array.isArray(raw) ? raw : [raw]
    if (list.length === 0) throw bad(`the attribute ${name} has no instance`)
    for (const one of list) {
      if (!isJsonObject(one)) throw bad(`an instance of ${name} must be an object`)
      // A deleted instance (value NGSI-LD Null, §4.5.7) is legal in a temporal evolution: it goes
      // to history as it is, and leaves the entity's current state alone.
      const deleted = VALUE_MEMBERS.some((m) => one[m] === NGSI_LD_NULL)
      const parsed = parseFragment({ [name]: one }, ctx, { entityId: id, allowNull: deleted })
      for (const [iri, instances] of Object.entries(parsed.attrs)) {
        for (const inst of instances) {
          if (!isNullInstance(inst)) keepNewest(latest, iri, inst)
          const o = observationOf(id, iri, inst)
          if (o) observations.push(o)
        }
      }
    }
  }
  if (obj['type'] !== undefined) {
    const parsed = parseFragment(entityHead(obj, false), ctx, {
      entityId: id,
      allowNull: false,
      allowEmpty: true,
    })
    if (parsed.types) head.types = parsed.types
  }
  const scopes = parseScopeInstances(obj['scope'], id, ctx)
  const current = newestScopes(scopes)
  if (current) head.scopes = current
  return { head, scopes, latest, observations }
}

function observedMs(inst: AttributeInstance): number | undefined {
  if (inst.observedAt === undefined) return undefined
  const t = Date.parse(inst.observedAt)
  if (Number.isNaN(t)) throw bad(`observedAt ${JSON.stringify(inst.observedAt)} is not a date-time`)
  return t
}

/** The newest instance wins; without observedAt, the later one in the payload. */
function keepNewest(
  latest: Record<string, AttributeInstance[]>,
  iri: string,
  inst: AttributeInstance,
) {
  const list = (latest[iri] ??= [])
  const i = list.findIndex((x) => x.datasetId === inst.datasetId)
  const current = list[i]
  if (!current) {
    list.push(inst)
    return
  }
  const held = observedMs(current)
  const incoming = observedMs(inst)
  if (held === undefined || incoming === undefined || incoming >= held) list[i] = inst
}

/** An instance older than the entity's current one of the same datasetId leaves the state as it is. */
function newerThanCurrent(
  current: Entity,
  latest: Record<string, AttributeInstance[]>,
): Record<string, AttributeInstance[]> {
  const out: Record<string, AttributeInstance[]> = {}
  for (const [iri, list] of Object.entries(latest)) {
    const kept = list.filter((inst) => {
      const held = current.attrs[iri]?.find((x) => x.datasetId === inst.datasetId)
      const heldAt = held ? observedMs(held) : undefined
      const incoming = observedMs(inst)
      return heldAt === undefined || incoming === undefined || incoming >= heldAt
    })
    if (kept.length > 0) out[iri] = kept
  }
  return out
}

function observationOf(id: string, iri: string, inst: AttributeInstance): Observation | undefined {
  // History is indexed by observation time: an instance without it has no place in it.
  const at = observedMs(inst)
  if (at === undefined) return undefined
  const member = VALUE_MEMBERS.find((m) => inst[m] !== undefined)
  const o: Observation = {
    entityId: id,
    attr: iri,
    observedAt: at,
    value: (member === undefined ? null : inst[member]) as ObservedValue,
  }
  if (inst.unitCode !== undefined) o.unitCode = inst.unitCode
  if (inst.datasetId !== undefined) o.datasetId = inst.datasetId
  return o
}

function temporalLocation(deps: RouteDeps, id: string): string {
  const segment = encodeURI(id).replace(/[?#/]/g, (c) => encodeURIComponent(c))
  return `${deps.baseUrl}${deps.prefix}/temporal/entities/${segment}`
}
