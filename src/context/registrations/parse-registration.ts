/**
 * Context source registrations (GS CIM 009 §5.2.9, §5.2.10, §5.2.34, §4.3.6, §4.20): validation of
 * a create body or an update patch, with entity types and attribute names expanded by the
 * request's @context. Members outside Table 5.2.9-1 are registration properties (queried by q and
 * csf); they are kept by expanded name with their JSON values.
 *
 * @example
 *   const doc = parseRegistration(body, ctx, Date.now())   // { id, body } or BadRequestData
 *   const next = patchRegistration(current.body, patch, ctx, Date.now())
 */
import { NGSI_LD, NGSI_LD_NULL } from '../../core/ngsi.js'
import type { ActiveContext } from '../jsonld/index.js'
import { expandAttributeName } from '../representation/index.js'
import { isScope } from '../representation/values.js'
import {
  attributeNames,
  bad,
  compactEntityInfo,
  datasetIds,
  dateTime,
  duration,
  entityInfo,
  geometry,
  isObject,
  keyValuePairs,
  nonEmptyArray,
  nonEmptyString,
  positiveNumber,
  timeInterval,
  uri,
  type Json,
} from './registration-members.js'

export const REGISTRATION_TYPE = 'ContextSourceRegistration'
export const MODES = ['inclusive', 'exclusive', 'redirect', 'auxiliary'] as const

/** Operation names (Table 4.20-1) and operation groups (Table 4.20-2). */
const OPERATIONS = new Set(
  (
    'createEntity updateEntity appendAttrs updateAttrs deleteAttrs deleteEntity createBatch ' +
    'upsertBatch updateBatch deleteBatch upsertTemporal appendAttrsTemporal deleteAttrsTemporal ' +
    'updateAttrInstanceTemporal deleteAttrInstanceTemporal deleteTemporal mergeEntity ' +
    'replaceEntity replaceAttrs mergeBatch purgeEntity retrieveEntity queryEntity queryBatch ' +
    'retrieveTemporal queryTemporal retrieveEntityTypes retrieveEntityTypeDetails ' +
    'retrieveEntityTypeInfo retrieveAttrTypes retrieveAttrTypeDetails retrieveAttrTypeInfo ' +
    'createSubscription updateSubscription retrieveSubscription querySubscription ' +
    'deleteSubscription retrieveEntityMap updateEntityMap deleteEntityMap ' +
    'createEntityMapQueryEntity createEntityMapQueryTemporal retrieveContextSourceIdentity ' +
    'federationOps associationOps updateOps retrieveOps redirectionOps'
  ).split(' '),
)

/**
 * What an auxiliary registration may offer (§5.9.2.4): retrieval only — retrieveOps or its
 * members retrieveEntity and queryEntity.
 */
const AUXILIARY_OPERATIONS = new Set(['retrieveOps', 'retrieveEntity', 'queryEntity'])

/** Members the broker maintains (Table 5.2.9-2, system attributes): ignored when sent. */
const READ_ONLY = new Set([
  'status',
  'timesSent',
  'timesFailed',
  'lastSuccess',
  'lastFailure',
  'createdAt',
  'modifiedAt',
])
const MANDATORY = ['type', 'information', 'endpoint'] as const
/** Where registration properties live in the stored body (expanded name → JSON value). */
export const PROPERTIES = 'properties'

type Check = (v: unknown, ctx: ActiveContext, now: number) => unknown

