/**
 * ETSI GS CIM 014 — Subscription / SubscriptionNotificationBehaviour / MQTT (058_*), clause 7.2:
 * notifications published to an MQTT broker named by the endpoint URI. The suite runs Mosquitto;
 * so do these tests, on free ports of 127.0.0.1 (one anonymous broker, one with a password file),
 * never on the standard 1883: the endpoint URIs therefore always carry the port.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../helpers/free-port.js'
import { startBroker, type Broker } from '../support/broker.js'
import {
  LD,
  airQualityFragment,
  building,
  buildingId,
  serveTestContext,
  sleep,
  subscriptionId,
  type TestContext,
} from './fixtures.js'

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p))
// Skipped on a machine without Mosquitto (a laptop), unless CI requires it (.ci/run does).
if (!MOSQUITTO && process.env.CI === 'true')
  throw new Error('the MQTT conformance tests need mosquitto (apt-get install mosquitto)')

interface Mosquitto {
  port: number
  process: ChildProcess
}

const dir = mkdtempSync(join(tmpdir(), 'civitas-conformance-mqtt-'))
// Mosquitto started as root drops to its own user, which must still read these files.
chmodSync(dir, 0o755)
let broker: Broker
let ctx: TestContext
let open: Mosquitto
let locked: Mosquitto

async function startMosquitto(name: string, auth: boolean): Promise<Mosquitto> {
  const port = await freePort()
  const conf = join(dir, `${name}.conf`)
  let text = `listener ${port} 127.0.0.1\npersistence false\n`
  if (auth) {
    const passwords = join(dir, `${name}.passwd`)
    execFileSync('mosquitto_passwd', ['-b', '-c', passwords, 'user_with_password', 'password'])
    chmodSync(passwords, 0o644)
    text += `allow_anonymous false\npassword_file ${passwords}\n`
  } else text += 'allow_anonymous true\n'
  writeFileSync(conf, text)
  const child = spawn(MOSQUITTO as string, ['-c', conf], { stdio: 'ignore' })
  for (let i = 0; i < 50; i++) {
    try {
      const probe = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
        reconnectPeriod: 0,
        ...(auth && { username: 'user_with_password', password: 'password' }),
      })
      await probe.endAsync()
      return { port, process: child }
    } catch {
      await sleep(100)
    }
  }
  throw new Error('mosquitto did not start')
}

beforeAll(async () => {
  if (!MOSQUITTO) return
  ;[broker, open, locked] = await Promise.all([
    startBroker(),
    startMosquitto('open', false),
    startMosquitto('locked', true),
  ])
  ctx = serveTestContext(broker)
}, 30_000)
afterAll(async () => {
  open?.process.kill('SIGTERM')
  locked?.process.kill('SIGTERM')
  await broker?.stop()
  rmSync(dir, { recursive: true, force: true })
})

interface Listened {
  messages: { metadata: Record<string, string>; body: Record<string, unknown> }[]
  client: MqttClient
}

async function listen(m: Mosquitto, topic: string, auth = false): Promise<Listened> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${m.port}`, {
    reconnectPeriod: 0,
    ...(auth && { username: 'user_with_password', password: 'password' }),
  })
  const out: Listened = { messages: [], client }
  client.on('message', (_t, payload) => {
    out.messages.push(JSON.parse(payload.toString()) as Listened['messages'][number])
  })
  await client.subscribeAsync(topic, { qos: 1 })
  return out
}

/** Entity, subscription to `endpoint` (entity id pinned), then the airQualityLevel update. */
async function notifyVia(
  endpoint: Record<string, unknown>,
): Promise<{ entityId: string; subId: string }> {
  const entityId = buildingId()
  const subId = subscriptionId()
  expect(
    (await broker.request('POST', '/entities', { headers: LD, body: building(entityId, ctx.url) }))
      .status,
  ).toBe(201)
  const sub = {
    id: subId,
    type: 'Subscription',
    entities: [{ id: entityId, type: 'Building' }],
    notification: { endpoint },
    '@context': [ctx.url],
  }
  expect((await broker.request('POST', '/subscriptions', { headers: LD, body: sub })).status).toBe(
    201,
  )
  const r = await broker.request('PATCH', `/entities/${entityId}/attrs/`, {
    headers: LD,
    body: airQualityFragment(ctx.url),
  })
  expect(r.status).toBe(204)
  return { entityId, subId }
}

