/**
 * Projection and ordering of temporal answers (§5.7.3.4, §5.7.4.4, §5.7.4.5): the `datasetId`
 * instance filter (§4.5.5), `pick` / `omit` (§4.21) on the rendered EntityTemporal, and the
 * entity ordering of Query Temporal Evolution, which may only name the `id` member.
 *
 * The projection itself is the Core API's (parseProjectionParams): without a join, a linked
 * projection (`owner{name}`) is BadRequestData, as both temporal operations require.
 *
 * @example
 *   const projection = parseProjectionParams({ pick: 'id,speed' }, ctx)
 *   filterDatasets(evolutions, projection.datasetIds)
 *   const shown = evolutions.map((e) => projectAttributes(e, projection))
 */
import { AppError } from '../../core/errors.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { Ordering } from '../query/index.js'
import type { Projection } from '../representation/index.js'
import type { EntityMembers } from '../representation/render-entity.js'
import type { Evolution } from './temporal-evolution.js'

/**
 * Keeps only the instances of the given datasetIds (`@none` = the default instance) and drops
 * the attributes left without any (§5.7.4.4, S7 → S8). Mutates the evolutions.
 */
export function filterDatasets(
  evolutions: readonly Evolution[],
  datasetIds: ReadonlySet<string> | undefined,
): void {
  if (!datasetIds) return
  for (const e of evolutions) {
    for (const [attr, list] of e.instances) {
      const kept = list.filter((o) => datasetIds.has(o.datasetId ?? '@none'))
      if (kept.length > 0) e.instances.set(attr, kept)
      else e.instances.delete(attr)
    }
  }
}

/** The evolution with only the attributes pick / attrs keep and omit does not drop. */
export function projectAttributes(e: Evolution, p: Projection): Evolution {
  const shown = (attr: string) => (!p.keep || p.keep.has(attr)) && !p.drop?.has(attr)
  const out: Evolution = {
    entity: e.entity,
    instances: new Map([...e.instances].filter(([attr]) => shown(attr))),
  }
  if (e.aggregates) out.aggregates = new Map([...e.aggregates].filter(([attr]) => shown(attr)))
  if (e.kinds) out.kinds = e.kinds
  return out
}

/** Removes the entity members (id, type, scope) that pick / omit leave out of the answer. */
export function projectMembers(rendered: JsonObject, members: EntityMembers): JsonObject {
  for (const name of ['id', 'type', 'scope'] as const) if (!members[name]) delete rendered[name]
  return rendered
}

/**
 * The entity ordering of Query Temporal Evolution: only the `id` entity member can order
 * temporal entities (§5.7.4.3, §5.7.4.4); any other key is BadRequestData.
 */
export function idOnlyOrdering(ordering: Ordering | undefined): Ordering | undefined {
  for (const key of ordering?.keys ?? []) {
    if (!('member' in key.target) || key.target.member !== 'id')
      throw new AppError('BadRequestData', 'orderBy: temporal entities can only be ordered by "id"')
  }
  return ordering
}
