import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMemoryBus } from '../../bus/memory-bus.js'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import type { Observation } from '../../core/observation.js'
import { silentLogger } from '../../log/logger.js'
import { openMemoryStore } from '../../store/memory/open-memory-store.js'
import type { Store } from '../../store/store.js'
import { ngsiLdPlugin } from './ngsi-ld-plugin.js'

const API = '/ngsi-ld/v1'
const V = (n: string) => DEFAULT_VOCAB + n
const T0 = Date.parse('2026-01-01T00:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
const ERR = 'https://uri.etsi.org/ngsi-ld/errors/'

let app: FastifyInstance
let store: Store
/** The store's clock: the createdAt of what is written next. */
let clock = T0

async function build(maxInstances = 50): Promise<void> {
  clock = T0
  store = openMemoryStore(() => clock)
  app = Fastify({ routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 } })
  await app.register(ngsiLdPlugin, {
    prefix: API,
    entities: store.entities,
    tenants: store.tenants,
    temporal: store.temporal,
    bus: createMemoryBus(silentLogger),
    log: silentLogger,
    clock: () => new Date(clock),
    config: {
      maxLimit: 1000,
      defaultLimit: 20,
      ldContextNotAvailableStatus: 503,
      temporalMaxInstances: maxInstances,
    },
  })
  await app.ready()
}

/** Device-style ingest: entity patch with the latest value plus every observation. */
async function ingest(id: string, type: string, attr: string, points: [number, unknown][]) {
  const obs: Observation[] = points.map(([t, value]) => ({
    entityId: id,
    attr: V(attr),
    observedAt: t,
    value: value as Observation['value'],
    unitCode: 'GQ',
  }))
  const last = points[points.length - 1] ?? [T0, 0]
  await store.ingest([
    {
      tenant: 'default',
      patches: [
        {
          entityId: id,
          entityType: V(type),
          attrs: { [V(attr)]: { type: 'Property', value: last[1], observedAt: iso(last[0]) } },
        },
      ],
      observations: obs,
      activity: [],
    },
  ])
}

const get = (url: string) => app.inject({ method: 'GET', url: API + url })

beforeEach(() => build())
afterEach(() => app.close())

