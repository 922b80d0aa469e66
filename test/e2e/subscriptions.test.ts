/**
 * Subscriptions in the real server: device data arriving over MQTT (the durable ingest path)
 * notifies an HTTP endpoint; subscriptions and their delivery status survive a restart (SQLite);
 * the SSRF guard is on unless CIVITAS_ALLOW_PRIVATE_CALLBACKS is set.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type CivitasApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load-config.js'
import type { ProvisionResult } from '../../src/ingest/device-registry.js'
import { silentLogger } from '../../src/log/logger.js'
import { startReceiver, type Receiver } from '../helpers/notification-receiver.js'

const dataDir = mkdtempSync(join(tmpdir(), 'civitas-subs-e2e-'))
const config = (allowPrivate: boolean) =>
  loadConfig(
    {},
    {
      dataDir,
      logLevel: 'silent',
      http: { host: '127.0.0.1', port: 0 },
      mqtt: { host: '127.0.0.1', port: 0 },
      callbacks: { allowPrivate },
    },
  )

let app: CivitasApp
let http: string
let mqttUrl: string
let rx: Receiver
let dev: ProvisionResult

async function boot(allowPrivate = true) {
  app = await createApp(config(allowPrivate), { log: silentLogger })
  const { httpPort, mqttPort } = await app.start()
  http = `http://127.0.0.1:${httpPort}`
  mqttUrl = `mqtt://127.0.0.1:${mqttPort ?? 0}`
}

async function publish(payload: Record<string, unknown>) {
  const c = await mqtt.connectAsync(mqttUrl, {
    username: dev.username,
    password: dev.secret,
    reconnectPeriod: 0,
  })
  await c.publishAsync(dev.topic, JSON.stringify(payload), { qos: 1 })
  await c.endAsync()
}

async function getSubscription(): Promise<Record<string, Record<string, unknown>>> {
  const r = await fetch(`${http}/ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:water`)
  expect(r.status).toBe(200)
  return (await r.json()) as Record<string, Record<string, unknown>>
}

beforeAll(async () => {
  rx = await startReceiver()
  await boot()
  const r = await fetch(`${http}/api/v1/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.adminToken}` },
    body: JSON.stringify({
      id: 'wm-1',
      profile: 'water-meter',
      location: { lon: 11.31, lat: 46.49 },
    }),
  })
  expect(r.status).toBe(201)
  dev = (await r.json()) as ProvisionResult
})
afterAll(async () => {
  await app.stop()
  await rx.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('subscriptions in the running server', () => {
  it('notifies on MQTT-ingested changes that match q and geoQ', async () => {
    await publish({ observedAt: '2026-03-01T08:00:00Z', waterConsumption: 5 })
    const res = await fetch(`${http}/ngsi-ld/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'urn:ngsi-ld:Subscription:water',
        type: 'Subscription',
        entities: [{ type: 'WaterConsumptionObserved' }],
        watchedAttributes: ['waterConsumption'],
        q: 'waterConsumption>100',
        geoQ: { geometry: 'Point', coordinates: [11.31, 46.49], georel: 'near;maxDistance==1000' },
        notification: {
          format: 'keyValues',
          attributes: ['waterConsumption'],
          endpoint: { uri: `${rx.url}/water` },
        },
      }),
    })
    expect(res.status).toBe(201)
    await publish({ observedAt: '2026-03-01T09:00:00Z', waterConsumption: 50 })
    await publish({ observedAt: '2026-03-01T10:00:00Z', waterConsumption: 150 })
    const n = await rx.next(5000)
    expect(n.body['data']).toEqual([
      { id: dev.entityId, type: 'WaterConsumptionObserved', waterConsumption: 150 },
    ])
    await app.subscriptions.settled()
    expect(rx.received).toHaveLength(1)
  })

  it('keeps subscriptions and their delivery status across a restart', async () => {
    await new Promise((r) => setTimeout(r, 700)) // one delivery-status flush
    await app.stop()
    await boot()
    expect((await getSubscription())['notification']).toMatchObject({ timesSent: 1, status: 'ok' })
    await publish({ observedAt: '2026-03-01T11:00:00Z', waterConsumption: 200 })
    expect((await rx.next(5000)).body['data']).toMatchObject([{ waterConsumption: 200 }])
  })

  it('refuses loopback callbacks when private callbacks are not allowed', async () => {
    await app.stop()
    await boot(false)
    const res = await fetch(`${http}/ngsi-ld/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'Subscription',
        entities: [{ type: 'WaterConsumptionObserved' }],
        notification: { endpoint: { uri: `${rx.url}/x` } },
      }),
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/json')
    // The stored subscription's loopback endpoint is refused at send time too.
    const before = rx.received.length
    await publish({ observedAt: '2026-03-01T12:00:00Z', waterConsumption: 300 })
    await app.subscriptions.settled()
    expect(rx.received.length).toBe(before)
    expect((await getSubscription())['notification']).toMatchObject({ status: 'failed' })
  })
})