const MEMBERS: Record<string, Check> = {
  type: (v) => {
    if (v !== REGISTRATION_TYPE && v !== `${NGSI_LD}${REGISTRATION_TYPE}`)
      throw bad(`type must be "${REGISTRATION_TYPE}"`)
    return REGISTRATION_TYPE
  },
  registrationName: (v) => nonEmptyString(v, 'registrationName'),
  description: (v) => nonEmptyString(v, 'description'),
  information: (v, ctx) =>
    nonEmptyArray(v, 'information').map((info, i) => registrationInfo(info, i, ctx)),
  tenant: (v) => nonEmptyString(v, 'tenant'),
  observationInterval: (v) => timeInterval(v, 'observationInterval'),
  managementInterval: (v) => timeInterval(v, 'managementInterval'),
  location: (v) => geometry(v, 'location'),
  observationSpace: (v) => geometry(v, 'observationSpace'),
  operationSpace: (v) => geometry(v, 'operationSpace'),
  expiresAt: (v, _ctx, now) => {
    const at = dateTime(v, 'expiresAt')
    if (Date.parse(at) <= now) throw bad('expiresAt must be in the future')
    return at
  },
  endpoint: (v) => {
    const e = uri(v, 'endpoint')
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/.test(e))
      throw bad('endpoint must be a dereferenceable URI (scheme://host…)')
    return e
  },
  contextSourceInfo: (v) => keyValuePairs(v, 'contextSourceInfo'),
  scope: (v) => {
    const scopes = Array.isArray(v) ? v : [v]
    if (scopes.length === 0 || !scopes.every(isScope))
      throw bad('scope must be a scope (/a/b) or a non-empty array of them')
    return v
  },
  mode: (v) => {
    if (!MODES.includes(v as (typeof MODES)[number]))
      throw bad(`mode must be one of ${MODES.join(', ')}`)
    return v
  },
  operations: (v) =>
    nonEmptyArray(v, 'operations').map((op) => {
      if (typeof op !== 'string' || !OPERATIONS.has(op))
        throw bad(`operations: '${String(op)}' is not an NGSI-LD operation or operation group`)
      return op
    }),
  refreshRate: (v) => duration(v, 'refreshRate'),
  management: (v) => management(v),
  datasetId: (v) => datasetIds(v, 'datasetId'),
  contextSourceAlias: (v) => nonEmptyString(v, 'contextSourceAlias'),
}

export interface ParsedRegistration {
  /** The id the client gave, if any. */
  id: string | undefined
  body: Json
}

/** A Register Context Source body (§5.9.2). @throws BadRequestData */
export function parseRegistration(
  raw: unknown,
  ctx: ActiveContext,
  now: number,
): ParsedRegistration {
  if (!isObject(raw)) throw bad('a context source registration must be a JSON object')
  const id = raw['id'] === undefined ? undefined : uri(raw['id'], 'id')
  const body = readMembers(raw, ctx, now, false)
  checkComplete(body)
  return { id, body }
}

/**
 * Update Context Source Registration (§5.9.3): each member given replaces the stored one; `null`
 * or `urn:ngsi-ld:null` removes an optional member. The result is checked as a whole.
 */
export function patchRegistration(
  current: Json,
  raw: unknown,
  id: string,
  ctx: ActiveContext,
  now: number,
): Json {
  if (!isObject(raw)) throw bad('the update must be a JSON object')
  if (Object.keys(raw).length === 0) throw bad('the update is empty')
  if (raw['id'] !== undefined && raw['id'] !== id)
    throw bad('the id of a registration cannot change')
  const next: Json = { ...current }
  const properties: Json = { ...(current[PROPERTIES] as Json | undefined) }
  const removals = Object.entries(raw).filter(([, v]) => v === null || v === NGSI_LD_NULL)
  for (const [name] of removals) {
    if ((MANDATORY as readonly string[]).includes(name)) throw bad(`${name} cannot be removed`)
    if (name in MEMBERS) delete next[name]
    else if (!READ_ONLY.has(name) && name !== 'id')
      delete properties[expandAttributeName(name, ctx)]
  }
  const given = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== null && v !== NGSI_LD_NULL),
  )
  const changes = readMembers(given, ctx, now, true)
  Object.assign(properties, changes[PROPERTIES] as Json | undefined)
  delete changes[PROPERTIES]
  Object.assign(next, changes)
  if (Object.keys(properties).length > 0) next[PROPERTIES] = properties
  else delete next[PROPERTIES]
  checkComplete(next)
  return next
}

function readMembers(raw: Json, ctx: ActiveContext, now: number, partial: boolean): Json {
  const out: Json = {}
  const properties: Json = {}
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'id' || READ_ONLY.has(name)) continue
    if (value === null) throw bad(`${name} must not be null`)
    const check = MEMBERS[name]
    if (check) out[name] = check(value, ctx, now)
    else properties[expandAttributeName(name, ctx)] = value
  }
  if (!partial && raw['type'] === undefined) throw bad('type is mandatory')
  if (Object.keys(properties).length > 0) out[PROPERTIES] = properties
  return out
}

