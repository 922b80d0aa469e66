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

describe('retention API', () => {
  const op = () => ({
    'content-type': 'application/json',
    authorization: `Bearer ${civ.app.adminToken}`,
  })
  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = op(),
  ) =>
    fetch(`${civ.httpUrl}/api/v1/retention${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })

  it('needs the operator token and refuses bad policies with problem details, storing nothing', async () => {
    const r = await call('GET', '', undefined, {
      'content-type': 'application/json',
      authorization: 'Bearer x',
    })
    expect(r.status).toBe(401)
    for (const body of [
      { keep: { raw: 'ninety days' } },
      { keep: { raw: 'P1M' } },
      { keep: { raw: 'PT0S' } },
      { keep: { forever: 'P1D' } },
      { tenant: 'Bad Tenant!', keep: {} },
    ]) {
      const bad = await call('PUT', '/p1', body)
      expect(bad.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400)
      expect(bad.status).toBeLessThan(500)
      expect(bad.headers.get('content-type')).toMatch(/json/)
    }
    expect(await (await call('GET', '')).json()).toEqual({ items: [] })
  })

  it('keeps policies, enforces them on request and reports the runs', async () => {
    const put = await call('PUT', '/no2-raw', {
      entityType: 'AirQualityObserved',
      attr: 'no2',
      keep: { raw: 'PT30M', minute: 'P1D' },
    })
    expect(put.status).toBe(200)
    expect(await put.json()).toEqual({
      id: 'no2-raw',
      tenant: 'default',
      entityType: 'AirQualityObserved',
      attr: 'no2',
      keep: { raw: 'PT30M', minute: 'P1D' },
    })
    // The data is from 2026-04-01 (00:00–03:00): as of now everything is older than 30 minutes.
    const run = (await (
      await call('POST', '/runs', undefined, { authorization: `Bearer ${civ.app.adminToken}` })
    ).json()) as Record<string, number>
    expect(run).toMatchObject({ series: 1, removedPoints: 180 })
    expect(run['bytesFreed']).toBeGreaterThan(0)
    const runs = (await (await call('GET', '/runs')).json()) as { items: unknown[] }
    expect(runs.items[0]).toEqual(run)
    // Raw points are gone; hourly rollups stay (the policy keeps them forever).
    const raw = await temporal(`attrs=no2&timerel=after&timeAt=${iso(T0)}`)
    expect(((await raw.json()) as Record<string, unknown>)['no2']).toBeUndefined()
    const hourly = await temporal(
      `attrs=no2&options=aggregatedValues&aggrMethods=totalCount&aggrPeriodDuration=PT1H&timerel=between&timeAt=${iso(T0)}&endTimeAt=${iso(T0 + 3 * 3_600_000)}`,
    )
    expect(
      ((await hourly.json()) as { no2: { totalCount: unknown[] } }).no2.totalCount,
    ).toHaveLength(3)
    // The dashboard chart falls back to rollups where raw points are gone (hourly here: the
    // policy keeps minute rollups for a day only).
    const chart = await fetch(
      `${civ.httpUrl}/api/v1/history?entityId=${dev.entityId}&attr=no2&from=${iso(T0)}&to=${iso(T0 + 3 * 3_600_000)}&maxPoints=500`,
    )
    const { points } = (await chart.json()) as { points: [number, number][] }
    expect(points).toEqual([0, 1, 2].map((h) => [T0 + (h + 0.5) * 3_600_000, 29.5]))
    const auth = { authorization: `Bearer ${civ.app.adminToken}` }
    expect((await call('DELETE', '/no2-raw', undefined, auth)).status).toBe(204)
    expect((await call('DELETE', '/no2-raw', undefined, auth)).status).toBe(404)
  })
})

describe('export', () => {
  const exportOf = (q: string) => fetch(`${civ.httpUrl}/api/v1/history/export?${q}`)

  it('streams CSV of a selection larger than one chunk, every point once', async () => {
    const [other] = (await civ.app.registry.provision([
      { id: 'aq-x', profile: 'air-quality' },
    ])) as [ProvisionResult]
    const body = Array.from({ length: 2500 }, (_, i) => ({
      observedAt: iso(T0 + 10 * 86_400_000 + i * 60_000),
      no2: i,
    }))
    // Sealed in pieces of about 1000 points: several chunks plus an unsealed tail.
    for (let at = 0; at < body.length; at += 1000) {
      const r = await fetch(`${civ.httpUrl}/api/v1/devices/${other.id}/measurements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${other.secret}` },
        body: JSON.stringify(body.slice(at, at + 1000)),
      })
      expect(r.status).toBe(200)
      if (at < 2000) civ.app.store.seal(true)
    }
    // Sealed chunks (the background compactor may have merged them) plus an unsealed tail.
    const sealed = civ.app.store.db
      .prepare(
        'SELECT sum(c.n) AS n FROM chunk c JOIN series s ON s.sid = c.sid WHERE s.entity_id = ?',
      )
      .get(other.entityId) as { n: number }
    expect(sealed.n).toBe(2000)
    const r = await exportOf(`type=AirQualityObserved&attrs=no2&from=${iso(T0 + 10 * 86_400_000)}`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(r.headers.get('content-length')).toBeNull()
    const lines = (await r.text()).trim().split('\n')
    expect(lines[0]).toBe('entityId,attribute,observedAt,value,unitCode,datasetId')
    expect(lines).toHaveLength(2501)
    expect(lines[1]).toBe(
      `${other.entityId},no2,${new Date(T0 + 10 * 86_400_000).toISOString()},0,GQ,`,
    )
    expect(new Set(lines.slice(1).map((l) => l.split(',')[3])).size).toBe(2500)
  })

  it('streams NGSI-LD temporal entities', async () => {
    const r = await exportOf(
      `id=${dev.entityId}&attrs=no2,pm10&to=${iso(T0 + 3 * 3_600_000)}&format=ngsi-ld`,
    )
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/json')
    const body = (await r.json()) as Record<string, unknown>[]
    // Raw points of aq-h were removed by the retention test above: nothing is left to export.
    expect(body).toEqual([])
    const other = await exportOf(`type=AirQualityObserved&attrs=no2&format=ngsi-ld`)
    const entities = (await other.json()) as {
      id: string
      type: string
      no2: { value: number }[]
    }[]
    expect(entities).toHaveLength(1)
    expect(entities[0]?.type).toBe('AirQualityObserved')
    expect(entities[0]?.no2.map((i) => i.value)).toEqual(Array.from({ length: 2500 }, (_, i) => i))
  })

  it.each([
    ['attrs=no2', 400],
    ['id=urn:x&from=yesterday', 400],
    [`id=urn:x&from=${iso(T0 + 1)}&to=${iso(T0)}`, 400],
    ['id=urn:x&format=xml', 400],
  ])('refuses %s', async (q, status) => {
    const r = await exportOf(q)
    expect(r.status).toBe(status)
    expect(((await r.json()) as { type: string }).type).toMatch(/^https:\/\//)
  })
})
