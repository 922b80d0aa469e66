// Shared helpers for the benchmarks: free ports, a real server process, provisioning, timing.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

export function tempDir(name) {
  return mkdtempSync(join(process.env.CIVITAS_BENCH_DIR ?? tmpdir(), `civitas-bench-${name}-`))
}

/** Starts `civitas start` as its own process on free ports; resolves when healthy. */
// BENCH_SERVER_NODE_ARGS adds Node flags to every server a benchmark starts (e.g. --cpu-prof).
// The young-generation size is the one bin/civitas.js's shebang gives `civitas start`.
const SERVER_NODE_ARGS = [
  '--max-semi-space-size=64',
  ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
]

export async function startServer(env = {}, nodeArgs = SERVER_NODE_ARGS) {
  const dataDir = env.CIVITAS_DATA_DIR ?? tempDir('server')
  const httpPort = await freePort()
  const mqttPort = await freePort()
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin/civitas.js'), 'start'], {
    env: {
      ...process.env,
      CIVITAS_DATA_DIR: dataDir,
      CIVITAS_HTTP_PORT: String(httpPort),
      CIVITAS_HTTP_HOST: '127.0.0.1',
      CIVITAS_MQTT_PORT: String(mqttPort),
      CIVITAS_MQTT_HOST: '127.0.0.1',
      CIVITAS_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const url = `http://127.0.0.1:${httpPort}`
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {
      /* starting */
    }
    await sleep(100)
  }
  const token = readFileSync(join(dataDir, 'operator-token'), 'utf8').trim()
  return {
    child,
    url,
    mqttPort,
    dataDir,
    token,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
  }
}

export async function provision(server, devices) {
  const out = []
  for (let i = 0; i < devices.length; i += 5000) {
    const r = await fetch(`${server.url}/api/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(devices.slice(i, i + 5000)),
    })
    if (r.status !== 201) throw new Error(`provisioning failed: ${r.status} ${await r.text()}`)
    out.push(...(await r.json()))
  }
  return out
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Peak resident memory of a process, from /proc (kB → MB). */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = /VmRSS:\s+(\d+)/.exec(status)
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

export function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

export function fmt(n, digits = 0) {
  return Number(n).toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  })
}
