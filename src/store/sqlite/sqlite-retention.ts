/**
 * Retention in SQLite: policies and run records in tables, enforcement series by series in small
 * transactions that yield to the event loop between slices, so ingest never waits long.
 *
 * Raw points older than the policy go first into their chunks: a series with old unsealed points
 * is sealed first (so its rollups include them), whole chunks older than the cutoff are deleted
 * and a chunk straddling it is rewritten without its old points. A rollup bucket goes only when
 * its whole period [t, t + resolution) is older than the cutoff. Raw retention never changes
 * rollups: "raw 90 days, rollups for years" keeps every hourly average. The attribute instances the
 * Core API wrote (history events with a createdAt) follow the raw age too, by their observedAt,
 * else their createdAt; deletions and Scope changes are kept (they say what the entity was).
 *
 * @example
 *   const retention = createSqliteRetention(db, history)
 *   await retention.putPolicy({ id: 'raw-90d', tenant: '*', keep: { raw: 90 * 86_400_000 } })
 *   await retention.enforce(Date.now())
 */
import { AppError } from '../../core/errors.js'
import { decodeChunk, encodeChunk, indexesWhere, selectPoints } from '../codec/index.js'
import { decodeRollupBlock, encodeRollupBlock } from '../codec/rollup-block.js'
import { BLOCK_BUCKETS, RESOLUTIONS } from '../rollup.js'
import type { RetentionPolicy, RetentionRun, RetentionStore } from '../store.js'
import type { Db } from './open-database.js'
import { bytesOf } from './sqlite-rollups.js'
import type { SqliteHistory } from './sqlite-history.js'

/** Series handled per transaction before yielding to the event loop. */
const SLICE = 50

const KINDS = [
  ['minute', RESOLUTIONS[0]],
  ['hour', RESOLUTIONS[1]],
  ['day', RESOLUTIONS[2]],
] as const

type PolicyRow = {
  id: string
  tenant: string
  entity_type: string | null
  attr: string | null
  keep: string
}

