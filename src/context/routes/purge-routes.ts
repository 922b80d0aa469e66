/**
 * Purge Entities (§5.6.21, new in V1.9): DELETE /entities with the selectors of a query. Without
 * `keep`/`drop` every matching entity is deleted; `drop=a,b` deletes only those attributes and
 * `keep=a,b` every other attribute (the entities remain). A selector is required, so that a bare
 * DELETE /entities can never empty a tenant.
 *
 * @example
 *   DELETE /ngsi-ld/v1/entities?type=Building&q=height>300&drop=height
 */
import { AppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'
import { parseAttrsList } from '../query/index.js'
import type { NgsiRoute, RouteDeps } from './ngsi-route.js'
import { selectionFromParams, toStoreQuery } from './entity-selection.js'
import { SELECTION_PARAMS } from './query-routes.js'
import { coreHistory, publishChange, writeEntity } from './route-helpers.js'

const PURGE_PARAMS = [...SELECTION_PARAMS, 'attrs', 'keep', 'drop']
/** System attributes: a list or query naming only these selects nothing (§5.6.21.4 b, c). */
const SYSTEM_ATTRS = new Set(['createdAt', 'modifiedAt', 'deletedAt'])
/** Matching ids are read in pages of this size before anything is changed. */
const PAGE = 1000

export function purgeRoutes(deps: RouteDeps): NgsiRoute[] {
  return [
    {
      method: 'DELETE',
      url: '/entities',
      summary: 'Purge entities',
      params: PURGE_PARAMS,
      tenant: 'existing',
      async handle(req) {
        const { keep, drop } = req.query
        if (keep !== undefined && drop !== undefined)
          throw new AppError('BadRequestData', 'keep and drop cannot be combined')
        const names = (text: string) =>
          new Set(parseAttrsList(text).map((n) => req.ctx.expandTerm(n)))
        const kept = keep === undefined ? undefined : names(keep)
        const dropped = drop === undefined ? undefined : names(drop)
        const { attrs, q } = req.query
        // Linked Entity retrieval has no place in a purge (§5.6.21.4).
        if ((attrs ?? '').includes('{') || (q ?? '').includes('{'))
          throw new AppError('BadRequestData', 'a purge cannot use Linked Entity attributes')
        const attrNames = attrs === undefined ? [] : parseAttrsList(attrs)
        const realAttrs = attrNames.some((n) => !SYSTEM_ATTRS.has(n))
        // keep/drop name attributes, which the spec counts as a sufficient selector (suite 060_05);
        // attrs and q count only when they name a non-system attribute.
        const otherSelector =
          req.query['type'] !== undefined ||
          req.query['georel'] !== undefined ||
          req.query['local'] !== undefined
        if (
          q !== undefined &&
          !otherSelector &&
          !realAttrs &&
          !namesOfQ(q).some((n) => !SYSTEM_ATTRS.has(n))
        )
          throw new AppError(
            'BadRequestData',
            'the purge is too wide: q names only system attributes',
          )
        const selection = selectionFromParams(
          req.query,
          req.ctx,
          kept !== undefined || dropped !== undefined || realAttrs,
        )
        const anyAttrs = realAttrs ? attrNames.map((n) => req.ctx.expandTerm(n)) : undefined
        // Ids first, then changes: deleting while paging would shift the offsets.
        const ids: string[] = []
        for (let offset = 0; ; offset += PAGE) {
          const page = await deps.entities.query(
            req.tenant,
            toStoreQuery(selection, anyAttrs, { limit: PAGE - 1, offset, count: false }, req.ctx),
          )
          ids.push(...page.entities.map((e) => e.id))
          if (page.entities.length < PAGE) break
        }
        for (const id of ids) {
          if (!kept && !dropped) await deleteEntity(deps, req.tenant, id)
          else
            await dropAttributes(deps, req.tenant, id, (iri) =>
              kept ? !kept.has(iri) : dropped!.has(iri),
            )
        }
        return { status: 204 }
      },
    },
  ]
}

/** The attribute names a q expression tests (the first path segment of each term). */
function namesOfQ(q: string): string[] {
  return q
    .split(/[;|()]/)
    .map((term) => /^\s*!?([^\s=!<>~.[\]]+)/.exec(term)?.[1])
    .filter((n): n is string => n !== undefined)
}

async function deleteEntity(deps: RouteDeps, tenant: string, id: string): Promise<void> {
  const deleted = await deps.entities.delete(tenant, id, coreHistory(deps))
  // Gone in between (a concurrent delete): nothing left to purge.
  if (!deleted) return
  await publishChange(deps, {
    tenant,
    entityId: id,
    types: deleted.types,
    kind: 'deleted',
    attrs: Object.keys(deleted.attrs),
    entity: deleted,
  })
}

async function dropAttributes(
  deps: RouteDeps,
  tenant: string,
  id: string,
  drops: (iri: string) => boolean,
): Promise<void> {
  const now = deps.now()
  try {
    await writeEntity(deps, tenant, id, (current) => {
      const attrs: Entity['attrs'] = {}
      const changed: string[] = []
      for (const [iri, instances] of Object.entries(current.attrs)) {
        if (drops(iri)) changed.push(iri)
        else attrs[iri] = instances
      }
      return { entity: { ...current, attrs, modifiedAt: now }, changed }
    })
  } catch (err) {
    if (!(err instanceof AppError && err.kind === 'ResourceNotFound')) throw err
  }
}
