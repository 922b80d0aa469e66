/**
 * The EntityMap resource (GS CIM 009 §5.14.1–5.14.3, §6.32): GET, PATCH and DELETE
 * /entityMaps/{entityMapId}. Maps are made by queries asking for one (entityMap=true, see
 * ../entity-maps/use-entity-map.ts) and answered as the EntityMap data type (§5.2.39).
 */
import { AppError } from '../../core/errors.js'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import { isJsonObject } from '../jsonld/core-context.js'
import type { NgsiRoute, RouteDeps } from './ngsi-route.js'

export function entityMapRoutes(deps: RouteDeps): NgsiRoute[] {
  const maps = deps.entityMaps
  if (!maps) return []
  return [
    {
      method: 'GET',
      url: '/entityMaps/:entityMapId',
      summary: 'Retrieve EntityMap',
      produces: JSON_RESPONSE_TYPES,
      params: [],
      tenant: 'existing',
      handle(req) {
        const id = req.params['entityMapId'] ?? ''
        const map = maps.get(req.tenant, id)
        if (!map) throw new AppError('ResourceNotFound', `no EntityMap '${id}'`)
        return Promise.resolve({ status: 200, body: { ...map } })
      },
    },
    {
      method: 'PATCH',
      url: '/entityMaps/:entityMapId',
      summary: 'Update EntityMap',
      consumesBody: true,
      params: [],
      tenant: 'existing',
      handle(req) {
        if (!isJsonObject(req.body))
          throw new AppError('BadRequestData', 'the body must be an EntityMap fragment (an object)')
        maps.update(req.tenant, req.params['entityMapId'] ?? '', req.body)
        return Promise.resolve({ status: 204 })
      },
    },
    {
      method: 'DELETE',
      url: '/entityMaps/:entityMapId',
      summary: 'Delete EntityMap',
      params: [],
      tenant: 'existing',
      handle(req) {
        maps.delete(req.tenant, req.params['entityMapId'] ?? '')
        return Promise.resolve({ status: 204 })
      },
    },
  ]
}
