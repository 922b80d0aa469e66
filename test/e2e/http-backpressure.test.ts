/**
 * HTTP back-pressure: when more data is queued than the configured bound, devices get 503 with
 * Retry-After instead of the server buffering without limit; nothing answered 503 is stored and
 * everything answered 200 is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../src/core/ngsi.js'
import type { ProvisionResult } from '../../src/ingest/device-registry.js'
import { startTestCivitas, type TestCivitas } from '../helpers/test-app.js'

let civ: TestCivitas
let devices: ProvisionResult[]

beforeAll(async () => {
  civ = await startTestCivitas({
    ingest: { maxQueuedPoints: 50, maxBatchPoints: 50, maxMeasurements: 200 },
  })
  devices = await civ.app.registry.provision(
    Array.from({ length: 40 }, (_, i) => ({ id: `bp-${i}`, profile: 'generic' })),
  )
})
afterAll(async () => {
  await civ.stop()
})

describe('HTTP back-pressure', () => {
  it('answers 503 + Retry-After beyond the queue bound, and stores exactly what it answered 200 for', async () => {
    const base = Date.parse('2026-01-01T00:00:00Z')
    const body = (k: number) =>
      JSON.stringify(
        Array.from({ length: 40 }, (_, i) => ({
          observedAt: new Date(base + (k * 40 + i) * 1000).toISOString(),
          v: k,
        })),
      )
    const responses = await Promise.all(
      devices.map((d, k) =>
        fetch(`${civ.httpUrl}/api/v1/devices/${d.id}/measurements`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${d.secret}` },
          body: body(k),
        }),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true)
    const refused = responses.filter((r) => r.status === 503)
    expect(refused.length).toBeGreaterThan(0)
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(((await r.json()) as { status: number }).status).toBe(503)
    }
    for (const [k, d] of devices.entries()) {
      const stored =
        (
          await civ.app.store.temporal.query('default', {
            entityId: d.entityId,
            range: {},
            limit: 1000,
          })
        ).get(DEFAULT_VOCAB + 'v') ?? []
      expect(stored.length).toBe(statuses[k] === 200 ? 40 : 0)
    }
  })
})
