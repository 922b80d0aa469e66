/**
 * The durability promise under power-cut conditions: the server is killed with SIGKILL during
 * sustained QoS 1 ingest, restarted, and every observation whose PUBACK a publisher received must
 * be in the history. 2 kills in the normal suite, 20 with `npm run test:slow` (CIVITAS_SLOW=1).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/free-port.js'
import {
  operatorToken,
  serverEnv,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js'

const KILLS = process.env.CIVITAS_SLOW === '1' ? 20 : 2
const DEVICES = 40
const dataDir = mkdtempSync(join(tmpdir(), 'civitas-crash-'))
let server: ServerProcess | undefined

afterAll(async () => {
  await server?.kill()
  rmSync(dataDir, { recursive: true, force: true })
})

interface Dev {
  id: string
  secret: string
  topic: string
  entityId: string
  next: number
  acked: Set<number>
}

/** Publishes QoS 1 messages with up to `window` in flight per device until stopped. */
function publishUntilStopped(mqttUrl: string, devs: Dev[], base: number) {
  let running = true
  const clients = devs.map((d) => {
    const c = mqtt.connect(mqttUrl, {
      username: d.id,
      password: d.secret,
      clientId: `${d.id}-${Math.random()}`,
      reconnectPeriod: 0,
      clean: true,
    })
    c.on('error', () => undefined)
    const pump = () => {
      while (running && c.connected && inflight < 20) {
        const seq = d.next++
        inflight++
        c.publish(
          d.topic,
          JSON.stringify({ observedAt: new Date(base + seq * 1000).toISOString(), n: seq }),
          { qos: 1 },
          (err) => {
            inflight--
            if (!err) d.acked.add(seq)
            if (running && !err) pump()
          },
        )
      }
    }
    let inflight = 0
    c.on('connect', pump)
    return c
  })
  return () => {
    running = false
    for (const c of clients) c.end(true)
  }
}

/** Every stored value of a device, read in windows small enough that nothing is downsampled. */
async function historyValues(httpUrl: string, d: Dev, base: number): Promise<Set<number>> {
  const out = new Set<number>()
  const windowSeconds = 9_000 // one point per second of data time: below the 10,000 maxPoints cap
  for (let from = 0; from <= d.next; from += windowSeconds) {
    const q = new URLSearchParams({
      entityId: d.entityId,
      attr: 'n',
      from: new Date(base + from * 1000).toISOString(),
      to: new Date(base + (from + windowSeconds) * 1000).toISOString(),
      maxPoints: '10000',
    })
    const r = await fetch(`${httpUrl}/api/v1/history?${q}`)
    expect(r.status).toBe(200)
    for (const p of ((await r.json()) as { points: [number, number][] }).points) out.add(p[1])
  }
  return out
}

describe('crash safety', () => {
  it(
    `loses no acknowledged observation across ${KILLS} SIGKILLs during QoS 1 ingest`,
    { timeout: 60_000 + KILLS * 30_000 },
    async () => {
      const [httpPort, mqttPort] = [await freePort(), await freePort()]
      const env = serverEnv(dataDir, httpPort, mqttPort)
      server = await startServerProcess('start', env)
      const token = operatorToken(dataDir)
      const res = await fetch(`${server.httpUrl}/api/v1/devices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(
          Array.from({ length: DEVICES }, (_, i) => ({ id: `crash-${i}`, profile: 'generic' })),
        ),
      })
      expect(res.status).toBe(201)
      const devs: Dev[] = (
        (await res.json()) as { id: string; secret: string; topic: string; entityId: string }[]
      ).map((d) => ({ ...d, next: 0, acked: new Set() }))
      const base = Date.now() - 24 * 3_600_000
      let totalAcked = 0
      for (let k = 0; k < KILLS; k++) {
        const stop = publishUntilStopped(`mqtt://127.0.0.1:${mqttPort}`, devs, base)
        // Kill at a random moment of sustained ingest.
        await new Promise((r) => setTimeout(r, 800 + Math.random() * 1500))
        await server.kill()
        stop()
        server = await startServerProcess('start', env)
        totalAcked = 0
        for (const d of devs) {
          const stored = await historyValues(server.httpUrl, d, base)
          const missing = [...d.acked].filter((s) => !stored.has(s))
          expect(missing, `device ${d.id} after kill ${k + 1}: acknowledged but missing`).toEqual(
            [],
          )
          totalAcked += d.acked.size
        }
      }
      console.info(
        `crash test: ${totalAcked} acknowledged observations verified after ${KILLS} SIGKILLs`,
      )
      // The test must have exercised something: thousands of acknowledged messages.
      expect(totalAcked).toBeGreaterThan(KILLS * 200)
      expect(await server.terminate()).toBe(0)
      server = undefined
    },
  )
})
