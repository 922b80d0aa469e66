/**
 * History in SQLite, built for a high, durable write rate and a small footprint:
 *
 *   ingest ──▶ obs_log (append-only, no index)  +  in-memory buffer per series
 *                          │ seal (≥ sealPoints, ≥ sealAgeMs, or memory budget)
 *                          ▼
 *              chunk (one compressed run of one series, indexed by (sid, t1))
 *
 * Reads merge sealed chunks with the unsealed buffer. After a restart the buffers are rebuilt from
 * the log rows above each series' sealed_rowid, so nothing committed is lost or counted twice.
 *
 * Each point keeps its createdAt (the time its journal row was written; one per row, a column of
 * obs_log) and modifiedAt (set by editPoints) in the chunk's system-time section. Chunks are
 * indexed by observedAt only, so a read by createdAt or modifiedAt decodes every chunk of the
 * series: those are rare requests of the temporal API, and ingest pays nothing for them.
 */
import type { InstanceTime, Observation, ObservedValue, TimeRange } from '../../core/observation.js'
import type {
  AggregateSeries,
  InstanceEdit,
  TemporalAggregateQuery,
  TemporalQuery,
  TemporalScan,
} from '../store.js'
import { decodeChunk, encodeChunk, sortPoints, type ChunkData } from '../codec/index.js'
import { keptSlice } from '../instance-window.js'
import { columnsOf } from '../codec/rollup-block.js'
import { fillBuckets, mergeBucket, type RollupBucket } from '../rollup.js'
import { aggregateSeries, type RawPoints } from '../temporal-aggregate.js'
import { decodeLogRecord, encodeLogRecord, type LogPoint } from './log-record.js'
import type { Db } from './open-database.js'
import { SqliteRollups, bytesOf } from './sqlite-rollups.js'

interface SeriesInfo {
  sid: number
  tenant: string
  entityId: string
  attr: string
  datasetId: string
  unitCode: string | undefined
  sealedRowid: number
}

interface SeriesBuffer {
  ts: number[]
  values: ObservedValue[]
  /** createdAt per point: its journal row's time, NaN for rows written before it was kept. */
  created: number[]
  firstRowid: number
  lastRowid: number
  /** Wall-clock ms when the first unsealed point arrived. */
  since: number
}

/** Appends made inside a transaction, applied to the buffers only once it commits. */
export type PendingAppends = {
  sid: number
  ts: number
  value: ObservedValue
  rowid: number
  createdAt: number
}[]

export interface HistoryOptions {
  sealPoints: number
  sealAgeMs: number
  maxBufferedPoints: number
}

export interface SealReport {
  sealedSeries: number
  sealedPoints: number
  logRowsDeleted: number
}

export class SqliteHistory {
  /** tenant → entity id → series key (attr, datasetId) → series: nested so that no key string is built per point. */
  private readonly series = new Map<string, Map<string, Map<string, SeriesInfo>>>()
  private readonly bySid = new Map<number, SeriesInfo>()
  private readonly byEntity = new Map<string, Set<number>>()
  private readonly buffers = new Map<number, SeriesBuffer>()
  private buffered = 0
  private logStart = 1
  private loaded = false
  private newSeries: SeriesInfo[] = []
  private readonly st
  readonly rollups: SqliteRollups

