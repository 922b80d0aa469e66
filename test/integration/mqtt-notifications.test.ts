/**
 * MQTT notifications (GS CIM 009 §7.2) to a real Mosquitto started here on a free port: topic
 * from the URI path, QoS and protocol version from notifierInfo, the {metadata, body} message.
 * Skips when no mosquitto binary is installed, unless CI requires it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/free-port.js'
import { CORE, linkTo } from '../helpers/ngsi-ld-app.js'
import { buildSubscriptionApp, type SubscriptionTestApp } from '../helpers/subscription-app.js'

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p))
if (!MOSQUITTO && process.env.CI === 'true')
  throw new Error('mosquitto is required in CI: apt-get install mosquitto')

interface Message {
  topic: string
  payload: { metadata: Record<string, string>; body: Record<string, unknown> }
  qos: number
}

describe.skipIf(!MOSQUITTO)('MQTT notifications (Mosquitto)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-mqtt-notify-'))
  let broker: ChildProcess
  let port: number
  let listener: MqttClient
  const messages: Message[] = []
  let t: SubscriptionTestApp

  beforeAll(async () => {
    port = await freePort()
    const conf = join(dir, 'mosquitto.conf')
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`)
    broker = spawn(MOSQUITTO as string, ['-c', conf], { stdio: 'ignore' })
    for (let i = 0; i < 50; i++) {
      try {
        listener = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 })
        break
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    if (!listener) throw new Error('mosquitto did not start')
    listener.on('message', (topic, payload, packet) => {
      messages.push({
        topic,
        payload: JSON.parse(payload.toString()) as Message['payload'],
        qos: packet.qos,
      })
    })
    await listener.subscribeAsync('city/#', { qos: 2 })
  })
  afterAll(async () => {
    await listener?.endAsync()
    broker.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    messages.length = 0
    t = await buildSubscriptionApp()
    const res = await t.send('POST', '/entities', {
      body: {
        id: 'urn:ngsi-ld:Bin:1',
        type: 'WasteContainer',
        fillingLevel: { type: 'Property', value: 0.2 },
      },
    })
    expect(res.statusCode).toBe(201)
  })
  afterEach(() => t.close())

  async function nextMessage(count: number): Promise<Message> {
    for (let i = 0; i < 100 && messages.length < count; i++)
      await new Promise((r) => setTimeout(r, 30))
    expect(messages.length).toBe(count)
    return messages[count - 1]!
  }

  it.each([
    ['mqtt3.1.1', '1'],
    ['mqtt5.0', '2'],
    [undefined, undefined],
  ])('delivers with MQTT-Version %s and MQTT-QoS %s', async (version, qos) => {
    const notifierInfo = [
      ...(version ? [{ key: 'MQTT-Version', value: version }] : []),
      ...(qos ? [{ key: 'MQTT-QoS', value: qos }] : []),
    ]
    const res = await t.send('POST', '/subscriptions', {
      body: {
        type: 'Subscription',
        id: 'urn:ngsi-ld:Subscription:mqtt',
        entities: [{ type: 'WasteContainer' }],
        notification: {
          format: 'keyValues',
          endpoint: {
            uri: `mqtt://civitas:pw@127.0.0.1:${port}/city/waste/bins`,
            accept: 'application/json',
            receiverInfo: [{ key: 'X-City', value: 'Valmora' }],
            ...(notifierInfo.length > 0 && { notifierInfo }),
          },
        },
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    await t.send('PATCH', '/entities/urn:ngsi-ld:Bin:1/attrs', {
      body: { fillingLevel: { type: 'Property', value: 0.9 } },
    })
    const m = await nextMessage(1)
    expect(m.topic).toBe('city/waste/bins')
    expect(m.qos).toBe(Number(qos ?? '0'))
    expect(m.payload.metadata).toEqual({
      'Content-Type': 'application/json',
      Link: linkTo(CORE),
      'X-City': 'Valmora',
    })
    expect(m.payload.body).toMatchObject({
      type: 'Notification',
      subscriptionId: 'urn:ngsi-ld:Subscription:mqtt',
      data: [{ id: 'urn:ngsi-ld:Bin:1', type: 'WasteContainer', fillingLevel: 0.9 }],
    })
    await t.subs.settled()
    await new Promise((r) => setTimeout(r, 80))
    const got = (await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:mqtt')).json<{
      notification: Record<string, unknown>
    }>()
    expect(got.notification).toMatchObject({ timesSent: 1, status: 'ok' })
  })

  it('reports failure when the broker is unreachable', async () => {
    const closed = await freePort()
    await t.send('POST', '/subscriptions', {
      body: {
        type: 'Subscription',
        id: 'urn:ngsi-ld:Subscription:down',
        entities: [{ type: 'WasteContainer' }],
        notification: { endpoint: { uri: `mqtt://127.0.0.1:${closed}/city/x` } },
      },
    })
    await t.send('PATCH', '/entities/urn:ngsi-ld:Bin:1/attrs', {
      body: { fillingLevel: { type: 'Property', value: 0.5 } },
    })
    await t.subs.settled()
    const got = (await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:down')).json<{
      notification: Record<string, unknown>
    }>()
    expect(got.notification).toMatchObject({ timesSent: 1, timesFailed: 1, status: 'failed' })
  })
})
