/**
 * The tenant of a request: the `NGSILD-Tenant` header (the same header the NGSI-LD API uses), or the
 * default tenant.
 */
import type { FastifyRequest } from 'fastify'
import { TENANT_PATTERN } from '../../core/device.js'
import { AppError } from '../../core/errors.js'
import { DEFAULT_TENANT } from '../../core/ngsi.js'

export function requestTenant(req: FastifyRequest): string {
  const h = req.headers['ngsild-tenant']
  if (h === undefined || h === '') return DEFAULT_TENANT
  const t = Array.isArray(h) ? h[0] : h
  if (t === undefined || !TENANT_PATTERN.test(t))
    throw new AppError('BadRequestData', `NGSILD-Tenant "${String(t)}" is not a valid tenant name`)
  return t
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization
  if (!h) return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h)
  return m?.[1]
}