  constructor(
    private readonly db: Db,
    private readonly opts: HistoryOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.rollups = new SqliteRollups(db)
    this.st = {
      insertSeries: db.prepare<[string, string, string, string, string | null]>(
        'INSERT INTO series (tenant, entity_id, attr, dataset_id, unit_code) VALUES (?, ?, ?, ?, ?)',
      ),
      insertLog: db.prepare<[Buffer, number]>(
        'INSERT INTO obs_log (data, created_at) VALUES (?, ?)',
      ),
      insertChunk: db.prepare<[number, number, number, number, Uint8Array]>(
        'INSERT INTO chunk (sid, t0, t1, n, data) VALUES (?, ?, ?, ?, ?)',
      ),
      setSealed: db.prepare<[number, number]>('UPDATE series SET sealed_rowid = ? WHERE sid = ?'),
      chunks: db.prepare<[number, number, number], { data: Buffer }>(
        'SELECT data FROM chunk WHERE sid = ? AND t1 >= ? AND t0 < ? ORDER BY t0, cid',
      ),
      deleteLog: db.prepare<[number, number]>('DELETE FROM obs_log WHERE seq >= ? AND seq < ?'),
      deleteSeriesChunks: db.prepare<[number]>('DELETE FROM chunk WHERE sid = ?'),
      deleteSeries: db.prepare<[number]>('DELETE FROM series WHERE sid = ?'),
      lastLogSeq: db.prepare<[], { m: number }>(
        "SELECT seq AS m FROM sqlite_sequence WHERE name = 'obs_log'",
      ),
      firstChunk: db.prepare<[number], { t0: number | null }>(
        'SELECT min(t0) AS t0 FROM chunk WHERE sid = ?',
      ),
      chunksAt: db.prepare<[number, number, number], { cid: number; data: Buffer }>(
        'SELECT cid, data FROM chunk WHERE sid = ? AND t0 <= ? AND t1 >= ? ORDER BY t0, cid',
      ),
      seriesChunks: db.prepare<[number], { data: Buffer }>(
        'SELECT data FROM chunk WHERE sid = ? ORDER BY t0, cid',
      ),
      updateChunk: db.prepare<[number, number, number, Uint8Array, number]>(
        'UPDATE chunk SET t0 = ?, t1 = ?, n = ?, data = ? WHERE cid = ?',
      ),
      deleteChunk: db.prepare<[number]>('DELETE FROM chunk WHERE cid = ?'),
    }
  }

  /**
   * Loads the series catalogue and rebuilds unsealed buffers from the log, on first use: a CLI
   * process that only manages devices never pays for it (and never touches history).
   */
  private load(): void {
    if (this.loaded) return
    this.loaded = true
    type Row = {
      sid: number
      tenant: string
      entity_id: string
      attr: string
      dataset_id: string
      unit_code: string | null
      sealed_rowid: number
    }
    for (const r of this.db.prepare<[], Row>('SELECT * FROM series').iterate()) {
      this.remember({
        sid: r.sid,
        tenant: r.tenant,
        entityId: r.entity_id,
        attr: r.attr,
        datasetId: r.dataset_id,
        unitCode: r.unit_code ?? undefined,
        sealedRowid: r.sealed_rowid,
      })
    }
    const now = this.now()
    let first = 0
    type LogRow = { seq: number; data: Buffer; created_at: number | null }
    for (const r of this.db
      .prepare<[], LogRow>('SELECT seq, data, created_at FROM obs_log ORDER BY seq')
      .iterate()) {
      if (first === 0) first = r.seq
      const createdAt = r.created_at ?? NaN
      decodeLogRecord(r.data, (sid, ts, value) => {
        const info = this.bySid.get(sid)
        if (info && r.seq > info.sealedRowid) this.push(sid, ts, value, r.seq, now, createdAt)
      })
    }
    this.logStart = first || 1
  }

  private remember(info: SeriesInfo): void {
    let byEntity = this.series.get(info.tenant)
    if (!byEntity)
      this.series.set(info.tenant, (byEntity = new Map<string, Map<string, SeriesInfo>>()))
    let byAttr = byEntity.get(info.entityId)
    if (!byAttr) byEntity.set(info.entityId, (byAttr = new Map<string, SeriesInfo>()))
    byAttr.set(attrKey(info.attr, info.datasetId), info)
    this.bySid.set(info.sid, info)
    const ek = `${info.tenant}\u0000${info.entityId}`
    let set = this.byEntity.get(ek)
    if (!set) this.byEntity.set(ek, (set = new Set()))
    set.add(info.sid)
  }

  private push(
    sid: number,
    ts: number,
    value: ObservedValue,
    rowid: number,
    now: number,
    createdAt: number,
  ): void {
    let b = this.buffers.get(sid)
    if (!b)
      this.buffers.set(
        sid,
        (b = { ts: [], values: [], created: [], firstRowid: rowid, lastRowid: rowid, since: now }),
      )
    b.ts.push(ts)
    b.values.push(value)
    b.created.push(createdAt)
    b.lastRowid = rowid
    this.buffered++
  }

