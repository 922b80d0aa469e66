/**
 * Append Attributes (§5.6.3), Update Attributes (§5.6.2), Partial Attribute Update (§5.6.4),
 * Replace Attribute (§5.6.19) and Delete Attribute (§5.6.5). Every change is a read-modify-write through EntityStore.update, so
 * it is atomic, and is published after the write succeeded.
 */
import { AppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'
import { parseBooleanParam } from '../http/query-params.js'
import { appendAttributes, type AppendResult } from '../operations/append-attributes.js'
import { deleteAttribute, deleteScopes } from '../operations/delete-attribute.js'
import { partialAttributeUpdate } from '../operations/partial-attribute-update.js'
import { replaceAttribute } from '../operations/replace-entity.js'
import { updateAttributes, type UpdateResult } from '../operations/update-attributes.js'
import {
  expandAttributeName,
  isAbsoluteUri,
  parseAttribute,
  parseFragment,
  parseInstanceFragment,
  parseOptionsList,
} from '../representation/index.js'
import type { NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'
import { entityIdOf, typeGuardOf, writeChange } from './route-helpers.js'

export function attributeRoutes(deps: RouteDeps): NgsiRoute[] {
  /** Runs `change` atomically (type selector first) and publishes what it reports as changed. */
  async function write(
    req: NgsiRequest,
    id: string,
    change: (current: Entity) => UpdateResult,
  ): Promise<UpdateResult | undefined> {
    const guard = typeGuardOf(req)
    return (await writeChange(deps, req.tenant, id, change, { guard })).result
  }

  return [
    {
      method: 'POST',
      url: '/entities/:entityId/attrs',
      summary: 'Append entity attributes',
      consumesBody: true,
      params: ['options', 'type'],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const noOverwrite = parseOptionsList(req.query['options'], ['noOverwrite']).has(
          'noOverwrite',
        )
        const fragment = parseFragment(req.body, req.ctx, { entityId: id, allowNull: false })
        let appended: AppendResult | undefined
        await write(req, id, (current) => {
          appended = appendAttributes(current, fragment, { noOverwrite, now: deps.now() })
          return { entity: appended.entity, changed: appended.updated, modified: appended.changed }
        })
        if (appended && appended.notUpdated.length > 0) {
          return {
            status: 207,
            plain: { updated: appended.updated, notUpdated: appended.notUpdated },
          }
        }
        return { status: 204 }
      },
    },
    {
      method: 'PATCH',
      url: '/entities/:entityId/attrs',
      summary: 'Update entity attributes',
      consumesBody: true,
      params: ['type'],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const fragment = parseFragment(req.body, req.ctx, { entityId: id, allowNull: true })
        const result = await write(req, id, (current) =>
          updateAttributes(current, fragment, deps.now()),
        )
        if (result?.notUpdated && result.notUpdated.length > 0)
          return { status: 207, plain: { updated: result.changed, notUpdated: result.notUpdated } }
        return { status: 204 }
      },
    },
    {
      method: 'PATCH',
      url: '/entities/:entityId/attrs/:attrId',
      summary: 'Partial attribute update',
      consumesBody: true,
      params: ['type'],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const name = req.params['attrId'] ?? ''
        const iri = expandAttributeName(name, req.ctx)
        const fragment = parseInstanceFragment(
          name,
          req.body,
          { ctx: req.ctx, allowNull: true },
          'partial',
        )
        await write(req, id, (current) =>
          partialAttributeUpdate(current, iri, fragment, deps.now()),
        )
        return { status: 204 }
      },
    },
    {
      method: 'PUT',
      url: '/entities/:entityId/attrs/:attrId',
      summary: 'Replace attribute',
      consumesBody: true,
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const name = req.params['attrId'] ?? ''
        const iri = expandAttributeName(name, req.ctx)
        if (req.body === undefined)
          throw new AppError('InvalidRequest', 'the request has no body; expected an attribute')
        const instances = parseAttribute(name, req.body, { ctx: req.ctx, allowNull: false })
        await write(req, id, (current) => replaceAttribute(current, iri, instances, deps.now()))
        return { status: 204 }
      },
    },
    {
      method: 'DELETE',
      url: '/entities/:entityId/attrs/:attrId',
      summary: 'Delete attribute',
      params: ['datasetId', 'deleteAll', 'type'],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const name = req.params['attrId'] ?? ''
        const deleteAll = parseBooleanParam(req.query['deleteAll'], 'deleteAll') ?? false
        // `@none` names the default instance, like leaving datasetId out.
        const given = req.query['datasetId']
        const datasetId = given === '@none' ? undefined : given
        if (datasetId !== undefined && !isAbsoluteUri(datasetId)) {
          throw new AppError('BadRequestData', `datasetId '${datasetId}' is not a URI`)
        }
        const now = deps.now()
        if (name === 'scope') {
          const scope = req.ctx.expandTerm('scope')
          await write(req, id, (current) => ({
            entity: deleteScopes(current, now),
            changed: [scope],
          }))
          return { status: 204 }
        }
        const iri = expandAttributeName(name, req.ctx)
        await write(req, id, (current) => ({
          entity: deleteAttribute(current, iri, { datasetId, deleteAll }, now),
          changed: [iri],
        }))
        return { status: 204 }
      },
    },
  ]
}
