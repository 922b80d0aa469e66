/**
 * The `civitas devices` commands as operators' scripts use them: JSON only on stdout, working
 * while the server runs, and bulk import of 10,000 devices.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/free-port.js'
import {
  CLI,
  serverEnv,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js'

const run = promisify(execFile)
const dataDir = mkdtempSync(join(tmpdir(), 'civitas-cli-'))
let env: NodeJS.ProcessEnv
let server: ServerProcess

beforeAll(async () => {
  env = serverEnv(dataDir, await freePort(), await freePort())
  server = await startServerProcess('start', env)
})
afterAll(async () => {
  await server.terminate()
  rmSync(dataDir, { recursive: true, force: true })
})

const civitas = (...args: string[]) =>
  run(process.execPath, [CLI, ...args], { env, maxBuffer: 64 * 1024 * 1024 })

describe('civitas devices', () => {
  it('add --json prints one JSON object with id, secret, entityId and topic; the device works at once', async () => {
    const { stdout } = await civitas(
      'devices',
      'add',
      '--id',
      'cli-1',
      '--type',
      'generic',
      '--json',
    )
    const d = JSON.parse(stdout) as Record<string, string>
    expect(d).toMatchObject({
      id: 'cli-1',
      entityId: 'urn:ngsi-ld:Device:cli-1',
      topic: 'civitas/default/devices/cli-1/up',
    })
    expect(d.secret?.length).toBeGreaterThan(30)
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${env.CIVITAS_MQTT_PORT ?? ''}`, {
      username: 'cli-1',
      password: d.secret ?? '',
      reconnectPeriod: 0,
    })
    await c.publishAsync(d.topic ?? '', JSON.stringify({ flow: 3.5 }), { qos: 1 })
    await c.endAsync()
    const e = (await (
      await fetch(`${server.httpUrl}/ngsi-ld/v1/entities/${d.entityId ?? ''}?format=keyValues`)
    ).json()) as Record<string, unknown>
    expect(e.flow).toBe(3.5)
  })

  it('refuses a duplicate or an unknown profile with a message and exit code 2', async () => {
    await expect(
      civitas('devices', 'add', '--id', 'cli-1', '--type', 'generic', '--json'),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/already exists/) as unknown })
    await expect(
      civitas('devices', 'add', '--id', 'cli-2', '--type', 'spaceship'),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown device profile/) as unknown,
    })
  })

  it('rotate-secret gives a new secret and the old one stops working', async () => {
    const { stdout } = await civitas('devices', 'rotate-secret', '--id', 'cli-1', '--json')
    const d = JSON.parse(stdout) as { secret: string }
    await new Promise((r) => setTimeout(r, 5_500)) // the server caches device rows for 5 s
    await expect(
      mqtt.connectAsync(`mqtt://127.0.0.1:${env.CIVITAS_MQTT_PORT ?? ''}`, {
        username: 'cli-1',
        password: 'old',
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow()
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${env.CIVITAS_MQTT_PORT ?? ''}`, {
      username: 'cli-1',
      password: d.secret,
      reconnectPeriod: 0,
    })
    await c.endAsync()
  })

  it('import --json provisions 10,000 devices from CSV and prints a JSON array', async () => {
    const file = join(dataDir, 'devices.csv')
    const rows = ['id,type,name,lon,lat,connectivity']
    for (let i = 0; i < 10_000; i++)
      rows.push(
        `bulk-${i},${i % 2 ? 'parking-spot' : 'waste-container'},Bay ${i},11.3,46.5,lorawan`,
      )
    writeFileSync(file, rows.join('\n'))
    const { stdout } = await civitas('devices', 'import', file, '--json')
    const list = JSON.parse(stdout) as {
      id: string
      secret: string
      topic: string
      entityId: string
    }[]
    expect(list).toHaveLength(10_000)
    expect(list[1]).toMatchObject({
      id: 'bulk-1',
      entityId: 'urn:ngsi-ld:ParkingSpot:bulk-1',
      topic: 'civitas/default/devices/bulk-1/up',
    })
    expect(new Set(list.map((d) => d.secret)).size).toBe(10_000)
    const { stdout: listed } = await civitas('devices', 'list', '--json')
    expect((JSON.parse(listed) as unknown[]).length).toBe(10_001)
  })

  it(
    'replay feeds a real dataset through MQTT ingest with the original timestamps',
    { timeout: 60_000 },
    async () => {
      const datasets = fileURLToPath(new URL('../../../shared/datasets', import.meta.url))
      const { stdout } = await run(
        process.execPath,
        [CLI, 'replay', 'birmingham-parking', '--limit', '60', '--speed', '100000000'],
        { env: { ...env, CIVITAS_DATASETS_DIR: datasets } },
      )
      const r = JSON.parse(stdout) as { sent: number; devices: number }
      expect(r.sent).toBe(60)
      expect(r.devices).toBeGreaterThan(0)
      const { stdout: listed } = await civitas('devices', 'list', '--json')
      const replayed = (
        JSON.parse(listed) as { id: string; entityId: string; messages: number }[]
      ).filter((d) => d.messages > 0 && !d.id.startsWith('cli-'))
      expect(replayed.reduce((s, d) => s + d.messages, 0)).toBe(60)
      const e = (await (
        await fetch(
          `${server.httpUrl}/ngsi-ld/v1/entities/${encodeURIComponent(replayed[0]?.entityId ?? '')}?format=normalized`,
        )
      ).json()) as Record<string, { observedAt?: string }>
      // Birmingham data is from late 2016: the original observation times are kept.
      const observed =
        Object.values(e).find((a) => typeof a === 'object' && a.observedAt)?.observedAt ?? ''
      expect(observed.slice(0, 4)).toBe('2016')
    },
  )

  it('import refuses a file with a bad row and registers none of its devices', async () => {
    const file = join(dataDir, 'bad.csv')
    writeFileSync(file, 'id,type\nok-1,generic\nbad id,generic\n')
    await expect(civitas('devices', 'import', file, '--json')).rejects.toMatchObject({ code: 2 })
    const { stdout } = await civitas('devices', 'list', '--json')
    expect((JSON.parse(stdout) as { id: string }[]).some((d) => d.id === 'ok-1')).toBe(false)
  })
})
