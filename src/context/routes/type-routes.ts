/**
 * Retrieve Available Entity Types (§5.7.5, §5.7.6): an EntityTypeList, or with `details=true`
 * one EntityType per type with the attribute names its entities have.
 */
import { randomUUID } from 'node:crypto'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import { parseBooleanParam } from '../http/query-params.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'

const PAGE = 500

export function typeRoutes(deps: RouteDeps): NgsiRoute[] {
  /** Attribute names of every entity of the type, paged through the store. */
  async function attributeNamesOf(req: NgsiRequest, type: string): Promise<string[]> {
    const names = new Set<string>()
    for (let offset = 0; ; offset += PAGE) {
      const page = await deps.entities.query(req.tenant, {
        types: [[type]],
        limit: PAGE,
        offset,
        count: false,
      })
      for (const e of page.entities) Object.keys(e.attrs).forEach((a) => names.add(a))
      if (page.entities.length < PAGE) break
    }
    return [...names].map((a) => req.ctx.compactIri(a))
  }

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
        const types = await deps.entities.types(req.tenant)
        if (!details) {
          const list: JsonObject = {
            id: `urn:ngsi-ld:EntityTypeList:${randomUUID()}`,
            type: 'EntityTypeList',
            typeList: types.map((t) => req.ctx.compactIri(t, 'vocab')),
          }
          return { status: 200, body: list }
        }
        const body: JsonObject[] = []
        for (const type of types) {
          body.push({
            id: type,
            type: 'EntityType',
            typeName: req.ctx.compactIri(type, 'vocab'),
            attributeNames: await attributeNamesOf(req, type),
          })
        }
        return { status: 200, body }
      },
    },
  ]
}
