/**
 * The temporal read API (GS CIM 009 §5.7.3, §5.7.4, §6.18–6.20, §6.24): Retrieve Temporal
 * Evolution of an Entity, Query Temporal Evolution of Entities (GET and POST). Entities are
 * selected by id, type and scopeQ as GET /entities selects them, by q and geoquery on their
 * attribute instances inside the temporal interval (temporal-selection.ts); their history comes
 * from the TemporalStore (device observations included), capped per attribute with 206 +
 * Content-Range beyond the configured instance limit.
 */
import { AppError } from '../../core/errors.js'
import { IRI, type Entity } from '../../core/ngsi.js'
import type { EntityQuery, TemporalStore } from '../../store/store.js'
import { JSON_LD_TYPE, JSON_TYPE, type ResponseMediaType } from '../http/media-types.js'
import { parseBooleanParam, type QueryParams } from '../http/query-params.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import { linkedPaths, parseOrderBy, parseQ, sortEntities, type Ordering } from '../query/index.js'
import {
  parseProjectionParams,
  type Projection,
  type ProjectionParams,
} from '../representation/index.js'
import {
  cutEvolutions,
  readEvolutions,
  renderEvolution,
  type Evolution,
} from '../temporal/temporal-evolution.js'
import {
  parseTemporalParams,
  type RawTemporalParams,
  type TemporalParams,
} from '../temporal/temporal-params.js'
import {
  filterDatasets,
  idOnlyOrdering,
  projectAttributes,
  projectMembers,
} from '../temporal/temporal-projection.js'
import { keepScopeWindows, scopeNarrowing, type TimeWindow } from '../temporal/scope-windows.js'
import {
  filters,
  isSystemAttribute,
  pageOf,
  selectionFromParams,
  selectorsFromBody,
  stringOf,
  type EntitySelection,
  type Page,
} from './entity-selection.js'
import type { NgsiReply, NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'
import { orderingOf } from './query-routes.js'
import { entityIdOf, pageLinks } from './route-helpers.js'
import {
  ENTITY_MAP_PARAMS,
  mapForQuery,
  mapForRetrieve,
  storeMatchIds,
  withMapLocation,
} from '../entity-maps/use-entity-map.js'
import { selectForTemporal, type TemporalSelection } from './temporal-selection.js'

const TEMPORAL_TYPES: readonly ResponseMediaType[] = [JSON_TYPE, JSON_LD_TYPE]
const TEMPORAL_PARAMS = [
  'timerel',
  'timeAt',
  'endTimeAt',
  'timeproperty',
  'lastN',
  'options',
  'format',
  'aggrMethods',
  'aggrPeriodDuration',
]
/** pick / omit (§4.21) and the datasetId instance filter (§4.5.5) of both temporal reads. */
const PROJECTION_PARAMS = ['attrs', 'pick', 'omit', 'datasetId']
const SELECTION_PARAMS = [
  'id',
  'idPattern',
  'type',
  'q',
  'scopeQ',
  'georel',
  'geometry',
  'coordinates',
  'geoproperty',
  'local',
  'csf',
]
const QUERY_MEMBERS = new Set([
  'type',
  'entities',
  'attrs',
  'pick',
  'omit',
  'datasetId',
  'ordering',
  'q',
  'geoQ',
  'scopeQ',
  'temporalQ',
  'aggrParams',
  'expandValues',
  'jsonKeys',
])
const TEMPORAL_Q_MEMBERS = new Set([
  'timerel',
  'timeAt',
  'endTimeAt',
  'timeproperty',
  'lastN',
  'aggrMethods',
  'aggrPeriodDuration',
])
const AGGR_PARAMS_MEMBERS = new Set(['aggrMethods', 'aggrPeriodDuration'])

/** Default cap on instances per attribute in one answer (a week of 1-minute data fits). */
export const DEFAULT_TEMPORAL_MAX_INSTANCES = 10_000
/** An ordered query sorts every match in memory: more is too complex a query (as for /entities). */
const MAX_ORDERED_MATCHES = 10_000

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

export function temporalRoutes(deps: RouteDeps): NgsiRoute[] {
  const temporal = deps.temporal
  if (!temporal) return []
  const cap = deps.temporalMaxInstances ?? DEFAULT_TEMPORAL_MAX_INSTANCES

  async function answer(
    req: NgsiRequest,
    store: TemporalStore,
    entities: Entity[],
    raw: RawTemporalParams,
    projection: Projection,
    requireTimerel: boolean,
    windows?: ReadonlyMap<string, TimeWindow[]>,
  ): Promise<{ reply: NgsiReply; items: JsonObject[]; evolutions: Evolution[] }> {
    const params = parseTemporalParams(raw, requireTimerel)
    if (params.aggr && projection.datasetIds)
      throw new AppError(
        'OperationNotSupported',
        'datasetId with aggregatedValues is not supported: aggregates cover every instance',
      )
    const evolutions = await readEvolutions(
      store,
      req.tenant,
      entities,
      projection.attrs,
      params,
      cap,
    )
    filterDatasets(evolutions, projection.datasetIds)
    if (windows) keepScopeWindows(evolutions, windows)
    // Whether an entity is part of the answer follows its instances, not pick/omit (5.7.4.4).
    const shown = evolutions.map((e) => projectAttributes(e, projection))
    const { status, headers } = cutEvolutions(shown, params, cap)
    const items = shown.map((e) =>
      projectMembers(renderEvolution(e, req.ctx, params), projection.members),
    )
    return { reply: { status, ...(headers && { headers }) }, items, evolutions }
  }

  /** The page of entities to show, sorted in memory first when an ordering is asked (§4.23). */
  /** The page of entities a temporal query answers with, in id order or the ordering asked. */
  async function selectPage(
    req: NgsiRequest,
    selection: EntitySelection,
    anyAttrs: string[] | undefined,
    page: Page,
    params: TemporalParams,
    ordering: Ordering | undefined,
    narrow?: (q: EntityQuery) => void,
  ): Promise<TemporalSelection> {
    const stores = { entities: deps.entities, temporal: temporal as TemporalStore }
    // Observations have no deletedAt: that window judges q on them by observedAt, as before.
    const timeproperty = params.timeproperty === 'deletedAt' ? undefined : params.timeproperty
    const select = (p: Page) =>
      selectForTemporal(stores, req.tenant, selection, anyAttrs, p, req.ctx, params.range, {
        narrow,
        timeproperty,
      })
    if (!ordering) return select(page)
    const all = await select({ limit: MAX_ORDERED_MATCHES, offset: 0, count: false })
    if (all.more)
      throw new AppError(
        'TooComplexQuery',
        `more than ${MAX_ORDERED_MATCHES} entities match: narrow the query`,
      )
    const sorted = sortEntities(all.entities, ordering, req.ctx.expandTerm)
    return {
      entities: sorted.slice(page.offset, page.offset + page.limit),
      count: sorted.length,
      more: page.offset + page.limit < sorted.length,
    }
  }

  async function query(
    req: NgsiRequest,
    selection: EntitySelection,
    projection: Projection,
    raw: RawTemporalParams,
    page: Page,
    links: boolean,
    ordering?: Ordering,
  ): Promise<NgsiReply> {
    // The temporal query is checked before the entities are read, so a bad one changes nothing.
    const params = parseTemporalParams(raw, true)
    const { scopeQ, ...rest } = selection
    // scopeQ is judged over the Scope's history inside the window (§4.18), not on the current Scope.
    const byScope = scopeQ
      ? scopeNarrowing(
          await (temporal as TemporalStore).events(req.tenant, { attrs: [IRI.scope] }),
          scopeQ,
          params.range,
        )
      : undefined
    const selected = await selectPage(
      req,
      rest,
      projection.attrs,
      page,
      params,
      ordering,
      byScope?.narrow,
    )
    const { entities } = selected
    const { reply, items, evolutions } = await answer(
      req,
      temporal as TemporalStore,
      entities,
      raw,
      projection,
      true,
      byScope?.windows,
    )
    // An entity without any instance inside the temporal window is not part of the answer
    // (5.7.4.4; ETSI TP 021_13). The count and page links still follow the selection.
    reply.body = items.filter((_, i) => hasInstances(evolutions[i]))
    const headers: Record<string, string> = { ...reply.headers }
    if (page.count) headers['NGSILD-Results-Count'] = String(selected.count ?? 0)
    if (Object.keys(headers).length > 0) reply.headers = headers
    if (links) reply.links = pageLinks(req, page, selected.more)
    return reply
  }

  return [
    {
      method: 'GET',
      url: '/temporal/entities/:entityId',
      summary: 'Retrieve the temporal evolution of an entity',
      produces: TEMPORAL_TYPES,
      params: [...PROJECTION_PARAMS, 'local', 'lang', ...TEMPORAL_PARAMS, ...ENTITY_MAP_PARAMS],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        parseTemporalParams(req.query, false)
        const projection = parseProjectionParams(projectionOf(req.query), req.ctx)
        const entity = await deps.entities.get(req.tenant, id)
        if (!entity) throw new AppError('ResourceNotFound', `entity ${id} not found`)
        const map = mapForRetrieve(deps, req, id)
        const { reply, items, evolutions } = await answer(
          req,
          temporal,
          [entity],
          req.query,
          projection,
          false,
        )
        // Like the plain retrieval, asking only for attributes the entity never had is a 404.
        const wanted = projection.attrs
        if (wanted && !hasAnyAttribute(entity, evolutions[0], wanted)) {
          throw new AppError(
            'ResourceNotFound',
            `entity ${id} has none of the attributes asked for`,
          )
        }
        // So is an entity of which pick / omit leave nothing (§5.7.3.4).
        const body = items[0] ?? {}
        if (Object.keys(body).length === 0)
          throw new AppError('ResourceNotFound', `nothing of entity ${id} is left after pick/omit`)
        reply.body = body
        return withMapLocation(reply, map)
      },
    },
    {
      method: 'GET',
      url: '/temporal/entities',
      summary: 'Query the temporal evolution of entities',
      produces: TEMPORAL_TYPES,
      params: [
        ...PROJECTION_PARAMS,
        'limit',
        'offset',
        'count',
        'lang',
        'orderBy',
        'collation',
        ...SELECTION_PARAMS,
        ...TEMPORAL_PARAMS,
        ...ENTITY_MAP_PARAMS,
        'expandValues',
        'jsonKeys',
      ],
      tenant: 'existing',
      async handle(req) {
        rejectLinkedQ(req.query['q'])
        const projection = parseProjectionParams(projectionOf(req.query), req.ctx)
        const orderBy = req.query['orderBy']
        const ordering = idOnlyOrdering(
          orderBy === undefined
            ? undefined
            : parseOrderBy(orderBy, { collation: req.query['collation'] }),
        )
        const selection = selectionFromParams(req.query, req.ctx, namesAttribute(projection))
        const page = pageOf(req.query, deps.paging)
        parseTemporalParams(req.query, true)
        const map = await mapForQuery(deps, req, selection, () =>
          storeMatchIds(deps, req, selection, projection.attrs),
        )
        return withMapLocation(
          await query(
            req,
            map?.selection ?? selection,
            projection,
            req.query,
            page,
            true,
            ordering,
          ),
          map,
        )
      },
    },
    {
      method: 'POST',
      url: '/temporal/entityOperations/query',
      summary: 'Query the temporal evolution of entities (POST)',
      consumesBody: true,
      produces: TEMPORAL_TYPES,
      params: [
        'limit',
        'offset',
        'count',
        'local',
        'lang',
        'lastN',
        'options',
        'format',
        'aggrMethods',
        'aggrPeriodDuration',
      ],
      tenant: 'existing',
      handle(req) {
        const body = queryBody(req.body)
        rejectLinkedQ(body['q'])
        const selection: EntitySelection = {
          ...filters(
            {
              q: body['q'],
              scopeQ: body['scopeQ'],
              geoQ: geoQueryOf(body['geoQ']),
              expandValues: body['expandValues'],
              jsonKeys: body['jsonKeys'],
            },
            req.ctx,
          ),
          selectors:
            body['entities'] === undefined ? [] : selectorsFromBody(body['entities'], req.ctx),
        }
        const projection = parseProjectionParams(
          {
            attrs: listOf(body['attrs'], 'attrs'),
            pick: listOf(body['pick'], 'pick'),
            omit: listOf(body['omit'], 'omit'),
            datasetId: listOf(body['datasetId'], 'datasetId'),
          },
          req.ctx,
        )
        const ordering = idOnlyOrdering(orderingOf(body['ordering']))
        const local = parseBooleanParam(req.query['local'], 'local') ?? false
        const attrs = namesAttribute(projection)
        if (selection.selectors.length === 0 && !attrs && !selection.q && !selection.geo && !local)
          throw bad('the query is too wide: give entities, attrs, q, geoQ or local=true')
        return query(
          req,
          selection,
          projection,
          temporalOfBody(body, paramsOnly(req.query)),
          pageOf(req.query, deps.paging),
          false,
          ordering,
        )
      },
    },
  ]
}

