import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMemoryBus } from '../../bus/memory-bus.js'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import { silentLogger } from '../../log/logger.js'
import { openMemoryStore } from '../../store/memory/open-memory-store.js'
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js'
import type { Store } from '../../store/store.js'
import { ngsiLdPlugin } from './ngsi-ld-plugin.js'

const API = '/ngsi-ld/v1'
const V = (n: string) => DEFAULT_VOCAB + n
const ERR = 'https://uri.etsi.org/ngsi-ld/errors/'
const ID = 'urn:ngsi-ld:Vehicle:v1'
const dir = mkdtempSync(join(tmpdir(), 'civitas-twrite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0

const stores: [string, () => Store][] = [
  ['memory', () => openMemoryStore()],
  [
    'sqlite',
    () =>
      openSqliteStore({
        file: join(dir, `t${n++}.db`),
        history: { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 },
        sealIntervalMs: 0,
      }),
  ],
]

const vehicle = {
  id: ID,
  type: 'Vehicle',
  speed: [
    { type: 'Property', value: 120, observedAt: '2020-08-01T12:03:00Z' },
    { type: 'Property', value: 80, observedAt: '2020-08-01T12:05:00Z' },
    { type: 'Property', value: 100, observedAt: '2020-08-01T12:04:00Z' },
  ],
  driver: {
    type: 'Relationship',
    object: 'urn:ngsi-ld:Person:p1',
    observedAt: '2020-08-01T12:03:00Z',
  },
}

describe.each(stores)('temporal write API (%s store)', (_name, open) => {
  let app: FastifyInstance
  let store: Store

  beforeEach(async () => {
    store = open()
    app = Fastify({ routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 } })
    await app.register(ngsiLdPlugin, {
      prefix: API,
      entities: store.entities,
      tenants: store.tenants,
      temporal: store.temporal,
      bus: createMemoryBus(silentLogger),
      log: silentLogger,
      config: { maxLimit: 1000, defaultLimit: 20, ldContextNotAvailableStatus: 503 },
    })
    await app.ready()
  })
  afterEach(async () => {
    await app.close()
    await store.close()
  })

  const post = (url: string, body: unknown, contentType = 'application/json') =>
    app.inject({
      method: 'POST',
      url: API + url,
      headers: { 'content-type': contentType },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const get = (url: string) => app.inject({ method: 'GET', url: API + url })
  const del = (url: string) => app.inject({ method: 'DELETE', url: API + url })
  const enc = encodeURIComponent(ID)
  const history = async () =>
    (await store.temporal.query('default', { entityId: ID, range: {}, limit: 100 })).get(
      V('speed'),
    ) ?? []

  describe('POST /temporal/entities (§5.6.11)', () => {
    it('creates: 201 with Location, every instance in history, the newest as current state', async () => {
      const res = await post('/temporal/entities', vehicle)
      expect(res.statusCode).toBe(201)
      expect(res.headers['location']).toBe(`${API}/temporal/entities/${ID}`)
      expect((await history()).map((o) => o.value)).toEqual([120, 100, 80])
      const current = await store.entities.get('default', ID)
      expect(current?.types).toEqual([V('Vehicle')])
      expect(current?.attrs[V('speed')]?.[0]).toMatchObject({
        value: 80,
        observedAt: '2020-08-01T12:05:00Z',
      })
      const evo = await get(`/temporal/entities/${enc}?format=temporalValues`)
      expect(evo.statusCode).toBe(200)
      expect(evo.json()).toMatchObject({
        speed: {
          type: 'Property',
          values: [
            [120, '2020-08-01T12:03:00Z'],
            [100, '2020-08-01T12:04:00Z'],
            [80, '2020-08-01T12:05:00Z'],
          ],
        },
        driver: {
          type: 'Relationship',
          objects: [['urn:ngsi-ld:Person:p1', '2020-08-01T12:03:00Z']],
        },
      })
    })

    it('an update restates instances: the same time and datasetId replaces, a new time adds', async () => {
      await post('/temporal/entities', vehicle)
      const res = await post('/temporal/entities', {
        id: ID,
        type: 'Vehicle',
        speed: [
          { type: 'Property', value: 121, observedAt: '2020-08-01T12:03:00Z' },
          { type: 'Property', value: 7, observedAt: '2020-08-01T12:03:00Z', datasetId: 'urn:d:1' },
          { type: 'Property', value: 90, observedAt: '2020-08-01T12:09:00Z' },
        ],
      })
      expect(res.statusCode).toBe(204)
      const speed = (
        await store.temporal.query('default', { entityId: ID, range: {}, limit: 10 })
      ).get(V('speed'))
      // Instances of different datasetIds at one time come in a store-defined order.
      const rows = speed?.map((o) => [o.value, o.datasetId ?? null]) ?? []
      expect(rows).toHaveLength(5)
      expect(rows).toEqual(
        expect.arrayContaining([
          [121, null],
          [7, 'urn:d:1'],
          [100, null],
          [80, null],
          [90, null],
        ]),
      )
    })

    it('accepts a deleted instance (value NGSI-LD Null) into history', async () => {
      await post('/temporal/entities', vehicle)
      const res = await post('/temporal/entities', {
        id: ID,
        type: 'Vehicle',
        speed: [
          { type: 'Property', value: 'urn:ngsi-ld:null', observedAt: '2020-08-01T12:09:00Z' },
        ],
      })
      expect(res.statusCode).toBe(204)
      expect((await history()).map((o) => o.value)).toEqual([120, 100, 80, 'urn:ngsi-ld:null'])
      const current = await store.entities.get('default', ID)
      expect(current?.attrs[V('speed')]?.[0]?.value).toBe(80)
    })

    it('updates an existing entity: 204, instances appended, an older instance keeps the state', async () => {
      expect((await post('/temporal/entities', vehicle)).statusCode).toBe(201)
      const res = await post('/temporal/entities', {
        id: ID,
        type: 'Vehicle',
        speed: [
          { type: 'Property', value: 1, observedAt: '2020-08-01T12:00:00Z' },
          { type: 'Property', value: 7, observedAt: '2020-08-01T12:01:00Z', datasetId: 'urn:ds:b' },
        ],
      })
      expect(res.statusCode).toBe(204)
      // Each datasetId is its own series: the order between them is not defined.
      const all = await history()
      expect(all.filter((o) => o.datasetId === undefined).map((o) => o.value)).toEqual([
        1, 120, 100, 80,
      ])
      expect(all.filter((o) => o.datasetId === 'urn:ds:b').map((o) => o.value)).toEqual([7])
      const current = await store.entities.get('default', ID)
      const speed = current?.attrs[V('speed')] ?? []
      expect(speed.find((i) => i.datasetId === undefined)?.value).toBe(80)
      expect(speed.find((i) => i.datasetId === 'urn:ds:b')?.value).toBe(7)
    })

    it('creates the tenant named in NGSILD-Tenant', async () => {
      const res = await app.inject({
        method: 'POST',
        url: API + '/temporal/entities',
        headers: { 'content-type': 'application/json', 'ngsild-tenant': 'city2' },
        payload: JSON.stringify(vehicle),
      })
      expect(res.statusCode).toBe(201)
      expect(await store.tenants.exists('city2')).toBe(true)
      const h = await store.temporal.query('city2', { entityId: ID, range: {}, limit: 10 })
      expect(h.get(V('speed'))).toHaveLength(3)
    })

    it.each([
      ['no id', { type: 'Vehicle', speed: vehicle.speed }],
      ['an id that is not a URI', { ...vehicle, id: 'not a uri' }],
      ['no type', { id: ID, speed: vehicle.speed }],
      ['an attribute with no instance', { ...vehicle, speed: [] }],
      ['an instance that is not an object', { ...vehicle, speed: [42] }],
      [
        'an invalid observedAt',
        { ...vehicle, speed: [{ type: 'Property', value: 1, observedAt: 'yesterday' }] },
      ],
      ['a Relationship without object', { ...vehicle, driver: [{ type: 'Relationship' }] }],
    ])('answers 400 BadRequestData for %s, changing nothing', async (_what, body) => {
      const res = await post('/temporal/entities', body)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ type: ERR + 'BadRequestData' })
      expect(await store.entities.get('default', ID)).toBeUndefined()
      expect(await history()).toEqual([])
    })

    it('answers 400 InvalidRequest for a body that is not JSON or not an object', async () => {
      for (const body of ['{"id": ', '[]']) {
        const res = await post('/temporal/entities', body)
        expect(res.statusCode).toBe(400)
        expect(res.json()).toMatchObject({ type: ERR + 'InvalidRequest' })
      }
      expect(await history()).toEqual([])
    })

    it('answers 415 for a body that is not JSON or JSON-LD', async () => {
      const res = await post('/temporal/entities', vehicle, 'text/plain')
      // As every operation here: 415 with no body, before any lookup (http-rules.test.ts).
      expect(res.statusCode).toBe(415)
      expect(res.body).toBe('')
      expect(await history()).toEqual([])
    })
  })

  describe('POST /temporal/entities/{id}/attrs (§5.6.12)', () => {
    it('adds instances: 204, in history and in the current state', async () => {
      expect((await post('/temporal/entities', vehicle)).statusCode).toBe(201)
      const res = await post(`/temporal/entities/${enc}/attrs`, {
        speed: { type: 'Property', value: 60, observedAt: '2020-08-01T12:06:00Z' },
        fuel: [
          { type: 'Property', value: 0.5, observedAt: '2020-08-01T12:06:00Z', unitCode: 'P1' },
        ],
      })
      expect(res.statusCode).toBe(204)
      expect((await history()).map((o) => o.value)).toEqual([120, 100, 80, 60])
      const fuel = (
        await store.temporal.query('default', { entityId: ID, range: {}, limit: 10 })
      ).get(V('fuel'))
      expect(fuel).toEqual([
        expect.objectContaining({
          value: 0.5,
          unitCode: 'P1',
          observedAt: Date.parse('2020-08-01T12:06:00Z'),
        }),
      ])
      const current = await store.entities.get('default', ID)
      expect(current?.attrs[V('speed')]?.[0]?.value).toBe(60)
      expect(current?.attrs[V('fuel')]?.[0]?.value).toBe(0.5)
    })

    it('answers 404 ResourceNotFound for an unknown entity, writing no history', async () => {
      await post('/temporal/entities', vehicle)
      const other = 'urn:ngsi-ld:Vehicle:none'
      const res = await post(`/temporal/entities/${encodeURIComponent(other)}/attrs`, {
        speed: { type: 'Property', value: 1, observedAt: '2020-08-01T12:00:00Z' },
      })
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ type: ERR + 'ResourceNotFound' })
      const h = await store.temporal.query('default', { entityId: other, range: {}, limit: 10 })
      expect(h.size).toBe(0)
    })

    it.each([
      ['an empty fragment', {}],
      ['another entity id', { id: 'urn:x:1', speed: vehicle.speed }],
      ['an invalid instance', { speed: [{ type: 'Nonsense', value: 1 }] }],
    ])('answers 400 BadRequestData for %s, changing nothing', async (_what, body) => {
      await post('/temporal/entities', vehicle)
      const res = await post(`/temporal/entities/${enc}/attrs`, body)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ type: ERR + 'BadRequestData' })
      expect(await history()).toHaveLength(3)
    })

    it('answers 400 for an entity id that is not a URI', async () => {
      const res = await post('/temporal/entities/not-a-uri/attrs', { speed: vehicle.speed })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ type: ERR + 'BadRequestData' })
    })

    it('answers 415 for a body that is not JSON or JSON-LD', async () => {
      await post('/temporal/entities', vehicle)
      const res = await post(
        `/temporal/entities/${enc}/attrs`,
        { speed: vehicle.speed },
        'text/xml',
      )
      expect(res.statusCode).toBe(415)
      expect(res.body).toBe('')
      expect(await history()).toHaveLength(3)
    })
  })

  describe('DELETE /temporal/entities/{id}/attrs/{attrId} (§5.6.13)', () => {
    const speeds = async (datasetId?: string) =>
      (await history()).filter((o) => o.datasetId === datasetId).map((o) => o.value)
    beforeEach(async () => {
      await post('/temporal/entities', vehicle)
      await post(`/temporal/entities/${enc}/attrs`, {
        speed: [
          { type: 'Property', value: 5, observedAt: '2020-08-01T12:00:00Z', datasetId: 'urn:ds:a' },
          { type: 'Property', value: 6, observedAt: '2020-08-01T12:00:00Z', datasetId: 'urn:ds:b' },
        ],
      })
    })

    it('deletes the default instances only: 204, datasetIds and the current state kept', async () => {
      const res = await del(`/temporal/entities/${enc}/attrs/speed`)
      expect(res.statusCode).toBe(204)
      expect(await speeds()).toEqual([])
      expect(await speeds('urn:ds:a')).toEqual([5])
      expect(await speeds('urn:ds:b')).toEqual([6])
      const driver = (
        await store.temporal.query('default', { entityId: ID, range: {}, limit: 10 })
      ).get(V('driver'))
      expect(driver).toHaveLength(1)
      expect((await store.entities.get('default', ID))?.attrs[V('speed')]).toBeDefined()
      // Deleting again: nothing left to delete.
      expect((await del(`/temporal/entities/${enc}/attrs/speed`)).statusCode).toBe(404)
    })

    it('deletes one datasetId, or all with deleteAll=true', async () => {
      expect(
        (await del(`/temporal/entities/${enc}/attrs/speed?datasetId=urn:ds:a`)).statusCode,
      ).toBe(204)
      expect(await speeds('urn:ds:a')).toEqual([])
      expect(await speeds()).toEqual([120, 100, 80])
      expect((await del(`/temporal/entities/${enc}/attrs/speed?deleteAll=true`)).statusCode).toBe(
        204,
      )
      expect(await history()).toEqual([])
    })

    it.each([
      ['deleteAll=yes', 400, 'BadRequestData'],
      ['deleteAll=true&datasetId=urn:ds:a', 400, 'BadRequestData'],
      ['datasetId=not%20a%20uri', 400, 'BadRequestData'],
      ['unknown=1', 400, 'InvalidRequest'],
    ])('answers %s with %i, changing nothing', async (query, status, type) => {
      const res = await del(`/temporal/entities/${enc}/attrs/speed?${query}`)
      expect(res.statusCode).toBe(status)
      expect(res.json()).toMatchObject({ type: ERR + type })
      expect(await history()).toHaveLength(5)
    })

    it('answers 404 for an unknown entity or an attribute without history', async () => {
      const noEntity = await del(
        `/temporal/entities/${encodeURIComponent('urn:x:none')}/attrs/speed`,
      )
      expect(noEntity.statusCode).toBe(404)
      expect(noEntity.json()).toMatchObject({ type: ERR + 'ResourceNotFound' })
      const noAttr = await del(`/temporal/entities/${enc}/attrs/colour`)
      expect(noAttr.statusCode).toBe(404)
      const noDataset = await del(`/temporal/entities/${enc}/attrs/speed?datasetId=urn:ds:z`)
      expect(noDataset.statusCode).toBe(404)
      expect(await history()).toHaveLength(5)
    })
  })

  describe('attribute instances (§5.6.14, §5.6.15)', () => {
    const firstSpeed = async (): Promise<string> => {
      const evo = (await get(`/temporal/entities/${enc}`)).json<Record<string, unknown>>()
      return (evo['speed'] as { instanceId: string }[])[0]?.instanceId ?? ''
    }
    const instanceUrl = (instanceId: string) =>
      `${API}/temporal/entities/${enc}/attrs/speed/${encodeURIComponent(instanceId)}`
    const patch = (instanceId: string, body: unknown) =>
      app.inject({
        method: 'PATCH',
        url: instanceUrl(instanceId),
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      })

    it('PATCH replaces the value of that instance only; its instanceId stays', async () => {
      await post('/temporal/entities', vehicle)
      const first = await firstSpeed()
      expect((await patch(first, { value: 1 })).statusCode).toBe(204)
      expect((await history()).map((o) => o.value)).toEqual([1, 100, 80])
      expect(await firstSpeed()).toBe(first)
    })

    it('PATCH with another observedAt moves the instance in time', async () => {
      await post('/temporal/entities', vehicle)
      const first = await firstSpeed()
      const res = await patch(first, { value: 2, observedAt: '2030-01-01T00:00:00Z' })
      expect(res.statusCode).toBe(204)
      expect((await history()).map((o) => o.value)).toEqual([100, 80, 2])
    })

    it('DELETE removes that instance only', async () => {
      await post('/temporal/entities', vehicle)
      const res = await app.inject({ method: 'DELETE', url: instanceUrl(await firstSpeed()) })
      expect(res.statusCode).toBe(204)
      expect((await history()).map((o) => o.value)).toEqual([100, 80])
    })

    it('an unknown instance is 404 ResourceNotFound, changing nothing', async () => {
      await post('/temporal/entities', vehicle)
      for (const method of ['PATCH', 'DELETE'] as const) {
        const res = await app.inject({
          method,
          url: instanceUrl('urn:ngsi-ld:Instance:none'),
          ...(method === 'PATCH' && {
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify({ value: 1 }),
          }),
        })
        expect(res.statusCode).toBe(404)
        expect(res.json()).toMatchObject({ type: ERR + 'ResourceNotFound' })
      }
      expect((await history()).map((o) => o.value)).toEqual([120, 100, 80])
    })
  })

  describe('DELETE /temporal/entities/{id} (§5.6.16)', () => {
    it('removes the history and the entity: 204, then 404 on retrieve', async () => {
      await post('/temporal/entities', vehicle)
      const res = await del(`/temporal/entities/${enc}`)
      expect(res.statusCode).toBe(204)
      expect(await history()).toEqual([])
      expect(await store.entities.get('default', ID)).toBeUndefined()
      expect((await get(`/temporal/entities/${enc}`)).statusCode).toBe(404)
    })

    it('answers 404 for an unknown entity and 400 for an id that is not a URI', async () => {
      const missing = await del(`/temporal/entities/${encodeURIComponent('urn:x:none')}`)
      expect(missing.statusCode).toBe(404)
      expect(missing.json()).toMatchObject({ type: ERR + 'ResourceNotFound' })
      const badId = await del('/temporal/entities/not-a-uri')
      expect(badId.statusCode).toBe(400)
      expect(badId.json()).toMatchObject({ type: ERR + 'BadRequestData' })
    })
  })

  describe('the Scope as temporal instances (§4.5.6, §4.18)', () => {
    const SCOPE = 'https://uri.etsi.org/ngsi-ld/scope'
    const scopeEvents = async () =>
      (await store.temporal.events('default', { entityIds: [ID], attrs: [SCOPE] })).map((e) => [
        e.value,
        e.observedAt === undefined ? undefined : new Date(e.observedAt).toISOString(),
      ])

    it('keeps each Scope instance in history and the newest as the current Scope', async () => {
      const res = await post('/temporal/entities', {
        ...vehicle,
        scope: [
          { type: 'Property', value: '/S', observedAt: '2020-08-01T12:30:00Z' },
          { type: 'Property', value: ['/R', '/Q'], observedAt: '2020-08-01T10:00:00Z' },
        ],
      })
      expect(res.statusCode).toBe(201)
      expect((await store.entities.get('default', ID))?.scopes).toEqual(['/S'])
      expect(await scopeEvents()).toEqual([
        [['/S'], '2020-08-01T12:30:00.000Z'],
        [['/R', '/Q'], '2020-08-01T10:00:00.000Z'],
      ])
    })

    it('a plain scope is one instance; restating it adds none', async () => {
      expect((await post('/temporal/entities', { ...vehicle, scope: '/A' })).statusCode).toBe(201)
      expect((await post('/temporal/entities', { ...vehicle, scope: '/A' })).statusCode).toBe(204)
      expect((await scopeEvents()).map(([value]) => value)).toEqual([['/A']])
      expect((await post('/temporal/entities', { ...vehicle, scope: '/B' })).statusCode).toBe(204)
      expect((await scopeEvents()).map(([value]) => value)).toEqual([['/A'], ['/B']])
    })

    it('rejects a Scope instance that is not a Property of scopes', async () => {
      for (const scope of [
        [{ type: 'Relationship', object: 'urn:x', observedAt: '2020-08-01T10:00:00Z' }],
        [{ type: 'Property', value: 'no-slash', observedAt: '2020-08-01T10:00:00Z' }],
        [{ type: 'Property', value: '/A', observedAt: 'yesterday' }],
        [{ type: 'Property', value: '/A', unitCode: 'C62' }],
      ]) {
        const res = await post('/temporal/entities', { ...vehicle, scope })
        expect(res.statusCode, JSON.stringify(scope)).toBe(400)
      }
      expect(await store.entities.get('default', ID)).toBeUndefined()
    })

    it('deleting the temporal entity removes its Scope history', async () => {
      await post('/temporal/entities', { ...vehicle, scope: '/A' })
      expect((await del(`/temporal/entities/${enc}`)).statusCode).toBe(204)
      expect(await scopeEvents()).toEqual([])
    })
  })
})