describe('temporal API: retrieve', () => {
  beforeEach(async () => {
    await ingest(
      'urn:ngsi-ld:Sensor:s1',
      'Sensor',
      'no2',
      Array.from({ length: 10 }, (_, i) => [T0 + i * 60_000, 40 + i]),
    )
  })

  it('answers the normalized evolution, oldest first, with instanceIds and observedAt', async () => {
    const res = await get('/temporal/entities/urn:ngsi-ld:Sensor:s1')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    const body = res.json<Record<string, unknown>>()
    expect(body['id']).toBe('urn:ngsi-ld:Sensor:s1')
    expect(body['type']).toBe('Sensor')
    const no2 = body['no2'] as Record<string, unknown>[]
    expect(no2).toHaveLength(10)
    expect(no2[0]).toMatchObject({
      type: 'Property',
      value: 40,
      observedAt: '2026-01-01T00:00:00Z',
      unitCode: 'GQ',
    })
    expect(String(no2[0]?.['instanceId'])).toMatch(/^urn:ngsi-ld:Instance:[0-9a-f-]{36}$/)
    expect(new Set(no2.map((i) => i['instanceId'])).size).toBe(10)
  })

  it('applies timerel after (inclusive), before (exclusive), between and lastN', async () => {
    const values = async (q: string) =>
      (
        (await get(`/temporal/entities/urn:ngsi-ld:Sensor:s1?${q}`)).json<
          Record<string, unknown>
        >()['no2'] as { value: number }[]
      ).map((i) => i.value)
    expect(await values(`timerel=after&timeAt=${iso(T0 + 7 * 60_000)}`)).toEqual([47, 48, 49])
    expect(await values(`timerel=before&timeAt=${iso(T0 + 2 * 60_000)}`)).toEqual([40, 41])
    expect(
      await values(
        `timerel=between&timeAt=${iso(T0 + 2 * 60_000)}&endTimeAt=${iso(T0 + 4 * 60_000)}`,
      ),
    ).toEqual([42, 43])
    expect(await values('lastN=3')).toEqual([47, 48, 49])
  })

  it('answers temporalValues', async () => {
    const res = await get(
      `/temporal/entities/urn:ngsi-ld:Sensor:s1?options=temporalValues&timerel=before&timeAt=${iso(T0 + 2 * 60_000)}`,
    )
    expect(res.json<Record<string, unknown>>()['no2']).toEqual({
      type: 'Property',
      values: [
        [40, '2026-01-01T00:00:00Z'],
        [41, '2026-01-01T00:01:00Z'],
      ],
    })
  })

  it('answers aggregatedValues per period anchored at timeAt, [value, start, end]', async () => {
    const res = await get(
      `/temporal/entities/urn:ngsi-ld:Sensor:s1?options=aggregatedValues&aggrMethods=avg,max,totalCount&aggrPeriodDuration=PT5M&timerel=after&timeAt=${iso(T0)}`,
    )
    expect(res.statusCode).toBe(200)
    expect(res.json<Record<string, unknown>>()['no2']).toEqual({
      type: 'Property',
      avg: [
        [42, '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z'],
        [47, '2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z'],
      ],
      max: [
        [44, '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z'],
        [49, '2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z'],
      ],
      totalCount: [
        [5, '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z'],
        [5, '2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z'],
      ],
    })
  })

  it('answers calendar periods (P1M) in UTC months', async () => {
    const res = await get(
      `/temporal/entities/urn:ngsi-ld:Sensor:s1?options=aggregatedValues&aggrMethods=totalCount&aggrPeriodDuration=P1M&timerel=after&timeAt=2025-12-01T00:00:00Z`,
    )
    expect(res.statusCode).toBe(200)
    expect(res.json<Record<string, unknown>>()['no2']).toEqual({
      type: 'Property',
      totalCount: [[10, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z']],
    })
  })

  it.each([
    ['timerel=after', 400, 'BadRequestData'],
    ['timerel=between&timeAt=2026-01-01T00:00:00Z', 400, 'BadRequestData'],
    ['timerel=after&timeAt=soon', 400, 'BadRequestData'],
    ['lastN=0', 400, 'BadRequestData'],
    [
      'timeproperty=modifiedAt&options=aggregatedValues&aggrMethods=avg',
      422,
      'OperationNotSupported',
    ],
    ['options=aggregatedValues', 400, 'BadRequestData'],
    [
      'options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=P1M1D',
      422,
      'OperationNotSupported',
    ],
    ['options=wrong', 400, 'InvalidRequest'],
    ['nonsense=1', 400, 'InvalidRequest'],
  ])('refuses %s with %i %s', async (q, status, kind) => {
    const res = await get(`/temporal/entities/urn:ngsi-ld:Sensor:s1?${q}`)
    expect(res.statusCode).toBe(status)
    expect(res.json<Record<string, unknown>>()['type']).toBe(ERR + kind)
  })

  it('answers 404 for an unknown entity and 400 for an id that is not a URI', async () => {
    expect((await get('/temporal/entities/urn:ngsi-ld:Sensor:none')).statusCode).toBe(404)
    expect((await get('/temporal/entities/not%20a%20uri')).statusCode).toBe(400)
  })

  it('answers 404 when the entity never had any of the attributes asked for', async () => {
    const none = await get('/temporal/entities/urn:ngsi-ld:Sensor:s1?attrs=unknown')
    expect(none.statusCode).toBe(404)
    expect(none.json<Record<string, unknown>>()['type']).toBe(ERR + 'ResourceNotFound')
    const some = await get('/temporal/entities/urn:ngsi-ld:Sensor:s1?attrs=unknown,no2')
    expect(some.statusCode).toBe(200)
  })
})

describe('temporal API: timeproperty createdAt and modifiedAt (§4.11)', () => {
  const id = 'urn:ngsi-ld:Sensor:t1'
  const hour = 3_600_000
  beforeEach(async () => {
    clock = T0 + hour
    await ingest(id, 'Sensor', 'a', [
      [T0, 1],
      [T0 + 60_000, 2],
    ])
    // A backfill written an hour later, observed before everything else.
    clock = T0 + 2 * hour
    await ingest(id, 'Sensor', 'a', [[T0 - hour, 3]])
  })

  it('selects, orders and shows instances by createdAt', async () => {
    const res = await get(
      `/temporal/entities/${id}?timerel=after&timeAt=${iso(T0 + 90 * 60_000)}&timeproperty=createdAt`,
    )
    expect(res.statusCode).toBe(200)
    const body = res.json<Record<string, Record<string, unknown>[]>>()
    expect(body['a']).toEqual([
      expect.objectContaining({
        value: 3,
        observedAt: iso(T0 - hour),
        createdAt: iso(T0 + 2 * hour),
      }),
    ])
    const all = await get(
      `/temporal/entities/${id}?timerel=before&timeAt=${iso(T0 + 3 * hour)}&timeproperty=createdAt&options=temporalValues`,
    )
    // Pairs carry the time the request selected by.
    expect(all.json<{ a: { values: unknown[] } }>().a.values).toEqual([
      [1, iso(T0 + hour)],
      [2, iso(T0 + hour)],
      [3, iso(T0 + 2 * hour)],
    ])
    const last = await get(`/temporal/entities/${id}?lastN=1&timeproperty=createdAt`)
    expect(last.json<{ a: { value: number }[] }>().a.map((i) => i.value)).toEqual([3])
  })

  it('shows createdAt and modifiedAt per instance with sysAttrs; an edit moves modifiedAt', async () => {
    const first = await get(`/temporal/entities/${id}?options=sysAttrs`)
    const instances = first.json<{ a: Record<string, string>[] }>().a
    expect(instances.map((i) => [i['value'], i['createdAt'], i['modifiedAt']])).toEqual([
      [3, iso(T0 + 2 * hour), iso(T0 + 2 * hour)],
      [1, iso(T0 + hour), iso(T0 + hour)],
      [2, iso(T0 + hour), iso(T0 + hour)],
    ])
    // Without sysAttrs, under the default timeproperty, no system times.
    const plain = await get(`/temporal/entities/${id}`)
    expect(plain.json<{ a: Record<string, unknown>[] }>().a[0]).not.toHaveProperty('createdAt')
    clock = T0 + 5 * hour
    const instanceId = instances[1]?.['instanceId'] ?? ''
    const patched = await app.inject({
      method: 'PATCH',
      url: `${API}/temporal/entities/${id}/attrs/a/${encodeURIComponent(instanceId)}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ value: 10 }),
    })
    expect(patched.statusCode).toBe(204)
    const byModified = await get(
      `/temporal/entities/${id}?timerel=after&timeAt=${iso(T0 + 4 * hour)}&timeproperty=modifiedAt`,
    )
    expect(byModified.json<{ a: Record<string, unknown>[] }>().a).toEqual([
      expect.objectContaining({ value: 10, modifiedAt: iso(T0 + 5 * hour) }),
    ])
  })

  it('judges q on the instances created inside the window', async () => {
    const q = (timeAt: number) =>
      get(
        `/temporal/entities?type=Sensor&q=a==3&timerel=after&timeAt=${iso(timeAt)}&timeproperty=createdAt`,
      ).then((r) => r.json<{ id: string }[]>().map((e) => e.id))
    expect(await q(T0 + 90 * 60_000)).toEqual([id])
    expect(await q(T0 + 3 * hour)).toEqual([])
  })
})

describe('temporal API: what the Core API writes is history (§4.5.6, §4.5.7)', () => {
  const send = (method: 'POST' | 'PATCH', url: string, payload: unknown) =>
    app.inject({
      method,
      url: API + url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    })
  const id = 'urn:ngsi-ld:Vehicle:core1'

  it('each written instance is an instance created then; it matches by createdAt, not observedAt', async () => {
    clock = T0 + 60_000
    const created = await send('POST', '/entities', {
      id,
      type: 'Vehicle',
      speed: { type: 'Property', value: 30 },
      brand: { type: 'Property', value: 'x', observedAt: iso(T0) },
    })
    expect(created.statusCode).toBe(201)
    clock = T0 + 120_000
    expect((await send('PATCH', `/entities/${id}/attrs`, { speed: 40 })).statusCode).toBe(204)
    const window = `timerel=after&timeAt=${iso(T0)}`
    const byCreated = await get(`/temporal/entities?type=Vehicle&${window}&timeproperty=createdAt`)
    expect(byCreated.statusCode).toBe(200)
    const [evo] = byCreated.json<Record<string, Record<string, unknown>[]>[]>()
    expect(evo?.['speed']?.map((i) => [i['value'], i['createdAt'], i['observedAt']])).toEqual([
      [30, iso(T0 + 60_000), undefined],
      [40, iso(T0 + 120_000), undefined],
    ])
    // By observedAt only the instance that has one.
    const byObserved = await get(`/temporal/entities?type=Vehicle&${window}`)
    const [observed] = byObserved.json<Record<string, unknown>[]>()
    expect(observed?.['speed']).toBeUndefined()
    expect(observed?.['brand']).toEqual([
      expect.objectContaining({ value: 'x', observedAt: iso(T0) }),
    ])
    // q is judged on those instances too.
    const q = await get(
      `/temporal/entities?type=Vehicle&q=speed==40&${window}&timeproperty=createdAt`,
    )
    expect(q.json<{ id: string }[]>().map((e) => e.id)).toEqual([id])
  })
})

describe('temporal API: instance cap (206 + Content-Range)', () => {
  beforeEach(async () => {
    await app.close()
    await build(5)
    await ingest(
      'urn:ngsi-ld:Sensor:c',
      'Sensor',
      'a',
      Array.from({ length: 8 }, (_, i) => [T0 + i * 60_000, i]),
    )
    // The second attribute starts later: cut at the first attribute's window, it is left empty.
    await ingest(
      'urn:ngsi-ld:Sensor:c',
      'Sensor',
      'b',
      Array.from({ length: 8 }, (_, i) => [T0 + (10 + i) * 60_000, i]),
    )
  })

  it('cuts forward from timeAt at the last returned instant; the later attribute is []', async () => {
    const res = await get(`/temporal/entities/urn:ngsi-ld:Sensor:c?timerel=after&timeAt=${iso(T0)}`)
    expect(res.statusCode).toBe(206)
    expect(res.headers['content-range']).toBe(`date-time ${iso(T0)}-${iso(T0 + 4 * 60_000)}/*`)
    const body = res.json<Record<string, unknown[]>>()
    expect(body['a']).toHaveLength(5)
    expect(body['b']).toEqual([])
  })

  it('cuts backward with lastN from the newest instant; size is lastN', async () => {
    const res = await get('/temporal/entities/urn:ngsi-ld:Sensor:c?lastN=7')
    expect(res.statusCode).toBe(206)
    const body = res.json<Record<string, { observedAt: string }[]>>()
    expect(body['b']?.map((i) => i.observedAt)).toEqual(
      [13, 14, 15, 16, 17].map((m) => iso(T0 + m * 60_000)),
    )
    expect(body['a']).toEqual([])
    expect(res.headers['content-range']).toBe(
      `date-time ${iso(T0 + 17 * 60_000)}-${iso(T0 + 13 * 60_000)}/7`,
    )
  })

  it('answers 200 when everything fits', async () => {
    const res = await get('/temporal/entities/urn:ngsi-ld:Sensor:c?lastN=4')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-range']).toBeUndefined()
  })
})

describe('temporal API: query', () => {
  beforeEach(async () => {
    await ingest('urn:ngsi-ld:Sensor:q1', 'Sensor', 'no2', [
      [T0, 10],
      [T0 + 60_000, 20],
    ])
    await ingest('urn:ngsi-ld:Sensor:q2', 'Sensor', 'no2', [[T0, 30]])
    await ingest('urn:ngsi-ld:Meter:m1', 'Meter', 'power', [[T0, 1]])
  })

  it('GET selects by type like /entities and needs timerel', async () => {
    const res = await get(`/temporal/entities?type=Sensor&timerel=after&timeAt=${iso(T0)}`)
    expect(res.statusCode).toBe(200)
    const body = res.json<Record<string, unknown>[]>()
    expect(body.map((e) => e['id'])).toEqual(['urn:ngsi-ld:Sensor:q1', 'urn:ngsi-ld:Sensor:q2'])
    expect((body[0]?.['no2'] as unknown[]).length).toBe(2)
    const noTime = await get('/temporal/entities?type=Sensor')
    expect(noTime.statusCode).toBe(400)
    expect((await get(`/temporal/entities?timerel=after&timeAt=${iso(T0)}`)).statusCode).toBe(400)
  })

  it('leaves out the entities without any instance inside the window', async () => {
    const res = await get(`/temporal/entities?type=Sensor&timerel=after&timeAt=${iso(T0 + 1)}`)
    expect(res.statusCode).toBe(200)
    expect(res.json<{ id: string }[]>().map((e) => e.id)).toEqual(['urn:ngsi-ld:Sensor:q1'])
  })

  it('GET filters with q and id, and counts', async () => {
    const res = await get(
      `/temporal/entities?type=Sensor&q=no2>15&count=true&timerel=after&timeAt=${iso(T0)}`,
    )
    expect(res.json<{ id: string }[]>().map((e) => e.id)).toEqual([
      'urn:ngsi-ld:Sensor:q1',
      'urn:ngsi-ld:Sensor:q2',
    ])
    expect(res.headers['ngsild-results-count']).toBe('2')
    const byId = await get(
      `/temporal/entities?type=Sensor&id=urn:ngsi-ld:Sensor:q2&timerel=after&timeAt=${iso(T0)}`,
    )
    expect(byId.json<{ id: string }[]>().map((e) => e.id)).toEqual(['urn:ngsi-ld:Sensor:q2'])
  })

  it('POST query reads lastN and aggregation members of temporalQ and aggrParams', async () => {
    const post = (body: object, query = '') =>
      app.inject({
        method: 'POST',
        url: `${API}/temporal/entityOperations/query${query}`,
        headers: { 'content-type': 'application/json' },
        payload: { type: 'Query', entities: [{ type: 'Sensor' }], ...body },
      })
    const window = { timerel: 'after', timeAt: iso(T0) }
    const last = await post({ temporalQ: { ...window, lastN: 1 } }, '?options=temporalValues')
    expect(last.statusCode).toBe(200)
    expect(last.json<{ no2: { values: unknown[] } }[]>()[0]?.no2.values).toEqual([
      [20, iso(T0 + 60_000)],
    ])
    const aggr = await post({ temporalQ: { ...window, aggrMethods: ['max'] } })
    expect(
      aggr.json<Record<string, Record<string, unknown>>[]>()[0]?.['no2']?.['max'],
    ).toBeDefined()
    const params = await post({ temporalQ: window, aggrParams: { aggrMethods: 'max,min' } })
    expect(
      params.json<Record<string, Record<string, unknown>>[]>()[0]?.['no2']?.['min'],
    ).toBeDefined()
    expect((await post({ temporalQ: { ...window, lastN: 0 } })).statusCode).toBe(400)
    expect((await post({ temporalQ: window, aggrParams: { bogus: 1 } })).statusCode).toBe(400)
  })

  it('POST query reads pick, omit, datasetId and ordering members (id ordering only)', async () => {
    const post = (body: object, query = '') =>
      app.inject({
        method: 'POST',
        url: `${API}/temporal/entityOperations/query${query}`,
        headers: { 'content-type': 'application/json' },
        payload: {
          type: 'Query',
          entities: [{ type: 'Sensor' }],
          temporalQ: { timerel: 'after', timeAt: iso(T0) },
          ...body,
        },
      })
    const picked = await post({ pick: ['id'], ordering: { orderBy: ['id;desc'] } })
    expect(picked.statusCode).toBe(200)
    expect(picked.json()).toEqual([
      { id: 'urn:ngsi-ld:Sensor:q2' },
      { id: 'urn:ngsi-ld:Sensor:q1' },
    ])
    const omitted = await post({ omit: ['type', 'no2'] })
    expect(omitted.json()).toEqual([
      { id: 'urn:ngsi-ld:Sensor:q1' },
      { id: 'urn:ngsi-ld:Sensor:q2' },
    ])
    // No instance has a datasetId: a named one leaves no entity in the answer.
    expect((await post({ datasetId: ['urn:ngsi-ld:Dataset:x'] })).json()).toEqual([])
    expect((await post({ datasetId: ['@none'], pick: 'id' })).json()).toHaveLength(2)
    const byName = await post({ ordering: { orderBy: ['no2'] } })
    expect(byName.statusCode).toBe(400)
    expect(byName.json<{ type: string }>().type).toBe(`${ERR}BadRequestData`)
    expect((await post({ pick: ['no2'], attrs: ['no2'] })).statusCode).toBe(400)
    const aggregated = await post(
      { datasetId: ['@none'] },
      '?options=aggregatedValues&aggrMethods=max',
    )
    expect(aggregated.statusCode).toBe(422)
  })

  it('POST /temporal/entityOperations/query with temporalQ', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${API}/temporal/entityOperations/query?options=temporalValues`,
      headers: { 'content-type': 'application/json' },
      payload: {
        type: 'Query',
        entities: [{ type: 'Sensor' }],
        attrs: ['no2'],
        temporalQ: { timerel: 'before', timeAt: iso(T0 + 60_000) },
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      {
        id: 'urn:ngsi-ld:Sensor:q1',
        type: 'Sensor',
        no2: { type: 'Property', values: [[10, iso(T0)]] },
      },
      {
        id: 'urn:ngsi-ld:Sensor:q2',
        type: 'Sensor',
        no2: { type: 'Property', values: [[30, iso(T0)]] },
      },
    ])
    const missing = await app.inject({
      method: 'POST',
      url: `${API}/temporal/entityOperations/query`,
      headers: { 'content-type': 'application/json' },
      payload: { type: 'Query', entities: [{ type: 'Sensor' }] },
    })
    expect(missing.statusCode).toBe(400)
  })

  it('POST /temporal/entityOperations/query takes the Query members expandValues and jsonKeys', async () => {
    const post = (extra: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `${API}/temporal/entityOperations/query`,
        headers: { 'content-type': 'application/json' },
        payload: {
          type: 'Query',
          entities: [{ type: 'Sensor' }],
          temporalQ: { timerel: 'before', timeAt: iso(T0 + 60_000) },
          ...extra,
        },
      })
    const ok = await post({ q: 'no2[a]|no2>15', expandValues: 'no2', jsonKeys: ['no2'] })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json<{ id: string }[]>().map((e) => e.id)).toEqual(['urn:ngsi-ld:Sensor:q2'])
    expect((await post({ q: 'no2', jsonKeys: 5 })).statusCode).toBe(400)
  })
})