  /** Writes observations to the log. Call inside the ingest transaction; then `applyPending`. */
  append(tenant: string, observations: readonly Observation[], pending: PendingAppends): void {
    this.load()
    // A series created now owns no earlier log row: a deleted series' sid may be reused (rowid),
    // and its unsealed rows, still in the log, must not be replayed into the new one on restart.
    let floor: number | undefined
    const owned = () => (floor ??= this.st.lastLogSeq.get()?.m ?? 0)
    const createdAt = this.now()
    for (let at = 0; at < observations.length; at += LOG_POINTS) {
      const points: LogPoint[] = []
      for (let i = at; i < Math.min(at + LOG_POINTS, observations.length); i++) {
        const o = observations[i] as Observation
        points.push({
          sid: this.seriesFor(tenant, o, owned).sid,
          ts: o.observedAt,
          value: o.value,
        })
      }
      const seq = Number(this.st.insertLog.run(encodeLogRecord(points), createdAt).lastInsertRowid)
      for (const p of points)
        pending.push({ sid: p.sid, ts: p.ts, value: p.value, rowid: seq, createdAt })
    }
  }

  private seriesFor(tenant: string, o: Observation, logFloor: () => number): SeriesInfo {
    let info = this.series
      .get(tenant)
      ?.get(o.entityId)
      ?.get(attrKey(o.attr, o.datasetId ?? ''))
    if (info) return info
    const r = this.st.insertSeries.run(
      tenant,
      o.entityId,
      o.attr,
      o.datasetId ?? '',
      o.unitCode ?? null,
    )
    const sid = Number(r.lastInsertRowid)
    const sealedRowid = logFloor()
    if (sealedRowid > 0) this.st.setSealed.run(sealedRowid, sid)
    info = {
      sid,
      tenant,
      entityId: o.entityId,
      attr: o.attr,
      datasetId: o.datasetId ?? '',
      unitCode: o.unitCode,
      sealedRowid,
    }
    // Registered now; if the transaction rolls back, `forgetNewSeries` removes it again.
    this.remember(info)
    this.newSeries.push(info)
    return info
  }

  /** After commit: make the appended points visible to reads. */
  applyPending(pending: PendingAppends): void {
    const now = this.now()
    for (const p of pending) this.push(p.sid, p.ts, p.value, p.rowid, now, p.createdAt)
    this.newSeries = []
  }

  /** After rollback: forget series that were registered in the failed transaction. */
  forgetNewSeries(): void {
    for (const info of this.newSeries) {
      this.series.get(info.tenant)?.get(info.entityId)?.delete(attrKey(info.attr, info.datasetId))
      this.bySid.delete(info.sid)
      this.byEntity.get(`${info.tenant}\u0000${info.entityId}`)?.delete(info.sid)
    }
    this.newSeries = []
  }

  /** Loads history state now (servers call this at start so the first message is not slow). */
  warmUp(): void {
    this.load()
  }

  get bufferedPoints(): number {
    return this.buffered
  }

  /**
   * Seals due buffers into chunks, at most `maxSeries` per call so the event loop is never held
   * long; returns what it did. Call repeatedly from a timer.
   */
  sealDue(maxSeries = 500, force = false): SealReport {
    if (!this.loaded) return { sealedSeries: 0, sealedPoints: 0, logRowsDeleted: 0 }
    const now = this.now()
    const due: number[] = []
    for (const [sid, b] of this.buffers) {
      if (force || b.ts.length >= this.opts.sealPoints || now - b.since >= this.opts.sealAgeMs)
        due.push(sid)
      if (due.length >= maxSeries) break
    }
    if (due.length < maxSeries && this.buffered > this.opts.maxBufferedPoints) {
      const largest = [...this.buffers]
        .filter(([sid]) => !due.includes(sid))
        .sort((a, b) => b[1].ts.length - a[1].ts.length)
      for (const [sid] of largest.slice(0, maxSeries - due.length)) due.push(sid)
    }
    const points = this.seal(due)
    return { sealedSeries: due.length, sealedPoints: points, logRowsDeleted: this.truncateLog() }
  }

