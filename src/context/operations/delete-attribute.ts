/**
 * Delete Attribute (§5.6.5): the default instance, the instance with `datasetId`, or with
 * `deleteAll` every instance. Missing attribute or instance is ResourceNotFound.
 *
 * @example
 *   const entity = deleteAttribute(current, iri, { deleteAll: true }, now)
 */
import { AppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'

export function deleteAttribute(
  current: Entity,
  iri: string,
  opts: { datasetId?: string | undefined; deleteAll: boolean },
  now: string,
): Entity {
  const instances = current.attrs[iri]
  if (!instances)
    throw new AppError('ResourceNotFound', `entity ${current.id} has no attribute ${iri}`)
  const attrs = { ...current.attrs }
  if (opts.deleteAll) {
    delete attrs[iri]
  } else {
    const i = instances.findIndex((x) => x.datasetId === opts.datasetId)
    if (i < 0) {
      const which =
        opts.datasetId === undefined
          ? 'default instance'
          : `instance with datasetId ${opts.datasetId}`
      throw new AppError(
        'ResourceNotFound',
        `attribute ${iri} of entity ${current.id} has no ${which}`,
      )
    }
    const rest = instances.filter((_, k) => k !== i)
    if (rest.length > 0) attrs[iri] = rest
    else delete attrs[iri]
  }
  return { ...current, attrs, modifiedAt: now }
}

/** Deleting the `scope` member (allowed through the attribute path, §4.18). */
export function deleteScopes(current: Entity, now: string): Entity {
  if (!current.scopes || current.scopes.length === 0) {
    throw new AppError('ResourceNotFound', `entity ${current.id} has no scope`)
  }
  const { scopes: _removed, ...rest } = current
  return { ...rest, modifiedAt: now }
}
