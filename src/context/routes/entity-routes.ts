/**
 * Create Entity (§5.6.1), Retrieve Entity (§5.7.1) and Delete Entity (§5.6.6).
 */
import { OUTPUT_PARAMS } from './query-routes.js'
import { AppError } from '../../core/errors.js'
import { ENTITY_RESPONSE_TYPES } from '../http/media-types.js'
import { newEntity } from '../operations/stamp.js'
import { parseEntity } from '../representation/index.js'
import type { NgsiRoute, RouteDeps } from './ngsi-route.js'
import {
  entityIdOf,
  parseEntityOutput,
  publishChange,
  rejectUnsupported,
  renderJson,
  renderOutput,
  renderProfile,
} from './route-helpers.js'

function nothingLeft(id: string): AppError {
  return new AppError('ResourceNotFound', `nothing of entity ${id} is left after pick/omit`)
}

const RETRIEVE_PARAMS = [...OUTPUT_PARAMS, 'local']
const RETRIEVE_UNSUPPORTED = ['join', 'joinLevel', 'containedBy', 'entityMap']

export function entityRoutes(deps: RouteDeps): NgsiRoute[] {
  return [
    {
      method: 'POST',
      url: '/entities',
      summary: 'Create entity',
      consumesBody: true,
      params: [],
      tenant: 'create',
      async handle(req) {
        const entity = newEntity(parseEntity(req.body, req.ctx), deps.now())
        await deps.tenants.ensure(req.tenant)
        await deps.entities.create(req.tenant, entity)
        await publishChange(deps, {
          tenant: req.tenant,
          entityId: entity.id,
          types: entity.types,
          kind: 'created',
          attrs: Object.keys(entity.attrs),
          entity,
        })
        return {
          status: 201,
          headers: { location: `${deps.baseUrl}${deps.prefix}/entities/${pathSegment(entity.id)}` },
        }
      },
    },
    {
      method: 'GET',
      url: '/entities/:entityId',
      summary: 'Retrieve entity',
      produces: ENTITY_RESPONSE_TYPES,
      params: [...RETRIEVE_PARAMS, ...RETRIEVE_UNSUPPORTED],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        rejectUnsupported(req.query, RETRIEVE_UNSUPPORTED)
        const output = parseEntityOutput(req.query, req.ctx)
        // A shared snapshot: only read, so its rendering can be cached against it.
        const entity = await deps.entities.read(req.tenant, id)
        if (!entity) throw new AppError('ResourceNotFound', `entity ${id} not found`)
        const wanted = output.projection.attrs
        if (wanted && !wanted.some((a) => a in entity.attrs)) {
          throw new AppError(
            'ResourceNotFound',
            `entity ${id} has none of the attributes asked for`,
          )
        }
        const profile = renderProfile(output, req, deps.renders)
        const json =
          profile === undefined ? undefined : renderJson(entity, output, req, deps.renders, profile)
        if (json !== undefined) {
          if (json === null) throw nothingLeft(id)
          return { status: 200, json }
        }
        const body = renderOutput(entity, output, req)
        if (!body) throw nothingLeft(id)
        return { status: 200, body }
      },
    },
    {
      method: 'DELETE',
      url: '/entities/:entityId',
      summary: 'Delete entity',
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const deleted = await deps.entities.delete(req.tenant, id)
        if (!deleted) throw new AppError('ResourceNotFound', `entity ${id} not found`)
        await publishChange(deps, {
          tenant: req.tenant,
          entityId: id,
          types: deleted.types,
          kind: 'deleted',
          attrs: Object.keys(deleted.attrs),
          entity: deleted,
        })
        return { status: 204 }
      },
    },
  ]
}

/** The id as a path segment: readable (the suite looks for the raw id) but never breaking the URL. */
function pathSegment(id: string): string {
  return encodeURI(id).replace(/[?#/]/g, (c) => encodeURIComponent(c))
}
