/**
 * Continuous rollups in SQLite: per series, 1-minute, 1-hour and 1-day buckets kept in compressed
 * blocks of BLOCK_BUCKETS buckets (table `rollup`, keyed (sid, res, b0)).
 *
 * Rollups cover exactly the sealed points: `add` runs inside the seal transaction that writes the
 * chunk and moves the series' watermark, so a crash either keeps both or neither, and replaying
 * the journal after a restart never counts a point twice. Unsealed points are merged in at read
 * time from the in-memory buffer. Late and out-of-order points simply merge into their buckets.
 *
 * @example
 *   rollups.add(sid, ts, values)            // inside the seal transaction
 *   rollups.read(sid, 3_600_000, from, to)  // hourly buckets, sealed part
 */
import type { ObservedValue } from '../../core/observation.js'
import { decodeRollupBlock, encodeRollupBlock } from '../codec/rollup-block.js'
import {
  BLOCK_BUCKETS,
  RESOLUTIONS,
  bucketStart,
  fillBuckets,
  mergeBucket,
  type RollupBucket,
} from '../rollup.js'
import type { Db } from './open-database.js'

export class SqliteRollups {
  private readonly st

  constructor(db: Db) {
    this.st = {
      get: db.prepare<[number, number, number], { data: Buffer }>(
        'SELECT data FROM rollup WHERE sid = ? AND res = ? AND b0 = ?',
      ),
      put: db.prepare<[number, number, number, number, Uint8Array]>(
        'INSERT OR REPLACE INTO rollup (sid, res, b0, n, data) VALUES (?, ?, ?, ?, ?)',
      ),
      range: db.prepare<[number, number, number, number], { b0: number; data: Buffer }>(
        'SELECT b0, data FROM rollup WHERE sid = ? AND res = ? AND b0 >= ? AND b0 < ? ORDER BY b0',
      ),
      first: db.prepare<[number, number], { data: Buffer }>(
        'SELECT data FROM rollup WHERE sid = ? AND res = ? ORDER BY b0 LIMIT 1',
      ),
      deleteSeries: db.prepare<[number]>('DELETE FROM rollup WHERE sid = ?'),
    }
  }

  /** Adds sealed points (in arrival order) to every resolution. Call inside the seal transaction. */
  add(sid: number, ts: readonly number[], values: readonly ObservedValue[]): void {
    for (const res of RESOLUTIONS) {
      const buckets = new Map<number, RollupBucket>()
      fillBuckets(ts, values, res, buckets)
      const byBlock = new Map<number, RollupBucket[]>()
      let list: RollupBucket[] | undefined
      let b0 = NaN
      for (const b of buckets.values()) {
        if (!(list && b.t >= b0 && b.t < b0 + res * BLOCK_BUCKETS)) {
          b0 = bucketStart(b.t, res * BLOCK_BUCKETS)
          list = byBlock.get(b0)
          if (!list) byBlock.set(b0, (list = []))
        }
        list.push(b)
      }
      for (const [b0, fresh] of byBlock) this.mergeBlock(sid, res, b0, fresh)
    }
  }

  private mergeBlock(sid: number, res: number, b0: number, fresh: RollupBucket[]): void {
    const row = this.st.get.get(sid, res, b0)
    const merged = new Map<number, RollupBucket>()
    if (row) for (const b of decodeRollupBlock(bytesOf(row.data))) merged.set(b.t, b)
    for (const b of fresh) {
      const old = merged.get(b.t)
      if (old) mergeBucket(old, b)
      else merged.set(b.t, b)
    }
    const list = [...merged.values()].sort((a, b) => a.t - b.t)
    this.st.put.run(sid, res, b0, list.length, encodeRollupBlock(list))
  }

  /** Stored buckets of width `res` with from ≤ t < to, oldest first. */
  read(sid: number, res: number, from: number, to: number): RollupBucket[] {
    const out: RollupBucket[] = []
    const lo = bucketStart(Math.max(from, -(2 ** 52)), res * BLOCK_BUCKETS)
    const hi = Math.min(to, 2 ** 52)
    for (const row of this.st.range.all(sid, res, lo, hi)) {
      for (const b of decodeRollupBlock(bytesOf(row.data))) if (b.t >= from && b.t < to) out.push(b)
    }
    return out
  }

  /** Time of the earliest numeric value kept in the daily rollup (outlives raw retention). */
  earliest(sid: number): number | undefined {
    const row = this.st.first.get(sid, RESOLUTIONS[RESOLUTIONS.length - 1] as number)
    if (!row) return undefined
    const first = decodeRollupBlock(bytesOf(row.data)).find((b) => b.n > 0)
    return first?.firstT
  }

  deleteSeries(sid: number): void {
    this.st.deleteSeries.run(sid)
  }
}

export function bytesOf(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
