// `npm run bench [-- mqtt http query subscriptions]`: runs the benchmarks against the built server and prints
// figures with their same-run baselines as JSON (also written to bench/results-<date>.json).
// Scale with BENCH_DEVICES, BENCH_MESSAGES (per device), BENCH_ENTITIES (comma list),
// BENCH_HISTORY_SERIES / BENCH_HISTORY_SIZE_SERIES (one-year 1-minute series).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { benchHttpIngest, benchQueries } from './http-bench.js'
import { benchHistory } from './history-bench.js'
import { benchMqttIngest } from './mqtt-ingest.js'
import { benchSubscriptions } from './subscriptions-bench.js'
import { ROOT } from './lib.js'

const env = process.env
const which = new Set(
  process.argv.slice(2).length
    ? process.argv.slice(2)
    : ['mqtt', 'http', 'query', 'subscriptions', 'history'],
)
const results = { date: new Date().toISOString(), node: process.version }

if (which.has('mqtt')) {
  const devices = Number(env.BENCH_DEVICES ?? 10_000)
  const messages = Number(env.BENCH_MESSAGES ?? 100)
  const r = await benchMqttIngest({
    devices,
    messages,
    points: 10,
    window: Number(env.BENCH_WINDOW ?? 2),
    processes: Number(env.BENCH_PUBLISHERS ?? 4),
  })
  r.ratios = {
    toRawAedes: r.civitas.pointsPerSecond / r.rawAedes.pointsPerSecond,
    toRawSqlite: r.civitas.pointsPerSecond / r.rawSqlite.rowsPerSecond,
  }
  // The burst: 10× the in-flight window of the sustained run, peak memory of the server.
  const burst = await benchMqttIngest({
    devices,
    messages: Math.max(10, Math.floor(messages / 5)),
    points: 10,
    window: 10 * Number(env.BENCH_WINDOW ?? 2),
    processes: Number(env.BENCH_PUBLISHERS ?? 4),
  })
  r.burst = {
    pointsPerSecond: burst.civitas.pointsPerSecond,
    peakRssMb: burst.civitas.peakRssMb,
    failed: burst.civitas.failed,
  }
  results.mqtt = { devices, messagesPerDevice: messages, pointsPerMessage: 10, ...r }
  console.log(JSON.stringify({ mqtt: results.mqtt }, null, 2))
}
if (which.has('http')) {
  results.http = await benchHttpIngest({ batch: 100 })
  console.log(JSON.stringify({ http: results.http }, null, 2))
}
if (which.has('query')) {
  const counts = (env.BENCH_ENTITIES ?? '10000,1000000').split(',').map(Number)
  const q = await benchQueries({ counts })
  for (const v of Object.values(q)) {
    // Each figure against the baseline measured just before it (http-bench.js).
    const b = v.baseline
    v.ratios = {
      retrieveToBare: v.retrieveById.reqPerSec / b.bareFastify.reqPerSec,
      // Like for like: the bare route asked with a new path per request, as retrieve is.
      retrieveToBareById: v.retrieveById.reqPerSec / b.bareFastifyById.reqPerSec,
      queryToBare: v.queryTypeQ.reqPerSec / b.bareFastify.reqPerSec,
      // Like for like: a bare route returning a fixed page of 20 entities.
      queryToBarePage20: v.queryTypeQ.reqPerSec / b.bareFastifyPage20.reqPerSec,
    }
    // The same comparison by server CPU per request (bare / Civitas): steadier than req/s,
    // which moves with how the two cores are shared between the server and autocannon.
    const cost = (bare, ours) =>
      bare?.serverCpuUsPerReq && ours?.serverCpuUsPerReq
        ? bare.serverCpuUsPerReq / ours.serverCpuUsPerReq
        : undefined
    v.cpuRatios = {
      retrieveToBare: cost(b.bareFastify, v.retrieveById),
      retrieveToBareById: cost(b.bareFastifyById, v.retrieveById),
      queryToBarePage20: cost(b.bareFastifyPage20, v.queryTypeQ),
    }
  }
  results.query = q
  console.log(JSON.stringify({ query: q }, null, 2))
}
if (which.has('subscriptions')) {
  // Smaller than the mqtt section so both runs (without, then with 1,000 subscriptions) stay short.
  const devices = Number(env.BENCH_SUB_DEVICES ?? 2_000)
  const messages = Number(env.BENCH_SUB_MESSAGES ?? 50)
  const r = await benchSubscriptions({
    devices,
    messages,
    points: 10,
    window: Number(env.BENCH_WINDOW ?? 2),
    processes: Number(env.BENCH_PUBLISHERS ?? 4),
  })
  results.subscriptions = { devices, messagesPerDevice: messages, pointsPerMessage: 10, ...r }
  console.log(JSON.stringify({ subscriptions: results.subscriptions }, null, 2))
}
if (which.has('history')) {
  // Series of one year of 1-minute points each (525,600 points a series).
  results.history = await benchHistory({
    sizeSeries: Number(env.BENCH_HISTORY_SIZE_SERIES ?? 20),
    querySeries: Number(env.BENCH_HISTORY_SERIES ?? 200),
    ...(env.BENCH_HISTORY_PARTS && { parts: env.BENCH_HISTORY_PARTS.split(',') }),
  })
  console.log(JSON.stringify({ history: results.history }, null, 2))
}
writeFileSync(
  join(ROOT, 'bench', `results-${results.date.slice(0, 10)}.json`),
  JSON.stringify(results, null, 2),
)
