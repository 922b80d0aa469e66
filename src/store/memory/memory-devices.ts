/**
 * In-memory DeviceStore, for tests and throwaway runs; same semantics as the SQLite registry.
 */
import type { Device } from '../../core/device.js'
import { AppError } from '../../core/errors.js'
import type { DeviceStore } from '../store.js'

export function createMemoryDeviceStore(onTenant: (tenant: string) => void): DeviceStore {
  const devices = new Map<string, Device>()
  const key = (tenant: string, id: string) => `${tenant}\u0000${id}`
  const of = (tenant: string) =>
    [...devices.values()]
      .filter((d) => d.tenant === tenant)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const addMany = (list: readonly Device[]) => {
    const seen = new Set<string>()
    for (const d of list) {
      const k = key(d.tenant, d.id)
      if (devices.has(k) || seen.has(k))
        return Promise.reject(new AppError('AlreadyExists', `device ${d.id} already exists`))
      seen.add(k)
    }
    for (const d of list) {
      devices.set(key(d.tenant, d.id), structuredClone(d))
      onTenant(d.tenant)
    }
    return Promise.resolve()
  }
  return {
    add: (d) => addMany([d]),
    addMany,
    get: (tenant, id) => Promise.resolve(structuredClone(devices.get(key(tenant, id)))),
    list: (tenant, { limit, offset }) =>
      Promise.resolve(
        of(tenant)
          .slice(offset, offset + limit)
          .map((d) => structuredClone(d)),
      ),
    count: (tenant) => Promise.resolve(of(tenant).length),
    setSecretHash(tenant, id, hash) {
      const d = devices.get(key(tenant, id))
      if (!d) return Promise.reject(new AppError('ResourceNotFound', `device ${id} not found`))
      d.secretHash = hash
      return Promise.resolve()
    },
    delete: (tenant, id) => Promise.resolve(devices.delete(key(tenant, id))),
    recordActivity(tenant, id, a) {
      const d = devices.get(key(tenant, id))
      if (d) {
        if (!d.lastSeenAt || a.at > d.lastSeenAt) d.lastSeenAt = a.at
        d.messages += a.messages
        d.rejected += a.rejected
        if (a.lastError !== undefined) d.lastError = { at: a.at, reason: a.lastError }
      }
      return Promise.resolve()
    },
  }
}
