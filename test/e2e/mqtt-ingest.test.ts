/**
 * Devices over MQTT against the real embedded broker and SQLite: acknowledged means stored, bad
 * input is refused with a reason and changes nothing, and the server keeps running.
 */
import { connect as netConnect } from 'node:net'
import mqtt, { type MqttClient } from 'mqtt'
import mqttPacket from 'mqtt-packet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProvisionResult } from '../../src/ingest/device-registry.js'
import { startTestCivitas, type TestCivitas } from '../helpers/test-app.js'

let civ: TestCivitas
let aq: ProvisionResult
let other: ProvisionResult

beforeAll(async () => {
  civ = await startTestCivitas()
  ;[aq, other] = (await civ.app.registry.provision([
    { id: 'aq-1', profile: 'air-quality', location: { lon: 11.3, lat: 46.5 } },
    { id: 'gen-1', profile: 'generic' },
  ])) as [ProvisionResult, ProvisionResult]
})
afterAll(async () => {
  await civ.stop()
})

function client(
  d: { username: string; secret: string },
  extra: Partial<mqtt.IClientOptions> = {},
): Promise<MqttClient> {
  return mqtt.connectAsync(civ.mqttUrl, {
    username: d.username,
    password: d.secret,
    clientId: d.username + Math.random(),
    reconnectPeriod: 0,
    ...extra,
  })
}

async function entity(id: string): Promise<Record<string, unknown>> {
  const r = await fetch(
    `${civ.httpUrl}/ngsi-ld/v1/entities/${encodeURIComponent(id)}?format=keyValues`,
  )
  expect(r.status).toBe(200)
  return (await r.json()) as Record<string, unknown>
}

