/**
 * Small pieces the route groups share: path ids, change events, rendering a response entity.
 */
import type { EntityChanged } from '../../bus/bus.js'
import { AppError } from '../../core/errors.js'
import { IRI, type Entity } from '../../core/ngsi.js'
import { CORE_CONTEXT_URL } from '../../core/ngsi.js'
import { paginationLinks } from '../http/link-header.js'
import { GEO_JSON_TYPE, JSON_LD_TYPE, JSON_TYPE } from '../http/media-types.js'
import type { QueryParams } from '../http/query-params.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import {
  ALL_MEMBERS,
  applyProjection,
  expandAttributeName,
  isAbsoluteUri,
  parseLang,
  parseOutputOptions,
  parseProjectionParams,
  renderEntity,
  toFeature,
  type RenderCache,
  type EntityRenderOptions,
  type Projection,
} from '../representation/index.js'
import type { HistoryOf } from '../../store/store.js'
import type { UpdateResult } from '../operations/update-attributes.js'
import { coreHistoryEvents } from '../temporal/core-history.js'
import { parseTypeSelection } from '../query/index.js'
import type { NgsiRequest, RouteDeps } from './ngsi-route.js'

/** The `{entityId}` path segment: a URI (§5.6, 400 BadRequestData otherwise). */
export function entityIdOf(req: NgsiRequest): string {
  const id = req.params['entityId'] ?? ''
  if (!isAbsoluteUri(id)) throw new AppError('BadRequestData', `the entity id '${id}' is not a URI`)
  return id
}

/**
 * The optional `type` selector of the single-entity operations (§5.6.2–5.6.6, §4.17): undefined
 * when absent, else a check that throws ResourceNotFound unless the entity has a matching type.
 *
 * @example
 *   typeGuardOf(req)?.(entity) // DELETE /entities/{id}?type=Vehicle on a Building → 404
 */
export function typeGuardOf(req: NgsiRequest): ((entity: Entity) => void) | undefined {
  const text = req.query['type']
  if (text === undefined) return undefined
  const selection = parseTypeSelection(text, req.ctx.expandTerm)
  return (entity) => {
    if (!selection.some((all) => all.every((t) => entity.types.includes(t))))
      throw new AppError('ResourceNotFound', `entity ${entity.id} has none of the types '${text}'`)
  }
}

/**
 * What a Core API write leaves in history (core-history.ts), for the store to record in the
 * write's own transaction; undefined when the broker keeps no history.
 */
export function coreHistory(deps: RouteDeps): HistoryOf | undefined {
  return deps.temporal && ((change) => coreHistoryEvents(change, Date.parse(deps.now())))
}

/**
 * Publishes after the store write succeeded. A failing bus is logged, never turned into an
 * error: the entity is already written.
 */
export async function publishChange(
  deps: RouteDeps,
  event: Omit<EntityChanged, 'source'>,
): Promise<void> {
  try {
    await deps.bus.publish('entity.changed', { ...event, source: 'api' })
  } catch (err) {
    deps.log.error(
      { err, entityId: event.entityId, kind: event.kind },
      'entity.changed publish failed',
    )
  }
}

/** Parameters defined by the spec that Civitas does not implement yet: 422, not a silent wrong answer. */
export function rejectUnsupported(query: QueryParams, names: readonly string[]): void {
  for (const name of names) {
    const value = query[name]
    if (value === undefined || (name === 'join' && value === '@none')) continue
    throw new AppError('OperationNotSupported', `the URL parameter ${name} is not supported yet`)
  }
}

export interface EntityOutput {
  render: EntityRenderOptions
  projection: Projection
  /** Expanded name of the GeoProperty that becomes a Feature's geometry. */
  geometryProperty: string
}

/** format, options, lang, attrs / pick / omit, datasetId and geometryProperty. */
export function parseEntityOutput(query: QueryParams, ctx: ActiveContext): EntityOutput {
  const { format, sysAttrs } = parseOutputOptions(query)
  const projection = parseProjectionParams(query, ctx)
  const lang = query['lang'] === undefined ? undefined : parseLang(query['lang'])
  const geometryProperty =
    query['geometryProperty'] === undefined
      ? IRI.location
      : expandAttributeName(query['geometryProperty'], ctx)
  return {
    render: { format, sysAttrs, lang, members: projection.members },
    projection,
    geometryProperty,
  }
}

/** The projected entity rendered for the negotiated type; undefined when nothing is left of it. */
export function renderOutput(
  entity: Entity,
  out: EntityOutput,
  req: NgsiRequest,
): JsonObject | undefined {
  const projected = applyProjection(entity, out.projection)
  const rendered = renderEntity(projected, req.ctx, out.render)
  if (Object.keys(rendered).length === 0) return undefined
  return req.accept === GEO_JSON_TYPE
    ? toFeature(rendered, projected, out.geometryProperty)
    : rendered
}