export function createSqliteRetention(db: Db, history: SqliteHistory): RetentionStore {
  const st = {
    list: db.prepare<[], PolicyRow>('SELECT * FROM retention_policy ORDER BY id'),
    put: db.prepare<[string, string, string | null, string | null, string]>(
      'INSERT OR REPLACE INTO retention_policy (id, tenant, entity_type, attr, keep) VALUES (?, ?, ?, ?, ?)',
    ),
    delete: db.prepare<[string]>('DELETE FROM retention_policy WHERE id = ?'),
    runs: db.prepare<[number], Record<string, number | string>>(
      'SELECT * FROM retention_run ORDER BY id DESC LIMIT ?',
    ),
    addRun: db.prepare<[string, string, number, number, number, number]>(
      'INSERT INTO retention_run (started_at, finished_at, series, removed_points, removed_buckets, bytes_freed) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    eventSeries: db.prepare<[], { tenant: string; entity_id: string; attr: string }>(
      'SELECT DISTINCT tenant, entity_id, attr FROM history_event WHERE created_at IS NOT NULL',
    ),
    trimEvents: db.prepare<[string, string, string, number]>(
      `DELETE FROM history_event WHERE tenant = ? AND entity_id = ? AND attr = ?
         AND created_at IS NOT NULL AND coalesce(observed_at, created_at) < ?`,
    ),
    types: db.prepare<[string, string], { type: string }>(
      'SELECT et.type FROM entity_type et JOIN entity e ON e.rid = et.rid WHERE e.tenant = ? AND e.id = ?',
    ),
    oldChunks: db.prepare<
      [number, number],
      { cid: number; t0: number; t1: number; n: number; len: number }
    >('SELECT cid, t0, t1, n, length(data) AS len FROM chunk WHERE sid = ? AND t0 < ?'),
    chunkData: db.prepare<[number], { data: Buffer }>('SELECT data FROM chunk WHERE cid = ?'),
    deleteChunk: db.prepare<[number]>('DELETE FROM chunk WHERE cid = ?'),
    rewriteChunk: db.prepare<[number, number, number, Uint8Array, number]>(
      'UPDATE chunk SET t0 = ?, t1 = ?, n = ?, data = ? WHERE cid = ?',
    ),
    oldBlocks: db.prepare<[number, number, number], { b0: number; n: number; data: Buffer }>(
      'SELECT b0, n, data FROM rollup WHERE sid = ? AND res = ? AND b0 < ?',
    ),
    deleteBlock: db.prepare<[number, number, number]>(
      'DELETE FROM rollup WHERE sid = ? AND res = ? AND b0 = ?',
    ),
    putBlock: db.prepare<[number, Uint8Array, number, number, number]>(
      'UPDATE rollup SET n = ?, data = ? WHERE sid = ? AND res = ? AND b0 = ?',
    ),
  }

  const policies = (): RetentionPolicy[] => st.list.all().map(fromRow)

  function trimRaw(sid: number, cutoff: number): { points: number; bytes: number } {
    let points = 0
    let bytes = 0
    for (const c of st.oldChunks.all(sid, cutoff)) {
      if (c.t1 < cutoff) {
        st.deleteChunk.run(c.cid)
        points += c.n
        bytes += c.len
        continue
      }
      const row = st.chunkData.get(c.cid)
      if (!row) continue
      const d = decodeChunk(bytesOf(row.data))
      const kept = selectPoints(
        d,
        indexesWhere(d.ts.length, (i) => (d.ts[i] as number) >= cutoff),
      )
      const { ts } = kept
      const data = encodeChunk(kept)
      st.rewriteChunk.run(ts[0] ?? cutoff, ts[ts.length - 1] ?? cutoff, ts.length, data, c.cid)
      points += d.ts.length - ts.length
      bytes += c.len - data.byteLength
    }
    return { points, bytes }
  }

  function trimRollup(
    sid: number,
    res: number,
    cutoff: number,
  ): { buckets: number; bytes: number } {
    let buckets = 0
    let bytes = 0
    for (const block of st.oldBlocks.all(sid, res, cutoff)) {
      // Whole block older than the cutoff: every bucket ends by then.
      if (block.b0 + res * BLOCK_BUCKETS <= cutoff) {
        st.deleteBlock.run(sid, res, block.b0)
        buckets += block.n
        bytes += block.data.byteLength
        continue
      }
      const all = decodeRollupBlock(bytesOf(block.data))
      const kept = all.filter((b) => b.t + res > cutoff)
      if (kept.length === all.length) continue
      buckets += all.length - kept.length
      if (kept.length === 0) {
        st.deleteBlock.run(sid, res, block.b0)
        bytes += block.data.byteLength
        continue
      }
      const data = encodeRollupBlock(kept)
      st.putBlock.run(kept.length, data, sid, res, block.b0)
      bytes += block.data.byteLength - data.byteLength
    }
    return { buckets, bytes }
  }

  /** Removes the Core API's attribute instances older than their raw age; returns how many. */
  function trimEvents(all: readonly RetentionPolicy[], now: number): number {
    let removed = 0
    const list = st.eventSeries.all()
    db.transaction(() => {
      for (const e of list) {
        const policy = pick(all, e.tenant, e.attr, () =>
          st.types.all(e.tenant, e.entity_id).map((r) => r.type),
        )
        const age = policy?.keep.raw
        if (age !== undefined)
          removed += st.trimEvents.run(e.tenant, e.entity_id, e.attr, now - age).changes
      }
    })()
    return removed
  }

  return {
    policies: () => Promise.resolve(policies()),
    putPolicy(p) {
      st.put.run(p.id, p.tenant, p.entityType ?? null, p.attr ?? null, JSON.stringify(p.keep))
      return Promise.resolve()
    },
    deletePolicy: (id) => Promise.resolve(st.delete.run(id).changes > 0),
    runs: (limit) => Promise.resolve(st.runs.all(limit).map(runFromRow)),
    async enforce(now) {
      const startedAt = new Date(now).toISOString()
      const all = policies()
      const total = { series: 0, points: 0, buckets: 0, bytes: 0 }
      if (all.length > 0) {
        const list = history.seriesList()
        for (let at = 0; at < list.length; at += SLICE) {
          const slice = list.slice(at, at + SLICE)
          const plans = slice.flatMap((s) => {
            const policy = pick(all, s.tenant, s.attr, () =>
              st.types.all(s.tenant, s.entityId).map((r) => r.type),
            )
            return policy ? [{ sid: s.sid, keep: policy.keep }] : []
          })
          // Old unsealed points are sealed first, so raw and rollup retention see them (and their
          // rollups are counted before raw points go).
          const toSeal = plans.filter((p) => {
            const oldest = history.oldestBuffered(p.sid)
            const ages = Object.values(p.keep).filter((a) => a !== undefined)
            return oldest !== undefined && ages.some((age) => oldest < now - age)
          })
          history.seal(toSeal.map((p) => p.sid))
          db.transaction(() => {
            for (const p of plans) {
              total.series++
              if (p.keep.raw !== undefined) {
                const r = trimRaw(p.sid, now - p.keep.raw)
                total.points += r.points
                total.bytes += r.bytes
              }
              for (const [kind, res] of KINDS) {
                const age = p.keep[kind]
                if (age === undefined) continue
                const r = trimRollup(p.sid, res, now - age)
                total.buckets += r.buckets
                total.bytes += r.bytes
              }
            }
          })()
          await new Promise<void>((resolve) => setImmediate(resolve))
        }
        total.points += trimEvents(all, now)
      }
      const finishedAt = new Date().toISOString()
      const id = Number(
        st.addRun.run(startedAt, finishedAt, total.series, total.points, total.buckets, total.bytes)
          .lastInsertRowid,
      )
      return {
        id,
        startedAt,
        finishedAt,
        series: total.series,
        removedPoints: total.points,
        removedBuckets: total.buckets,
        bytesFreed: total.bytes,
      }
    },
  }
}

