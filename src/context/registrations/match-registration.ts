/**
 * Query Context Source Registrations (§5.10.2, matching as in §5.12): which registrations may
 * provide the entities and attributes a query names, filtered by q and csf on the registration
 * properties, a geoquery on location/observationSpace/operationSpace, and a temporal query on
 * observationInterval (observedAt) or managementInterval (createdAt, modifiedAt, deletedAt).
 *
 * @example
 *   const query = parseRegistrationQuery(req.query, req.ctx)
 *   records.filter((r) => matchesRegistration(r, query, req.ctx))
 */
import { IRI, type AttributeInstance, type Entity } from '../../core/ngsi.js'
import type { GeoFilter } from '../../store/store.js'
import type { QueryParams } from '../http/query-params.js'
import type { ActiveContext } from '../jsonld/index.js'
import {
  evaluateQ,
  evaluateScopeQ,
  matchesGeo,
  parseAttrsList,
  parseGeoQuery,
  parseQ,
  parseScopeQ,
  parseTypeSelection,
  type QNode,
  type ScopeQNode,
} from '../query/index.js'
import { parseDateTime } from '../query/temporal.js'
import { expandAttributeName } from '../representation/index.js'
import { checkIdPattern, parseIdList } from '../routes/entity-selection.js'
import { PROPERTIES } from './parse-registration.js'
import { bad, type Json } from './registration-members.js'

export interface TemporalFilter {
  /** The registration member the query is matched against. */
  interval: 'observationInterval' | 'managementInterval'
  timerel: 'before' | 'after' | 'between'
  timeAt: number
  endTimeAt?: number
}

export interface RegistrationQuery {
  ids?: string[]
  idPattern?: RegExp
  /** Type selection in DNF, expanded. */
  types?: string[][]
  /** Expanded attribute names. */
  attrs?: string[]
  q?: QNode
  csf?: QNode
  /** §5.10.2.4: matched against the registration's scope. */
  scopeQ?: ScopeQNode
  geo?: GeoFilter
  temporal?: TemporalFilter
}

export const REGISTRATION_QUERY_PARAMS = [
  'id',
  'idPattern',
  'type',
  'attrs',
  'q',
  'csf',
  'scopeQ',
  'georel',
  'geometry',
  'coordinates',
  'geoproperty',
  'timeproperty',
  'timerel',
  'timeAt',
  'endTimeAt',
]

/** @throws BadRequestData for any malformed parameter. */
export function parseRegistrationQuery(query: QueryParams, ctx: ActiveContext): RegistrationQuery {
  const out: RegistrationQuery = {}
  if (query['id'] !== undefined) out.ids = parseIdList(query['id'])
  if (query['idPattern'] !== undefined)
    out.idPattern = new RegExp(checkIdPattern(query['idPattern']))
  if (query['type'] !== undefined && query['type'].trim() !== '*')
    out.types = parseTypeSelection(query['type'], ctx.expandTerm)
  if (query['attrs'] !== undefined)
    out.attrs = parseAttrsList(query['attrs']).map((a) => expandAttributeName(a, ctx))
  if (query['q'] !== undefined) out.q = parseQ(query['q'])
  if (query['csf'] !== undefined) out.csf = parseQ(query['csf'])
  if (query['scopeQ'] !== undefined) out.scopeQ = parseScopeQ(query['scopeQ'])
  const geo = parseGeoQuery(
    {
      georel: query['georel'],
      geometry: query['geometry'],
      coordinates: query['coordinates'],
      geoproperty: query['geoproperty'],
    },
    ctx.expandTerm,
  )
  if (geo) out.geo = geo
  const temporal = parseTemporal(query)
  if (temporal) out.temporal = temporal
  return out
}

export function parseTemporal(query: QueryParams): TemporalFilter | undefined {
  const { timerel, timeAt, endTimeAt, timeproperty } = query
  if (timerel === undefined && timeAt === undefined && endTimeAt === undefined) {
    if (timeproperty !== undefined) throw bad('timeproperty needs timerel and timeAt')
    return undefined
  }
  if (timerel !== 'before' && timerel !== 'after' && timerel !== 'between')
    throw bad('timerel must be before, after or between')
  const at = timeAt === undefined ? undefined : parseDateTime(timeAt)
  if (at === undefined) throw bad('timeAt must be given as a DateTime with timerel')
  const property = timeproperty ?? 'observedAt'
  if (!['observedAt', 'createdAt', 'modifiedAt', 'deletedAt'].includes(property))
    throw bad('timeproperty must be observedAt, createdAt, modifiedAt or deletedAt')
  const out: TemporalFilter = {
    interval: property === 'observedAt' ? 'observationInterval' : 'managementInterval',
    timerel,
    timeAt: at,
  }
  if (timerel === 'between') {
    const end = endTimeAt === undefined ? undefined : parseDateTime(endTimeAt)
    if (end === undefined) throw bad('timerel=between needs endTimeAt as a DateTime')
    if (end <= at) throw bad('endTimeAt must be after timeAt')
    out.endTimeAt = end
  } else if (endTimeAt !== undefined) throw bad('endTimeAt applies only to timerel=between')
  return out
}

