// History benchmarks on the built store (the query layer every reader uses), in-process:
//  - bytes per data point at rest for regular 1-minute series over a year, against the
//    uncompressed row table (one row per point under an (entity, attr, ts) index), same run;
//  - ingest rate with background compaction running vs without;
//  - query latency at a large load: 1 series × 1 week raw, 100 series × 1 year hourly averages,
//    a 1-year dashboard chart (rollup averages + LTTB, as GET /api/v1/history does).
// Scale: BENCH_HISTORY_SERIES (series of one year each, 525,600 points a series).
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { setImmediate } from 'node:timers'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { openSqliteStore } from '../dist/store/sqlite/sqlite-store.js'
import { lttb } from '../dist/core/lttb.js'
import { chartPeriod } from '../dist/services/live/live-routes.js'
import { tempDir } from './lib.js'

const V = 'https://uri.etsi.org/ngsi-ld/default-context/'
const ATTR = V + 'temperature'
const T0 = Date.parse('2025-01-01T00:00:00Z')
const MIN = 60_000
const YEAR_MIN = 365 * 1440
const HISTORY = { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 50_000_000 }

/** A temperature-like reading (0.1 °C steps): daily and yearly cycles plus deterministic noise. */
function reading(s, m) {
  const day = Math.sin((2 * Math.PI * (m % 1440)) / 1440)
  const year = Math.sin((2 * Math.PI * m) / YEAR_MIN)
  const noise = ((m * 2654435761 + s * 40503) % 7) - 3
  return Math.round(120 + 80 * year + 50 * day + noise + s * 3) / 10
}

function fileBytes(file) {
  let n = 0
  for (const f of [file, `${file}-wal`]) {
    try {
      n += statSync(f).size
    } catch {
      /* absent */
    }
  }
  return n
}

/** A store with every background timer off: the benchmark seals and compacts when it says so. */
function openQuietStore(file) {
  return openSqliteStore({
    file,
    history: HISTORY,
    sealIntervalMs: 0,
    retentionIntervalMs: 0,
    compactIntervalMs: 0,
  })
}

/** Loads `series` series × `minutes` of 1-minute data through store.ingest, sealing as the timer would. */
async function load(store, series, minutes, { onBatch } = {}) {
  const perBatch = Math.max(1, Math.floor(20_000 / series))
  for (let m0 = 0; m0 < minutes; m0 += perBatch) {
    const observations = []
    const patches = []
    for (let m = m0; m < Math.min(minutes, m0 + perBatch); m++) {
      for (let s = 0; s < series; s++)
        observations.push({
          entityId: `urn:ngsi-ld:WeatherObserved:w-${s}`,
          attr: ATTR,
          observedAt: T0 + m * MIN,
          value: reading(s, m),
          unitCode: 'CEL',
        })
    }
    if (m0 === 0)
      for (let s = 0; s < series; s++)
        patches.push({
          entityId: `urn:ngsi-ld:WeatherObserved:w-${s}`,
          entityType: V + 'WeatherObserved',
          attrs: {
            [ATTR]: {
              type: 'Property',
              value: reading(s, 0),
              observedAt: new Date(T0).toISOString(),
            },
          },
        })
    await store.ingest([{ tenant: 'default', patches, observations, activity: [] }])
    store.seal()
    await onBatch?.()
  }
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

async function timeIt(runs, fn) {
  const ms = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn(i)
    ms.push(performance.now() - t)
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), runs }
}

