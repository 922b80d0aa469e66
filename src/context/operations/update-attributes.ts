/**
 * Update Entity Attributes (§5.6.2, V1.9.1): each instance in the fragment replaces the stored one
 * whole (createdAt kept), missing ones are appended, NGSI-LD Null deletes that instance.
 * Types are added; `scope` is replaced only when the entity already has one.
 *
 * @example
 *   const { entity, changed } = updateAttributes(current, fragment, now)
 */
import { INSTANCE_MEMBERS, IRI, type AttributeInstance, type Entity } from '../../core/ngsi.js'
import { isNullInstance, type EntityFragment } from '../representation/index.js'
import { stampInstance, union } from './stamp.js'

export interface UpdateResult {
  entity: Entity
  /** Expanded names of attributes created, replaced or deleted. */
  changed: string[]
  /** Whether the entity changed at all (types and scopes too); defaults to `changed` being non-empty. */
  modified?: boolean
  /** Members of the fragment that were not applied (the 207 UpdateResult of §5.6.2). */
  notUpdated?: { attributeName: string; reason: string }[]
}

export function updateAttributes(
  current: Entity,
  fragment: EntityFragment,
  now: string,
): UpdateResult {
  const attrs = { ...current.attrs }
  const changed: string[] = []
  for (const [iri, incoming] of Object.entries(fragment.attrs)) {
    const instances = [...(attrs[iri] ?? [])]
    let touched = false
    for (const inst of incoming) {
      const i = instances.findIndex((x) => x.datasetId === inst.datasetId)
      if (isNullInstance(inst)) {
        if (i >= 0) {
          instances.splice(i, 1)
          touched = true
        }
        continue
      }
      const replacement = withoutNullSubAttributes(inst)
      if (i >= 0) instances[i] = stampInstance(replacement, now, instances[i])
      else instances.push(stampInstance(replacement, now))
      touched = true
    }
    if (instances.length > 0) attrs[iri] = instances
    else delete attrs[iri]
    if (touched) changed.push(iri)
  }
  const types = fragment.types ? union(current.types, fragment.types) : current.types
  let scopes = current.scopes
  if (fragment.scopes === null) scopes = undefined
  else if (fragment.scopes && current.scopes) scopes = fragment.scopes
  const modified =
    changed.length > 0 || types.length !== current.types.length || scopes !== current.scopes
  const { scopes: _old, ...rest } = current
  const entity: Entity = { ...rest, types, attrs, modifiedAt: modified ? now : current.modifiedAt }
  if (scopes && scopes.length > 0) entity.scopes = scopes
  // A scope is only replaced, never added, by an update (§5.6.2): say so in the result.
  const notUpdated =
    fragment.scopes && !current.scopes
      ? [{ attributeName: IRI.scope, reason: 'the entity has no scope to update' }]
      : undefined
  return { entity, changed, modified, ...(notUpdated && { notUpdated }) }
}

/** A replaced instance simply lacks the sub-attributes nulled in the fragment. */
export function withoutNullSubAttributes(inst: AttributeInstance): AttributeInstance {
  const out: AttributeInstance = { ...inst }
  for (const [key, value] of Object.entries(inst)) {
    if (INSTANCE_MEMBERS.has(key)) continue
    const sub = value as AttributeInstance
    if (isNullInstance(sub)) delete out[key]
    else out[key] = withoutNullSubAttributes(sub)
  }
  return out
}