  /** Seals the buffers of these series now, in one transaction; returns the points sealed. */
  seal(due: readonly number[]): number {
    let points = 0
    if (due.length === 0) return 0
    this.db.transaction(() => {
      for (const sid of due) {
        const b = this.buffers.get(sid)
        if (!b) continue
        const sorted = sortPoints({ ts: b.ts, values: b.values, createdAt: b.created })
        const { ts } = sorted
        this.st.insertChunk.run(
          sid,
          ts[0] ?? 0,
          ts[ts.length - 1] ?? 0,
          ts.length,
          encodeChunk(sorted),
        )
        this.st.setSealed.run(b.lastRowid, sid)
        // Same transaction as the chunk and the watermark: rollups cover exactly the sealed points.
        this.rollups.add(sid, b.ts, b.values)
        points += ts.length
      }
    })()
    for (const sid of due) {
      const b = this.buffers.get(sid)
      if (!b) continue
      const info = this.bySid.get(sid)
      if (info) info.sealedRowid = b.lastRowid
      this.buffered -= b.ts.length
      this.buffers.delete(sid)
    }
    return points
  }

  private hasBuffered(sid: number, from: number, to: number): boolean {
    for (const t of this.buffers.get(sid)?.ts ?? []) if (t >= from && t < to) return true
    return false
  }

  /**
   * Builds rollups from every sealed chunk: for databases written before rollups existed (run
   * once, when the rollup migration is applied). Unsealed points get theirs when sealed.
   */
  backfillRollups(): number {
    let chunks = 0
    const sids = this.db.prepare<[], { sid: number }>('SELECT DISTINCT sid FROM chunk').all()
    const ofSeries = this.db.prepare<[number], { data: Buffer }>(
      'SELECT data FROM chunk WHERE sid = ? ORDER BY t0, cid',
    )
    // One series at a time: a read cursor cannot stay open while the same connection writes.
    this.db.transaction(() => {
      for (const { sid } of sids) {
        for (const c of ofSeries.all(sid)) {
          const d = decodeChunk(bytesOf(c.data))
          this.rollups.add(sid, d.ts, d.values)
          chunks++
        }
      }
    })()
    return chunks
  }

  /** Every known series (for maintenance: retention, compaction). */
  seriesList(): { sid: number; tenant: string; entityId: string; attr: string }[] {
    this.load()
    return [...this.bySid.values()].map(({ sid, tenant, entityId, attr }) => ({
      sid,
      tenant,
      entityId,
      attr,
    }))
  }

  /** Oldest unsealed point of a series, if any. */
  oldestBuffered(sid: number): number | undefined {
    const b = this.buffers.get(sid)
    if (!b || b.ts.length === 0) return undefined
    let min = Infinity
    for (const t of b.ts) if (t < min) min = t
    return min
  }

  /** Deletes log rows below the oldest unsealed row, in bounded steps. */
  private truncateLog(maxRows = 50_000): number {
    let floor = Infinity
    for (const b of this.buffers.values()) if (b.firstRowid < floor) floor = b.firstRowid
    if (floor === Infinity) {
      const max = this.db
        .prepare<[], { m: number | null }>(
          "SELECT seq AS m FROM sqlite_sequence WHERE name = 'obs_log'",
        )
        .get()?.m
      floor = (max ?? 0) + 1
    }
    const upTo = Math.min(floor, this.logStart + maxRows)
    if (upTo <= this.logStart) return 0
    const deleted = this.st.deleteLog.run(this.logStart, upTo).changes
    this.logStart = upTo
    return deleted
  }

  query(tenant: string, q: TemporalQuery): Map<string, Observation[]> {
    this.load()
    const out = new Map<string, Observation[]>()
    for (const sid of this.byEntity.get(`${tenant}\u0000${q.entityId}`) ?? []) {
      const info = this.bySid.get(sid)
      if (!info || (q.attrs && !q.attrs.includes(info.attr))) continue
      const points = this.points(sid, q.range, q.timeproperty)
      const [start, end] = keptSlice(points.ts.length, q.lastN, q.limit)
      // Datasets of one attribute are separate series: one list, series after series.
      const list = [...(out.get(info.attr) ?? []), ...this.observations(info, points, start, end)]
      if (list.length > 0) out.set(info.attr, list)
    }
    return out
  }

  /**
   * The points of a series inside `range` under `key`, ordered by it (stable: equal times keep
   * stored order), with system times (NaN where unknown).
   */
  private points(sid: number, range: TimeRange, key: InstanceTime = 'observedAt'): Timed {
    const from = range.from ?? -Infinity
    const to = range.to ?? Infinity
    const out: Timed = { ts: [], values: [], createdAt: [], modifiedAt: [] }
    // Chunks are indexed by observedAt: under another time every chunk may hold a match.
    const rows =
      key === 'observedAt'
        ? this.st.chunks.all(sid, Math.max(from, MIN_TIME), Math.min(to, MAX_TIME))
        : this.st.seriesChunks.all(sid)
    for (const c of rows) collectTimed(decodeChunk(bytesOf(c.data)), key, from, to, out)
    const b = this.buffers.get(sid)
    if (b) collectTimed({ ts: b.ts, values: b.values, createdAt: b.created }, key, from, to, out)
    return sortPoints(out, out[keyColumn(key)]) as Timed
  }

