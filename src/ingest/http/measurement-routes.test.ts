/**
 * HTTP back-pressure at the route: while a slow commit holds the queue at its bound, devices get
 * 503 with Retry-After and nothing of theirs is stored; the held request answers 200 once durable.
 * The store is the real SQLite adapter behind a gate the test opens (a disk that is slow on demand).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryBus } from '../../bus/memory-bus.js'
import { BUILTIN_PROFILES } from '../../core/device-profiles.js'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import { problemErrorHandler } from '../../context/problem.js'
import { silentLogger } from '../../log/logger.js'
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js'
import type { Store } from '../../store/store.js'
import { createDeviceDirectory } from '../device-directory.js'
import { createDeviceRegistry } from '../device-registry.js'
import { createIngestPipeline } from '../pipeline.js'
import { registerMeasurementRoutes } from './measurement-routes.js'

const dir = mkdtempSync(join(tmpdir(), 'civitas-bp-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('POST /api/v1/devices/:id/measurements under back-pressure', () => {
  it('answers 503 + Retry-After while the queue is full, and 200 for the held request once committed', async () => {
    const real = openSqliteStore({
      file: join(dir, 'db'),
      history: { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1e6 },
      sealIntervalMs: 0,
    })
    let open: () => void = () => undefined
    const gate = new Promise<void>((r) => (open = r))
    const slow: Pick<Store, 'ingest'> = { ingest: async (b) => (await gate, real.ingest(b)) }
    const pipeline = createIngestPipeline({
      store: slow,
      bus: createMemoryBus(silentLogger),
      log: silentLogger,
      profiles: BUILTIN_PROFILES,
      config: { maxBatchPoints: 1000, maxQueuedPoints: 40, maxMeasurements: 100 },
      expandName: (n) => DEFAULT_VOCAB + n,
    })
    const registry = createDeviceRegistry({ devices: real.devices, profiles: BUILTIN_PROFILES })
    const [a, b] = await registry.provision([
      { id: 'a', profile: 'generic' },
      { id: 'b', profile: 'generic' },
    ])
    const app = Fastify()
    app.setErrorHandler(problemErrorHandler({ log: silentLogger }))
    registerMeasurementRoutes(app, {
      pipeline,
      directory: createDeviceDirectory(real.devices),
      retryAfterSeconds: 2,
    })
    const post = (d: typeof a, n: number) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/devices/${d?.id ?? ''}/measurements`,
        headers: { authorization: `Bearer ${d?.secret ?? ''}` },
        payload: Array.from({ length: n }, (_, i) => ({
          observedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          v: i,
        })),
      })

    // 1. A holds 40 queued points behind the closed gate: the queue is at its bound.
    const held = post(a, 40)
    await new Promise((r) => setTimeout(r, 50))
    expect(pipeline.hasRoom()).toBe(false)
    // 2. B is refused at once, with a problem body and Retry-After.
    const refused = await post(b, 5)
    expect(refused.statusCode).toBe(503)
    expect(refused.headers['retry-after']).toBe('2')
    expect(refused.json()).toMatchObject({ status: 503 })
    // 3. The disk catches up: A is answered 200 and stored; nothing of B is.
    open()
    expect((await held).statusCode).toBe(200)
    const stored = async (id: string) =>
      (await real.temporal.query('default', { entityId: id, range: {}, limit: 100 })).get(
        DEFAULT_VOCAB + 'v',
      )?.length ?? 0
    expect(await stored(a?.entityId ?? '')).toBe(40)
    expect(await stored(b?.entityId ?? '')).toBe(0)
    expect((await post(b, 5)).statusCode).toBe(200)
    await pipeline.close()
    await real.close()
  })
})
