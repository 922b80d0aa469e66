/**
 * The Notification (§5.3.1, §5.8.6) for one subscription and a set of entities: the projection
 * (attributes / pick / omit, datasetId), the representation (normalized, concise, keyValues),
 * sysAttrs, showChanges (previous values), deleted attributes and entities, and the media type
 * of the endpoint (JSON with a Link header, JSON-LD with @context per entity, GeoJSON).
 *
 * @example
 *   const m = buildNotification({ sub, ctx, items: [{ entity }], tenant, now, newId })
 */
import {
  CORE_CONTEXT_URL,
  NGSI_LD_NULL,
  type AttributeInstance,
  type Entity,
} from '../../core/ngsi.js'
import type { JsonValue, NotificationMessage, Subscription } from '../../core/subscription.js'
import { DEFAULT_TENANT } from '../../core/ngsi.js'
import { contextLink } from '../http/link-header.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import {
  ALL_MEMBERS,
  applyProjection,
  parseLang,
  parseProjectionParams,
  renderEntity,
  toFeature,
  toFeatureCollection,
  type Format,
  type Projection,
} from '../representation/index.js'
import { joinEntities, parseJoin, projectionText } from '../representation/join-entities.js'

export interface NotifiedEntity {
  /** The entity now (before the deletion, for deletions). */
  entity: Entity
  previous?: Entity
  deleted?: boolean
  /** Expanded names of attributes whose change is reported. */
  updated?: readonly string[]
  removed?: readonly string[]
  /** Instances (by datasetId) deleted from attributes that still have others. */
  removedInstances?: Readonly<Record<string, readonly AttributeInstance[]>>
}

export interface NotificationInput {
  sub: Subscription
  /** The context notifications are compacted with (jsonldContext, else the subscription's). */
  ctx: ActiveContext
  items: readonly NotifiedEntity[]
  tenant: string
  now: Date
  newId: () => string
}

const GEO_JSON = 'application/geo+json'
const JSON_LD = 'application/ld+json'
const PREVIOUS: Record<string, string> = {
  value: 'previousValue',
  object: 'previousObject',
  languageMap: 'previousLanguageMap',
  json: 'previousJson',
  vocab: 'previousVocab',
}

export function buildNotification(input: NotificationInput): NotificationMessage {
  return wrapNotification(input, renderItems(input))
}

/**
 * buildNotification with the Linked Entity retrieval the subscription asks for (§4.5.23,
 * notification.join): the entities the notified ones link to are read and inlined or appended.
 * Deleted entities link nothing; GeoJSON notifications are not joined (as for queries).
 */
export async function buildJoinedNotification(
  input: NotificationInput,
  read: (id: string) => Promise<Readonly<Entity> | undefined>,
): Promise<NotificationMessage> {
  const data = renderItems(input)
  const n = input.sub.notification
  const join = parseJoin(n.join, n.joinLevel, undefined, undefined)
  if (!join || (n.endpoint.accept ?? 'application/json') === GEO_JSON)
    return wrapNotification(input, data)
  const { ctx } = input
  const format = formatOf(n.format)
  const lang = input.sub.lang === undefined ? undefined : parseLang(input.sub.lang)
  const roots = input.items.flatMap((item, i) =>
    item.deleted ? [] : [{ entity: item.entity, rendered: data[i] }],
  )
  const joined = await joinEntities(roots, join, {
    read,
    compactIri: (iri) => ctx.compactIri(iri),
    expandTerm: (term) => ctx.expandTerm(term),
    simplified: format === 'simplified',
    render: (entity, scope) => {
      // Linked entities show every attribute (046_26): notification.attributes / pick / omit
      // select among the notified entity's own attributes; braces would select further.
      const projection = parseProjectionParams(
        {
          pick: scope.pick && projectionText(scope.pick),
          omit: scope.omit && projectionText(scope.omit),
          join: join.join,
        },
        ctx,
      )
      const out = renderEntity(applyProjection(entity, projection), ctx, {
        format,
        sysAttrs: n.sysAttrs ?? false,
        lang,
        members: projection.members,
      })
      return Object.keys(out).length === 0 ? undefined : out
    },
  })
  return wrapNotification(input, [...data, ...joined.slice(roots.length)])
}