function queryBody(body: unknown): JsonObject {
  if (!isJsonObject(body))
    throw new AppError('InvalidRequest', 'the request body must be a Query object')
  if (body['type'] !== 'Query') throw bad('a Query body must have "type": "Query"')
  const unknown = Object.keys(body).filter((k) => !QUERY_MEMBERS.has(k))
  if (unknown.length > 0) throw bad(`unknown member '${unknown[0]}' in the Query`)
  return body
}

/**
 * The temporal parameters of a POST query: the TemporalQuery (5.2.21) and AggregationParams
 * (5.2.44) members of the body, overridden by the URL parameters that are present. Aggregation
 * methods in the body ask for the aggregated representation unless the URL names another one.
 */
function temporalOfBody(body: JsonObject, url: RawTemporalParams): RawTemporalParams {
  const fromBody = {
    ...temporalQOf(body['temporalQ']),
    ...aggrOf(body['aggrParams'], 'aggrParams', AGGR_PARAMS_MEMBERS),
  }
  const out: RawTemporalParams = { ...fromBody }
  for (const [k, v] of Object.entries(url) as [keyof RawTemporalParams, string | undefined][])
    if (v !== undefined) out[k] = v
  if (fromBody.aggrMethods !== undefined && url.options === undefined && url.format === undefined)
    out.format = 'aggregatedValues'
  return out
}