/** Bytes per point of Civitas (chunks + rollups + everything else in the file) vs a row table. */
async function bytesAtRest(series) {
  const dir = tempDir('history-size')
  const file = join(dir, 'civitas.db')
  const store = openQuietStore(file)
  const t = performance.now()
  await load(store, series, YEAR_MIN)
  store.seal(true)
  while (store.compact(100).written > 0);
  const loadSeconds = (performance.now() - t) / 1000
  store.db.pragma('wal_checkpoint(TRUNCATE)')
  const points = series * YEAR_MIN
  const before = fileBytes(file)
  const parts = store.db
    .prepare(
      "SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name IN ('chunk', 'rollup', 'obs_log') GROUP BY name",
    )
    .all()
  store.db.exec('VACUUM')
  store.db.pragma('wal_checkpoint(TRUNCATE)')
  const after = fileBytes(file)
  await store.close()
  rmSync(dir, { recursive: true, force: true })

  // Baseline: one row per point under an (entity, attr, ts) index, same values, same file setup.
  const bdir = tempDir('history-rows')
  const bfile = join(bdir, 'rows.db')
  const db = new Database(bfile)
  db.pragma('journal_mode = WAL')
  db.exec(
    'CREATE TABLE obs (entity TEXT NOT NULL, attr TEXT NOT NULL, ts INTEGER NOT NULL, value REAL)',
  )
  db.exec('CREATE INDEX obs_key ON obs (entity, attr, ts)')
  const insert = db.prepare('INSERT INTO obs VALUES (?, ?, ?, ?)')
  const baseSeries = Math.min(series, 2)
  const tx = db.transaction((m0) => {
    for (let m = m0; m < Math.min(YEAR_MIN, m0 + 10_000); m++)
      for (let s = 0; s < baseSeries; s++)
        insert.run(`urn:ngsi-ld:WeatherObserved:w-${s}`, ATTR, T0 + m * MIN, reading(s, m))
  })
  for (let m0 = 0; m0 < YEAR_MIN; m0 += 10_000) tx(m0)
  db.pragma('wal_checkpoint(TRUNCATE)')
  const rowBytes = fileBytes(bfile)
  db.close()
  rmSync(bdir, { recursive: true, force: true })
  const basePoints = baseSeries * YEAR_MIN
  return {
    series,
    points,
    loadSeconds,
    bytesPerPoint: after / points,
    bytesPerPointBeforeVacuum: before / points,
    parts: Object.fromEntries(parts.map((p) => [p.name, p.bytes / points])),
    rowTable: { points: basePoints, bytesPerPoint: rowBytes / basePoints },
    ratioToRowTable: after / points / (rowBytes / basePoints),
  }
}

/** Points per second through store.ingest with the sealing timer, with and without compaction. */
async function ingestWithCompaction() {
  const run = async (compact) => {
    const dir = tempDir('history-ingest')
    // Small seals leave many small chunks: compaction has real work while ingest runs.
    const store = openSqliteStore({
      file: join(dir, 'civitas.db'),
      history: { ...HISTORY, sealPoints: 200 },
      sealIntervalMs: 0,
      retentionIntervalMs: 0,
      // The production interval (2 s, 10 series a tick).
      compactIntervalMs: compact ? 2000 : 0,
    })
    let compactions = 0
    const t = performance.now()
    // 100 series × 20,000 minutes = 2M points; yield between batches so the timer can run.
    await load(store, 100, 20_000, {
      onBatch: () => new Promise((r) => setImmediate(r)),
    })
    const seconds = (performance.now() - t) / 1000
    if (compact)
      compactions = store.db.prepare('SELECT count(*) AS n FROM chunk WHERE n > 200').get().n
    await store.close()
    rmSync(dir, { recursive: true, force: true })
    return { pointsPerSecond: 2_000_000 / seconds, mergedChunks: compactions }
  }
  // Alternated pairs: the machine's load drifts between runs, so each side gets early and late slots.
  const without = []
  const withCompaction = []
  for (let i = 0; i < 2; i++) {
    without.push(await run(false))
    withCompaction.push(await run(true))
  }
  const mean = (xs) => xs.reduce((a, x) => a + x.pointsPerSecond, 0) / xs.length
  return { without, withCompaction, ratio: mean(withCompaction) / mean(without) }
}

