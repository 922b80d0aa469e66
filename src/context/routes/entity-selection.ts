/**
 * Which entities a query selects (§5.7.2, §6.23): entity selectors (id, idPattern, type selection),
 * q, scopeQ and geoquery, from URL parameters or a POST Query body, and the EntityQuery the store
 * gets. Exact predicates (q, scopeQ, geo, several selectors) run in `filter`.
 *
 * @example
 *   const selection = selectionFromParams(req.query, req.ctx, projection)
 *   await store.query(tenant, toStoreQuery(selection, projection.attrs, page, req.ctx))
 */
import { prefilterCoversQ, valuePrefilter } from '../query/value-prefilter.js'
import { AppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'
import type { EntityQuery, GeoFilter } from '../../store/store.js'
import { parseBooleanParam, parseCount, type QueryParams } from '../http/query-params.js'
import type { ActiveContext } from '../jsonld/index.js'
import {
  evaluateQ,
  evaluateScopeQ,
  matchesGeo,
  parseGeoQuery,
  parseQ,
  parseQWithOptions,
  parseScopeQ,
  parseTypeSelection,
  qNameList,
  type QNode,
  type QOptions,
  type QPath,
  type ScopeQNode,
} from '../query/index.js'
import { isAbsoluteUri, isUri } from '../representation/index.js'
import type { PagingConfig } from './ngsi-route.js'

export interface EntitySelector {
  ids?: string[]
  idPattern?: string
  /** Type selection in DNF (expanded IRIs); undefined = any type. */
  types?: string[][]
}

export interface EntitySelection {
  /** OR of selectors; empty = every entity. */
  selectors: EntitySelector[]
  q?: QNode
  scopeQ?: ScopeQNode
  geo?: GeoFilter
}

export interface Page {
  limit: number
  offset: number
  count: boolean
}

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

export function parseIdList(text: string): string[] {
  const ids = text.split(',').map((s) => s.trim())
  for (const id of ids) if (!isAbsoluteUri(id)) throw bad(`id: '${id}' is not a URI`)
  return ids
}

export function checkIdPattern(pattern: string): string {
  try {
    new RegExp(pattern)
  } catch {
    throw bad(`idPattern: '${pattern}' is not a valid regular expression`)
  }
  return pattern
}

/** `type=*` selects every type (and counts as a sufficient selector). */
function parseTypes(text: string, ctx: ActiveContext): string[][] | undefined {
  return text.trim() === '*' ? undefined : parseTypeSelection(text, ctx.expandTerm)
}

/**
 * GET /entities selectors. A query must name type, attrs, q, a geoquery or local=true (§5.7.2):
 * `id` alone is too wide (BadRequestData).
 */
export function selectionFromParams(
  query: QueryParams,
  ctx: ActiveContext,
  hasAttrs: boolean,
): EntitySelection {
  const selector: EntitySelector = {}
  if (query['id'] !== undefined) selector.ids = parseIdList(query['id'])
  if (query['idPattern'] !== undefined) selector.idPattern = checkIdPattern(query['idPattern'])
  if (query['type'] !== undefined) {
    const types = parseTypes(query['type'], ctx)
    if (types) selector.types = types
  }
  if (query['csf'] !== undefined) checkCsf(query['csf'])
  const selection = filters(
    {
      q: query['q'],
      scopeQ: query['scopeQ'],
      geoQ: query,
      join: query['join'],
      joinLevel: query['joinLevel'],
      expandValues: query['expandValues'],
      jsonKeys: query['jsonKeys'],
    },
    ctx,
  )
  const explicitLocal = parseBooleanParam(query['local'], 'local')
  // §6.4.3.2: `type=*` implies local=true, which shall not be set to false.
  if (query['type']?.trim() === '*' && explicitLocal === false)
    throw bad('type=* implies local=true and cannot be combined with local=false')
  const local = explicitLocal ?? false
  const sufficient =
    query['type'] !== undefined ||
    hasAttrs ||
    (selection.q !== undefined && !onlySystemAttributes(selection.q)) ||
    selection.geo ||
    local
  if (!sufficient) throw bad('the query is too wide: give type, attrs, q, a geoquery or local=true')
  return { ...selection, selectors: [selector] }
}

/** The `entities` member of a POST Query: [{ id?, idPattern?, type? }, …]. */
export function selectorsFromBody(raw: unknown, ctx: ActiveContext): EntitySelector[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw bad('entities must be a non-empty array of entity selectors')
  return raw.map((item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw bad('each entity selector must be an object')
    const s = item as Record<string, unknown>
    const unknown = Object.keys(s).filter((k) => !['id', 'idPattern', 'type'].includes(k))
    if (unknown.length > 0) throw bad(`unknown member '${unknown[0]}' in an entity selector`)
    const selector: EntitySelector = {}
    // §5.2.33: type is mandatory; id is a URI or an array of URIs and wins over idPattern.
    if (s['type'] === undefined) throw bad('each entity selector must have a type')
    if (s['id'] !== undefined) {
      const ids = Array.isArray(s['id']) ? s['id'] : [s['id']]
      if (ids.length === 0 || !ids.every(isUri))
        throw bad(`entity selector id ${JSON.stringify(s['id'])} is not a URI or a list of URIs`)
      selector.ids = ids
    }
    if (s['idPattern'] !== undefined) {
      const pattern = checkIdPattern(stringOf(s['idPattern'], 'idPattern'))
      if (!selector.ids) selector.idPattern = pattern
    }
    const types = parseTypes(stringOf(s['type'], 'type'), ctx)
    if (types) selector.types = types
    return selector
  })
}

/**
 * `csf` filters the context source registrations a broker consults (§4.9, §5.7.2). A single
 * broker answers from its own store only, so it has nothing to filter; the expression is still
 * checked (it uses the q grammar) so that a malformed one is BadRequestData, not silently taken.
 */
export function checkCsf(text: unknown): void {
  parseQ(stringOf(text, 'csf'))
}

export function stringOf(v: unknown, name: string): string {
  if (typeof v !== 'string') throw bad(`${name} must be a string`)
  return v
}

/** q, scopeQ and the geoquery; `geoQ` holds georel, geometry, coordinates, geoproperty. */
export function filters(
  input: {
    q: unknown
    scopeQ: unknown
    geoQ: Record<string, unknown> | undefined
    /** The request's join: linked-entity q terms without one are BadRequestData (§5.7.2.4). */
    join?: unknown
    joinLevel?: unknown
    /** Attributes whose q values are expanded as IRIs before comparing (§4.9, EXAMPLE 12). */
    expandValues?: unknown
    /** Attributes whose trailing q paths are plain JSON keys, not expanded (§4.9). */
    jsonKeys?: unknown
  },
  ctx: ActiveContext,
): Omit<EntitySelection, 'selectors'> {
  const out: Omit<EntitySelection, 'selectors'> = {}
  // Checked even without a q, so that a malformed list is never silently taken.
  const options: QOptions = {
    expandValues: qNameList(input.expandValues, 'expandValues'),
    jsonKeys: qNameList(input.jsonKeys, 'jsonKeys'),
  }
  if (input.q !== undefined) {
    out.q = rejectLinkedTerms(
      parseQWithOptions(stringOf(input.q, 'q'), options, ctx.expandTerm),
      input.join === undefined || input.join === '@none' ? 0 : Number(input.joinLevel ?? 1),
    )
  }
  if (input.scopeQ !== undefined) out.scopeQ = parseScopeQ(stringOf(input.scopeQ, 'scopeQ'))
  if (input.geoQ) {
    const { georel, geometry, coordinates, geoproperty } = input.geoQ
    const geo = parseGeoQuery(
      {
        georel: optionalString(georel, 'georel'),
        geometry: optionalString(geometry, 'geometry'),
        coordinates,
        geoproperty: optionalString(geoproperty, 'geoproperty'),
      },
      ctx.expandTerm,
    )
    if (geo) out.geo = geo
  }
  return out
}

/**
 * Terms over linked entities (`sensor{Device:humidity}==40`, §4.9) need the entities the
 * Relationship points to, which this query path does not load: 422 rather than a silent no-match.
 */
function rejectLinkedTerms(node: QNode, joinLevel: number): QNode {
  const depth = (p: QPath): number => (p.linked ? 1 + depth(p.linked.path) : 0)
  const visit = (n: QNode): void => {
    if (n.kind !== 'term') return n.children.forEach(visit)
    if (n.path.linked && joinLevel === 0)
      throw bad(
        `q: the linked-entity term at position ${n.position} needs join=inline or join=flat`,
      )
    if (depth(n.path) > joinLevel)
      throw bad(`q: the linked-entity term at position ${n.position} is deeper than joinLevel`)
  }
  visit(node)
  return node
}

/** System attributes (§4.8) do not make a query specific enough on their own (§5.7.2.4). */
const SYSTEM_ATTRIBUTES = new Set(['createdAt', 'modifiedAt', 'deletedAt'])

export function isSystemAttribute(name: string): boolean {
  return SYSTEM_ATTRIBUTES.has(name) || SYSTEM_ATTRIBUTES.has(name.replace(NGSI_LD_PREFIX, ''))
}

function onlySystemAttributes(node: QNode): boolean {
  if (node.kind !== 'term') return node.children.every(onlySystemAttributes)
  return isSystemAttribute(node.path.attr)
}

const NGSI_LD_PREFIX = 'https://uri.etsi.org/ngsi-ld/'

function optionalString(v: unknown, name: string): string | undefined {
  return v === undefined ? undefined : stringOf(v, name)
}

/** limit (default and maximum from config; above it TooManyResults), offset, count (§5.5.9). */
export function pageOf(query: QueryParams, paging: PagingConfig): Page {
  const count = parseBooleanParam(query['count'], 'count') ?? false
  const limit = parseCount(query['limit'], 'limit') ?? paging.defaultLimit
  if (limit > paging.maxLimit) {
    throw new AppError(
      'TooManyResults',
      `limit ${limit} is above the maximum of ${paging.maxLimit}`,
    )
  }
  if (limit === 0 && !count) throw bad('limit=0 is only allowed together with count=true')
  return { limit, offset: parseCount(query['offset'], 'offset') ?? 0, count }
}

/** One extra entity is asked for, so the caller knows whether a next page exists. */
export function toStoreQuery(
  sel: EntitySelection,
  anyAttrs: string[] | undefined,
  page: Page,
  ctx: ActiveContext,
): EntityQuery {
  const query: EntityQuery = { limit: page.limit + 1, offset: page.offset, count: page.count }
  const predicates: ((e: Entity) => boolean)[] = []
  const [only, ...more] = sel.selectors
  if (only && more.length === 0) {
    // No ids at all (an EntityMap none of whose entities the query names) selects nothing.
    if (only.ids?.length === 0) predicates.push(() => false)
    else if (only.ids) query.ids = only.ids
    if (only.idPattern !== undefined) query.idPattern = only.idPattern
    if (only.types) query.types = only.types
  } else if (only) {
    const selectors = sel.selectors.map(compileSelector)
    predicates.push((e) => selectors.some((matches) => matches(e)))
  }
  if (anyAttrs && anyAttrs.length > 0) query.anyAttrs = anyAttrs
  const { q, scopeQ, geo } = sel
  if (q) {
    const prefilter = valuePrefilter(q, ctx.expandTerm)
    if (prefilter.length > 0) query.prefilter = prefilter
    predicates.push((e) => evaluateQ(q, e, ctx.expandTerm))
  }
  if (scopeQ) predicates.push((e) => evaluateScopeQ(scopeQ, e.scopes))
  if (geo) {
    query.geo = geo
    predicates.push((e) => matchesGeo(geo, e))
  }
  if (predicates.length > 0) query.filter = (e) => predicates.every((p) => p(e))
  // Only q filters and q is all prefilter: plain entities can be counted from an index.
  if (q && predicates.length === 1 && query.prefilter && prefilterCoversQ(q, ctx.expandTerm))
    query.prefilterCovers = true
  return query
}

function compileSelector(s: EntitySelector): (e: Entity) => boolean {
  const pattern = s.idPattern === undefined ? undefined : new RegExp(s.idPattern)
  return (e) =>
    (!s.ids || s.ids.includes(e.id)) &&
    (!pattern || pattern.test(e.id)) &&
    (!s.types || s.types.some((all) => all.every((t) => e.types.includes(t))))
}
