/**
 * Which parts of an entity a response shows: `attrs` (deprecated), `pick`, `omit` (§4.21) and the
 * `datasetId` instance filter (§4.5.5).
 *
 * @example
 *   const p = parseProjectionParams({ pick: 'id,name' }, ctx)
 *   applyProjection(entity, p) // only the name attribute; p.members hides type and scope
 */
import { AppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'
import type { ActiveContext } from '../jsonld/index.js'
import { parseAttrsList, parseProjection } from '../query/index.js'
import { ALL_MEMBERS, type EntityMembers } from './render-entity.js'
import { isAbsoluteUri } from './values.js'

export interface ProjectionParams {
  attrs?: string | undefined
  pick?: string | undefined
  omit?: string | undefined
  datasetId?: string | undefined
  /** Linked-entity projections (`locatedAt{name}`) need a join (§5.7.1.4, §5.7.2.4). */
  join?: string | undefined
}

export interface Projection {
  /** Expanded names from `attrs`: in queries an entity must have one of them. */
  attrs?: string[]
  /** Expanded attribute names kept (attrs or pick); all when undefined. */
  keep?: ReadonlySet<string>
  /** Expanded attribute names dropped (omit). */
  drop?: ReadonlySet<string>
  members: EntityMembers
  /** datasetIds of the instances kept; `@none` = the default instance. */
  datasetIds?: ReadonlySet<string>
}

const CORE_MEMBERS = new Set(['id', 'type', 'scope'])

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

export function parseProjectionParams(params: ProjectionParams, ctx: ActiveContext): Projection {
  const { attrs, pick, omit } = params
  if (attrs !== undefined && pick !== undefined)
    throw bad('attrs and pick cannot be combined (attrs is the older pick)')
  if (attrs !== undefined && omit !== undefined) throw bad('attrs and omit cannot be combined')
  const projection: Projection = { members: ALL_MEMBERS }
  if (attrs !== undefined) {
    projection.attrs = parseAttrsList(attrs).map((n) => ctx.expandTerm(n))
    projection.keep = new Set(projection.attrs)
  }
  const linked = params.join === 'inline' || params.join === 'flat'
  const picked = pick === undefined ? undefined : topLevelNames(pick, linked)
  // An omit member with braces (`locatedAt{name}`) omits inside the linked entity, not itself.
  const omitted = omit === undefined ? undefined : topLevelNames(omit, linked, false)
  if (picked && omitted) {
    const both = [...picked].filter((n) => omitted.has(n))
    if (both.length > 0) throw bad(`'${both[0]}' is in both pick and omit`)
  }
  if (picked) {
    projection.members = {
      id: picked.has('id'),
      type: picked.has('type'),
      scope: picked.has('scope'),
    }
    projection.keep = attributeIris(picked, ctx)
  }
  if (omitted) {
    const m = projection.members
    projection.members = {
      id: m.id && !omitted.has('id'),
      type: m.type && !omitted.has('type'),
      scope: m.scope && !omitted.has('scope'),
    }
    projection.drop = attributeIris(omitted, ctx)
  }
  if (params.datasetId !== undefined) projection.datasetIds = parseDatasetIds(params.datasetId)
  return projection
}

/** Linked-entity braces (`locatedAt{name}`) are BadRequestData unless a join asks for linked entities. */
function topLevelNames(text: string, linked: boolean, withNested = true): Set<string> {
  const nodes = parseProjection(text)
  const nested = nodes.find((n) => n.children !== undefined)
  if (nested && !linked)
    throw bad(`'${nested.name}{…}' projects linked entities, which needs join=inline or join=flat`)
  return new Set(nodes.filter((n) => withNested || !n.children).map((node) => node.name))
}

function attributeIris(names: ReadonlySet<string>, ctx: ActiveContext): Set<string> {
  return new Set([...names].filter((n) => !CORE_MEMBERS.has(n)).map((n) => ctx.expandTerm(n)))
}

function parseDatasetIds(text: string): Set<string> {
  const ids = text.split(',').map((s) => s.trim())
  for (const id of ids) {
    if (id !== '@none' && !isAbsoluteUri(id))
      throw bad(`datasetId: '${id}' is neither a URI nor @none`)
  }
  return new Set(ids)
}

/** A copy of the entity with only the projected attributes and instances. */
export function applyProjection(entity: Entity, p: Projection): Entity {
  const attrs: Entity['attrs'] = {}
  for (const [iri, instances] of Object.entries(entity.attrs)) {
    if (p.keep && !p.keep.has(iri)) continue
    if (p.drop?.has(iri)) continue
    const kept = p.datasetIds
      ? instances.filter((i) => p.datasetIds!.has(i.datasetId ?? '@none'))
      : instances
    if (kept.length > 0) attrs[iri] = kept
  }
  return { ...entity, attrs }
}
