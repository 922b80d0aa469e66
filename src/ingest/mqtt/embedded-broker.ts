/**
 * The embedded MQTT broker (aedes) on its own TCP port. Devices connect with their own credentials
 * and may publish only to their own topic `civitas/{tenant}/devices/{id}/up`.
 *
 * Durability: aedes sends PUBACK for QoS 1 right after `authorizePublish` calls back and before its
 * `published` hook finishes, so the message is written from inside `authorizePublish`: the broker
 * acknowledges only once the data is on disk. While a client waits, aedes reads no more from its
 * socket, so TCP itself slows a publisher down when storage is behind (back-pressure).
 *
 * Invalid payloads are acknowledged (MQTT 3.1.1 has no negative PUBACK; refusing would make the
 * device resend the same poison message forever), counted against the device, and the reason is
 * published to `civitas/{tenant}/devices/{id}/errors`.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { Aedes, type AuthenticateError, type Client } from 'aedes'
import type { Device } from '../../core/device.js'
import { isAppError } from '../../core/errors.js'
import type { Logger } from '../../log/logger.js'
import type { DeviceDirectory } from '../device-directory.js'
import { parseDeviceUsername } from '../device-directory.js'
import type { IngestPipeline } from '../pipeline.js'
import { PacketSizeGuard } from './packet-size-guard.js'

export interface EmbeddedBrokerOptions {
  host: string
  port: number
  maxPacketBytes: number
}

export interface EmbeddedBroker {
  readonly port: number
  readonly connectedClients: number
  readonly stats: { rejectedConnections: number; oversizePackets: number }
  /** Publishes a server-side message (e.g. errors, downlinks) to subscribed clients. */
  publish(topic: string, payload: string): Promise<void>
  close(): Promise<void>
}

const DEVICE_KEY = Symbol('civitas.device')
type DeviceClient = Client & { [DEVICE_KEY]?: Device }

function authError(code: 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code })
}

export async function startEmbeddedBroker(
  opts: EmbeddedBrokerOptions,
  deps: { pipeline: IngestPipeline; directory: DeviceDirectory; log: Logger },
): Promise<EmbeddedBroker> {
  const { pipeline, directory, log } = deps
  const stats = { rejectedConnections: 0, oversizePackets: 0 }

  const broker = await Aedes.createBroker({
    // A connection must authenticate promptly; idle sockets cost memory.
    connectTimeout: 10_000,
    authenticate(client, username, password, done) {
      if (!username || !password) {
        stats.rejectedConnections++
        return done(
          authError(4, 'username (device id) and password (device secret) are required'),
          false,
        )
      }
      const { tenant, id } = parseDeviceUsername(username)
      directory.authenticate(tenant, id, password.toString('utf8')).then(
        (device) => {
          if (!device) {
            stats.rejectedConnections++
            log.warn(
              { deviceId: id, tenant },
              'mqtt connection refused: unknown device or wrong secret',
            )
            return done(authError(4, 'unknown device or wrong secret'), false)
          }
          ;(client as DeviceClient)[DEVICE_KEY] = device
          done(null, true)
        },
        (err: unknown) => {
          log.error({ err }, 'device lookup failed')
          done(
            Object.assign<Error, { returnCode: 3 }>(new Error('server unavailable'), {
              returnCode: 3,
            }),
            false,
          )
        },
      )
    },
    authorizeSubscribe(client, sub, done) {
      const device = (client as DeviceClient)[DEVICE_KEY]
      const own = device ? `civitas/${device.tenant}/devices/${device.id}/` : undefined
      if (own && sub.topic.startsWith(own) && sub.topic !== `${own}up`) return done(null, sub)
      return done(new Error(`devices may subscribe only under ${own ?? 'their own topic'}`))
    },
    authorizePublish(client, packet, done) {
      // Server-side publishes (client null) are ours: errors and downlinks.
      if (!client) return done(null)
      const device = (client as DeviceClient)[DEVICE_KEY]
      if (!device) return done(new Error('not authenticated'))
      const own = `civitas/${device.tenant}/devices/${device.id}/up`
      if (packet.topic !== own) {
        pipeline.noteRejected(device, `publish to foreign topic ${packet.topic}`)
        log.warn(
          { deviceId: device.id, topic: packet.topic },
          'mqtt publish to a foreign topic: disconnecting',
        )
        return done(new Error(`device ${device.id} may publish only to ${own}`))
      }
      const receivedAt = Date.now()
      pipeline
        .waitForRoom()
        .then(() => pipeline.accept(device, packet.payload as Buffer, receivedAt))
        .then(
          () => done(null),
          (err: unknown) => {
            if (isAppError(err) && err.kind === 'BadRequestData') {
              publishError(device, err.message)
              return done(null)
            }
            // Storage failed: no PUBACK; the connection drops and the device resends.
            log.error({ err, deviceId: device.id }, 'mqtt message not stored')
            done(err instanceof Error ? err : new Error(String(err)))
          },
        )
    },
  })

  const publishError = (device: Device, reason: string): void => {
    const topic = `civitas/${device.tenant}/devices/${device.id}/errors`
    const payload = JSON.stringify({ at: new Date().toISOString(), reason })
    broker.publish(
      { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false },
      () => {},
    )
  }

  broker.on('clientError', (client, err) => {
    log.debug({ clientId: client.id, err: err.message }, 'mqtt client error')
  })

  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.setNoDelay(true)
    guardSocket(socket, opts.maxPacketBytes, () => {
      stats.oversizePackets++
      log.warn(
        { remote: socket.remoteAddress, limit: opts.maxPacketBytes },
        'mqtt packet over the size limit: connection closed',
      )
    })
    broker.handle(socket)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : opts.port

  return {
    port,
    stats,
    get connectedClients() {
      return broker.connectedClients
    },
    publish(topic, payload) {
      return new Promise((resolve, reject) =>
        broker.publish(
          {
            cmd: 'publish',
            topic,
            payload: Buffer.from(payload),
            qos: 0,
            retain: false,
            dup: false,
          },
          (err) => (err ? reject(err) : resolve()),
        ),
      )
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => broker.close(() => resolve()))
    },
  }
}

/**
 * Inspects every chunk aedes reads from the socket. aedes pulls data with `socket.read()`, so the
 * check sits on that call: an oversize header destroys the socket before its body is buffered.
 */
function guardSocket(socket: Socket, maxBytes: number, onViolation: () => void): void {
  const guard = new PacketSizeGuard(maxBytes)
  const read = socket.read.bind(socket)
  socket.read = (size?: number) => {
    const chunk = read(size) as Buffer | null
    if (chunk && guard.feed(chunk) !== 'ok') {
      onViolation()
      socket.destroy()
      return null
    }
    return chunk
  }
}
