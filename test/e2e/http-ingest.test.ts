/**
 * Devices over HTTP and the device registry API: 200 means durable; every malformed request gets a
 * 4xx problem-details answer and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProvisionResult } from '../../src/ingest/device-registry.js'
import { startTestCivitas, type TestCivitas } from '../helpers/test-app.js'

let civ: TestCivitas
let dev: ProvisionResult

beforeAll(async () => {
  civ = await startTestCivitas({ http: { bodyLimit: 64 * 1024 } })
  const r = await fetch(`${civ.httpUrl}/api/v1/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${civ.app.adminToken}` },
    body: JSON.stringify({
      id: 'wm-1',
      profile: 'water-meter',
      connectivity: 'nb-iot',
      location: { lon: 11.31, lat: 46.49 },
    }),
  })
  expect(r.status).toBe(201)
  dev = (await r.json()) as ProvisionResult
})
afterAll(async () => {
  await civ.stop()
})

const post = (body: string, headers: Record<string, string> = {}, id = 'wm-1') =>
  fetch(`${civ.httpUrl}/api/v1/devices/${id}/measurements`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${dev.secret}`,
      ...headers,
    },
    body,
  })

async function problem(
  r: Response,
  status: number,
): Promise<{ type: string; title: string; detail?: string }> {
  expect(r.status).toBe(status)
  expect(r.headers.get('content-type')).toMatch(/^application\/(problem\+)?json/)
  const b = (await r.json()) as { type: string; title: string; status: number; detail?: string }
  expect(b.type).toMatch(/^https:\/\//)
  expect(b.title.length).toBeGreaterThan(0)
  expect(b.status).toBe(status)
  return b
}

async function latest(): Promise<number | undefined> {
  const e = await civ.app.store.entities.get('default', dev.entityId)
  return e?.attrs['https://uri.etsi.org/ngsi-ld/default-context/waterConsumption']?.[0]?.value as
    number | undefined
}

describe('HTTP ingest', () => {
  it('provisioning answers with the secret, topic and entity id', () => {
    expect(dev).toMatchObject({
      id: 'wm-1',
      entityId: 'urn:ngsi-ld:WaterConsumptionObserved:wm-1',
      topic: 'civitas/default/devices/wm-1/up',
    })
    expect(dev.secret.length).toBeGreaterThan(30)
  })

  it('stores one measurement and a batch; 200 only after the commit', async () => {
    const r1 = await post(
      JSON.stringify({ observedAt: '2026-03-01T08:00:00Z', waterConsumption: 12.5 }),
    )
    expect(r1.status).toBe(200)
    expect(await r1.json()).toEqual({ accepted: 1, points: 1 })
    expect(await latest()).toBe(12.5)
    const batch = Array.from({ length: 24 }, (_, h) => ({
      observedAt: `2026-03-02T${String(h).padStart(2, '0')}:00:00Z`,
      waterConsumption: h,
      alarmInProgress: false,
    }))
    const r2 = await post(JSON.stringify(batch))
    expect(await r2.json()).toEqual({ accepted: 24, points: 48 })
    expect(await latest()).toBe(23)
  })

  it('refuses missing and wrong credentials with 401 and counts the wrong secret', async () => {
    await problem(await post('{"waterConsumption":1}', { authorization: '' }), 401)
    const before = (await civ.app.store.devices.get('default', 'wm-1'))?.rejected ?? 0
    await problem(await post('{"waterConsumption":1}', { authorization: 'Bearer wrong' }), 401)
    await problem(await post('{"waterConsumption":1}', {}, 'nobody'), 401)
    // Counters are written with the next commit.
    await post(JSON.stringify({ waterConsumption: 13 }))
    expect((await civ.app.store.devices.get('default', 'wm-1'))?.rejected).toBe(before + 1)
  })

  it('answers malformed bodies with 400 problem details and stores nothing', async () => {
    const value = await latest()
    await problem(await post('{"waterConsumption": '), 400)
    const cases = [
      '{"waterConsumption":"lots"}',
      '{"temperature":1}',
      '{"waterConsumption":1,"observedAt":"2999-01-01T00:00:00Z"}',
      '[]',
      '[{"waterConsumption":1},{"waterConsumption":"x"}]',
      '"text"',
    ]
    for (const c of cases) {
      const b = await problem(await post(c), 400)
      expect(b.detail).toBeTruthy()
    }
    expect(await latest()).toBe(value)
  })

  it('answers oversized bodies with 413 and non-JSON with 415', async () => {
    await problem(
      await post(JSON.stringify({ waterConsumption: 1, pad: 'x'.repeat(100_000) })),
      413,
    )
    const r = await post('waterConsumption=1', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(r.status).toBe(415)
  })

  it('device registry: operator token required to change; list shows health and counters, never secrets', async () => {
    const denied = await fetch(`${civ.httpUrl}/api/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x', profile: 'generic' }),
    })
    await problem(denied, 401)
    const bad = await fetch(`${civ.httpUrl}/api/v1/devices`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${civ.app.adminToken}`,
      },
      body: JSON.stringify({ id: 'bad id!', profile: 'generic' }),
    })
    await problem(bad, 400)
    const list = (await (await fetch(`${civ.httpUrl}/api/v1/devices`)).json()) as {
      total: number
      items: Record<string, unknown>[]
    }
    expect(list.total).toBe(1)
    expect(list.items[0]).toMatchObject({ id: 'wm-1', health: 'ok', connectivity: 'nb-iot' })
    expect(JSON.stringify(list)).not.toMatch(/secret|sha256/i)
    const rotated = await fetch(`${civ.httpUrl}/api/v1/devices/wm-1/secret`, {
      method: 'POST',
      headers: { authorization: `Bearer ${civ.app.adminToken}` },
    })
    const fresh = (await rotated.json()) as ProvisionResult
    expect(fresh.secret).not.toBe(dev.secret)
    await problem(await post('{"waterConsumption":1}'), 401)
    dev = fresh
    expect((await post('{"waterConsumption":2}')).status).toBe(200)
  })

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect(await (await fetch(`${civ.httpUrl}/healthz`)).json()).toEqual({ status: 'ok' })
    expect((await fetch(`${civ.httpUrl}/readyz`)).status).toBe(200)
    const m = await (await fetch(`${civ.httpUrl}/metrics`)).text()
    for (const name of [
      'civitas_ingest_points_total',
      'civitas_ingest_queue_points',
      'civitas_ingest_commit_seconds',
      'civitas_mqtt_connected_devices',
    ])
      expect(m).toContain(name)
    const doc = (await (await fetch(`${civ.httpUrl}/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/devices/{id}/measurements',
        '/api/v1/devices',
        '/healthz',
        '/metrics',
      ]),
    )
  })
})