/** The most specific policy for a series; entity types are looked up only when a policy needs them. */
export function pick(
  all: readonly RetentionPolicy[],
  tenant: string,
  attr: string,
  types: () => string[],
): RetentionPolicy | undefined {
  let best: RetentionPolicy | undefined
  let bestScore = -1
  let known: string[] | undefined
  for (const p of all) {
    if (p.tenant !== '*' && p.tenant !== tenant) continue
    if (p.attr !== undefined && p.attr !== attr) continue
    if (p.entityType !== undefined && !(known ??= types()).includes(p.entityType)) continue
    const score =
      (p.attr !== undefined ? 4 : 0) +
      (p.entityType !== undefined ? 2 : 0) +
      (p.tenant !== '*' ? 1 : 0)
    if (score > bestScore) {
      best = p
      bestScore = score
    }
  }
  return best
}

function fromRow(r: PolicyRow): RetentionPolicy {
  let keep: RetentionPolicy['keep']
  try {
    keep = JSON.parse(r.keep) as RetentionPolicy['keep']
  } catch {
    throw new AppError('InternalError', `retention policy ${r.id} is corrupt`)
  }
  return {
    id: r.id,
    tenant: r.tenant,
    ...(r.entity_type !== null && { entityType: r.entity_type }),
    ...(r.attr !== null && { attr: r.attr }),
    keep,
  }
}

function runFromRow(r: Record<string, number | string>): RetentionRun {
  return {
    id: Number(r['id']),
    startedAt: String(r['started_at']),
    finishedAt: String(r['finished_at']),
    series: Number(r['series']),
    removedPoints: Number(r['removed_points']),
    removedBuckets: Number(r['removed_buckets']),
    bytesFreed: Number(r['bytes_freed']),
  }
}
