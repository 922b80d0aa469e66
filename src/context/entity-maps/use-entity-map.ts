/**
 * How the consumption operations use EntityMaps (§5.7.1.4, §5.7.2.4, §5.7.3.4, §5.7.4.4 and
 * §5.5.14): a request either names a map in the NGSILD-EntityMap header or asks for one with
 * `entityMap=true` (lifetime suggested by `entityMapLifetime`). A live named map fixes the
 * entities the query considers; an unknown or expired one, or the flag without a header, makes
 * a new map from the query's matches. The map's resource URI goes back in NGSILD-EntityMap, and
 * a query that (re)created one answers 201 (Tables 6.4.3.2-3, 6.18.3.2-2).
 *
 * @example
 *   const use = await mapForQuery(deps, req, selection, () => matchingIds(selection))
 *   const reply = await run(use?.selection ?? selection)
 *   if (use) withMapLocation(reply, use)
 */
import { AppError } from '../../core/errors.js'
import { parseIsoDuration } from '../../core/iso-duration.js'
import { DEFAULT_MAX_MAP_ENTITIES } from './entity-map-registry.js'
import { parseBooleanParam } from '../http/query-params.js'
import { toStoreQuery, type EntitySelection } from '../routes/entity-selection.js'
import type { NgsiReply, NgsiRequest, RouteDeps } from '../routes/ngsi-route.js'

/** The URL parameters of the operations that can use EntityMaps. */
export const ENTITY_MAP_PARAMS = ['entityMap', 'entityMapLifetime']
export const ENTITY_MAP_HEADER = 'NGSILD-EntityMap'

export interface MapUse {
  /** The selection narrowed to the map's entities. */
  selection: EntitySelection
  /** The map's resource URI, for the NGSILD-EntityMap response header. */
  location: string
  /** Whether the map was made by this request (a query then answers 201). */
  created: boolean
}

/** The map id a NGSILD-EntityMap header names: a resource URI or path (last segment), or the id. */
export function mapIdOf(header: string): string {
  const segment = header.trim().replace(/\/+$/, '').split('/').pop() ?? ''
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export function entityMapLocation(deps: RouteDeps, id: string): string {
  return `${deps.baseUrl}${deps.prefix}/entityMaps/${id}`
}

/** The lifetime the request suggests for a new map (`entityMapLifetime`, ISO 8601), in ms. */
export function entityMapLifetimeOf(req: NgsiRequest): number | undefined {
  const text = req.query['entityMapLifetime']
  return text === undefined ? undefined : parseIsoDuration(text, 'entityMapLifetime')
}

/** What the request asks: undefined when it neither names a map nor asks for one. */
function mapRequest(req: NgsiRequest): { ref?: string; lifetimeMs?: number } | undefined {
  const flag = parseBooleanParam(req.query['entityMap'], 'entityMap') ?? false
  const lifetimeMs = entityMapLifetimeOf(req)
  const ref = req.entityMap?.trim() ? mapIdOf(req.entityMap) : undefined
  if (!flag && ref === undefined) return undefined
  return { ...(ref !== undefined && { ref }), ...(lifetimeMs !== undefined && { lifetimeMs }) }
}

function registryOf(deps: RouteDeps, req: NgsiRequest) {
  if (deps.entityMaps) return deps.entityMaps
  // Without EntityMap support a named map is declined by not answering one (§5.5.14).
  if (req.query['entityMap'] !== undefined && req.query['entityMap'] !== 'false')
    throw new AppError('OperationNotSupported', 'EntityMaps are not supported by this broker')
  return undefined
}

/**
 * The map a query uses: the live one named, else a new one of `matchIds()` (the ids of every
 * entity the query matches now, pagination aside). Undefined when the request wants none.
 */
export async function mapForQuery(
  deps: RouteDeps,
  req: NgsiRequest,
  selection: EntitySelection,
  matchIds: () => Promise<string[]>,
): Promise<MapUse | undefined> {
  const wanted = mapRequest(req)
  if (!wanted) return undefined
  const registry = registryOf(deps, req)
  if (!registry) return undefined
  const named = wanted.ref === undefined ? undefined : registry.get(req.tenant, wanted.ref)
  const map = named ?? registry.create(req.tenant, await matchIds(), wanted.lifetimeMs)
  return {
    selection: restrictSelection(selection, Object.keys(map.entityMap)),
    location: entityMapLocation(deps, map.id),
    created: !named,
  }
}

/**
 * The map a retrieval of `entityId` uses (§5.7.1.4, §5.7.3.4): the live one named, else a new
 * one holding the entity. Its location, or undefined when the request wants none. A single
 * broker holds the entity itself, so the map does not change what is retrieved.
 */
export function mapForRetrieve(
  deps: RouteDeps,
  req: NgsiRequest,
  entityId: string,
): string | undefined {
  const wanted = mapRequest(req)
  if (!wanted) return undefined
  const registry = registryOf(deps, req)
  if (!registry) return undefined
  const named = wanted.ref === undefined ? undefined : registry.get(req.tenant, wanted.ref)
  const map = named ?? registry.create(req.tenant, [entityId], wanted.lifetimeMs)
  return entityMapLocation(deps, map.id)
}

/**
 * The ids of the entities a selection matches in the store, pagination aside (the temporal
 * query selects on current state). One more than a map may hold is read, so that too many is
 * TooComplexQuery when the map is made.
 */
export async function storeMatchIds(
  deps: RouteDeps,
  req: NgsiRequest,
  selection: EntitySelection,
  /** Expanded attribute names, any of which an entity must have. */
  attrs: string[] | undefined,
): Promise<string[]> {
  if (selectsNothing(selection)) return []
  const page = { limit: DEFAULT_MAX_MAP_ENTITIES, offset: 0, count: false }
  const result = await deps.entities.query(
    req.tenant,
    toStoreQuery(selection, attrs, page, req.ctx),
  )
  return result.entities.map((e) => e.id)
}

/** Adds the NGSILD-EntityMap header; a query that made its map answers 201 Created. */
export function withMapLocation(reply: NgsiReply, use: MapUse | string | undefined): NgsiReply {
  if (use === undefined) return reply
  const location = typeof use === 'string' ? use : use.location
  reply.headers = { ...reply.headers, [ENTITY_MAP_HEADER]: location }
  if (typeof use !== 'string' && use.created && reply.status === 200) reply.status = 201
  return reply
}

/**
 * The selection narrowed to `ids`: each selector keeps only the listed ids it names (or takes
 * them all when it names none). A selector left with no id selects nothing and is dropped; with
 * none left, the selection is one selector of no ids, which selects nothing (see toStoreQuery).
 */
export function restrictSelection(
  selection: EntitySelection,
  ids: readonly string[],
): EntitySelection {
  const allowed = new Set(ids)
  const selectors = (selection.selectors.length > 0 ? selection.selectors : [{}]).map((s) => ({
    ...s,
    ids: s.ids ? s.ids.filter((id) => allowed.has(id)) : [...ids],
  }))
  const kept = selectors.filter((s) => s.ids.length > 0)
  return { ...selection, selectors: kept.length > 0 ? kept : [{ ids: [] }] }
}

/** Whether a selection can match nothing (an EntityMap none of whose entities it names). */
export function selectsNothing(selection: EntitySelection): boolean {
  return selection.selectors.length > 0 && selection.selectors.every((s) => s.ids?.length === 0)
}