function temporalQOf(raw: unknown): RawTemporalParams {
  if (raw === undefined) throw bad('a temporal query needs temporalQ with timerel and timeAt')
  const text = (name: string) =>
    (raw as JsonObject)[name] === undefined ? undefined : stringOf((raw as JsonObject)[name], name)
  const aggr = aggrOf(raw, 'temporalQ', TEMPORAL_Q_MEMBERS)
  const lastN = (raw as JsonObject)['lastN']
  if (lastN !== undefined && typeof lastN !== 'number')
    throw bad('lastN in temporalQ must be a positive integer')
  return {
    timerel: text('timerel'),
    timeAt: text('timeAt'),
    endTimeAt: text('endTimeAt'),
    timeproperty: text('timeproperty'),
    ...(lastN !== undefined && { lastN: String(lastN) }),
    ...aggr,
  }
}

/** aggrMethods (a comma separated string or an array of strings) and aggrPeriodDuration. */
function aggrOf(raw: unknown, where: string, members: ReadonlySet<string>): RawTemporalParams {
  if (raw === undefined) return {}
  if (!isJsonObject(raw)) throw bad(`${where} must be an object`)
  const unknown = Object.keys(raw).filter((k) => !members.has(k))
  if (unknown.length > 0) throw bad(`unknown member '${unknown[0]}' in ${where}`)
  const methods = raw['aggrMethods']
  const out: RawTemporalParams = {}
  if (methods !== undefined)
    out.aggrMethods = Array.isArray(methods)
      ? methods.map((m) => stringOf(m, 'aggrMethods')).join(',')
      : stringOf(methods, 'aggrMethods')
  if (raw['aggrPeriodDuration'] !== undefined)
    out.aggrPeriodDuration = stringOf(raw['aggrPeriodDuration'], 'aggrPeriodDuration')
  return out
}

