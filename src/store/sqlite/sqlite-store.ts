/**
 * The SQLite adapter of the Store port: one database file (WAL, synchronous=FULL), one connection,
 * every ingest call one transaction. Sealing of history buffers runs on a timer in small slices.
 *
 * @example
 *   const store = openSqliteStore({ file: 'data/civitas.db', history })
 *   await store.migrate()
 */
import { recordUsage } from './sqlite-type-summaries.js'
import { applyPatch, entityFromPatch } from '../apply-patch.js'
import { IRI, type Entity } from '../../core/ngsi.js'
import type {
  PatchResult,
  RetentionRun,
  RetentionStore,
  SnapshotSerializer,
  Store,
  TenantStore,
} from '../store.js'
import { migrate } from './migrations.js'
import { TypeOrder } from './type-order.js'
import { ValueColumns } from './value-columns.js'
import { warmValueColumns } from './warm-value-columns.js'
import { createSqliteContextStore } from './sqlite-context-store.js'
import { createSqliteRegistrationStore } from './sqlite-registration-store.js'
import { openDatabase, type Db } from './open-database.js'
import {
  createSqliteDeviceStore,
  prepareDeviceStatements,
  writeActivity,
} from './sqlite-device-store.js'
import { EntityCache } from './entity-cache.js'
import { createSqliteRetention } from './sqlite-retention.js'
import { createCompactor, type CompactionReport } from './sqlite-compaction.js'
import { createSqliteSubscriptionStore } from './sqlite-subscription-store.js'
import { createSqliteHistoryEvents } from './sqlite-history-events.js'
import {
  createSqliteEntityStore,
  insertEntity,
  loadEntity,
  prepareEntityStatements,
  writeGeo,
} from './sqlite-entity-store.js'
import {
  SqliteHistory,
  type HistoryOptions,
  type PendingAppends,
  type SealReport,
} from './sqlite-history.js'

export interface SqliteStoreOptions {
  file: string
  history: HistoryOptions
  /** How often due history buffers are sealed; 0 disables the timer (tests call seal()). */
  sealIntervalMs?: number
  onSeal?: (report: SealReport) => void
  now?: () => number
  /**
   * Writes the entity's usual representation beside every row, so that reads of entities not in
   * memory need not parse and render them (EntityStore.readSerialized).
   */
  serializer?: SnapshotSerializer
  /** Parsed entities kept in memory for the ingest hot path. */
  entityCacheSize?: number
  /** Geo queries over at most this many entities start from the R*Tree (tests vary it). */
  geoCandidates?: number
  /** How often retention policies are enforced (default hourly); 0 disables the timer. */
  retentionIntervalMs?: number
  onRetention?: (run: RetentionRun) => void
  onRetentionError?: (err: unknown) => void
  /** Small sealed chunks are merged up to this many points (default 20,000). */
  compactTargetPoints?: number
  /** How often a compaction slice runs (default 2 s); 0 disables the timer (tests call compact()). */
  compactIntervalMs?: number
  onCompact?: (report: CompactionReport) => void
}

export interface SqliteStore extends Store {
  readonly db: Db
  /** Seals due history buffers now (all of them when force). */
  seal(force?: boolean): SealReport
  readonly history: SqliteHistory
  /** The in-memory query index (tests switch it off to compare plans). */
  readonly valueColumns: ValueColumns
  readonly retention: RetentionStore
  /** Merges small chunks of up to `maxSeries` series now. */
  compact(maxSeries?: number): CompactionReport
}

