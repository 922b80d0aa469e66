/**
 * External broker mode: Civitas subscribes to `civitas/+/devices/+/up` on a broker such as Mosquitto
 * with a persistent session (clean=false, QoS 1), so messages published while Civitas is down wait
 * in the broker. The broker authenticates devices and must enforce that each may publish only to
 * its own topic (e.g. Mosquitto's dynamic-security plugin); Civitas checks the device exists.
 *
 * Durability: mqtt.js handles one message at a time and sends PUBACK when the handler calls back,
 * which would allow one commit per message. Instead the handler calls back at once and the PUBACK
 * itself is held until that message's group commit is durable, in arrival order (MQTT-4.6.0-2).
 * If Civitas dies first, the broker redelivers the un-acknowledged messages.
 */
import mqtt, { type MqttClient, type Packet } from 'mqtt'
import { isAppError } from '../../core/errors.js'
import type { Logger } from '../../log/logger.js'
import type { DeviceDirectory } from '../device-directory.js'
import type { IngestPipeline } from '../pipeline.js'

export interface ExternalClientOptions {
  url: string
  clientId: string
  username?: string
  password?: string
}

export interface ExternalClient {
  readonly connected: boolean
  close(): Promise<void>
}

const TOPIC = /^civitas\/([^/]+)\/devices\/([^/]+)\/up$/

export async function startExternalClient(
  opts: ExternalClientOptions,
  deps: { pipeline: IngestPipeline; directory: DeviceDirectory; log: Logger },
): Promise<ExternalClient> {
  const { pipeline, directory, log } = deps
  const client: MqttClient = mqtt.connect(opts.url, {
    clientId: opts.clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 2000,
    ...(opts.username !== undefined && { username: opts.username }),
    ...(opts.password !== undefined && { password: opts.password }),
  })

  // messageId → promise settled when that message is durable (or rejected for good).
  const durable = new Map<number, Promise<void>>()
  let ackChain: Promise<void> = Promise.resolve()
  const sendPacket = (
    client as unknown as { _sendPacket: (p: Packet, cb?: (err?: Error) => void) => void }
  )._sendPacket.bind(client)
  ;(client as unknown as { _sendPacket: typeof sendPacket })._sendPacket = (packet, cb) => {
    if (packet.cmd !== 'puback' || packet.messageId === undefined) return sendPacket(packet, cb)
    const wait = durable.get(packet.messageId) ?? Promise.resolve()
    durable.delete(packet.messageId)
    // Chain so PUBACKs leave in the order the PUBLISHes arrived.
    ackChain = ackChain
      .then(() => wait)
      .then(
        () => sendPacket(packet),
        () => {
          // Not stored: no PUBACK. Reconnecting makes the broker redeliver.
          client.end(true, () => client.reconnect())
        },
      )
    cb?.()
  }

  client.handleMessage = (packet, callback) => {
    if (packet.cmd === 'publish' && packet.messageId !== undefined) {
      durable.set(packet.messageId, handle(packet.topic, packet.payload as Buffer))
    } else if (packet.cmd === 'publish') {
      void handle(packet.topic, packet.payload as Buffer).catch(() => undefined)
    }
    callback()
  }

  const handle = async (topic: string, payload: Buffer): Promise<void> => {
    const m = TOPIC.exec(topic)
    if (!m) return
    const [, tenant = '', id = ''] = m
    const device = await directory.get(tenant, id)
    if (!device) {
      log.warn({ tenant, deviceId: id }, 'message from an unregistered device ignored')
      return
    }
    await pipeline.waitForRoom()
    try {
      await pipeline.accept(device, payload)
    } catch (err) {
      // Invalid payloads are counted and dropped (acknowledged); storage failures propagate.
      if (!(isAppError(err) && err.kind === 'BadRequestData')) throw err
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) =>
      reject(new Error(`cannot connect to the MQTT broker at ${opts.url}: ${err.message}`))
    client.once('error', onError)
    client.once('connect', () => {
      client.off('error', onError)
      client.subscribe('civitas/+/devices/+/up', { qos: 1 }, (err) =>
        err ? reject(err) : resolve(),
      )
    })
  })
  client.on('error', (err) => log.warn({ err: err.message }, 'external MQTT broker error'))
  client.on('reconnect', () =>
    log.info({ url: opts.url }, 'reconnecting to the external MQTT broker'),
  )

  return {
    get connected() {
      return client.connected
    },
    async close() {
      await ackChain.catch(() => undefined)
      await client.endAsync()
    },
  }
}