export function matchesRegistration(
  record: { id: string; body: Json; createdAt: string; modifiedAt: string },
  query: RegistrationQuery,
  ctx: ActiveContext,
): boolean {
  const { body } = record
  const information = (body['information'] as Json[] | undefined) ?? []
  const selects = query.ids || query.idPattern || query.types || query.attrs
  if (selects && !information.some((info) => infoMatches(info, query))) return false
  if (query.scopeQ) {
    const scope = body['scope']
    const scopes = scope === undefined ? undefined : ([scope].flat() as string[])
    if (!evaluateScopeQ(query.scopeQ, scopes)) return false
  }
  if (query.q || query.csf || query.geo) {
    const view = asEntity(record, ctx)
    if (query.q && !evaluateQ(query.q, view, ctx.expandTerm)) return false
    if (query.csf && !evaluateQ(query.csf, view, ctx.expandTerm)) return false
    if (query.geo && !matchesGeo(query.geo, view)) return false
  }
  return !query.temporal || intervalMatches(body[query.temporal.interval], query.temporal)
}

/** One RegistrationInfo provides what the query asks: entities and attributes together. */
export function infoMatches(info: Json, query: RegistrationQuery): boolean {
  const entities = info['entities'] as Json[] | undefined
  const wantsEntities = query.ids || query.idPattern || query.types
  if (wantsEntities && entities && !entities.some((e) => entityMatches(e, query))) return false
  if (!query.attrs) return true
  const props = info['propertyNames'] as string[] | undefined
  const rels = info['relationshipNames'] as string[] | undefined
  // No attribute names registered: the source may provide any attribute.
  if (!props && !rels) return true
  return query.attrs.some((a) => props?.includes(a) || rels?.includes(a))
}

function entityMatches(e: Json, query: RegistrationQuery): boolean {
  const types = [e['type']].flat() as string[]
  if (query.types && !query.types.some((all) => all.every((t) => types.includes(t)))) return false
  const id = e['id'] as string | undefined
  const pattern = e['idPattern'] as string | undefined
  if (query.ids) {
    if (id !== undefined && !query.ids.includes(id)) return false
    if (id === undefined && pattern !== undefined) {
      const re = new RegExp(pattern)
      if (!query.ids.some((i) => re.test(i))) return false
    }
  }
  // A registered idPattern may cover ids the query pattern matches: it cannot be ruled out.
  if (query.idPattern && id !== undefined && !query.idPattern.test(id)) return false
  return true
}

function intervalMatches(interval: unknown, t: TemporalFilter): boolean {
  if (typeof interval !== 'object' || interval === null) return false
  const { startAt, endAt } = interval as { startAt: string; endAt?: string }
  const start = Date.parse(startAt)
  const end = endAt === undefined ? Infinity : Date.parse(endAt)
  switch (t.timerel) {
    case 'before':
      return start < t.timeAt
    case 'after':
      return end > t.timeAt
    case 'between':
      return start < (t.endTimeAt ?? Infinity) && end > t.timeAt
  }
}

/** The registration as an entity, so q, csf and geoqueries evaluate on it as on entities. */
function asEntity(
  record: { id: string; body: Json; createdAt: string; modifiedAt: string },
  ctx: ActiveContext,
): Entity {
  const attrs: Record<string, AttributeInstance[]> = {}
  const prop = (value: unknown): AttributeInstance[] => [{ type: 'Property', value }]
  for (const [iri, value] of Object.entries((record.body[PROPERTIES] as Json | undefined) ?? {}))
    attrs[iri] = prop(value)
  for (const name of ['registrationName', 'description', 'endpoint', 'mode', 'tenant']) {
    const value = record.body[name]
    if (value !== undefined) attrs[ctx.expandTerm(name)] = prop(value)
  }
  const geo = {
    location: IRI.location,
    observationSpace: IRI.observationSpace,
    operationSpace: IRI.operationSpace,
  }
  for (const [name, iri] of Object.entries(geo)) {
    const value = record.body[name]
    if (value !== undefined) attrs[iri] = [{ type: 'GeoProperty', value }]
  }
  return {
    id: record.id,
    types: [],
    createdAt: record.createdAt,
    modifiedAt: record.modifiedAt,
    attrs,
  }
}
