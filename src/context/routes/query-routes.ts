/**
 * Query Entities (§5.7.2): GET /entities with URL parameters, and POST /entityOperations/query
 * with a Query body (§6.23). Paging with limit/offset, NGSILD-Results-Count, prev/next links.
 * EntityMaps (§5.5.14) keep the entities of later pages fixed; GET and POST /entityMaps make one
 * from a query without answering entities (§5.14.4, §6.34).
 */
import { AppError } from '../../core/errors.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import { CORE_CONTEXT_URL, type Entity } from '../../core/ngsi.js'
import {
  ENTITY_RESPONSE_TYPES,
  GEO_JSON_TYPE,
  JSON_RESPONSE_TYPES,
  JSON_TYPE,
} from '../http/media-types.js'
import { parseBooleanParam, type QueryParams } from '../http/query-params.js'
import {
  evaluateQ,
  linkedPaths,
  listedAttribute,
  loadLinked,
  parseOrderBy,
  qNameList,
  sortEntities,
  type Ordering,
} from '../query/index.js'
import type { ActiveContext } from '../jsonld/index.js'
import { toFeatureCollection } from '../representation/index.js'
import {
  checkCsf,
  filters,
  pageOf,
  isSystemAttribute,
  selectionFromParams,
  selectorsFromBody,
  stringOf,
  toStoreQuery,
  type EntitySelection,
  type Page,
} from './entity-selection.js'
import {
  ENTITY_MAP_HEADER,
  ENTITY_MAP_PARAMS,
  entityMapLifetimeOf,
  entityMapLocation,
  mapForQuery,
  selectsNothing,
  withMapLocation,
} from '../entity-maps/use-entity-map.js'
import { joinEntities, parseJoin, parseJoinParams, type JoinRequest } from './linked-entities.js'
import type { NgsiReply, NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'
import {
  parseEntityOutput,
  pageLinks,
  rejectUnsupported,
  renderJson,
  renderOutput,
  renderProfile,
  type EntityOutput,
} from './route-helpers.js'

/** URL parameters that shape how entities are rendered (retrieve and query). */
export const OUTPUT_PARAMS = [
  'attrs',
  'pick',
  'omit',
  'format',
  'options',
  'lang',
  'geometryProperty',
  'datasetId',
]
/** URL parameters that select entities (query, purge, temporal query). */
export const SELECTION_PARAMS = [
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
const PAGE_PARAMS = ['limit', 'offset', 'count']
const JOIN_PARAMS = ['join', 'joinLevel', 'containedBy']
const ORDER_PARAMS = ['orderBy', 'orderFrom', 'orderGeometry', 'collation']
/** Ordered and linked-q queries hold every match in memory: more is too complex a query. */
const MAX_IN_MEMORY_MATCHES = 10_000
/**
 * Defined by GS CIM 009 for distributed operations (context sources), which a single broker does
 * not perform: 422 OperationNotSupported rather than a wrong answer.
 */
const UNSUPPORTED_PARAMS = ['splitEntities']

const QUERY_MEMBERS = new Set([
  'type',
  'ordering',
  'entities',
  'attrs',
  'pick',
  'omit',
  'q',
  'geoQ',
  'scopeQ',
  'lang',
  'csf',
  'datasetId',
  'geometryProperty',
  'temporalQ',
  'join',
  'joinLevel',
  'expandValues',
  'jsonKeys',
  'orderBy',
])

export function queryRoutes(deps: RouteDeps): NgsiRoute[] {
  async function run(
    req: NgsiRequest,
    selection: EntitySelection,
    output: EntityOutput,
    page: Page,
    links: boolean,
    join?: JoinRequest,
    ordering?: Ordering,
  ): Promise<NgsiReply> {
    const linked = linkedPaths(selection.q)
    const result =
      ordering || linked.length > 0
        ? await inMemoryPage(req, selection, output, page, ordering)
        : await storePage(req, selection, output, page)
    const { entities } = result
    const profile = renderProfile(output, req, deps.renders)
    let reply: NgsiReply
    if (join && req.accept !== GEO_JSON_TYPE) {
      const roots = entities.map((entity) => ({
        entity,
        rendered: renderOutput(entity, output, req),
      }))
      const body = await joinEntities(roots, join, {
        read: (id) => deps.entities.read(req.tenant, id),
        req,
        simplified: output.render.format === 'simplified',
      })
      reply = { status: 200, body }
    } else if (profile !== undefined) {
      const empty = JSON.stringify(
        req.accept === JSON_TYPE ? {} : { '@context': req.ctx.userContext ?? CORE_CONTEXT_URL },
      )
      const parts = entities.map((e) => renderJson(e, output, req, deps.renders, profile) ?? empty)
      reply = { status: 200, json: `[${parts.join(',')}]` }
    } else {
      const items = entities.map((e) => renderOutput(e, output, req) ?? {})
      reply = {
        status: 200,
        body: req.accept === GEO_JSON_TYPE ? toFeatureCollection(items) : items,
      }
    }
    if (page.count) reply.headers = { 'NGSILD-Results-Count': String(result.count ?? 0) }
    if (links) reply.links = pageLinks(req, page, result.hasMore)
    return reply
  }

  async function storePage(
    req: NgsiRequest,
    selection: EntitySelection,
    output: EntityOutput,
    page: Page,
  ): Promise<{ entities: Entity[]; count?: number | undefined; hasMore: boolean }> {
    if (selectsNothing(selection)) return { entities: [], count: 0, hasMore: false }
    const query = toStoreQuery(selection, output.projection.attrs, page, req.ctx)
    const result = await deps.entities.query(req.tenant, query)
    return {
      entities: result.entities.slice(0, page.limit),
      count: result.count,
      hasMore: result.entities.length > page.limit,
    }
  }

  /**
   * Every match at once, for what the store cannot do: ordering (§4.23, sorted before the page is
   * cut) and q terms over linked entities (§4.9, evaluated once those entities are loaded).
   */
  async function inMemoryPage(
    req: NgsiRequest,
    selection: EntitySelection,
    output: EntityOutput,
    page: Page,
    ordering: Ordering | undefined,
  ): Promise<{ entities: Entity[]; count: number; hasMore: boolean }> {
    const q = selection.q
    const linked = linkedPaths(q)
    const { q: _q, ...withoutQ } = selection
    const candidates = await storePage(req, linked.length > 0 ? withoutQ : selection, output, {
      limit: MAX_IN_MEMORY_MATCHES,
      offset: 0,
      count: false,
    })
    if (candidates.hasMore)
      throw new AppError(
        'TooComplexQuery',
        `more than ${MAX_IN_MEMORY_MATCHES} entities match: narrow the query`,
      )
    let matches = candidates.entities
    if (q && linked.length > 0) {
      const resolve = await loadLinked(matches, linked, req.ctx.expandTerm, (id) =>
        deps.entities.read(req.tenant, id),
      )
      matches = matches.filter((e) => evaluateQ(q, e, req.ctx.expandTerm, resolve))
    }
    if (ordering) matches = sortEntities(matches, ordering, req.ctx.expandTerm)
    return {
      entities: matches.slice(page.offset, page.offset + page.limit),
      count: matches.length,
      hasMore: page.offset + page.limit < matches.length,
    }
  }

  /** The ids of every entity the query matches, pagination aside (a new EntityMap's content). */
  async function matchIds(
    req: NgsiRequest,
    selection: EntitySelection,
    output: EntityOutput,
  ): Promise<string[]> {
    const all = { limit: MAX_IN_MEMORY_MATCHES, offset: 0, count: false }
    const { entities } = await inMemoryPage(req, selection, output, all, undefined)
    return entities.map((e) => e.id)
  }

  /** A query that may use or make an EntityMap (§5.7.2.4, §5.5.14). */
  async function runWithMap(
    req: NgsiRequest,
    selection: EntitySelection,
    output: EntityOutput,
    page: Page,
    links: boolean,
    join?: JoinRequest,
    ordering?: Ordering,
  ): Promise<NgsiReply> {
    const map = await mapForQuery(deps, req, selection, () => matchIds(req, selection, output))
    const reply = await run(req, map?.selection ?? selection, output, page, links, join, ordering)
    return withMapLocation(reply, map)
  }

  /** A GET query's selection, rendering, join and ordering, from URL parameters (§6.4.3.2). */
  function fromParams(req: NgsiRequest): ParsedQuery {
    rejectUnsupported(req.query, UNSUPPORTED_PARAMS)
    const output = parseEntityOutput(req.query, req.ctx)
    if (req.query['geometryProperty'] !== undefined && req.accept !== GEO_JSON_TYPE)
      throw bad('geometryProperty needs Accept: application/geo+json')
    const join = parseJoinParams(req.query)
    const selection = selectionFromParams(
      req.query,
      req.ctx,
      output.projection.attrs?.some((a) => !isSystemAttribute(a)) ?? false,
    )
    const ordering =
      req.query['orderBy'] === undefined
        ? undefined
        : parseOrderBy(req.query['orderBy'], {
            orderFrom: req.query['orderFrom'],
            orderGeometry: req.query['orderGeometry'],
            collation: req.query['collation'],
            jsonKeys: jsonKeysOf(req.query['jsonKeys'], req.ctx),
          })
    return { selection, output, join, ordering }
  }

  /** A POST query's selection, rendering, join and ordering, from its Query body (§6.23). */
  function fromBody(req: NgsiRequest): ParsedQuery {
    const body = queryBody(req.body)
    if (body['csf'] !== undefined) checkCsf(body['csf'])
    const params = outputParamsOf(body, req.query)
    const output = parseEntityOutput(params, req.ctx)
    const join = parseJoin(body['join'], body['joinLevel'], params['pick'], params['omit'])
    const selection: EntitySelection = {
      ...filters(
        {
          q: body['q'],
          scopeQ: body['scopeQ'],
          geoQ: geoQueryOf(body['geoQ']),
          join: body['join'],
          joinLevel: body['joinLevel'],
          expandValues: body['expandValues'],
          jsonKeys: body['jsonKeys'],
        },
        req.ctx,
      ),
      selectors: body['entities'] === undefined ? [] : selectorsFromBody(body['entities'], req.ctx),
    }
    const local = parseBooleanParam(req.query['local'], 'local') ?? false
    const sufficient =
      selection.selectors.length > 0 ||
      output.projection.attrs ||
      selection.q ||
      selection.geo ||
      local
    if (!sufficient) throw bad('the query is too wide: give entities, attrs, q, geoQ or local=true')
    const ordering = orderingOf(body['ordering'], jsonKeysOf(body['jsonKeys'], req.ctx))
    return { selection, output, join, ordering }
  }

  /**
   * Create EntityMap for Query Entities (§5.14.4, §6.34): a map of every entity the query
   * matches, answered 201 with the map and its location; pagination parameters are ignored.
   */
  async function createMap(req: NgsiRequest, query: ParsedQuery): Promise<NgsiReply> {
    const maps = deps.entityMaps
    if (!maps) throw new AppError('OperationNotSupported', 'EntityMaps are not supported')
    const ids = await matchIds(req, query.selection, query.output)
    const map = maps.create(req.tenant, ids, entityMapLifetimeOf(req))
    return {
      status: 201,
      body: { ...map },
      headers: { [ENTITY_MAP_HEADER]: entityMapLocation(deps, map.id) },
    }
  }

  const GET_QUERY_PARAMS = [
    ...OUTPUT_PARAMS,
    ...SELECTION_PARAMS,
    ...PAGE_PARAMS,
    ...JOIN_PARAMS,
    ...ORDER_PARAMS,
    'expandValues',
    'jsonKeys',
    ...ENTITY_MAP_PARAMS,
    ...UNSUPPORTED_PARAMS,
  ]
  const POST_QUERY_PARAMS = [
    'limit',
    'offset',
    'count',
    'options',
    'format',
    'local',
    'lang',
    'geometryProperty',
    ...ENTITY_MAP_PARAMS,
  ]

  return [
    {
      method: 'GET',
      url: '/entities',
      summary: 'Query entities',
      produces: ENTITY_RESPONSE_TYPES,
      params: GET_QUERY_PARAMS,
      tenant: 'existing',
      handle(req) {
        const { selection, output, join, ordering } = fromParams(req)
        const page = pageOf(req.query, deps.paging)
        return runWithMap(req, selection, output, page, true, join, ordering)
      },
    },
    {
      method: 'POST',
      url: '/entityOperations/query',
      summary: 'Query entities (POST)',
      consumesBody: true,
      produces: ENTITY_RESPONSE_TYPES,
      params: POST_QUERY_PARAMS,
      tenant: 'existing',
      handle(req) {
        const { selection, output, join, ordering } = fromBody(req)
        const page = pageOf(req.query, deps.paging)
        return runWithMap(req, selection, output, page, false, join, ordering)
      },
    },
    {
      method: 'GET',
      url: '/entityMaps',
      summary: 'Create EntityMap for Query Entities',
      produces: JSON_RESPONSE_TYPES,
      params: GET_QUERY_PARAMS,
      tenant: 'existing',
      handle(req) {
        return createMap(req, fromParams(req))
      },
    },
    {
      method: 'POST',
      url: '/entityMaps',
      summary: 'Create EntityMap for Query Entities (POST)',
      consumesBody: true,
      produces: JSON_RESPONSE_TYPES,
      params: POST_QUERY_PARAMS,
      tenant: 'existing',
      handle(req) {
        return createMap(req, fromBody(req))
      },
    },
  ]
}

interface ParsedQuery {
  selection: EntitySelection
  output: EntityOutput
  join?: JoinRequest | undefined
  ordering?: Ordering | undefined
}

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

function queryBody(body: unknown): JsonObject {
  if (!isJsonObject(body))
    throw new AppError('InvalidRequest', 'the request body must be a Query object')
  if (body['type'] !== 'Query') throw bad('a Query body must have "type": "Query"')
  const unknown = Object.keys(body).filter((k) => !QUERY_MEMBERS.has(k))
  if (unknown.length > 0) throw bad(`unknown member '${unknown[0]}' in the Query`)
  if (body['temporalQ'] !== undefined)
    throw bad('temporalQ belongs to temporal queries (temporal/entityOperations/query)')
  return body
}

/** Whether an attribute (as written) is listed in jsonKeys, for orderBy paths; undefined if none. */
function jsonKeysOf(raw: unknown, ctx: ActiveContext): ((attr: string) => boolean) | undefined {
  const names = qNameList(raw, 'jsonKeys')
  return names && listedAttribute(names, ctx.expandTerm)
}

/** The OrderingParams member of a Query (§5.2.43): orderBy[], coordinates, geometry, collation. */
export function orderingOf(
  raw: unknown,
  jsonKeys?: (attr: string) => boolean,
): Ordering | undefined {
  if (raw === undefined) return undefined
  if (!isJsonObject(raw)) throw bad('ordering must be an OrderingParams object')
  const { orderBy, coordinates, geometry, collation } = raw
  if (
    !Array.isArray(orderBy) ||
    orderBy.length === 0 ||
    !orderBy.every((o) => typeof o === 'string')
  )
    throw bad('ordering.orderBy must be a non-empty array of strings')
  if (coordinates !== undefined && !Array.isArray(coordinates))
    throw bad('ordering.coordinates must be a JSON array')
  if (geometry !== undefined && typeof geometry !== 'string')
    throw bad('ordering.geometry must be a string')
  return parseOrderBy(orderBy.join(','), {
    orderFrom: coordinates,
    orderGeometry: geometry,
    collation,
    jsonKeys,
  })
}

function geoQueryOf(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined
  if (!isJsonObject(raw)) throw bad('geoQ must be an object with geometry, coordinates and georel')
  return raw
}

/** Body members (arrays or strings) as the URL parameters parseEntityOutput reads; URL ones win. */
function outputParamsOf(body: JsonObject, query: QueryParams): QueryParams {
  const list = (v: unknown, name: string): string | undefined => {
    if (v === undefined) return undefined
    if (Array.isArray(v)) return v.map((x) => stringOf(x, name)).join(',')
    return stringOf(v, name)
  }
  return {
    attrs: list(body['attrs'], 'attrs'),
    pick: list(body['pick'], 'pick'),
    omit: list(body['omit'], 'omit'),
    datasetId: list(body['datasetId'], 'datasetId'),
    lang: query['lang'] ?? list(body['lang'], 'lang'),
    geometryProperty:
      query['geometryProperty'] ?? list(body['geometryProperty'], 'geometryProperty'),
    format: query['format'],
    options: query['options'],
    join: typeof body['join'] === 'string' ? body['join'] : undefined,
  }
}
