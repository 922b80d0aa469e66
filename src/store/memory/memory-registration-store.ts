/**
 * In-memory RegistrationStore: context source registrations and registration subscriptions per
 * tenant, same semantics as SQLite.
 *
 * @example
 *   const registrations = createMemoryRegistrationStore()
 *   await registrations.registrations.create('default', record)
 */
import { AppError } from '../../core/errors.js'
import type { RegistrationCollection, RegistrationRecord, RegistrationStore } from '../store.js'

export function createMemoryRegistrationStore(): RegistrationStore {
  return {
    registrations: createCollection('context source registration'),
    subscriptions: createCollection('registration subscription'),
  }
}

function createCollection(what: string): RegistrationCollection {
  const records = new Map<string, RegistrationRecord>()
  const key = (tenant: string, id: string) => `${tenant}\u0000${id}`
  return {
    create(tenant, record) {
      const k = key(tenant, record.id)
      if (records.has(k))
        return Promise.reject(new AppError('AlreadyExists', `${what} ${record.id} already exists`))
      records.set(k, structuredClone(record))
      return Promise.resolve()
    },
    get(tenant, id) {
      const r = records.get(key(tenant, id))
      return Promise.resolve(r ? structuredClone(r) : undefined)
    },
    update(tenant, id, change) {
      const k = key(tenant, id)
      const current = records.get(k)
      if (!current)
        return Promise.reject(new AppError('ResourceNotFound', `${what} ${id} not found`))
      const next = change(structuredClone(current))
      records.set(k, structuredClone({ ...next, id }))
      return Promise.resolve(structuredClone({ ...next, id }))
    },
    delete: (tenant, id) => Promise.resolve(records.delete(key(tenant, id))),
    list(tenant) {
      const prefix = `${tenant}\u0000`
      const out = [...records.entries()]
        .filter(([k]) => k.startsWith(prefix))
        .map(([, r]) => structuredClone(r))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      return Promise.resolve(out)
    },
  }
}