function renderItems(input: NotificationInput): JsonObject[] {
  const { sub, ctx } = input
  const accept = sub.notification.endpoint.accept ?? 'application/json'
  const format = formatOf(sub.notification.format)
  const projection = projectionOf(sub)
  const lang = sub.lang === undefined ? undefined : parseLang(sub.lang)
  const sysAttrs = sub.notification.sysAttrs ?? false
  /** previousVocab reads like vocab: IRIs compacted to terms. */
  const vocabOf = (v: unknown): unknown =>
    typeof v === 'string'
      ? ctx.compactIri(v, 'vocab')
      : Array.isArray(v)
        ? (v as unknown[]).map((x) => (typeof x === 'string' ? ctx.compactIri(x, 'vocab') : x))
        : v
  return input.items.map((item): JsonObject => {
    if (item.deleted) {
      // An entityDeleted notification, or attributeDeleted for the attributes of a deleted entity;
      // with showChanges, every attribute reads as null with its previous value.
      const out = deletedEntity(item.entity, ctx, sysAttrs, input.now)
      const showChanges = sub.notification.showChanges === true
      const removed = item.removed ?? (showChanges ? Object.keys(item.entity.attrs) : [])
      for (const iri of removed) {
        if (!kept(iri, projection)) continue
        const before = item.entity.attrs[iri]
        const nulled = nullAttribute(before?.[0], format, sysAttrs, input.now)
        out[ctx.compactIri(iri)] =
          showChanges && before ? withPrevious(nulled, before, vocabOf) : nulled
      }
      return out
    }
    const entity = item.removedInstances
      ? withNullInstances(item.entity, item.removedInstances)
      : item.entity
    const projected = applyProjection(entity, projection)
    const out = renderEntity(projected, ctx, {
      format,
      sysAttrs,
      lang,
      members: projection.members,
    })
    for (const iri of item.removed ?? []) {
      if (!kept(iri, projection)) continue
      const before = item.previous?.attrs[iri]
      const nulled = nullAttribute(before?.[0], format, sysAttrs, input.now)
      out[ctx.compactIri(iri)] =
        sub.notification.showChanges && before ? withPrevious(nulled, before, vocabOf) : nulled
    }
    if (sub.notification.showChanges && item.previous) {
      for (const iri of item.updated ?? []) {
        const before = item.previous.attrs[iri]
        const name = ctx.compactIri(iri)
        if (before && out[name] !== undefined) out[name] = withPrevious(out[name], before, vocabOf)
      }
    }
    return accept === GEO_JSON ? toFeature(out, projected, geoPropertyOf(sub)) : out
  })
}

function wrapNotification(input: NotificationInput, data: JsonObject[]): NotificationMessage {
  const { sub } = input
  const accept = sub.notification.endpoint.accept ?? 'application/json'
  const contextValue = notificationContext(sub)
  const body: JsonObject = {
    id: `urn:ngsi-ld:Notification:${input.newId()}`,
    type: 'Notification',
    subscriptionId: sub.id,
    notifiedAt: input.now.toISOString(),
    data:
      accept === GEO_JSON
        ? toFeatureCollection(data)
        : accept === JSON_LD
          ? data.map((e) => ({ ...e, '@context': contextValue }))
          : data,
  }
  const message: NotificationMessage = {
    tenant: input.tenant,
    subscriptionId: sub.id,
    endpoint: sub.notification.endpoint,
    body,
    contentType: accept,
  }
  if (accept !== JSON_LD) message.link = contextLink(contextUrl(contextValue))
  if (input.tenant !== DEFAULT_TENANT) message.tenantHeader = input.tenant
  return message
}

function formatOf(format: string | undefined): Format {
  if (format === 'keyValues' || format === 'simplified') return 'simplified'
  return format === 'concise' ? 'concise' : 'normalized'
}

function projectionOf(sub: Subscription): Projection {
  const n = sub.notification
  const p: Projection = { members: ALL_MEMBERS }
  const keep = n.attributes ?? n.pick?.filter((x) => !['id', 'type', 'scope'].includes(x))
  if (keep) p.keep = new Set(keep)
  if (n.omit) p.drop = new Set(n.omit)
  if (n.pick || n.omit) {
    const has = (m: string) => (!n.pick || n.pick.includes(m)) && !n.omit?.includes(m)
    p.members = { id: has('id'), type: has('type'), scope: has('scope') }
  }
  if (sub.datasetId) p.datasetIds = new Set(sub.datasetId)
  return p
}

