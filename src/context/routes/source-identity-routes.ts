/**
 * Retrieve Context Source Identity Information (§5.15.1, §6.33): GET /info/sourceIdentity answers
 * a ContextSourceIdentity (§5.2.40) with the mandatory contextSourceAlias, contextSourceUptime and
 * contextSourceTimeAt. The alias identifies this broker and, under multi-tenancy, the tenant: it
 * is stable for the life of the process.
 */
import { randomUUID } from 'node:crypto'
import { DEFAULT_TENANT } from '../../core/ngsi.js'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import type { NgsiRoute, RouteDeps } from './ngsi-route.js'

export function sourceIdentityRoutes(deps: RouteDeps): NgsiRoute[] {
  const instance = randomUUID()
  const startedAt = Date.parse(deps.now())
  return [
    {
      method: 'GET',
      url: '/info/sourceIdentity',
      summary: 'Retrieve context source identity information',
      produces: JSON_RESPONSE_TYPES,
      params: [],
      // Identity needs no tenant data: any tenant name gets its own alias.
      tenant: 'create',
      handle(req) {
        const now = deps.now()
        const alias =
          req.tenant === DEFAULT_TENANT
            ? `urn:ngsi-ld:ContextSource:civitas-${instance}`
            : `urn:ngsi-ld:ContextSource:civitas-${instance}:${encodeURIComponent(req.tenant)}`
        return Promise.resolve({
          status: 200,
          body: {
            id: alias,
            type: 'ContextSourceIdentity',
            contextSourceAlias: alias,
            contextSourceUptime: isoDuration(Date.parse(now) - startedAt),
            contextSourceTimeAt: now,
          },
        })
      },
    },
  ]
}

/** `PT<seconds>S` with millisecond precision, e.g. `PT3725.5S`. */
export function isoDuration(ms: number): string {
  return `PT${Math.max(0, ms) / 1000}S`
}
