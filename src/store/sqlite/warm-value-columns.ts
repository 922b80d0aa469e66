/**
 * Fills the value columns from the entity table when a store opens. A small store is read at
 * once; a large one (a million entities take seconds) in slices between other work, so the
 * server answers from the first moment and queries use the SQL plan until the columns are ready.
 * Writers keep the columns current meanwhile (set/clear after each commit), and rows are read
 * as committed at the moment of each slice, so the result is exact whatever the order.
 */
import type { Entity } from '../../core/ngsi.js'
import type { Db } from './open-database.js'
import type { ValueColumns } from './value-columns.js'

/** Rows read synchronously at open; beyond, the rest is read in the background. */
const SYNC_ROWS = 50_000
const SLICE_ROWS = 2_000

export function warmValueColumns(db: Db, columns: ValueColumns): { stop(): void } {
  const next = db
    .prepare<[number, number], [number, string]>(
      'SELECT rid, attrs FROM entity WHERE rid > ? ORDER BY rid LIMIT ?',
    )
    .raw()
  let cursor = 0
  let stopped = false
  /** Reads up to `rows` rows; false once the table is done. */
  const slice = (rows: number): boolean => {
    const batch = next.all(cursor, rows)
    for (const [rid, attrs] of batch) {
      columns.set(rid, JSON.parse(attrs) as Entity['attrs'])
      cursor = rid
    }
    return batch.length === rows
  }
  if (!slice(SYNC_ROWS)) {
    columns.ready = true
    return { stop: () => undefined }
  }
  const step = (): void => {
    if (stopped || !db.open) return
    if (slice(SLICE_ROWS)) setImmediate(step)
    else columns.ready = true
  }
  setImmediate(step)
  return {
    stop: () => {
      stopped = true
    },
  }
}