  /** Series of one entity grouped by attribute (datasets of one attribute together). */
  private seriesByAttr(
    tenant: string,
    entityId: string,
    attrs: readonly string[] | undefined,
  ): Map<string, SeriesInfo[]> {
    const out = new Map<string, SeriesInfo[]>()
    for (const sid of this.byEntity.get(`${tenant}\u0000${entityId}`) ?? []) {
      const info = this.bySid.get(sid)
      if (!info || (attrs && !attrs.includes(info.attr))) continue
      const list = out.get(info.attr)
      if (list) list.push(info)
      else out.set(info.attr, [info])
    }
    return out
  }

  /** Raw points of the series with from ≤ t < to: sealed chunks, then the unsealed buffer. */
  private raw(sids: readonly number[], from: number, to: number): RawPoints {
    const ts: number[] = []
    const values: ObservedValue[] = []
    const lo = Math.max(from, Number.MIN_SAFE_INTEGER)
    const hi = Math.min(to, Number.MAX_SAFE_INTEGER)
    for (const sid of sids) {
      for (const c of this.st.chunks.all(sid, lo, hi)) {
        const d = decodeChunk(bytesOf(c.data))
        collect(d.ts, d.values, from, to, ts, values)
      }
      const b = this.buffers.get(sid)
      if (b) collect(b.ts, b.values, from, to, ts, values)
    }
    return { ts, values }
  }

  aggregate(tenant: string, q: TemporalAggregateQuery): Map<string, AggregateSeries> {
    this.load()
    const out = new Map<string, AggregateSeries>()
    for (const [attr, infos] of this.seriesByAttr(tenant, q.entityId, q.attrs)) {
      const sids = infos.map((i) => i.sid)
      const result = aggregateSeries(
        {
          raw: (from, to) => this.raw(sids, from, to),
          rollup: (res, from, to, members) => {
            const only = sids.length === 1 ? (sids[0] as number) : undefined
            // The common case, one series with nothing unsealed in range: stored order is final,
            // and only the members asked for are decoded.
            if (only !== undefined && !this.hasBuffered(only, from, to))
              return this.rollups.readColumns(only, res, from, to, members)
            const merged = new Map<number, RollupBucket>()
            for (const sid of sids) {
              for (const b of this.rollups.read(sid, res, from, to)) {
                const old = merged.get(b.t)
                if (old) mergeBucket(old, b)
                else merged.set(b.t, b)
              }
              // Unsealed points arrived after everything sealed: they merge in last.
              const buf = this.buffers.get(sid)
              if (buf) {
                const pending = new Map<number, RollupBucket>()
                const inRange = { ts: [] as number[], values: [] as ObservedValue[] }
                collect(buf.ts, buf.values, from, to, inRange.ts, inRange.values)
                fillBuckets(inRange.ts, inRange.values, res, pending)
                for (const b of pending.values()) {
                  const old = merged.get(b.t)
                  if (old) mergeBucket(old, b)
                  else merged.set(b.t, b)
                }
              }
            }
            return columnsOf([...merged.values()].sort((a, b) => a.t - b.t))
          },
          earliest: () => {
            let min = Infinity
            for (const sid of sids) {
              const c = this.st.firstChunk.get(sid)?.t0
              if (c !== null && c !== undefined && c < min) min = c
              const r = this.rollups.earliest(sid)
              if (r !== undefined && r < min) min = r
              for (const t of this.buffers.get(sid)?.ts ?? []) if (t < min) min = t
            }
            return Number.isFinite(min) ? min : undefined
          },
        },
        q,
      )
      const unitCode = infos.find((i) => i.unitCode !== undefined)?.unitCode
      if (result) out.set(attr, unitCode === undefined ? result : { ...result, unitCode })
    }
    return out
  }

