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
import {
  decodeRollupBlock,
  decodeRollupColumns,
  encodeRollupBlock,
  type RollupColumns,
  type RollupMember,
} from '../codec/rollup-block.js'
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

  /**
   * read() as columns, decoding only t, count, n and `members`: the aggregation hot path, with no
   * object per bucket.
   */
  readColumns(
    sid: number,
    res: number,
    from: number,
    to: number,
    members: readonly RollupMember[],
  ): RollupColumns {
    const lo = bucketStart(Math.max(from, -(2 ** 52)), res * BLOCK_BUCKETS)
    const hi = Math.min(to, 2 ** 52)
    const blocks = this.st.range
      .all(sid, res, lo, hi)
      .map((row) => decodeRollupColumns(bytesOf(row.data), members))
    return concatColumns(blocks, from, to)
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

/** Blocks' columns (each in time order, blocks in time order) joined, keeping from ≤ t < to. */
function concatColumns(blocks: readonly RollupColumns[], from: number, to: number): RollupColumns {
  // Only the edge blocks are cut; the rest are copied whole.
  const spans = blocks.map((b) => {
    let lo = 0
    while (lo < b.length && b.t[lo]! < from) lo++
    let hi = b.length
    while (hi > lo && b.t[hi - 1]! >= to) hi--
    return { b, lo, hi }
  })
  const k = spans.reduce((sum, s) => sum + s.hi - s.lo, 0)
  const names = MEMBER_ARRAYS.filter((name) => blocks[0]?.[name] !== undefined)
  const out: RollupColumns = {
    length: k,
    t: new Float64Array(k),
    count: new Float64Array(k),
    n: new Float64Array(k),
  }
  for (const name of names) out[name] = new Float64Array(k)
  let j = 0
  for (const { b, lo, hi } of spans) {
    out.t.set(b.t.subarray(lo, hi), j)
    out.count.set(b.count.subarray(lo, hi), j)
    out.n.set(b.n.subarray(lo, hi), j)
    for (const name of names) {
      const col = b[name]
      if (col) out[name]?.set(col.subarray(lo, hi), j)
    }
    j += hi - lo
  }
  return out
}

const MEMBER_ARRAYS = ['sum', 'sumsq', 'min', 'max', 'firstT', 'firstV', 'lastT', 'lastV'] as const