/** Mandatory members, and the rules of exclusive registrations (§4.3.6.3). */
function checkComplete(body: Json): void {
  for (const m of MANDATORY) if (body[m] === undefined) throw bad(`${m} is mandatory`)
  if (body['mode'] === 'auxiliary') {
    const ops = (body['operations'] as string[] | undefined) ?? []
    const other = ops.find((op) => !AUXILIARY_OPERATIONS.has(op))
    if (other !== undefined)
      throw bad(`an auxiliary registration offers retrieval only, not '${other}'`)
  }
  if (body['mode'] !== 'exclusive') return
  for (const info of body['information'] as Json[]) {
    const entities = info['entities'] as Json[] | undefined
    if (!entities || entities.some((e) => e['id'] === undefined || e['idPattern'] !== undefined))
      throw bad(
        'an exclusive registration must name entities by id (no idPattern, not by type only)',
      )
    if (info['propertyNames'] === undefined && info['relationshipNames'] === undefined)
      throw bad('an exclusive registration must name the attributes it provides')
  }
}

function registrationInfo(v: unknown, i: number, ctx: ActiveContext): Json {
  const at = `information[${i}]`
  if (!isObject(v)) throw bad(`${at} must be an object`)
  const unknown = Object.keys(v).filter(
    (k) => !['entities', 'propertyNames', 'relationshipNames'].includes(k),
  )
  if (unknown.length > 0) throw bad(`${at} has an unknown member '${unknown[0]}'`)
  const out: Json = {}
  if (v['entities'] !== undefined)
    out['entities'] = nonEmptyArray(v['entities'], `${at}.entities`).map((e, j) =>
      entityInfo(e, `${at}.entities[${j}]`, ctx),
    )
  if (v['propertyNames'] !== undefined)
    out['propertyNames'] = attributeNames(v['propertyNames'], `${at}.propertyNames`, ctx)
  if (v['relationshipNames'] !== undefined)
    out['relationshipNames'] = attributeNames(
      v['relationshipNames'],
      `${at}.relationshipNames`,
      ctx,
    )
  if (Object.keys(out).length === 0)
    throw bad(`${at} must have entities, propertyNames or relationshipNames`)
  return out
}

function management(v: unknown): Json {
  if (!isObject(v)) throw bad('management must be an object')
  const out: Json = {}
  for (const [name, value] of Object.entries(v)) {
    if (name === 'localOnly') {
      if (typeof value !== 'boolean') throw bad('management.localOnly must be a boolean')
      out[name] = value
    } else if (name === 'cacheDuration') out[name] = duration(value, 'management.cacheDuration')
    else if (name === 'timeout' || name === 'cooldown')
      out[name] = positiveNumber(value, `management.${name}`)
    else throw bad(`management has an unknown member '${name}'`)
  }
  return out
}

/** The registration as the API shows it, names compacted with the request's @context. */
export function renderRegistration(
  record: { id: string; body: Json; createdAt: string; modifiedAt: string },
  ctx: ActiveContext,
  sysAttrs: boolean,
): Json {
  const out: Json = { id: record.id }
  for (const [name, value] of Object.entries(record.body)) {
    if (name === PROPERTIES) continue
    if (name === 'information') {
      out[name] = (value as Json[]).map((info) => compactInfo(info, ctx))
    } else out[name] = value
  }
  for (const [iri, value] of Object.entries((record.body[PROPERTIES] as Json | undefined) ?? {}))
    out[ctx.compactIri(iri)] = value
  if (sysAttrs) {
    out['createdAt'] = record.createdAt
    out['modifiedAt'] = record.modifiedAt
  }
  return out
}

function compactInfo(info: Json, ctx: ActiveContext): Json {
  const out: Json = {}
  const entities = info['entities'] as Json[] | undefined
  if (entities) out['entities'] = entities.map((e) => compactEntityInfo(e, ctx))
  for (const key of ['propertyNames', 'relationshipNames']) {
    const names = info[key] as string[] | undefined
    if (names) out[key] = names.map((n) => ctx.compactIri(n))
  }
  return out
}