  /**
   * One decoded chunk per batch, series by series, chunks in start order, the unsealed buffer
   * last. Points are time-ordered within a batch; late data sealed into a later chunk comes in
   * that chunk's batch (compaction merges such overlaps away).
   */
  *scan(tenant: string, q: TemporalScan): Generator<Observation[]> {
    this.load()
    const key = q.timeproperty ?? 'observedAt'
    const from = q.range.from ?? -Infinity
    const to = q.range.to ?? Infinity
    const lo = Math.max(from, MIN_TIME)
    const hi = Math.min(to, MAX_TIME)
    for (const entityId of q.entityIds) {
      for (const infos of this.seriesByAttr(tenant, entityId, q.attrs).values()) {
        for (const info of infos) {
          // The chunk list is read first so no statement stays open across yields.
          const rows =
            key === 'observedAt'
              ? this.st.chunks.all(info.sid, lo, hi)
              : this.st.seriesChunks.all(info.sid)
          // Decoded one at a time, as the consumer pulls: an export never holds a series whole.
          const parts = function* (buffers: Map<number, SeriesBuffer>): Generator<ChunkData> {
            for (const c of rows) yield decodeChunk(bytesOf(c.data))
            const buf = buffers.get(info.sid)
            if (buf) yield { ts: buf.ts, values: buf.values, createdAt: buf.created }
          }
          for (const part of parts(this.buffers)) {
            const found: Timed = { ts: [], values: [], createdAt: [], modifiedAt: [] }
            collectTimed(part, key, from, to, found)
            if (found.ts.length === 0) continue
            const sorted = sortPoints(found, found[keyColumn(key)]) as Timed
            yield this.observations(info, sorted, 0, sorted.ts.length)
          }
        }
      }
    }
  }

  /** Points [start, end) as observations of the series, with the system times known. */
  private observations(info: SeriesInfo, points: Timed, start: number, end: number): Observation[] {
    const out: Observation[] = []
    for (let i = start; i < end; i++) {
      const o: Observation = {
        entityId: info.entityId,
        attr: info.attr,
        observedAt: points.ts[i] as number,
        value: points.values[i] as ObservedValue,
      }
      if (info.unitCode !== undefined) o.unitCode = info.unitCode
      if (info.datasetId !== '') o.datasetId = info.datasetId
      const created = points.createdAt[i]!
      const modified = points.modifiedAt[i]!
      if (!Number.isNaN(created)) o.createdAt = created
      if (!Number.isNaN(modified)) o.modifiedAt = modified
      out.push(o)
    }
    return out
  }

  /**
   * Edits single points of an entity's series (see TemporalStore.editInstances). The series'
   * buffers are sealed first so every point is in a chunk; changed chunks are rewritten in place
   * and each changed series' rollups are rebuilt from its chunks once, in one transaction: exact,
   * at a cost proportional to the series, which suits edits through the API.
   */
  editPoints(tenant: string, entityId: string, edits: readonly InstanceEdit[]): boolean[] {
    this.load()
    const byAttr = this.series.get(tenant)?.get(entityId)
    const sids = edits.map((e) => byAttr?.get(attrKey(e.attr, e.at.datasetId ?? ''))?.sid)
    const touched = [...new Set(sids.filter((sid) => sid !== undefined))]
    this.seal(touched.filter((sid) => this.buffers.has(sid)))
    const done = edits.map(() => false)
    const now = this.now()
    this.db.transaction(() => {
      /** Decoded chunks by cid; a chunk's stored t0/t1 only widen its true range after edits. */
      const decoded = new Map<number, { d: Timed; sid: number }>()
      edits.forEach(({ at, value }, e) => {
        const sid = sids[e]
        if (sid === undefined) return
        let seen = 0
        for (const c of this.st.chunksAt.all(sid, at.observedAt, at.observedAt)) {
          let entry = decoded.get(c.cid)
          if (!entry) decoded.set(c.cid, (entry = { d: timed(decodeChunk(bytesOf(c.data))), sid }))
          const { d } = entry
          const i = d.ts.findIndex((t) => t === at.observedAt && seen++ === at.nth)
          if (i < 0) continue
          if (value) {
            d.values[i] = value.value
            d.modifiedAt[i] = now
          } else {
            for (const column of [d.ts, d.values, d.createdAt, d.modifiedAt]) column.splice(i, 1)
          }
          done[e] = true
          return
        }
      })
      const changed = new Set<number>()
      for (const [cid, { d, sid }] of decoded) {
        const { ts } = d
        if (ts.length === 0) this.st.deleteChunk.run(cid)
        else {
          const data = encodeChunk(d)
          this.st.updateChunk.run(ts[0] ?? 0, ts[ts.length - 1] ?? 0, ts.length, data, cid)
        }
        changed.add(sid)
      }
      for (const sid of changed) {
        this.rollups.deleteSeries(sid)
        for (const c of this.st.seriesChunks.all(sid)) {
          const d = decodeChunk(bytesOf(c.data))
          this.rollups.add(sid, d.ts, d.values)
        }
      }
    })()
    return done
  }

