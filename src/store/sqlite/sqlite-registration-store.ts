/**
 * Context source registrations and registration subscriptions in SQLite (table
 * csource_registration, one collection column for each).
 *
 * @example
 *   const registrations = createSqliteRegistrationStore(db)
 *   await registrations.registrations.get('default', 'urn:ngsi-ld:ContextSourceRegistration:1')
 */
import { AppError } from '../../core/errors.js'
import type { RegistrationCollection, RegistrationRecord, RegistrationStore } from '../store.js'
import type { Db } from './open-database.js'

interface RecordRow {
  id: string
  created_at: string
  modified_at: string
  body: string
}

const toRecord = (r: RecordRow): RegistrationRecord => ({
  id: r.id,
  createdAt: r.created_at,
  modifiedAt: r.modified_at,
  body: JSON.parse(r.body) as Record<string, unknown>,
})

export function createSqliteRegistrationStore(db: Db): RegistrationStore {
  return {
    registrations: createCollection(db, 'csr', 'context source registration'),
    subscriptions: createCollection(db, 'csrsub', 'registration subscription'),
  }
}

function createCollection(db: Db, collection: string, what: string): RegistrationCollection {
  const insert = db.prepare<[string, string, string, string, string, string]>(
    `INSERT INTO csource_registration (tenant, collection, id, created_at, modified_at, body)
     VALUES (?, ?, ?, ?, ?, ?)`,
  )
  const get = db.prepare<[string, string, string], RecordRow>(
    'SELECT id, created_at, modified_at, body FROM csource_registration WHERE tenant = ? AND collection = ? AND id = ?',
  )
  const write = db.prepare<[string, string, string, string, string, string]>(
    `UPDATE csource_registration SET created_at = ?, modified_at = ?, body = ?
     WHERE tenant = ? AND collection = ? AND id = ?`,
  )
  const del = db.prepare<[string, string, string]>(
    'DELETE FROM csource_registration WHERE tenant = ? AND collection = ? AND id = ?',
  )
  const list = db.prepare<[string, string], RecordRow>(
    'SELECT id, created_at, modified_at, body FROM csource_registration WHERE tenant = ? AND collection = ? ORDER BY id',
  )
  const update = db.transaction(
    (tenant: string, id: string, change: (r: RegistrationRecord) => RegistrationRecord) => {
      const row = get.get(tenant, collection, id)
      if (!row) throw new AppError('ResourceNotFound', `${what} ${id} not found`)
      const next = { ...change(toRecord(row)), id }
      write.run(next.createdAt, next.modifiedAt, JSON.stringify(next.body), tenant, collection, id)
      return next
    },
  )
  const wrap = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn())
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        return Promise.reject(new AppError('AlreadyExists', `${what} already exists`))
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
  }
  return {
    create: (tenant, r) =>
      wrap(() => {
        insert.run(tenant, collection, r.id, r.createdAt, r.modifiedAt, JSON.stringify(r.body))
      }),
    get: (tenant, id) =>
      wrap(() => {
        const row = get.get(tenant, collection, id)
        return row ? toRecord(row) : undefined
      }),
    update: (tenant, id, change) => wrap(() => update(tenant, id, change)),
    delete: (tenant, id) => wrap(() => del.run(tenant, collection, id).changes > 0),
    list: (tenant) => wrap(() => list.all(tenant, collection).map(toRecord)),
  }
}