export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  const db = openDatabase(opts.file)
  // Migrate before preparing statements: they need the tables.
  const report = migrate(db)
  const now = opts.now ?? Date.now
  const est = prepareEntityStatements(db, opts.serializer)
  const dst = prepareDeviceStatements(db)
  const cache = new EntityCache(opts.entityCacheSize ?? 50_000)
  const columns = new ValueColumns()
  const order = new TypeOrder(db)
  const events = createSqliteHistoryEvents(db)
  const entities = createSqliteEntityStore(
    db,
    est,
    cache,
    columns,
    order,
    (tenant, recorded) => events.record(tenant, recorded),
    opts.geoCandidates,
  )
  const warming = warmValueColumns(db, columns)
  const devices = createSqliteDeviceStore(db, dst)
  const history = new SqliteHistory(db, opts.history, now)
  // A database from before rollups: its sealed history gets rollups once, now.
  if (report.applied.includes('002-history-rollups') && !report.applied.includes('001-initial'))
    history.backfillRollups()
  const retention = createSqliteRetention(db, history)
  const compactor = createCompactor(db, { targetPoints: opts.compactTargetPoints ?? 20_000 })

  const listTenants = db.prepare<[], { name: string }>('SELECT name FROM tenant ORDER BY name')
  const tenantExists = db.prepare<[string], { n: number }>(
    'SELECT 1 AS n FROM tenant WHERE name = ?',
  )
  const knownTenants = new Set<string>()
  const tenants: TenantStore = {
    list: () => Promise.resolve(listTenants.all().map((r) => r.name)),
    // Every NGSI-LD request checks its tenant. Tenants are never removed, so one seen is
    // remembered: a statement costs ~8 µs of read-transaction locking here, a Set lookup nothing.
    // Unknown names still ask the database (another process, the CLI, may have created it).
    exists: (t) => {
      if (knownTenants.has(t)) return Promise.resolve(true)
      const found = tenantExists.get(t) !== undefined
      if (found) knownTenants.add(t)
      return Promise.resolve(found)
    },
    ensure: (t) => {
      est.ensureTenant.run(t, new Date(now()).toISOString())
      return Promise.resolve()
    },
  }

  /** Entities touched in one commit; `write` is false while the inserted row is still current. */
  type Dirty = { tenant: string; rid: number; entity: Entity; write: boolean; created: boolean }
  const ingestTx = db.transaction(
    (
      batches: Parameters<Store['ingest']>[0],
      pending: PendingAppends,
      dirty: Map<string, Dirty>,
    ): PatchResult[] => {
      const at = new Date(now()).toISOString()
      const results: PatchResult[] = []
      for (const b of batches) {
        if (b.patches.length > 0 || b.observations.length > 0) est.ensureTenant.run(b.tenant, at)
        for (const p of b.patches) {
          const key = b.tenant + '\u0000' + p.entityId
          const seen = dirty.get(key)
          const loaded = seen ?? loadEntity(est, cache, b.tenant, p.entityId)
          if (!loaded) {
            const entity = entityFromPatch(p, at)
            const rid = insertEntity(est, b.tenant, entity)
            dirty.set(key, { tenant: b.tenant, rid, entity, write: false, created: true })
            results.push({
              tenant: b.tenant,
              kind: 'created',
              changed: Object.keys(entity.attrs),
              entity,
            })
            continue
          }
          const { next, changed } = applyPatch(loaded.entity, p, at)
          if (changed.length === 0) continue
          recordUsage(est.usage, b.tenant, loaded.entity, next, changed)
          // Several messages of one entity in one commit: the row is written once, at the end.
          dirty.set(key, {
            tenant: b.tenant,
            rid: loaded.rid,
            entity: next,
            write: true,
            created: seen?.created ?? false,
          })
          results.push({
            tenant: b.tenant,
            kind: 'updated',
            changed,
            entity: next,
            previous: loaded.entity,
          })
        }
        history.append(b.tenant, b.observations, pending)
        for (const a of b.activity) writeActivity(dst, b.tenant, a)
      }
      for (const d of dirty.values()) {
        if (!d.write) continue
        est.updateAttrs.run(
          JSON.stringify(d.entity.attrs),
          d.entity.modifiedAt,
          ...est.serialize(d.entity),
          d.rid,
        )
        if (IRI.location in d.entity.attrs) writeGeo(est, d.rid, d.entity)
      }
      return results
    },
  )

  let timer: NodeJS.Timeout | undefined
  if ((opts.sealIntervalMs ?? 1000) > 0) {
    timer = setInterval(() => {
      const r = history.sealDue()
      if (r.sealedSeries > 0 || r.logRowsDeleted > 0) opts.onSeal?.(r)
    }, opts.sealIntervalMs ?? 1000)
    timer.unref()
  }

  let compactTimer: NodeJS.Timeout | undefined
  if ((opts.compactIntervalMs ?? 2000) > 0) {
    compactTimer = setInterval(() => {
      // A small slice per tick: ingest never waits behind compaction for long.
      const r = compactor.step(COMPACT_SERIES_PER_TICK)
      if (r.written > 0) opts.onCompact?.(r)
    }, opts.compactIntervalMs ?? 2000)
    compactTimer.unref()
  }
  let retentionTimer: NodeJS.Timeout | undefined
  let enforcing = false
  if ((opts.retentionIntervalMs ?? 3_600_000) > 0) {
    retentionTimer = setInterval(() => {
      if (enforcing) return
      enforcing = true
      retention
        .enforce(now())
        .then((run) => opts.onRetention?.(run))
        .catch((err: unknown) => opts.onRetentionError?.(err))
        .finally(() => (enforcing = false))
    }, opts.retentionIntervalMs ?? 3_600_000)
    retentionTimer.unref()
  }

  const store: SqliteStore = {
    db,
    history,
    valueColumns: columns,
    retention,
    compact: (maxSeries = COMPACT_SERIES_PER_TICK) => compactor.step(maxSeries),
    entities,
    devices,
    tenants,
    subscriptions: createSqliteSubscriptionStore(db),
    contexts: createSqliteContextStore(db),
    registrations: createSqliteRegistrationStore(db),
    temporal: {
      query: (tenant, q) => Promise.resolve(history.query(tenant, q)),
      aggregate: (tenant, q) => Promise.resolve(history.aggregate(tenant, q)),
      scan: (tenant, q) => toAsync(history.scan(tenant, q)),
      deleteEntity: (tenant, id) => {
        history.deleteEntity(tenant, id)
        events.deleteEntity(tenant, id)
        return Promise.resolve()
      },
      // The ingest path (journal in one transaction, then the buffers): durable on resolve.
      append: async (tenant, observations) => {
        await store.ingest([{ tenant, patches: [], observations, activity: [] }])
      },
      deleteAttribute: (tenant, id, attr, which) => {
        const series = history.deleteSeries(
          tenant,
          id,
          (a, datasetId) =>
            a === attr && (which.all === true || datasetId === (which.datasetId ?? '')),
        )
        return Promise.resolve(series + events.deleteAttribute(tenant, id, attr, which) > 0)
      },
      editInstances: (tenant, id, edits) => Promise.resolve(history.editPoints(tenant, id, edits)),
      recordEvents: (tenant, recorded) => Promise.resolve(events.record(tenant, recorded)),
      events: (tenant, q) => Promise.resolve(events.list(tenant, q)),
    },
    ingest(batches) {
      const pending: PendingAppends = []
      const dirty = new Map<string, Dirty>()
      try {
        const results = ingestTx(batches, pending, dirty)
        history.applyPending(pending)
        for (const d of dirty.values()) {
          cache.set(d.tenant, d.entity.id, { rid: d.rid, entity: d.entity })
          columns.set(d.rid, d.entity.attrs)
          if (d.created) order.created(d.tenant, d.entity.types, d.entity.id, d.rid)
        }
        return Promise.resolve(results)
      } catch (err) {
        history.forgetNewSeries()
        // Rows inserted in the failed transaction are gone; their cache entries must go too.
        for (const d of dirty.values()) cache.delete(d.tenant, d.entity.id)
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    },
    seal: (force = false) => history.sealDue(force ? Number.MAX_SAFE_INTEGER : 500, force),
    migrate: () => Promise.resolve(report),
    close() {
      if (timer) clearInterval(timer)
      warming.stop()
      if (retentionTimer) clearInterval(retentionTimer)
      if (compactTimer) clearInterval(compactTimer)
      db.close()
      return Promise.resolve()
    },
  }
  return store
}

const COMPACT_SERIES_PER_TICK = 10

/** A sync generator as an async iterable that yields to the event loop between batches. */
async function* toAsync<T>(it: Iterable<T>): AsyncIterable<T> {
  for (const item of it) {
    yield item
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}
