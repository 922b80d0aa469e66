/**
 * The device registry in SQLite.
 */
import { AppError } from '../../core/errors.js'
import type { Connectivity, Device } from '../../core/device.js'
import type { DeviceActivity, DeviceStore } from '../store.js'
import type { Db } from './open-database.js'

interface DeviceRow {
  tenant: string
  id: string
  profile: string
  name: string | null
  entity_id: string
  entity_type: string
  lon: number | null
  lat: number | null
  connectivity: string | null
  secret_hash: string
  created_at: string
  last_seen_at: string | null
  messages: number
  rejected: number
  last_error_at: string | null
  last_error: string | null
}

function rowToDevice(r: DeviceRow): Device {
  const d: Device = {
    tenant: r.tenant,
    id: r.id,
    profile: r.profile,
    entityId: r.entity_id,
    entityType: r.entity_type,
    secretHash: r.secret_hash,
    createdAt: r.created_at,
    messages: r.messages,
    rejected: r.rejected,
  }
  if (r.name !== null) d.name = r.name
  if (r.lon !== null && r.lat !== null) d.location = { lon: r.lon, lat: r.lat }
  if (r.connectivity !== null) d.connectivity = r.connectivity as Connectivity
  if (r.last_seen_at !== null) d.lastSeenAt = r.last_seen_at
  if (r.last_error_at !== null && r.last_error !== null)
    d.lastError = { at: r.last_error_at, reason: r.last_error }
  return d
}

export function prepareDeviceStatements(db: Db) {
  return {
    insert: db.prepare(
      `INSERT INTO device (tenant, id, profile, name, entity_id, entity_type, lon, lat, connectivity, secret_hash, created_at)
       VALUES (@tenant, @id, @profile, @name, @entityId, @entityType, @lon, @lat, @connectivity, @secretHash, @createdAt)`,
    ),
    get: db.prepare<[string, string], DeviceRow>(
      'SELECT * FROM device WHERE tenant = ? AND id = ?',
    ),
    activity: db.prepare<[string, number, number, string | null, string | null, string, string]>(
      `UPDATE device SET last_seen_at = max(coalesce(last_seen_at, ''), ?), messages = messages + ?, rejected = rejected + ?,
         last_error_at = coalesce(?, last_error_at), last_error = coalesce(?, last_error) WHERE tenant = ? AND id = ?`,
    ),
    ensureTenant: db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO tenant (name, created_at) VALUES (?, ?)',
    ),
  }
}
export type DeviceStatements = ReturnType<typeof prepareDeviceStatements>

/** Adds a device's counters; shared by the registry and the ingest transaction. */
export function writeActivity(st: DeviceStatements, tenant: string, a: DeviceActivity): void {
  st.activity.run(
    a.at,
    a.messages,
    a.rejected,
    a.lastError ? a.at : null,
    a.lastError ?? null,
    tenant,
    a.deviceId,
  )
}

export function createSqliteDeviceStore(db: Db, st: DeviceStatements): DeviceStore {
  const list = db.prepare<[string, number, number], DeviceRow>(
    'SELECT * FROM device WHERE tenant = ? ORDER BY id LIMIT ? OFFSET ?',
  )
  const count = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM device WHERE tenant = ?',
  )
  const setSecret = db.prepare<[string, string, string]>(
    'UPDATE device SET secret_hash = ? WHERE tenant = ? AND id = ?',
  )
  const del = db.prepare<[string, string]>('DELETE FROM device WHERE tenant = ? AND id = ?')

  const insertOne = (d: Device): void => {
    st.ensureTenant.run(d.tenant, d.createdAt)
    st.insert.run({
      tenant: d.tenant,
      id: d.id,
      profile: d.profile,
      name: d.name ?? null,
      entityId: d.entityId,
      entityType: d.entityType,
      lon: d.location?.lon ?? null,
      lat: d.location?.lat ?? null,
      connectivity: d.connectivity ?? null,
      secretHash: d.secretHash,
      createdAt: d.createdAt,
    })
  }
  const insertMany = db.transaction((devices: readonly Device[]) => {
    for (const d of devices) insertOne(d)
  })
  const wrap = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn())
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        return Promise.reject(
          new AppError('AlreadyExists', `device already exists: ${(err as Error).message}`),
        )
      }
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
  }

  return {
    add: (d) => wrap(() => insertMany([d])),
    addMany: (ds) => wrap(() => insertMany(ds)),
    get: (tenant, id) =>
      wrap(() => {
        const r = st.get.get(tenant, id)
        return r ? rowToDevice(r) : undefined
      }),
    list: (tenant, { limit, offset }) =>
      wrap(() => list.all(tenant, limit, offset).map(rowToDevice)),
    count: (tenant) => wrap(() => count.get(tenant)?.n ?? 0),
    setSecretHash: (tenant, id, hash) =>
      wrap(() => {
        if (setSecret.run(hash, tenant, id).changes === 0)
          throw new AppError('ResourceNotFound', `device ${id} not found`)
      }),
    delete: (tenant, id) => wrap(() => del.run(tenant, id).changes > 0),
    recordActivity: (tenant, id, a) =>
      wrap(() => writeActivity(st, tenant, { ...a, deviceId: id })),
  }
}
