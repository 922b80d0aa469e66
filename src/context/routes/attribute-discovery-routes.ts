/**
 * Discovery of attributes (§5.7.8–5.7.10): GET /attributes (an AttributeList, or with
 * `details=true` one Attribute per name) and GET /attributes/{attrId} (Attribute: how many
 * instances exist, of which kinds, in entities of which types). Served from the store's type
 * summaries, folded by attribute name.
 */
import { randomUUID } from 'node:crypto'
import { AppError } from '../../core/errors.js'
import type { AttributeType } from '../../core/ngsi.js'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import { parseBooleanParam } from '../http/query-params.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import { expandAttributeName } from '../representation/index.js'
import type { NgsiRoute, RouteDeps } from './ngsi-route.js'

interface AttributeUse {
  instances: number
  kinds: readonly AttributeType[]
  types: string[]
}

export function attributeDiscoveryRoutes(deps: RouteDeps): NgsiRoute[] {
  /**
   * Attribute IRI → counts and kinds (by attribute, so an entity of two types counts once) and
   * the types whose entities have it.
   */
  async function attributeUses(tenant: string): Promise<Map<string, AttributeUse>> {
    const [attrs, types] = await Promise.all([
      deps.entities.attributeSummaries(tenant),
      deps.entities.typeSummaries(tenant),
    ])
    const uses = new Map<string, AttributeUse>(
      attrs.map((a) => [a.attr, { instances: a.instances, kinds: a.kinds, types: [] }]),
    )
    for (const t of types) for (const a of t.attrs) uses.get(a.attr)?.types.push(t.type)
    return uses
  }

  return [
    {
      method: 'GET',
      url: '/attributes',
      summary: 'Retrieve available attributes',
      produces: JSON_RESPONSE_TYPES,
      params: ['details', 'local'],
      tenant: 'existing',
      async handle(req) {
        const details = parseBooleanParam(req.query['details'], 'details') ?? false
        parseBooleanParam(req.query['local'], 'local')
        if (!details) {
          // Names only: no need to know which types use them.
          const names = (await deps.entities.attributeSummaries(req.tenant)).map((a) => a.attr)
          const list: JsonObject = {
            id: `urn:ngsi-ld:AttributeList:${randomUUID()}`,
            type: 'AttributeList',
            attributeList: names.map((a) => req.ctx.compactIri(a)),
          }
          return { status: 200, body: list }
        }
        const uses = await attributeUses(req.tenant)
        // §5.7.9: the detailed list names each attribute and its entity types; counts and
        // attribute kinds are the per-attribute information of §5.7.10.
        const body = [...uses].map(([attr, use]) => attributeSummary(attr, use, req.ctx))
        return { status: 200, body }
      },
    },
    {
      method: 'GET',
      url: '/attributes/:attrId',
      summary: 'Retrieve attribute information',
      produces: JSON_RESPONSE_TYPES,
      params: ['local'],
      tenant: 'existing',
      async handle(req) {
        parseBooleanParam(req.query['local'], 'local')
        const name = req.params['attrId'] ?? ''
        // Entity members and system attributes are not attributes (§4.5.1, §6.3.11): unknown here.
        if (ENTITY_MEMBERS.has(name))
          throw new AppError('ResourceNotFound', `'${name}' is an entity member, not an attribute`)
        const attr = expandAttributeName(name, req.ctx)
        const use = (await attributeUses(req.tenant)).get(attr)
        if (!use) throw new AppError('ResourceNotFound', `no entity has the attribute ${attr}`)
        return { status: 200, body: attributeInfo(attr, use, req.ctx) }
      },
    },
  ]
}

const ENTITY_MEMBERS = new Set(['id', 'type', 'scope', 'createdAt', 'modifiedAt', 'deletedAt'])

function attributeSummary(attr: string, use: AttributeUse, ctx: ActiveContext): JsonObject {
  return {
    id: attr,
    type: 'Attribute',
    attributeName: ctx.compactIri(attr),
    typeNames: use.types.map((t) => ctx.compactIri(t, 'vocab')),
  }
}

function attributeInfo(attr: string, use: AttributeUse, ctx: ActiveContext): JsonObject {
  return {
    id: attr,
    type: 'Attribute',
    attributeName: ctx.compactIri(attr),
    attributeCount: use.instances,
    attributeTypes: use.kinds,
    typeNames: use.types.map((t) => ctx.compactIri(t, 'vocab')),
  }
}
