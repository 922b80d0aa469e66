/**
 * Schema migrations for the SQLite store, applied in order inside transactions. Each migration runs
 * at most once; the report says what was applied (Kysely Migrator style: no throw half-way).
 */
import type { Db } from './open-database.js'
import type { MigrationReport } from '../store.js'
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
  // Discovery (/types, /attributes) reads counters kept on every write instead of scanning.
  { name: '002-type-usage', sql: TYPE_USAGE_MIGRATION },
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
