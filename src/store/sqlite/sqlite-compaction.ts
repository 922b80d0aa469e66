/**
 * Background compaction: merges small sealed chunks of a series into larger ones, so per-row
 * overhead and codec headers stop dominating the bytes per point (a series sealed every
 * `sealAgeMs` with few points per seal leaves many tiny chunks).
 *
 * Each merge is one transaction (delete the small chunks, insert the merged one) on the one
 * connection the process uses, so a read sees either the old chunks or the new one, never both
 * or neither. `step` does a bounded amount of work; a timer calls it.
 *
 * @example
 *   const compactor = createCompactor(db, { targetPoints: 20_000 })
 *   compactor.step(10) // → { series: 1, merged: 12, written: 1, bytesBefore, bytesAfter }
 */
import {
  concatPoints,
  decodeChunk,
  encodeChunk,
  sortPoints,
  type ChunkData,
} from '../codec/index.js'
import type { Db } from './open-database.js'
import { bytesOf } from './sqlite-rollups.js'

export interface CompactionOptions {
  /** Chunks below this many points are small; runs of them are merged into chunks of about this size. */
  targetPoints: number
}

/** A run of this many small chunks is merged even below the target size. */
const MAX_GROUP = 32

export interface CompactionReport {
  series: number
  /** Small chunks merged away. */
  merged: number
  /** Chunks written in their place. */
  written: number
  bytesBefore: number
  bytesAfter: number
}

export interface Compactor {
  step(maxSeries: number): CompactionReport
}

export function createCompactor(db: Db, opts: CompactionOptions): Compactor {
  const st = {
    // Series with at least two small chunks, starting after the last one looked at, so a series
    // that cannot be merged further does not hold up the others.
    candidates: db.prepare<[number, number, number], { sid: number }>(
      'SELECT sid FROM chunk WHERE n < ? AND sid > ? GROUP BY sid HAVING count(*) >= 2 ORDER BY sid LIMIT ?',
    ),
    small: db.prepare<[number, number], { cid: number; n: number; data: Buffer }>(
      'SELECT cid, n, data FROM chunk WHERE sid = ? AND n < ? ORDER BY t0, cid',
    ),
    del: db.prepare<[number]>('DELETE FROM chunk WHERE cid = ?'),
    insert: db.prepare<[number, number, number, number, Uint8Array]>(
      'INSERT INTO chunk (sid, t0, t1, n, data) VALUES (?, ?, ?, ?, ?)',
    ),
  }
  let after = 0

  function compactSeries(sid: number, report: CompactionReport): void {
    const chunks = st.small.all(sid, opts.targetPoints)
    // Consecutive runs (by start time) merged only once they reach the target size (or many
    // tiny chunks piled up): a merged chunk is then rarely small again, so points are rewritten
    // about once instead of at every tick while a series grows.
    const groups: (typeof chunks)[] = []
    let current: typeof chunks = []
    let points = 0
    for (const c of chunks) {
      current.push(c)
      points += c.n
      if (points >= opts.targetPoints || current.length >= MAX_GROUP) {
        groups.push(current)
        current = []
        points = 0
      }
    }
    db.transaction(() => {
      for (const group of groups) {
        if (group.length < 2) continue
        const parts: ChunkData[] = []
        for (const c of group) {
          parts.push(decodeChunk(bytesOf(c.data)))
          report.bytesBefore += c.data.byteLength
          st.del.run(c.cid)
        }
        // Stable: equal times keep chunk order (t0, then insertion), as reads order them.
        const merged = sortPoints(concatPoints(parts))
        const sortedTs = merged.ts
        const data = encodeChunk(merged)
        st.insert.run(
          sid,
          sortedTs[0] ?? 0,
          sortedTs[sortedTs.length - 1] ?? 0,
          sortedTs.length,
          data,
        )
        report.bytesAfter += data.byteLength
        report.merged += group.length
        report.written++
      }
    })()
  }

  return {
    step(maxSeries) {
      const report: CompactionReport = {
        series: 0,
        merged: 0,
        written: 0,
        bytesBefore: 0,
        bytesAfter: 0,
      }
      let sids = st.candidates.all(opts.targetPoints, after, maxSeries)
      if (sids.length === 0 && after > 0) {
        after = 0
        sids = st.candidates.all(opts.targetPoints, after, maxSeries)
      }
      for (const { sid } of sids) {
        compactSeries(sid, report)
        report.series++
        after = sid
      }
      return report
    },
  }
}