/**
 * The render profile of a request (see RenderCache), or undefined when its output is not cached
 * (GeoJSON wraps entities in features; those are rendered each time).
 */
export function renderProfile(
  out: EntityOutput,
  req: NgsiRequest,
  cache: RenderCache,
): string | undefined {
  if (req.accept !== JSON_TYPE && req.accept !== JSON_LD_TYPE) return undefined
  const p = out.projection
  const { format, sysAttrs, lang } = out.render
  // The common profile, whole entities, without building the full key (cannot collide: that
  // one is a JSON array).
  if (p.members === ALL_MEMBERS && !p.keep && !p.drop && !p.datasetIds && lang === undefined)
    return `${req.accept} ${cache.contextId(req.ctx)} ${format} ${sysAttrs}`
  return JSON.stringify([
    req.accept,
    cache.contextId(req.ctx),
    out.render.format,
    out.render.sysAttrs,
    out.render.lang ?? null,
    p.members,
    p.keep ? [...p.keep] : null,
    p.drop ? [...p.drop] : null,
    p.datasetIds ? [...p.datasetIds] : null,
  ])
}

/**
 * One entity rendered and serialized for a cacheable profile (JSON-LD elements carry their
 * @context); null when nothing is left of it after projection (a query shows `{}` for it).
 */
export function renderJson(
  entity: Entity,
  out: EntityOutput,
  req: NgsiRequest,
  cache: RenderCache,
  profile: string,
): string | null {
  return cache.json(entity, profile, () => {
    const rendered = renderOutput(entity, out, req)
    if (rendered === undefined || req.accept !== JSON_LD_TYPE) return rendered
    return { ...rendered, '@context': req.ctx.userContext ?? CORE_CONTEXT_URL }
  })
}

/**
 * Runs `change` atomically through the store and publishes an update when it modified the entity
 * (`modified`, else some attribute `changed`). `guard` may refuse the current entity first (a type
 * selector). Returns the entity as stored afterwards and what `change` reported.
 */
export async function writeChange(
  deps: RouteDeps,
  tenant: string,
  id: string,
  change: (current: Entity) => UpdateResult,
  opts: { history?: boolean; guard?: ((current: Entity) => void) | undefined } = {},
): Promise<{ entity: Entity; result: UpdateResult | undefined }> {
  let result: UpdateResult | undefined
  let previous: Entity | undefined
  const isModified = (r: UpdateResult) => r.modified ?? r.changed.length > 0
  // The operations never mutate `current`, so it can serve as the previous state as is.
  const entity = await deps.entities.update(
    tenant,
    id,
    (current) => {
      opts.guard?.(current)
      previous = current
      result = change(current)
      return isModified(result) ? result.entity : undefined
    },
    opts.history === false ? undefined : coreHistory(deps),
  )
  if (result && previous && isModified(result)) {
    await publishChange(deps, {
      tenant,
      entityId: id,
      types: entity.types,
      kind: 'updated',
      attrs: result.changed,
      entity,
      previous,
    })
  }
  return { entity, result }
}

/** writeChange for callers that need only the entity as stored afterwards. */
export async function writeEntity(
  deps: RouteDeps,
  tenant: string,
  id: string,
  change: (current: Entity) => UpdateResult,
  opts: { history?: boolean } = {},
): Promise<Entity> {
  return (await writeChange(deps, tenant, id, change, opts)).entity
}

/** The id as a path segment: readable (the suite looks for the raw id) but never breaking the URL. */
export function entityLocation(deps: RouteDeps, id: string): string {
  const segment = encodeURI(id).replace(/[?#/]/g, (c) => encodeURIComponent(c))
  return `${deps.baseUrl}${deps.prefix}/entities/${segment}`
}

/** The prev/next Link header values of a page of query results (§6.3.13). */
export function pageLinks(
  req: NgsiRequest,
  page: { limit: number; offset: number },
  hasMore: boolean,
): string[] {
  return paginationLinks({
    path: req.path,
    rawQuery: req.rawQuery,
    limit: page.limit,
    offset: page.offset,
    hasMore,
    mediaType: req.accept,
  })
}

/**
 * An id as one path segment of a Location header: readable (`urn:ngsi-ld:…` keeps its colons,
 * which a segment allows), with only what would end the segment encoded.
 */
export function pathSegment(id: string): string {
  return encodeURI(id).replace(/[?#/]/g, (c) => encodeURIComponent(c))
}