  deleteEntity(tenant: string, entityId: string): void {
    this.deleteSeries(tenant, entityId, () => true)
  }

  /**
   * Removes the series of an entity that `match` selects (by attribute and datasetId, '' for
   * none): chunks, rollups and catalogue rows in one transaction. Returns how many went.
   */
  deleteSeries(
    tenant: string,
    entityId: string,
    match: (attr: string, datasetId: string) => boolean,
  ): number {
    this.load()
    const ek = `${tenant}\u0000${entityId}`
    const sids = [...(this.byEntity.get(ek) ?? [])].filter((sid) => {
      const info = this.bySid.get(sid)
      return info !== undefined && match(info.attr, info.datasetId)
    })
    if (sids.length === 0) return 0
    this.db.transaction(() => {
      for (const sid of sids) {
        this.st.deleteSeriesChunks.run(sid)
        this.rollups.deleteSeries(sid)
        this.st.deleteSeries.run(sid)
      }
    })()
    const set = this.byEntity.get(ek)
    for (const sid of sids) {
      const info = this.bySid.get(sid)
      if (info)
        this.series.get(info.tenant)?.get(info.entityId)?.delete(attrKey(info.attr, info.datasetId))
      this.bySid.delete(sid)
      const b = this.buffers.get(sid)
      if (b) this.buffered -= b.ts.length
      this.buffers.delete(sid)
      set?.delete(sid)
    }
    if (set?.size === 0) this.byEntity.delete(ek)
    return sids.length
  }
}

/** Points per journal row: large enough to amortise the row, small enough to stay in one page. */
const LOG_POINTS = 200

function attrKey(attr: string, datasetId: string): string {
  return datasetId === '' ? attr : attr + '\u0000' + datasetId
}

function collect(
  ts: readonly number[],
  values: readonly ObservedValue[],
  from: number,
  to: number,
  outTs: number[],
  outV: ObservedValue[],
): void {
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i] as number
    if (t >= from && t < to) {
      outTs.push(t)
      outV.push(values[i] as ObservedValue)
    }
  }
}

/** Bounds SQLite compares chunk times with (an open range side becomes one of these). */
const MIN_TIME = Number.MIN_SAFE_INTEGER
const MAX_TIME = Number.MAX_SAFE_INTEGER

/** Points with both system-time columns (NaN where unknown). */
type Timed = Required<ChunkData>

/** A decoded chunk with both system-time columns, as copies the caller may change. */
function timed(d: ChunkData): Timed {
  const createdAt = d.createdAt ? [...d.createdAt] : new Array<number>(d.ts.length).fill(NaN)
  return {
    ts: [...d.ts],
    values: [...d.values],
    createdAt,
    modifiedAt: d.modifiedAt ? [...d.modifiedAt] : [...createdAt],
  }
}

function keyColumn(key: InstanceTime): 'ts' | 'createdAt' | 'modifiedAt' {
  return key === 'observedAt' ? 'ts' : key
}

/** Appends to `out` the points of `d` whose time under `key` is in [from, to). */
function collectTimed(d: ChunkData, key: InstanceTime, from: number, to: number, out: Timed): void {
  const created = d.createdAt
  const modified = d.modifiedAt ?? created
  const times = key === 'observedAt' ? d.ts : key === 'createdAt' ? created : modified
  if (!times) return
  for (let i = 0; i < d.ts.length; i++) {
    const t = times[i] as number
    if (!(t >= from && t < to)) continue
    out.ts.push(d.ts[i] as number)
    out.values.push(d.values[i] as ObservedValue)
    const c = created?.[i] ?? NaN
    out.createdAt.push(c)
    out.modifiedAt.push(modified?.[i] ?? c)
  }
}
