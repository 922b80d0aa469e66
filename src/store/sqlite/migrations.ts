/**
 * Schema migrations for the SQLite store, applied in order inside transactions. Each migration runs
 * at most once; the report says what was applied (Kysely Migrator style: no throw half-way).
 */
import type { Db } from './open-database.js'
import type { MigrationReport } from '../store.js'
import { HISTORY_EVENTS_MIGRATION } from './sqlite-history-events.js'
import { TYPE_USAGE_MIGRATION } from './sqlite-type-summaries.js'

interface Migration {
  name: string
  sql: string
}

const MIGRATIONS: Migration[] = [
  {
    name: '001-initial',
    sql: `
      CREATE TABLE tenant (name TEXT PRIMARY KEY, created_at TEXT NOT NULL) WITHOUT ROWID;

      CREATE TABLE entity (
        rid INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        types TEXT NOT NULL,          -- JSON array of expanded type IRIs
        scopes TEXT,                  -- JSON array or NULL
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        attrs TEXT NOT NULL           -- JSON: expanded attribute IRI -> instances
      );
      CREATE UNIQUE INDEX entity_by_id ON entity (tenant, id);

      -- Keyed (tenant, type, id): a type query reads entities of that type already in id order,
      -- so the first page needs no sort and no scan of other types.
      CREATE TABLE entity_type (
        tenant TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, rid INTEGER NOT NULL,
        PRIMARY KEY (tenant, type, id)
      ) WITHOUT ROWID;

      -- Bounding boxes of each entity's location for geo prefilters.
      CREATE VIRTUAL TABLE entity_geo USING rtree (rid, min_x, max_x, min_y, max_y);

      CREATE TABLE device (
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        profile TEXT NOT NULL,
        name TEXT,
        entity_id TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        lon REAL, lat REAL,
        connectivity TEXT,
        secret_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT,
        messages INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        last_error_at TEXT,
        last_error TEXT,
        PRIMARY KEY (tenant, id)
      ) WITHOUT ROWID;

      CREATE TABLE series (
        sid INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        attr TEXT NOT NULL,
        dataset_id TEXT NOT NULL DEFAULT '',
        unit_code TEXT,
        sealed_rowid INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX series_by_key ON series (tenant, entity_id, attr, dataset_id);

      -- Append-only journal of observations not yet sealed into chunks, many points per row
      -- (log-record.ts) and no secondary index, so writing is a sequential append (one row per
      -- point under an (entity, attr, ts) index falls to ~23k rows/s by 1M rows here).
      -- AUTOINCREMENT: sequence numbers are never reused after truncation; series.sealed_rowid
      -- relies on that.
      CREATE TABLE obs_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL);

      -- Sealed, compressed runs of one series.
      CREATE TABLE chunk (
        cid INTEGER PRIMARY KEY,
        sid INTEGER NOT NULL,
        t0 INTEGER NOT NULL,
        t1 INTEGER NOT NULL,
        n INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX chunk_by_series ON chunk (sid, t1);
    `,
  },
  {
    name: '002-history-rollups',
    sql: `
      -- Continuous rollups: per series and resolution (ms), blocks of compressed buckets
      -- (codec/rollup-block.ts) starting at b0. They cover exactly the sealed chunks.
      CREATE TABLE rollup (
        sid INTEGER NOT NULL,
        res INTEGER NOT NULL,
        b0 INTEGER NOT NULL,
        n INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (sid, res, b0)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: '002b-history-retention',
    sql: `
      CREATE TABLE retention_policy (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        entity_type TEXT,
        attr TEXT,
        keep TEXT NOT NULL            -- JSON: { raw?, minute?, hour?, day? } maximum ages in ms
      );
      CREATE TABLE retention_run (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        series INTEGER NOT NULL,
        removed_points INTEGER NOT NULL,
        removed_buckets INTEGER NOT NULL,
        bytes_freed INTEGER NOT NULL
      );
    `,
  },
  {
    name: '003-subscriptions',
    sql: `
      -- NGSI-LD subscriptions: the document (expanded names) and the delivery status, as JSON.
      -- rowid order is creation order, which is the order Query Subscriptions pages by.
      CREATE TABLE subscription (
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        doc TEXT NOT NULL,
        delivery TEXT NOT NULL
      );
      CREATE UNIQUE INDEX subscription_by_id ON subscription (tenant, id);
    `,
  },
  {
    name: '004-contexts-registrations',
    sql: `
      -- Stored @contexts (GS CIM 009 §5.13): global, like the URLs that name them. A Cached
      -- context is found by its original URL; Hosted and ImplicitlyCreated ones have none.
      CREATE TABLE jsonld_context (
        local_id TEXT PRIMARY KEY,
        url TEXT UNIQUE,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        last_usage TEXT,
        hits INTEGER NOT NULL DEFAULT 0,
        body TEXT NOT NULL            -- JSON: the @context value
      ) WITHOUT ROWID;

      -- Context source registrations (collection 'csr') and registration subscriptions
      -- ('csrsub'), names expanded; few per tenant, so queries filter in memory.
      CREATE TABLE csource_registration (
        tenant TEXT NOT NULL,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (tenant, collection, id)
      ) WITHOUT ROWID;
    `,
  },
  // Discovery (/types, /attributes) reads counters kept on every write instead of scanning.
  { name: '005-type-usage', sql: TYPE_USAGE_MIGRATION },
  // Deletions and Scope changes made through the Core API, kept apart from the observations.
  { name: '006-history-events', sql: HISTORY_EVENTS_MIGRATION },
  {
    name: '007-context-tenant',
    sql: `
      -- A Hosted @context belongs to the tenant that added it (GS CIM 009 §4.14); NULL for Cached
      -- and ImplicitlyCreated ones, which every tenant sees, and for Hosted ones stored before
      -- this column (they belong to the default tenant).
      ALTER TABLE jsonld_context ADD COLUMN tenant TEXT;
    `,
  },
  {
    name: '008-log-created-at',
    sql: `
      -- When the journal row was written (epoch ms): the createdAt of each of its points, carried
      -- into the chunk when sealed. NULL for rows written before (their points have none).
      ALTER TABLE obs_log ADD COLUMN created_at INTEGER;
    `,
  },
  {
    name: '009-history-event-created-at',
    sql: `
      -- When an attribute instance written through the Core API was recorded (epoch ms); NULL
      -- for deletions and Scope changes, and for rows from before.
      ALTER TABLE history_event ADD COLUMN created_at INTEGER;
    `,
  },
  {
    name: '010-entity-serialized',
    sql: `
      -- The entity as its SnapshotSerializer wrote it, and which serializer (store.ts): a read of
      -- an entity not in memory answers this text instead of parsing and rendering attrs. NULL
      -- for rows written before, or without a serializer; they are rendered as before.
      ALTER TABLE entity ADD COLUMN serialized TEXT;
      ALTER TABLE entity ADD COLUMN serialized_by INTEGER;
    `,
  },
]

export function migrate(db: Db): MigrationReport {
  db.exec('CREATE TABLE IF NOT EXISTS migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)')
  const done = new Set(
    db
      .prepare<[], { name: string }>('SELECT name FROM migration')
      .all()
      .map((r) => r.name),
  )
  const applied: string[] = []
  for (const m of MIGRATIONS) {
    if (done.has(m.name)) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.prepare('INSERT INTO migration (name, applied_at) VALUES (?, ?)').run(
        m.name,
        new Date().toISOString(),
      )
    })()
    applied.push(m.name)
  }
  return { applied, current: MIGRATIONS.length }
}
