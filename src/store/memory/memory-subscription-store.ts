/**
 * In-memory SubscriptionStore for tests and throwaway runs; documents are cloned on the way in
 * and out, so callers never change stored state by mutating what they hold.
 *
 * @example
 *   const subs = createMemorySubscriptionStore()
 */
import { AppError } from '../../core/errors.js'
import type { StoredSubscription, SubscriptionStore } from '../store.js'

export function createMemorySubscriptionStore(
  onTenant: (tenant: string) => void = () => {},
): SubscriptionStore {
  // Insertion order of a Map is creation order, which is the order lists page by.
  const rows = new Map<string, StoredSubscription>()
  const key = (tenant: string, id: string) => `${tenant}\u0000${id}`

  return {
    create(tenant, sub) {
      const k = key(tenant, sub.id)
      if (rows.has(k))
        return Promise.reject(
          new AppError('AlreadyExists', `subscription ${sub.id} already exists`),
        )
      onTenant(tenant)
      rows.set(k, {
        tenant,
        subscription: structuredClone(sub),
        delivery: { timesSent: 0, timesFailed: 0 },
      })
      return Promise.resolve()
    },
    get(tenant, id) {
      const r = rows.get(key(tenant, id))
      return Promise.resolve(r && structuredClone(r))
    },
    list(tenant, { limit, offset }) {
      const mine = [...rows.values()].filter((r) => r.tenant === tenant)
      return Promise.resolve({
        items: mine.slice(offset, offset + limit).map((r) => structuredClone(r)),
        count: mine.length,
      })
    },
    replace(tenant, sub) {
      const r = rows.get(key(tenant, sub.id))
      if (!r)
        return Promise.reject(new AppError('ResourceNotFound', `subscription ${sub.id} not found`))
      r.subscription = structuredClone(sub)
      return Promise.resolve()
    },
    delete(tenant, id) {
      return Promise.resolve(rows.delete(key(tenant, id)))
    },
    all() {
      return Promise.resolve([...rows.values()].map((r) => structuredClone(r)))
    },
    recordDelivery(tenant, id, delivery) {
      const r = rows.get(key(tenant, id))
      if (r) r.delivery = { ...delivery }
      return Promise.resolve()
    },
  }
}
