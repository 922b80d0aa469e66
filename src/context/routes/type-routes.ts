/**
 * Discovery of entity types (§5.7.5–5.7.7): GET /types (an EntityTypeList, or with `details=true`
 * one EntityType per type with its attribute names) and GET /types/{type} (EntityTypeInfo with
 * the entity count and each attribute's kinds). Served from the store's type summaries.
 */
import { randomUUID } from 'node:crypto'
import { AppError } from '../../core/errors.js'
import type { TypeSummary } from '../../store/store.js'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import { parseBooleanParam } from '../http/query-params.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import { expandTypeName } from '../representation/index.js'
import type { NgsiRoute, RouteDeps } from './ngsi-route.js'

export function typeRoutes(deps: RouteDeps): NgsiRoute[] {
  return [
    {
      method: 'GET',
      url: '/types',
      summary: 'Retrieve available entity types',
      produces: JSON_RESPONSE_TYPES,
      params: ['details', 'local'],
      tenant: 'existing',
      async handle(req) {
        const details = parseBooleanParam(req.query['details'], 'details') ?? false
        parseBooleanParam(req.query['local'], 'local')
        // Summaries are kept as counters by the store: no entity is read to answer.
        const summaries = await deps.entities.typeSummaries(req.tenant)
        if (!details) {
          const list: JsonObject = {
            id: `urn:ngsi-ld:EntityTypeList:${randomUUID()}`,
            type: 'EntityTypeList',
            typeList: summaries.map((s) => req.ctx.compactIri(s.type, 'vocab')),
          }
          return { status: 200, body: list }
        }
        const body: JsonObject[] = summaries.map((s) => ({
          id: s.type,
          type: 'EntityType',
          typeName: req.ctx.compactIri(s.type, 'vocab'),
          attributeNames: s.attrs.map((a) => req.ctx.compactIri(a.attr)),
        }))
        return { status: 200, body }
      },
    },
    {
      method: 'GET',
      url: '/types/:type',
      summary: 'Retrieve entity type information',
      produces: JSON_RESPONSE_TYPES,
      params: ['local'],
      tenant: 'existing',
      async handle(req) {
        parseBooleanParam(req.query['local'], 'local')
        const type = expandTypeName(req.params['type'], req.ctx)
        const [summary] = await deps.entities.typeSummaries(req.tenant, [type])
        if (!summary || summary.entities === 0)
          throw new AppError('ResourceNotFound', `no entity of type ${type}`)
        return { status: 200, body: entityTypeInfo(summary, req.ctx) }
      },
    },
  ]
}

function entityTypeInfo(s: TypeSummary, ctx: ActiveContext): JsonObject {
  return {
    id: s.type,
    type: 'EntityTypeInfo',
    typeName: ctx.compactIri(s.type, 'vocab'),
    entityCount: s.entities,
    attributeDetails: s.attrs.map((a) => ({
      id: a.attr,
      type: 'Attribute',
      attributeName: ctx.compactIri(a.attr),
      attributeTypes: a.kinds,
    })),
  }
}
