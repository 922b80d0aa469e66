/**
 * The NGSILD-Tenant header (§4.14): absent means the default tenant; create operations may
 * create a tenant, every other operation needs it to exist (NonexistentTenant).
 *
 * @example
 *   const tenant = readTenant(request.headers['ngsild-tenant'])
 *   await requireTenant(tenants, tenant)
 */
import { AppError } from '../../core/errors.js'
import { DEFAULT_TENANT } from '../../core/ngsi.js'
import type { TenantStore } from '../../store/store.js'

export const TENANT_HEADER = 'ngsild-tenant'

export function readTenant(header: string | string[] | undefined): string {
  if (header === undefined) return DEFAULT_TENANT
  if (Array.isArray(header))
    throw new AppError('BadRequestData', 'NGSILD-Tenant is given more than once')
  const tenant = header.trim()
  // eslint-disable-next-line no-control-regex
  if (tenant === '' || tenant.length > 256 || /[\s,;\u0000-\u001f\u007f]/.test(tenant)) {
    throw new AppError('BadRequestData', `invalid NGSILD-Tenant '${header}'`)
  }
  return tenant
}

/** @throws AppError('NonexistentTenant') unless the tenant is the default or already known. */
export async function requireTenant(tenants: TenantStore, tenant: string): Promise<void> {
  if (tenant === DEFAULT_TENANT || (await tenants.exists(tenant))) return
  throw new AppError('NonexistentTenant', `tenant '${tenant}' does not exist`)
}
