/**
 * External broker mode against a real Mosquitto (started here on a free port): Civitas subscribes
 * with a persistent QoS 1 session, so messages published while it is down are stored when it
 * comes back. Skips when no mosquitto binary is installed, unless CI requires it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type CivitasApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load-config.js'
import { DEFAULT_VOCAB } from '../../src/core/ngsi.js'
import { silentLogger } from '../../src/log/logger.js'
import { freePort } from '../helpers/free-port.js'

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p))
if (!MOSQUITTO && process.env.CI === 'true')
  throw new Error('mosquitto is required in CI: apt-get install mosquitto')

describe.skipIf(!MOSQUITTO)('external MQTT broker (Mosquitto)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-ext-'))
  let broker: ChildProcess
  let port: number
  const config = () =>
    loadConfig(
      {},
      {
        dataDir: dir,
        logLevel: 'silent',
        http: { host: '127.0.0.1', port: 0 },
        mqtt: { mode: 'external', url: `mqtt://127.0.0.1:${port}`, clientId: 'civitas-test' },
      },
    )

  beforeAll(async () => {
    port = await freePort()
    const conf = join(dir, 'mosquitto.conf')
    writeFileSync(
      conf,
      `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n`,
    )
    broker = spawn(MOSQUITTO as string, ['-c', conf], { stdio: 'ignore' })
    for (let i = 0; i < 50; i++) {
      try {
        const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 })
        await c.endAsync()
        return
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    throw new Error('mosquitto did not start')
  })
  afterAll(() => {
    broker.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  })

  async function stored(app: CivitasApp, id: string): Promise<number[]> {
    const h = await app.store.temporal.query('default', { entityId: id, range: {}, limit: 1000 })
    return (h.get(DEFAULT_VOCAB + 'n') ?? []).map((o) => o.value as number)
  }

  it('stores device messages from the broker, including those sent while Civitas was down', async () => {
    let app = await createApp(config(), { log: silentLogger })
    await app.start()
    const [dev] = await app.registry.provision([{ id: 'ext-1', profile: 'generic' }])
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: 'ext-1',
      reconnectPeriod: 0,
    })
    const send = (n: number) =>
      device.publishAsync(
        dev?.topic ?? '',
        JSON.stringify({ observedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), n }),
        { qos: 1 },
      )
    for (let n = 0; n < 5; n++) await send(n)
    for (let i = 0; i < 50 && (await stored(app, dev?.entityId ?? '')).length < 5; i++)
      await new Promise((r) => setTimeout(r, 100))
    expect(await stored(app, dev?.entityId ?? '')).toEqual([0, 1, 2, 3, 4])

    await app.stop()
    for (let n = 5; n < 10; n++) await send(n)
    app = await createApp(config(), { log: silentLogger })
    await app.start()
    for (let i = 0; i < 50 && (await stored(app, dev?.entityId ?? '')).length < 10; i++)
      await new Promise((r) => setTimeout(r, 100))
    expect(await stored(app, dev?.entityId ?? '')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])

    // Unknown devices and invalid payloads are dropped without stopping the subscription.
    await device.publishAsync('civitas/default/devices/ghost/up', '{"n": 1}', { qos: 1 })
    await device.publishAsync(dev?.topic ?? '', '{"n": ', { qos: 1 })
    await send(10)
    for (let i = 0; i < 50 && (await stored(app, dev?.entityId ?? '')).length < 11; i++)
      await new Promise((r) => setTimeout(r, 100))
    expect((await stored(app, dev?.entityId ?? '')).at(-1)).toBe(10)
    expect((await app.store.devices.get('default', 'ext-1'))?.rejected).toBe(1)
    await device.endAsync()
    await app.stop()
  })
})
