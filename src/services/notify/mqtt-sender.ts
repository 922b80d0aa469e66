/**
 * MQTT binding of notifications (GS CIM 009 §7.2): `mqtt[s]://[user[:pass]@]host[:port]/topic`,
 * topic = the URI path without its leading slash; the message is JSON
 * `{"metadata": {"Content-Type", "Link", <receiverInfo keys>}, "body": <Notification>}`;
 * notifierInfo `MQTT-QoS` (0, 1, 2; default 0) and `MQTT-Version` (`mqtt3.1.1` or `mqtt5.0`,
 * default mqtt5.0). One client per broker, user and version, kept open between notifications.
 *
 * @example
 *   const sender = createMqttSender({ clientIdPrefix: 'civitas-notify' })
 *   await sender.send(message, 5000)
 */
import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import type { NotificationMessage, NotificationSender } from '../../core/subscription.js'

export interface MqttSenderOptions {
  clientIdPrefix?: string
}

export function createMqttSender(opts: MqttSenderOptions = {}): NotificationSender {
  const clients = new Map<string, Promise<MqttClient>>()

  function clientFor(url: URL, version: 4 | 5, timeoutMs: number): Promise<MqttClient> {
    const k = `${url.protocol}//${url.username}:${url.password}@${url.host}|${version}`
    let pending = clients.get(k)
    if (!pending) {
      pending = mqtt.connectAsync(`${url.protocol}//${url.host}`, {
        protocolVersion: version,
        clientId: `${opts.clientIdPrefix ?? 'civitas-notify'}-${randomBytes(6).toString('hex')}`,
        ...(url.username !== '' && { username: decodeURIComponent(url.username) }),
        ...(url.password !== '' && { password: decodeURIComponent(url.password) }),
        connectTimeout: timeoutMs,
        reconnectPeriod: 0,
      })
      clients.set(k, pending)
      // A failed or lost connection is forgotten, so the next notification connects afresh.
      pending.then(
        (c) => c.once('close', () => clients.delete(k)),
        () => clients.delete(k),
      )
    }
    return pending
  }

  return {
    schemes: ['mqtt', 'mqtts'],
    async send(m: NotificationMessage, timeoutMs: number): Promise<void> {
      const url = new URL(m.endpoint.uri)
      const topic = decodeURIComponent(url.pathname.replace(/^\//, ''))
      if (topic === '') throw new Error('the MQTT endpoint URI names no topic')
      const info = new Map((m.endpoint.notifierInfo ?? []).map((p) => [p.key, p.value]))
      const qos = Number(info.get('MQTT-QoS') ?? '0') as 0 | 1 | 2
      const version = info.get('MQTT-Version') === 'mqtt3.1.1' ? 4 : 5
      const metadata: Record<string, string> = { 'Content-Type': m.contentType }
      if (m.link !== undefined) metadata['Link'] = m.link
      if (m.tenantHeader !== undefined) metadata['NGSILD-Tenant'] = m.tenantHeader
      for (const { key, value } of m.endpoint.receiverInfo ?? []) metadata[key] = value
      const payload = JSON.stringify({ metadata, body: m.body })
      const client = await clientFor(url, version, timeoutMs)
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          client.publishAsync(topic, payload, { qos }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('MQTT publish timed out')), timeoutMs)
          }),
        ])
      } finally {
        clearTimeout(timer)
      }
    },
    async close(): Promise<void> {
      const all = [...clients.values()]
      clients.clear()
      await Promise.all(
        all.map(async (p) => {
          try {
            await (await p).endAsync(true)
          } catch {
            // A client that never connected has nothing to close.
          }
        }),
      )
    },
  }
}
