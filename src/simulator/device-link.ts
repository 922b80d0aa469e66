/**
 * One simulated device's MQTT connection: its own credentials, a persistent session, QoS 1
 * publishes, and reconnects with exponential back-off and jitter (mqtt.js only knows a fixed
 * period, so the link schedules reconnects itself).
 *
 * @example
 *   const link = openDeviceLink({ url: 'mqtt://127.0.0.1:1883', id: 'pk-0001', secret, log })
 *   await link.firstAttempt
 *   await link.publish(topic, JSON.stringify(payload))
 */
import mqtt, { type MqttClient } from 'mqtt'
import type { Logger } from '../log/logger.js'

export interface DeviceLink {
  readonly id: string
  readonly connected: boolean
  /** Settles after the first connection attempt, whether it worked or not. */
  readonly firstAttempt: Promise<void>
  /** Resolves once connected (at once if already), false after `timeoutMs` or when closed. */
  whenConnected(timeoutMs: number): Promise<boolean>
  /** Resolves when the broker acknowledged the message (PUBACK). */
  publish(topic: string, payload: string): Promise<void>
  /** Disconnects for good; `abrupt` drops the socket without DISCONNECT, like a dead battery. */
  close(abrupt?: boolean): Promise<void>
}

export interface DeviceLinkOptions {
  url: string
  id: string
  secret: string
  log: Logger
  /** Called on every change between connected and disconnected. */
  onConnectionChange?: (connected: boolean) => void
  backoff?: { initialMs: number; maxMs: number }
}

const DEFAULT_BACKOFF = { initialMs: 1_000, maxMs: 60_000 }
const CLOSE_GRACE_MS = 2_000

export function openDeviceLink(opts: DeviceLinkOptions): DeviceLink {
  const backoff = opts.backoff ?? DEFAULT_BACKOFF
  const log = opts.log.child({ deviceId: opts.id })
  let connected = false
  let closing = false
  let failures = 0
  let retry: NodeJS.Timeout | undefined
  let settleFirst: () => void = () => {}
  const waiters = new Set<(up: boolean) => void>()
  const wake = (up: boolean) => {
    for (const w of waiters) w(up)
    waiters.clear()
  }
  const firstAttempt = new Promise<void>((resolve) => (settleFirst = resolve))

  const client: MqttClient = mqtt.connect(opts.url, {
    clientId: opts.id,
    username: opts.id,
    password: opts.secret,
    clean: false,
    protocolVersion: 4,
    keepalive: 60,
    connectTimeout: 10_000,
    reconnectPeriod: 0, // we reconnect ourselves, with back-off
  })

  client.on('connect', () => {
    if (failures > 0) log.info({ after: failures }, 'device reconnected')
    connected = true
    failures = 0
    settleFirst()
    opts.onConnectionChange?.(true)
    wake(true)
  })
  client.on('error', (err) => {
    // Debug only: with hundreds of devices the caller reports a summary instead.
    if (failures === 0) log.debug({ err: err.message }, 'device connection failed')
  })
  client.on('close', () => {
    settleFirst()
    if (connected) {
      connected = false
      opts.onConnectionChange?.(false)
    }
    if (closing || retry !== undefined) return
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures) * (0.5 + Math.random())
    failures++
    retry = setTimeout(() => {
      retry = undefined
      // Keep the stores so unacknowledged QoS 1 messages are sent again in the new session.
      if (!closing)
        client.reconnect({
          incomingStore: client.incomingStore,
          outgoingStore: client.outgoingStore,
        })
    }, delay)
  })

  return {
    id: opts.id,
    get connected() {
      return connected
    },
    firstAttempt,
    whenConnected(timeoutMs) {
      if (connected) return Promise.resolve(true)
      if (closing) return Promise.resolve(false)
      return new Promise((resolve) => {
        const done = (up: boolean) => {
          clearTimeout(timer)
          waiters.delete(done)
          resolve(up)
        }
        const timer = setTimeout(() => done(false), timeoutMs)
        waiters.add(done)
      })
    },
    publish(topic, payload) {
      if (!connected) return Promise.reject(new Error('not connected'))
      return new Promise((resolve, reject) => {
        client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve()))
      })
    },
    async close(abrupt = false) {
      closing = true
      if (retry !== undefined) clearTimeout(retry)
      retry = undefined
      settleFirst()
      wake(false)
      if (abrupt || !connected) return client.endAsync(true)
      // A graceful end waits for unacknowledged messages; do not wait forever for a silent broker.
      let timer: NodeJS.Timeout | undefined
      const graceful = client.endAsync(false).then(() => true)
      const late = new Promise<false>(
        (resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS)),
      )
      const ended = await Promise.race([graceful, late])
      clearTimeout(timer)
      if (!ended) {
        const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
        client.stream.destroy()
        await closed
      }
    },
  }
}
