/**
 * Partial Attribute Update (§5.6.4): the fragment's members overwrite those of the targeted
 * instance (default, or the fragment's datasetId); other members stay. NGSI-LD Null deletes the
 * instance, or a sub-attribute. A missing attribute or instance is ResourceNotFound.
 *
 * @example
 *   const { entity } = partialAttributeUpdate(current, iri, { value: 5 }, now)
 */
import { AppError } from '../../core/errors.js'
import { INSTANCE_MEMBERS, type AttributeInstance, type Entity } from '../../core/ngsi.js'
import { isNullInstance, VALUE_MEMBER, type InstanceFragment } from '../representation/index.js'
import { stampInstance } from './stamp.js'
import type { UpdateResult } from './update-attributes.js'

export function partialAttributeUpdate(
  current: Entity,
  iri: string,
  fragment: InstanceFragment,
  now: string,
): UpdateResult {
  const instances = current.attrs[iri]
  if (!instances)
    throw new AppError('ResourceNotFound', `entity ${current.id} has no attribute ${iri}`)
  const i = instances.findIndex((x) => x.datasetId === fragment.datasetId)
  const old = instances[i]
  if (!old) {
    const which =
      fragment.datasetId === undefined
        ? 'default instance'
        : `instance with datasetId ${fragment.datasetId}`
    throw new AppError(
      'ResourceNotFound',
      `attribute ${iri} of entity ${current.id} has no ${which}`,
    )
  }
  // The fragment patches the target instance; it cannot turn it into another kind (suite 012_02_03).
  if (fragment.type !== undefined && fragment.type !== old.type && !isNullInstance(fragment))
    throw new AppError(
      'BadRequestData',
      `attribute ${iri} is a ${old.type}; the fragment is a ${fragment.type}`,
    )
  const next = [...instances]
  if (isNullInstance(fragment)) next.splice(i, 1)
  else next[i] = merge(old, fragment, now)
  const attrs = { ...current.attrs }
  if (next.length > 0) attrs[iri] = next
  else delete attrs[iri]
  return { entity: { ...current, attrs, modifiedAt: now }, changed: [iri] }
}

function merge(old: AttributeInstance, fragment: InstanceFragment, now: string): AttributeInstance {
  const merged: AttributeInstance = { ...old }
  if (fragment.type !== undefined && fragment.type !== old.type) {
    delete merged[VALUE_MEMBER[old.type]]
    merged.type = fragment.type
  }
  for (const [key, value] of Object.entries(fragment)) {
    if (key === 'type') continue
    if (INSTANCE_MEMBERS.has(key)) {
      merged[key] = value
      continue
    }
    const sub = value as AttributeInstance
    if (isNullInstance(sub)) delete merged[key]
    else merged[key] = stampInstance(sub, now, old[key] as AttributeInstance | undefined)
  }
  if (!(VALUE_MEMBER[merged.type] in merged)) {
    throw new AppError(
      'BadRequestData',
      `changing the attribute to a ${merged.type} needs its '${VALUE_MEMBER[merged.type]}' member`,
    )
  }
  return { ...merged, createdAt: old.createdAt ?? now, modifiedAt: now }
}
