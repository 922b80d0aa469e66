// One publisher process: connects its share of devices, waits for "go" on stdin, then each device
// publishes its messages (QoS 1, `window` in flight) and the process reports acknowledged counts.
import { readFileSync } from 'node:fs'
import mqtt from 'mqtt'

const [, , file, url, messagesArg, pointsArg, windowArg] = process.argv
const devices = JSON.parse(readFileSync(file, 'utf8'))
const messages = Number(messagesArg)
const points = Number(pointsArg)
const window = Number(windowArg)
const base = Date.now() - 3 * 24 * 3_600_000

function payload(seq) {
  const o = { observedAt: new Date(base + seq * 1000).toISOString() }
  for (let i = 0; i < points; i++) o[`m${i}`] = Math.round(Math.random() * 10_000) / 10
  return JSON.stringify(o)
}

const clients = []
for (let i = 0; i < devices.length; i += 100) {
  await Promise.all(
    devices.slice(i, i + 100).map(async (d) => {
      const c = await mqtt.connectAsync(url, {
        username: d.username ?? d.id,
        password: d.secret,
        clientId: d.id,
        clean: true,
        reconnectPeriod: 0,
        keepalive: 600,
      })
      clients.push({ c, d })
    }),
  )
}
process.stdout.write(JSON.stringify({ ready: clients.length }) + '\n')
await new Promise((r) => process.stdin.once('data', r))

let acked = 0
let failed = 0
const started = performance.now()
await Promise.all(
  clients.map(
    ({ c, d }) =>
      new Promise((resolve) => {
        let next = 0
        let inflight = 0
        const pump = () => {
          while (next < messages && inflight < window) {
            const seq = next++
            inflight++
            c.publish(d.topic, payload(seq), { qos: 1 }, (err) => {
              inflight--
              if (err) failed++
              else acked++
              if (next >= messages && inflight === 0) resolve()
              else pump()
            })
          }
        }
        pump()
      }),
  ),
)
const seconds = (performance.now() - started) / 1000
process.stdout.write(JSON.stringify({ acked, failed, seconds }) + '\n')
await Promise.all(clients.map(({ c }) => c.endAsync()))
process.exit(0)
