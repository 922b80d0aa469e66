// Durable MQTT QoS 1 ingest from many devices in separate publisher processes, against two
// baselines measured in the same run: raw aedes QoS 1 pass-through (no auth, no storage) and a raw
// batched better-sqlite3 insert of the same rows (WAL, synchronous=FULL).
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { freePort, peakRssMb, provision, ROOT, sleep, startServer, tempDir } from './lib.js'

export async function drive({ mqttUrl, devices, messages, points, window, processes }) {
  const dir = tempDir('pubs')
  const per = Math.ceil(devices.length / processes)
  const kids = []
  for (let p = 0; p < processes; p++) {
    const file = join(dir, `devices-${p}.json`)
    writeFileSync(file, JSON.stringify(devices.slice(p * per, (p + 1) * per)))
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bench/mqtt-publisher.js'),
        file,
        mqttUrl,
        String(messages),
        String(points),
        String(window),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    )
    const lines = []
    let buf = ''
    child.stdout.on('data', (d) => {
      buf += d
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, i)))
        buf = buf.slice(i + 1)
      }
    })
    kids.push({ child, lines })
  }
  while (kids.some((k) => k.lines.length < 1)) await sleep(50)
  const started = performance.now()
  for (const k of kids) k.child.stdin.write('go\n')
  while (kids.some((k) => k.lines.length < 2)) await sleep(50)
  const seconds = (performance.now() - started) / 1000
  const acked = kids.reduce((s, k) => s + k.lines[1].acked, 0)
  const failed = kids.reduce((s, k) => s + k.lines[1].failed, 0)
  return { seconds, acked, failed, pointsPerSecond: (acked * points) / seconds }
}

function rawSqlite(rows, series) {
  const dir = tempDir('rawsqlite')
  const db = new Database(join(dir, 'raw.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE obs (entity TEXT, attr TEXT, ts INTEGER, value REAL)')
  const ins = db.prepare('INSERT INTO obs VALUES (?, ?, ?, ?)')
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++)
      ins.run(
        `urn:ngsi-ld:Device:d${i % (series / 10)}`,
        `m${i % 10}`,
        1_700_000_000_000 + i,
        i * 0.1,
      )
  })
  const started = performance.now()
  for (let i = 0; i < rows; i += 10_000) batch(i, Math.min(rows, i + 10_000))
  const seconds = (performance.now() - started) / 1000
  db.close()
  return { rows, seconds, rowsPerSecond: rows / seconds }
}

export async function benchMqttIngest(opts) {
  const { devices: n, messages, points, window, processes } = opts
  const results = {}

  // 1. Civitas: embedded broker, authentication, validation, group commit to SQLite.
  const server = await startServer()
  const specs = Array.from({ length: n }, (_, i) => ({ id: `b-${i}`, profile: 'generic' }))
  const devices = await provision(server, specs)
  let peak = 0
  const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(server.pid))), 1000)
  results.civitas = await drive({
    mqttUrl: `mqtt://127.0.0.1:${server.mqttPort}`,
    devices,
    messages,
    points,
    window,
    processes,
  })
  clearInterval(sampler)
  results.civitas.peakRssMb = Math.max(peak, peakRssMb(server.pid))
  const check = await (await fetch(`${server.url}/metrics`)).text()
  results.civitas.committedPoints = Number(
    /^civitas_ingest_points_total (\d+)/m.exec(check)?.[1] ?? NaN,
  )
  await server.stop()

  // 2. Baseline: bare aedes acknowledging the same publishers.
  const port = await freePort()
  const aedes = spawn(process.execPath, [join(ROOT, 'bench/raw-aedes.js'), String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise((r) => aedes.stdout.once('data', r))
  results.rawAedes = await drive({
    mqttUrl: `mqtt://127.0.0.1:${port}`,
    devices: devices.map((d) => ({ ...d, secret: 'x' })),
    messages,
    points,
    window,
    processes,
  })
  aedes.kill('SIGTERM')

  // 3. Baseline: the same rows straight into SQLite.
  results.rawSqlite = rawSqlite(n * messages * points, n * points)
  return results
}
