/**
 * Test support: a real in-process MQTT broker (aedes) on a free 127.0.0.1 port that records every
 * client publish and every CONNECT's credentials, for the simulator and replay tests.
 *
 * @example
 *   const broker = await startTestBroker()
 *   // … connect to broker.url …
 *   await broker.close()
 */
import { Aedes } from 'aedes'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import type { DeviceSpec } from './fleet.js'
import type { ProvisionedDevice } from '../core/device.js'
import { defaultEntityId, deviceTopic } from '../core/device.js'
import { BUILTIN_PROFILES } from '../core/device-profiles.js'

export interface TestBroker {
  url: string
  messages: { clientId: string; topic: string; payload: string; qos: number }[]
  /** Credentials and session flag seen on CONNECT, by client id. */
  logins: Map<
    string,
    { username: string | undefined; password: string | undefined; clean: boolean }
  >
  close(): Promise<void>
}

/**
 * `port` 0 (the default) lets the OS pick a free port; pass a port to restart on the same one.
 * `withholdAcks` makes the broker swallow publishes without PUBACK, like a hung server.
 */
export async function startTestBroker(
  opts: { port?: number; withholdAcks?: boolean } = {},
): Promise<TestBroker> {
  const port = opts.port ?? 0
  const broker = await Aedes.createBroker()
  const messages: TestBroker['messages'] = []
  const logins: TestBroker['logins'] = new Map()
  broker.authenticate = (client, username, password, done) => {
    logins.set(client.id, { username, password: password?.toString(), clean: client.clean })
    done(null, true)
  }
  if (opts.withholdAcks === true) {
    broker.authorizePublish = (client, packet) => {
      if (client !== null)
        messages.push({
          clientId: client.id,
          topic: packet.topic,
          payload: packet.payload.toString(),
          qos: packet.qos,
        })
      // Never calling back leaves the message unacknowledged.
    }
  }
  broker.on('publish', (packet, client) => {
    if (client === null) return
    messages.push({
      clientId: client.id,
      topic: packet.topic,
      payload: packet.payload.toString(),
      qos: packet.qos,
    })
  })
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    broker.handle(socket)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    messages,
    logins,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      )
    },
  }
}

/** A provision callback that accepts every device with a fake secret, as the lead's will do for real. */
export function fakeProvision(tenant: string) {
  return (specs: DeviceSpec[]): Promise<ProvisionedDevice[]> =>
    Promise.resolve(
      specs.map((s) => {
        const entityType = BUILTIN_PROFILES.get(s.profile)?.entityType ?? 'Device'
        return {
          id: s.id,
          tenant,
          profile: s.profile,
          secret: `secret-${s.id}`,
          entityId: defaultEntityId(entityType, s.id),
          entityType,
          topic: deviceTopic(tenant, s.id),
        }
      }),
    )
}
