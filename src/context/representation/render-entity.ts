/**
 * Renders an entity of the internal model for a response: compacted names, the chosen
 * representation, optional system attributes, and GeoJSON Feature output (§4.5, §6.3).
 *
 * @example
 *   renderEntity(entity, ctx, { format: 'simplified', sysAttrs: false })
 *   toFeature(renderEntity(entity, ctx, opts), entity, IRI.location)
 */
import type { Entity } from '../../core/ngsi.js'
import { isGeometry } from '../../core/geo-bbox.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import { renderAttribute, type RenderOptions } from './render-attribute.js'

/** Which core members to show (pick/omit can drop id, type and scope, §4.21). */
export interface EntityMembers {
  id: boolean
  type: boolean
  scope: boolean
}

export const ALL_MEMBERS: EntityMembers = { id: true, type: true, scope: true }

export interface EntityRenderOptions extends RenderOptions {
  members?: EntityMembers
}

export function renderEntity(
  entity: Entity,
  ctx: ActiveContext,
  opts: EntityRenderOptions,
): JsonObject {
  const members = opts.members ?? ALL_MEMBERS
  const out: JsonObject = {}
  if (members.id) out['id'] = entity.id
  if (members.type) out['type'] = oneOrMany(entity.types.map((t) => ctx.compactIri(t, 'vocab')))
  if (members.scope && entity.scopes && entity.scopes.length > 0)
    out['scope'] = oneOrMany(entity.scopes)
  for (const [iri, instances] of Object.entries(entity.attrs)) {
    if (iri === EXPIRES_AT) continue
    if (instances.length > 0) out[ctx.compactIri(iri)] = renderAttribute(instances, ctx, opts)
  }
  if (opts.sysAttrs) {
    out['createdAt'] = entity.createdAt
    out['modifiedAt'] = entity.modifiedAt
    // A transient entity's expiresAt (§4.22) is a system member, shown with sysAttrs (§6.3.11).
    const expires = entity.attrs[EXPIRES_AT]?.[0]?.value
    if (expires !== undefined) out['expiresAt'] = expires
  }
  return out
}

const EXPIRES_AT = 'https://uri.etsi.org/ngsi-ld/expiresAt'

function oneOrMany<T>(items: T[]): T | T[] {
  return items.length === 1 ? items[0]! : items
}

/**
 * A GeoJSON Feature from an entity already rendered: geometry from `geometryProperty` (expanded
 * IRI; default instance first), null when the entity has no such GeoProperty; everything but the
 * id under `properties`.
 */
export function toFeature(
  rendered: JsonObject,
  entity: Entity,
  geometryProperty: string,
): JsonObject {
  const { id, ...properties } = rendered
  const feature: JsonObject = {}
  if (id !== undefined) feature['id'] = id
  feature['type'] = 'Feature'
  feature['geometry'] = geometryOf(entity, geometryProperty)
  feature['properties'] = properties
  return feature
}

function geometryOf(entity: Entity, iri: string): unknown {
  const instances = entity.attrs[iri] ?? []
  const chosen = instances.find((i) => i.datasetId === undefined) ?? instances[0]
  return chosen && isGeometry(chosen.value) ? chosen.value : null
}

export function toFeatureCollection(features: JsonObject[]): JsonObject {
  return { type: 'FeatureCollection', features }
}