/** The suite's "Check Messages Contain One Instance": one message arrives, and no second. */
async function exactlyOne(l: Listened): Promise<Listened['messages'][number]> {
  for (let i = 0; i < 100 && l.messages.length === 0; i++) await sleep(50)
  await sleep(1000)
  await l.client.endAsync()
  expect(l.messages).toHaveLength(1)
  return l.messages[0]!
}

let topics = 0
const nextTopic = () => `ngsild-test-suite/topic${++topics}`

describe.skipIf(!MOSQUITTO)('MQTT notifications', () => {
  const userInfo = (_what: string, auth: boolean, user: string) => async () => {
    const m = auth ? locked : open
    const topic = nextTopic()
    const l = await listen(m, topic, auth)
    await notifyVia({ uri: `mqtt://${user}127.0.0.1:${m.port}/${topic}` })
    await exactlyOne(l)
  }

  it(
    '058_01_02 a notification is received with non-default port in the endpoint URI',
    userInfo('non-default port', false, ''),
  )
  it(
    '058_01_03 a notification is received with a user in the endpoint URI',
    userInfo('a user', false, 'user@'),
  )
  it(
    '058_01_04 a notification is received with a user and password in the endpoint URI',
    userInfo('a user and password', true, 'user_with_password:password@'),
  )
  it(
    '058_01_05 a notification is received with a user, password and non-default port in the endpoint URI',
    userInfo('a user, password and non-default port', true, 'user_with_password:password@'),
  )

  const qos = (qos: string | undefined) => async () => {
    const topic = nextTopic()
    const l = await listen(open, topic)
    await notifyVia({
      uri: `mqtt://127.0.0.1:${open.port}/${topic}`,
      ...(qos !== undefined && { notifierInfo: [{ key: 'MQTT-QoS', value: qos }] }),
    })
    await exactlyOne(l)
  }

  it('058_02_01 a notification is received with MQTT-QoS undefined', qos(undefined))
  it('058_02_02 a notification is received with MQTT-QoS 1', qos('1'))
  it('058_02_03 a notification is received with MQTT-QoS 2', qos('2'))

  const version = (version: string | undefined) => async () => {
    const topic = nextTopic()
    const l = await listen(open, topic)
    await notifyVia({
      uri: `mqtt://127.0.0.1:${open.port}/${topic}`,
      ...(version !== undefined && { notifierInfo: [{ key: 'MQTT-Version', value: version }] }),
    })
    await exactlyOne(l)
  }

  it('058_03_01 a notification is received with MQTT-Version undefined', version(undefined))
  it('058_03_02 a notification is received with MQTT-Version mqtt3.1.1', version('mqtt3.1.1'))
  it('058_03_03 a notification is received with MQTT-Version mqtt5.0', version('mqtt5.0'))

  it('058_04_01 the MQTT message has metadata (Content-Type, Link, receiverInfo) and body', async () => {
    const topic = nextTopic()
    const l = await listen(open, topic)
    await notifyVia({
      uri: `mqtt://127.0.0.1:${open.port}/${topic}`,
      receiverInfo: [{ key: 'test-receiver-key', value: 'test-receiver-info' }],
    })
    const m = await exactlyOne(l)
    expect(m.metadata).toHaveProperty('Content-Type')
    expect(m.metadata).toHaveProperty('Link')
    expect(m.metadata['test-receiver-key']).toBe('test-receiver-info')
    expect(m.body['type']).toBe('Notification')
    const data = m.body['data'] as Record<string, unknown>[]
    expect(data[0]).toHaveProperty('id')
    expect(data[0]).toHaveProperty('type')
  })
})