/** The URL parameters of POST query that shape the temporal answer. */
function paramsOnly(query: QueryParams): RawTemporalParams {
  return {
    lastN: query['lastN'],
    options: query['options'],
    format: query['format'],
    aggrMethods: query['aggrMethods'],
    aggrPeriodDuration: query['aggrPeriodDuration'],
  }
}

/** Whether an evolution holds anything inside the window (aggregations always answer). */
function hasInstances(evolution: Evolution | undefined): boolean {
  if (!evolution) return false
  if (evolution.aggregates) return true
  return [...evolution.instances.values()].some((list) => list.length > 0)
}

/** Whether the entity has, now or in its history, any of the wanted (expanded) attributes. */
function hasAnyAttribute(
  entity: Entity,
  evolution: Evolution | undefined,
  wanted: readonly string[],
): boolean {
  return wanted.some(
    (a) =>
      a in entity.attrs ||
      (evolution?.instances.get(a)?.length ?? 0) > 0 ||
      (evolution?.aggregates?.has(a) ?? false),
  )
}

/** A Query member that is a list of strings (or one comma separated string), as URL text. */
function listOf(raw: unknown, name: string): string | undefined {
  if (raw === undefined) return undefined
  if (Array.isArray(raw)) return raw.map((x) => stringOf(x, name)).join(',')
  return stringOf(raw, name)
}

function projectionOf(query: QueryParams): ProjectionParams {
  return {
    attrs: query['attrs'],
    pick: query['pick'],
    omit: query['omit'],
    datasetId: query['datasetId'],
  }
}

/** attrs qualify a temporal query only with a non-system Attribute (5.7.4.4 b). */
function namesAttribute(projection: Projection): boolean {
  return projection.attrs?.some((a) => !isSystemAttribute(a)) ?? false
}

/**
 * A linked-entity term (`owner{name}==…`) follows a Relationship to another entity's current
 * state, which has no meaning inside a temporal interval: BadRequestData whatever else the
 * request says (§5.7.4.4). A q that does not parse is left to the selection to report.
 */
function rejectLinkedQ(q: unknown): void {
  if (typeof q !== 'string') return
  let node
  try {
    node = parseQ(q)
  } catch {
    return
  }
  if (linkedPaths(node).length > 0)
    throw bad('q: linked-entity terms are not allowed in a temporal query')
}

function geoQueryOf(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined
  if (!isJsonObject(raw)) throw bad('geoQ must be an object with geometry, coordinates and georel')
  return raw
}
