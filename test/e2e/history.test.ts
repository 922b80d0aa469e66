/**
 * History end to end on the real server (SQLite file, HTTP): device measurements appear in the
 * NGSI-LD temporal API, raw and aggregated from rollups, before and after sealing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProvisionResult } from '../../src/ingest/device-registry.js'
import { startTestCivitas, type TestCivitas } from '../helpers/test-app.js'

let civ: TestCivitas
let dev: ProvisionResult
const T0 = Date.parse('2026-04-01T00:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

async function send(from: number, count: number): Promise<void> {
  const body = Array.from({ length: count }, (_, i) => ({
    observedAt: iso(T0 + (from + i) * 60_000),
    no2: (from + i) % 60,
  }))
  const r = await fetch(`${civ.httpUrl}/api/v1/devices/${dev.id}/measurements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${dev.secret}` },
    body: JSON.stringify(body),
  })
  expect(r.status).toBe(200)
}

beforeAll(async () => {
  civ = await startTestCivitas()
  ;[dev] = (await civ.app.registry.provision([{ id: 'aq-h', profile: 'air-quality' }])) as [
    ProvisionResult,
  ]
  await send(0, 120)
  civ.app.store.seal(true)
  await send(120, 60)
})
afterAll(async () => {
  await civ.stop()
})

const temporal = (q: string) =>
  fetch(`${civ.httpUrl}/ngsi-ld/v1/temporal/entities/${dev.entityId}?${q}`)

describe('history through the NGSI-LD temporal API', () => {
  it('serves ingested observations, sealed and unsealed, in time order', async () => {
    const r = await temporal(`attrs=no2&timerel=after&timeAt=${iso(T0 + 110 * 60_000)}&lastN=20`)
    expect(r.status).toBe(200)
    const body = (await r.json()) as {
      no2: { value: number; observedAt: string; unitCode: string }[]
    }
    expect(body.no2.map((i) => i.observedAt)).toEqual(
      Array.from({ length: 20 }, (_, i) => iso(T0 + (160 + i) * 60_000)),
    )
    expect(body.no2[0]).toMatchObject({ value: 40, unitCode: 'GQ' })
    const crossing = await temporal(
      `attrs=no2&options=temporalValues&timerel=between&timeAt=${iso(T0 + 118 * 60_000)}&endTimeAt=${iso(T0 + 122 * 60_000)}`,
    )
    expect(((await crossing.json()) as { no2: { values: unknown[] } }).no2.values).toEqual([
      [58, iso(T0 + 118 * 60_000)],
      [59, iso(T0 + 119 * 60_000)],
      [0, iso(T0 + 120 * 60_000)],
      [1, iso(T0 + 121 * 60_000)],
    ])
  })

  it('aggregates hourly (rollups for the sealed hours, the buffer for the rest)', async () => {
    const r = await temporal(
      `attrs=no2&options=aggregatedValues&aggrMethods=totalCount,avg,min,max&aggrPeriodDuration=PT1H&timerel=between&timeAt=${iso(T0)}&endTimeAt=${iso(T0 + 3 * 3_600_000)}`,
    )
    expect(r.status).toBe(200)
    const body = (await r.json()) as { no2: Record<string, unknown[]> }
    const hours = [0, 1, 2].map((h) => [iso(T0 + h * 3_600_000), iso(T0 + (h + 1) * 3_600_000)])
    expect(body.no2['totalCount']).toEqual(hours.map((h) => [60, ...h]))
    expect(body.no2['avg']).toEqual(hours.map((h) => [29.5, ...h]))
    expect(body.no2['max']).toEqual(hours.map((h) => [59, ...h]))
  })
})
