/**
 * Replace Entity (§5.6.18) and Replace Attribute (§5.6.19): the body takes the place of what is
 * stored. The entity keeps its createdAt; an instance that replaces one of the same datasetId
 * keeps that one's createdAt (system attributes record creation, not the last write).
 *
 * @example
 *   const next = replaceEntity(current, parseEntity(body, ctx), now)
 */
import { AppError } from '../../core/errors.js'
import type { AttributeInstance, Entity } from '../../core/ngsi.js'
import type { EntityInput } from '../representation/index.js'
import { stampInstance } from './stamp.js'
import type { UpdateResult } from './update-attributes.js'

export function replaceEntity(current: Entity, input: EntityInput, now: string): Entity {
  const attrs: Entity['attrs'] = {}
  for (const [iri, instances] of Object.entries(input.attrs))
    attrs[iri] = replaceInstances(current.attrs[iri], instances, now)
  const entity: Entity = {
    id: current.id,
    types: input.types,
    createdAt: current.createdAt,
    modifiedAt: now,
    attrs,
  }
  if (input.scopes && input.scopes.length > 0) entity.scopes = input.scopes
  return entity
}

export function replaceAttribute(
  current: Entity,
  iri: string,
  instances: readonly AttributeInstance[],
  now: string,
): UpdateResult {
  const old = current.attrs[iri]
  if (!old) throw new AppError('ResourceNotFound', `entity ${current.id} has no attribute ${iri}`)
  // Only the instances named by the body (default, or by datasetId) are replaced; the others stay
  // where they are (suite 055_02).
  const replaced = old.map((o) => {
    const inst = instances.find((i) => i.datasetId === o.datasetId)
    return inst ? stampInstance(inst, now, o) : o
  })
  const added = instances
    .filter((i) => !old.some((o) => o.datasetId === i.datasetId))
    .map((i) => stampInstance(i, now))
  const attrs = { ...current.attrs, [iri]: [...replaced, ...added] }
  return { entity: { ...current, attrs, modifiedAt: now }, changed: [iri] }
}

function replaceInstances(
  old: readonly AttributeInstance[] | undefined,
  instances: readonly AttributeInstance[],
  now: string,
): AttributeInstance[] {
  return instances.map((inst) =>
    stampInstance(
      inst,
      now,
      old?.find((o) => o.datasetId === inst.datasetId),
    ),
  )
}