async function queries(series) {
  // BENCH_HISTORY_DB keeps the loaded database for later runs (loading 100 M points takes
  // minutes): an existing file loaded with the same series count is reused as it is.
  const kept = process.env.BENCH_HISTORY_DB
  const dir = kept ? undefined : tempDir('history-query')
  const file = kept ?? join(dir, 'civitas.db')
  const marker = `${file}.loaded.json`
  let loadSeconds
  if (kept && existsSync(marker) && JSON.parse(readFileSync(marker, 'utf8')).series === series) {
    loadSeconds = JSON.parse(readFileSync(marker, 'utf8')).loadSeconds
  } else {
    if (kept)
      for (const f of [file, `${file}-wal`, `${file}-shm`, marker]) rmSync(f, { force: true })
    // Loaded by a child process: the queries then run in a process whose heap holds none of the
    // load's garbage, as in a server restarted on that database.
    const t = performance.now()
    await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [fileURLToPath(import.meta.url), 'load', file, String(series)],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      )
      child.once('error', reject)
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`history load exited with ${code}`)),
      )
    })
    loadSeconds = (performance.now() - t) / 1000
    if (kept) writeFileSync(marker, JSON.stringify({ series, loadSeconds }))
  }
  // Reopened: reads start from what is on disk, as after a restart.
  const store = openQuietStore(file)
  store.history.warmUp()
  const id = (s) => `urn:ngsi-ld:WeatherObserved:w-${s}`
  const week = 7 * 1440 * MIN
  const weekRaw = await timeIt(50, async (i) => {
    const from = T0 + ((i * 7919) % 50) * week
    const r = await store.temporal.query('default', {
      entityId: id(i % series),
      attrs: [ATTR],
      range: { from, to: from + week },
      limit: 20_000,
    })
    if (r.get(ATTR)?.length !== 10_080) throw new Error('a week has 10,080 minutes')
  })
  // 100 series; with fewer loaded, the loaded ones are asked in turn (each call decodes its own
  // year of hourly rollups either way).
  const yearHourly = await timeIt(10, async (i) => {
    for (let s = 0; s < 100; s++) {
      const r = await store.temporal.aggregate('default', {
        entityId: id((i * 100 + s) % series),
        attrs: [ATTR],
        range: { from: T0, to: T0 + YEAR_MIN * MIN },
        methods: ['avg'],
        periodMs: 3_600_000,
      })
      if (r.get(ATTR)?.length !== 8760) throw new Error('a year has 8,760 hours')
    }
  })
  const chart = await timeIt(20, async (i) => {
    const from = T0
    const to = T0 + YEAR_MIN * MIN
    const period = chartPeriod(to - from, 1000)
    const r = await store.temporal.aggregate('default', {
      entityId: id(i % series),
      attrs: [ATTR],
      range: { from, to },
      methods: ['avg'],
      periodMs: period.ms,
    })
    const a = r.get(ATTR)
    const points = Array.from({ length: a.length }, (_, i) => [
      (a.start[i] + a.end[i]) / 2,
      a.values.avg[i],
    ])
    if (lttb(points, 1000).length > 1000) throw new Error('more points than pixels')
  })
  const bytes = fileBytes(file)
  await store.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  return {
    series,
    points: series * YEAR_MIN,
    loadSeconds,
    bytesPerPoint: bytes / (series * YEAR_MIN),
    oneSeriesWeekRawMs: weekRaw,
    hundredSeriesYearHourlyAvgMs: { ...yearHourly, distinctSeries: Math.min(100, series) },
    yearChartMs: chart,
  }
}

/** `parts`: any of size, ingest, query (all by default). */
export async function benchHistory({
  sizeSeries,
  querySeries,
  parts = ['size', 'ingest', 'query'],
}) {
  const out = {}
  if (parts.includes('size')) {
    out.size = await bytesAtRest(sizeSeries)
    console.error('history: size done', JSON.stringify(out.size))
  }
  if (parts.includes('ingest')) {
    out.ingest = await ingestWithCompaction()
    console.error('history: ingest done', JSON.stringify(out.ingest))
  }
  if (parts.includes('query')) out.query = await queries(querySeries)
  return out
}

/** `node bench/history-bench.js load FILE SERIES`: the query benchmark's loader, in its own process. */
async function loadFile(file, series) {
  const store = openQuietStore(file)
  await load(store, series, YEAR_MIN)
  store.seal(true)
  while (store.compact(100).written > 0);
  await store.close()
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'load')
  await loadFile(process.argv[3], Number(process.argv[4]))
