/**
 * History events in SQLite (see HistoryEvent in store.ts): deletions and Scope changes the Core
 * API writes. They are rare, so they live in a plain table beside the compressed chunks, one row
 * each, and the ingest path never touches it.
 *
 * @example
 *   const events = createSqliteHistoryEvents(db)
 *   events.record('default', [{ entityId, attr, kind: 'Property', value: NGSI_LD_NULL, modifiedAt, deletedAt }])
 *   events.list('default', { entityIds: [entityId] })
 */
import type { AttributeType } from '../../core/ngsi.js'
import type { ObservedValue } from '../../core/observation.js'
import type { HistoryEvent, HistoryEventQuery } from '../store.js'
import type { Db } from './open-database.js'

/** The table, created by migration 006-history-events; created_at added by 009. */
export const HISTORY_EVENTS_MIGRATION = `
  CREATE TABLE history_event (
    seq INTEGER PRIMARY KEY,
    tenant TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    attr TEXT NOT NULL,
    dataset_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    value TEXT NOT NULL,            -- JSON
    observed_at INTEGER,
    modified_at INTEGER NOT NULL,
    deleted_at INTEGER
  );
  CREATE INDEX history_event_by_entity ON history_event (tenant, entity_id);
  -- A temporal scopeQ reads the Scope events of a whole tenant.
  CREATE INDEX history_event_by_attr ON history_event (tenant, attr);
`

interface Row {
  entity_id: string
  attr: string
  dataset_id: string
  kind: string
  value: string
  observed_at: number | null
  modified_at: number
  deleted_at: number | null
  created_at: number | null
}

export interface SqliteHistoryEvents {
  record(tenant: string, events: readonly HistoryEvent[]): void
  list(tenant: string, q: HistoryEventQuery): HistoryEvent[]
  deleteEntity(tenant: string, entityId: string): number
  /** Events of one attribute: without datasetId, of `datasetId`, or all with `all`. */
  deleteAttribute(
    tenant: string,
    entityId: string,
    attr: string,
    which: { datasetId?: string; all?: boolean },
  ): number
}

export function createSqliteHistoryEvents(db: Db): SqliteHistoryEvents {
  const insert = db.prepare(
    `INSERT INTO history_event
       (tenant, entity_id, attr, dataset_id, kind, value, observed_at, modified_at, deleted_at,
        created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const columns =
    'entity_id, attr, dataset_id, kind, value, observed_at, modified_at, deleted_at, created_at'
  const byTenant = db.prepare<[string], Row>(
    `SELECT ${columns} FROM history_event WHERE tenant = ? ORDER BY seq`,
  )
  const byEntity = db.prepare<[string, string], Row>(
    `SELECT ${columns} FROM history_event WHERE tenant = ? AND entity_id = ? ORDER BY seq`,
  )
  const byAttr = db.prepare<[string, string], Row>(
    `SELECT ${columns} FROM history_event WHERE tenant = ? AND attr = ? ORDER BY seq`,
  )
  const deleteEntity = db.prepare('DELETE FROM history_event WHERE tenant = ? AND entity_id = ?')
  const deleteAttr = db.prepare(
    'DELETE FROM history_event WHERE tenant = ? AND entity_id = ? AND attr = ?',
  )
  const deleteDataset = db.prepare(
    `DELETE FROM history_event
     WHERE tenant = ? AND entity_id = ? AND attr = ? AND dataset_id = ?`,
  )
  const recordAll = db.transaction((tenant: string, events: readonly HistoryEvent[]) => {
    for (const e of events)
      insert.run(
        tenant,
        e.entityId,
        e.attr,
        e.datasetId ?? '',
        e.kind,
        JSON.stringify(e.value),
        e.observedAt ?? null,
        e.modifiedAt,
        e.deletedAt ?? null,
        e.createdAt ?? null,
      )
  })

  return {
    record(tenant, events) {
      // Core API writes call this inside their own transaction (one commit, one fsync for the
      // entity and its history); alone it commits by itself.
      if (events.length > 0) recordAll(tenant, events)
    },
    list(tenant, q) {
      const attrs = q.attrs && new Set(q.attrs)
      let rows: Row[]
      if (q.entityIds) rows = q.entityIds.flatMap((id) => byEntity.all(tenant, id))
      else if (q.attrs?.length === 1) rows = byAttr.all(tenant, q.attrs[0]!)
      else rows = byTenant.all(tenant)
      return rows.filter((r) => !attrs || attrs.has(r.attr)).map(eventOf)
    },
    deleteEntity: (tenant, entityId) => deleteEntity.run(tenant, entityId).changes,
    deleteAttribute(tenant, entityId, attr, which) {
      if (which.all === true) return deleteAttr.run(tenant, entityId, attr).changes
      return deleteDataset.run(tenant, entityId, attr, which.datasetId ?? '').changes
    },
  }
}

function eventOf(r: Row): HistoryEvent {
  const e: HistoryEvent = {
    entityId: r.entity_id,
    attr: r.attr,
    kind: r.kind as AttributeType,
    value: JSON.parse(r.value) as ObservedValue,
    modifiedAt: r.modified_at,
  }
  if (r.dataset_id !== '') e.datasetId = r.dataset_id
  if (r.observed_at !== null) e.observedAt = r.observed_at
  if (r.deleted_at !== null) e.deletedAt = r.deleted_at
  if (r.created_at !== null) e.createdAt = r.created_at
  return e
}