function kept(iri: string, p: Projection): boolean {
  return (!p.keep || p.keep.has(iri)) && !p.drop?.has(iri)
}

/** §5.8.6: an entityDeleted notification carries id, type and deletedAt (and sysAttrs). */
function deletedEntity(e: Entity, ctx: ActiveContext, sysAttrs: boolean, now: Date): JsonObject {
  const types = e.types.map((t) => ctx.compactIri(t, 'vocab'))
  const out: JsonObject = { id: e.id, type: types.length === 1 ? types[0]! : types }
  if (sysAttrs) {
    out['createdAt'] = e.createdAt
    out['modifiedAt'] = e.modifiedAt
  }
  out['deletedAt'] = now.toISOString()
  return out
}

/**
 * A deleted attribute reads as the NGSI-LD null of its kind (§4.5.0, 046_22); with sysAttrs it
 * keeps its createdAt and modifiedAt and gets a deletedAt.
 */
function nullAttribute(
  before: AttributeInstance | undefined,
  format: Format,
  sysAttrs: boolean,
  now: Date,
): string | JsonObject {
  const type = before?.type ?? 'Property'
  if (format === 'simplified') return NGSI_LD_NULL
  const body: JsonObject = nullMember(type)
  if (sysAttrs) {
    if (before?.createdAt !== undefined) body['createdAt'] = before.createdAt
    if (before?.modifiedAt !== undefined) body['modifiedAt'] = before.modifiedAt
    body['deletedAt'] = now.toISOString()
  }
  return format === 'normalized' ? { type, ...body } : body
}

function nullMember(type: string): JsonObject {
  return type === 'Relationship'
    ? { object: NGSI_LD_NULL }
    : type === 'LanguageProperty'
      ? { languageMap: { '@none': NGSI_LD_NULL } }
      : type === 'JsonProperty'
        ? { json: NGSI_LD_NULL }
        : type === 'VocabProperty'
          ? { vocab: NGSI_LD_NULL }
          : { value: NGSI_LD_NULL }
}

/** The entity with each deleted instance back as an NGSI-LD null instance of its datasetId. */
function withNullInstances(
  e: Entity,
  removed: Readonly<Record<string, readonly AttributeInstance[]>>,
): Entity {
  const attrs = { ...e.attrs }
  for (const [iri, instances] of Object.entries(removed)) {
    const nulls = instances.map((i): AttributeInstance => {
      const inst = { type: i.type, ...nullMember(i.type) } as AttributeInstance
      if (i.datasetId !== undefined) inst.datasetId = i.datasetId
      return inst
    })
    attrs[iri] = [...(attrs[iri] ?? []), ...nulls]
  }
  return { ...e, attrs }
}

/** showChanges: each rendered instance gets the previous value of the instance it replaced. */
function withPrevious(
  rendered: unknown,
  before: readonly AttributeInstance[],
  vocabOf: (v: unknown) => unknown,
): unknown {
  const one = (inst: unknown): unknown => {
    const obj: Record<string, unknown> = isJsonObject(inst) ? { ...inst } : { value: inst }
    const datasetId = obj['datasetId']
    const prev = before.find((b) => b.datasetId === datasetId)
    if (!prev) return obj
    for (const [member, previousName] of Object.entries(PREVIOUS)) {
      if (prev[member] === undefined) continue
      obj[previousName] = member === 'vocab' ? vocabOf(prev[member]) : prev[member]
    }
    return obj
  }
  return Array.isArray(rendered) ? rendered.map(one) : one(rendered)
}

function geoPropertyOf(sub: Subscription): string {
  return sub.geoQ?.geoproperty ?? 'https://uri.etsi.org/ngsi-ld/location'
}

/** The @context notifications name: jsonldContext, else the subscription's own, else the core. */
export function notificationContext(sub: Subscription): JsonValue {
  return sub.jsonldContext ?? sub.context ?? CORE_CONTEXT_URL
}

/** A Link header names one URL: a single-URL context, else the core context. */
function contextUrl(context: JsonValue): string {
  if (typeof context === 'string') return context
  if (Array.isArray(context) && context.length === 1 && typeof context[0] === 'string')
    return context[0]
  return CORE_CONTEXT_URL
}