describe('MQTT ingest', () => {
  it('stores a QoS 1 message before PUBACK: the value is readable right after the ack', async () => {
    const c = await client(aq)
    await c.publishAsync(
      aq.topic,
      JSON.stringify({ observedAt: '2026-01-01T10:00:00Z', no2: 41.5, pm10: 18 }),
      { qos: 1 },
    )
    const e = await entity(aq.entityId)
    expect(e).toMatchObject({
      id: 'urn:ngsi-ld:AirQualityObserved:aq-1',
      type: 'AirQualityObserved',
      no2: 41.5,
      pm10: 18,
    })
    expect(e.location).toEqual({ type: 'Point', coordinates: [11.3, 46.5] })
    const h = await fetch(
      `${civ.httpUrl}/api/v1/history?entityId=${aq.entityId}&attr=no2&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`,
    )
    expect(((await h.json()) as { points: unknown }).points).toEqual([
      [Date.parse('2026-01-01T10:00:00Z'), 41.5],
    ])
    await c.endAsync()
  })

  it('refuses a wrong secret and an unknown device with CONNACK 4', async () => {
    await expect(client({ username: aq.username, secret: 'nope' })).rejects.toThrow(
      /Bad username or password/i,
    )
    await expect(client({ username: 'ghost', secret: 'nope' })).rejects.toThrow(
      /Bad username or password/i,
    )
  })

  it('disconnects a device that publishes to another device topic, and stores nothing', async () => {
    const c = await client(other)
    const closed = new Promise<void>((r) => c.once('close', () => r()))
    c.publish(aq.topic, JSON.stringify({ no2: 999 }), { qos: 1 })
    await closed
    expect((await entity(aq.entityId)).no2).toBe(41.5)
    c.end(true)
  })

  it('acknowledges malformed payloads, stores nothing, counts and explains them', async () => {
    const c = await client(aq)
    const errors: string[] = []
    await c.subscribeAsync(`civitas/default/devices/aq-1/errors`, { qos: 0 })
    c.on('message', (_t, p) => errors.push((JSON.parse(p.toString()) as { reason: string }).reason))
    const before = await civ.app.store.devices.get('default', 'aq-1')
    const bad = [
      '{not json',
      '[1,2]',
      '{"no2": "high"}',
      '{"colour": 3}',
      '{"no2": 1, "observedAt": "yesterday"}',
      '{}',
    ]
    for (const p of bad) await c.publishAsync(aq.topic, p, { qos: 1 })
    await new Promise((r) => setTimeout(r, 300))
    expect((await entity(aq.entityId)).no2).toBe(41.5)
    const after = await civ.app.store.devices.get('default', 'aq-1')
    expect((after?.rejected ?? 0) - (before?.rejected ?? 0)).toBe(bad.length)
    expect(errors).toHaveLength(bad.length)
    expect(errors.join('\n')).toMatch(/not valid JSON/)
    expect(errors.join('\n')).toMatch(/unknown measurement "colour"/)
    expect(errors.join('\n')).toMatch(/"no2" must be a number/)
    expect(after?.lastError?.reason).toMatch(/no measurements/)
    await c.endAsync()
  })

  it('closes a connection that announces an oversized packet before buffering it, and keeps serving', async () => {
    const huge = mqttPacket.generate({
      cmd: 'connect',
      clientId: 'x',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 10,
      username: aq.username,
      password: Buffer.from(aq.secret),
    })
    const sock = netConnect(civ.mqttPort, '127.0.0.1')
    await new Promise((r) => sock.once('connect', r))
    sock.write(huge)
    // A PUBLISH header announcing 150 MB, then a little of its body.
    const header = mqttPacket
      .generate({
        cmd: 'publish',
        topic: aq.topic,
        payload: Buffer.alloc(150 * 1024 * 1024),
        qos: 0,
        dup: false,
        retain: false,
      })
      .subarray(0, 64)
    sock.write(header)
    await new Promise((r) => sock.once('close', r))
    expect(civ.app.http.server.listening).toBe(true)
    const c = await client(aq)
    await c.publishAsync(aq.topic, JSON.stringify({ no2: 40 }), { qos: 1 })
    expect((await entity(aq.entityId)).no2).toBe(40)
    await c.endAsync()
  })

  it('keeps the latest value when late data arrives, but keeps the late point in history', async () => {
    const c = await client(other)
    await c.publishAsync(
      other.topic,
      JSON.stringify({ observedAt: '2026-02-01T12:00:00Z', level: 5 }),
      { qos: 1 },
    )
    await c.publishAsync(
      other.topic,
      JSON.stringify({ observedAt: '2026-02-01T11:00:00Z', level: 3 }),
      { qos: 1 },
    )
    expect((await entity(other.entityId)).level).toBe(5)
    const h = await fetch(
      `${civ.httpUrl}/api/v1/history?entityId=${other.entityId}&attr=level&from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z`,
    )
    expect(((await h.json()) as { points: number[][] }).points.map((p) => p[1])).toEqual([3, 5])
    await c.endAsync()
  })

  it('names measurements as the core @context does, so NGSI-LD queries find them (status is a core term)', async () => {
    const [pk] = await civ.app.registry.provision([{ id: 'pk-1', profile: 'parking-spot' }])
    const c = await client(pk as ProvisionResult)
    await c.publishAsync(pk?.topic ?? '', JSON.stringify({ status: 'free' }), { qos: 1 })
    await c.endAsync()
    expect((await entity(pk?.entityId ?? '')).status).toBe('free')
    const q = await fetch(
      `${civ.httpUrl}/ngsi-ld/v1/entities?type=ParkingSpot&q=${encodeURIComponent('status=="free"')}&format=keyValues`,
    )
    expect(((await q.json()) as { id: string }[]).map((e) => e.id)).toEqual([pk?.entityId])
    const stored = await civ.app.store.entities.get('default', pk?.entityId ?? '')
    expect(Object.keys(stored?.attrs ?? {})).toContain('https://uri.etsi.org/ngsi-ld/status')
  })

  it('lets a device subscribe to its own topics only', async () => {
    const c = await client(other)
    const ok = await c.subscribeAsync(`civitas/default/devices/gen-1/down`, { qos: 0 })
    expect(ok[0]?.qos).toBe(0)
    const denied: unknown = await c
      .subscribeAsync(`civitas/default/devices/aq-1/errors`, { qos: 0 })
      .catch((e: unknown) => e)
    expect(Array.isArray(denied) ? (denied[0] as { qos: number }).qos : 128).toBe(128)
    await c.endAsync()
  })
})
