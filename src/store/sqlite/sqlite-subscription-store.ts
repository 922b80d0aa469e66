/**
 * The SQLite adapter of SubscriptionStore: one row per subscription holding its document and its
 * delivery status as JSON; rowid order is creation order (lists page by it).
 *
 * @example
 *   const subs = createSqliteSubscriptionStore(db)
 *   await subs.create('default', subscription)
 */
import { AppError } from '../../core/errors.js'
import type { DeliveryStatus, Subscription } from '../../core/subscription.js'
import type { StoredSubscription, SubscriptionStore } from '../store.js'
import type { Db } from './open-database.js'

interface Row {
  tenant: string
  doc: string
  delivery: string
}

const EMPTY: DeliveryStatus = { timesSent: 0, timesFailed: 0 }

export function createSqliteSubscriptionStore(db: Db): SubscriptionStore {
  const insert = db.prepare<[string, string, string, string]>(
    'INSERT INTO subscription (tenant, id, doc, delivery) VALUES (?, ?, ?, ?)',
  )
  const getOne = db.prepare<[string, string], Row>(
    'SELECT tenant, doc, delivery FROM subscription WHERE tenant = ? AND id = ?',
  )
  const page = db.prepare<[string, number, number], Row>(
    'SELECT tenant, doc, delivery FROM subscription WHERE tenant = ? ORDER BY rowid LIMIT ? OFFSET ?',
  )
  const count = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM subscription WHERE tenant = ?',
  )
  const update = db.prepare<[string, string, string]>(
    'UPDATE subscription SET doc = ? WHERE tenant = ? AND id = ?',
  )
  const remove = db.prepare<[string, string]>(
    'DELETE FROM subscription WHERE tenant = ? AND id = ?',
  )
  const all = db.prepare<[], Row>('SELECT tenant, doc, delivery FROM subscription ORDER BY rowid')
  const setDelivery = db.prepare<[string, string, string]>(
    'UPDATE subscription SET delivery = ? WHERE tenant = ? AND id = ?',
  )
  const ensureTenant = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO tenant (name, created_at) VALUES (?, ?)',
  )
  const createTx = db.transaction((tenant: string, sub: Subscription) => {
    if (getOne.get(tenant, sub.id))
      throw new AppError('AlreadyExists', `subscription ${sub.id} already exists`)
    ensureTenant.run(tenant, sub.createdAt)
    insert.run(tenant, sub.id, JSON.stringify(sub), JSON.stringify(EMPTY))
  })

  const read = (r: Row): StoredSubscription => ({
    tenant: r.tenant,
    subscription: JSON.parse(r.doc) as Subscription,
    delivery: JSON.parse(r.delivery) as DeliveryStatus,
  })

  return {
    create(tenant, sub) {
      try {
        createTx(tenant, sub)
        return Promise.resolve()
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    },
    get(tenant, id) {
      const r = getOne.get(tenant, id)
      return Promise.resolve(r && read(r))
    },
    list(tenant, { limit, offset }) {
      return Promise.resolve({
        items: page.all(tenant, limit, offset).map(read),
        count: count.get(tenant)?.n ?? 0,
      })
    },
    replace(tenant, sub) {
      if (update.run(JSON.stringify(sub), tenant, sub.id).changes === 0)
        return Promise.reject(new AppError('ResourceNotFound', `subscription ${sub.id} not found`))
      return Promise.resolve()
    },
    delete(tenant, id) {
      return Promise.resolve(remove.run(tenant, id).changes > 0)
    },
    all() {
      return Promise.resolve(all.all().map(read))
    },
    recordDelivery(tenant, id, delivery) {
      setDelivery.run(JSON.stringify(delivery), tenant, id)
      return Promise.resolve()
    },
  }
}
