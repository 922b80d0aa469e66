/**
 * The contract every Store adapter must pass (memory, SQLite; PostgreSQL later). Adapters that
 * knowingly lack something list it in `skip` with the reason, so the gap is written down.
 *
 * @example
 *   storeContract('sqlite', () => openSqliteStore({ file: ':memory:', history }))
 */
import { periodsOf } from './aggregate-series.js'
import fc from 'fast-check'
import { describe, expect, it, beforeEach, afterEach } from 'vitest'
import type { Device } from '../core/device.js'
import { AppError } from '../core/errors.js'
import { DEFAULT_VOCAB, IRI, type Entity } from '../core/ngsi.js'
import type { Observation } from '../core/observation.js'
import type {
  AggrMethod,
  AggregatePeriod,
  EntityChange,
  EntityPatch,
  Store,
  StoredContext,
  TemporalQuery,
} from './store.js'
import type { Subscription } from '../core/subscription.js'

export interface ContractOptions {
  skip?: { reason: string; tests: string[] }[]
  /** Makes sealed history part of the test (adapters with compaction). */
  seal?: (store: Store) => void
}

const V = (n: string) => DEFAULT_VOCAB + n
const T0 = Date.parse('2026-01-01T00:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()

/** Waits until the clock has moved past now; returns the new time (a boundary between writes). */
async function nextMs(): Promise<number> {
  const start = Date.now()
  while (Date.now() <= start + 1) await new Promise((r) => setTimeout(r, 1))
  return Date.now()
}

function entity(
  id: string,
  type: string,
  attrs: Entity['attrs'] = {},
  lonLat?: [number, number],
): Entity {
  const now = '2026-01-01T00:00:00.000Z'
  const e: Entity = { id, types: [V(type)], createdAt: now, modifiedAt: now, attrs: { ...attrs } }
  if (lonLat)
    e.attrs[IRI.location] = [{ type: 'GeoProperty', value: { type: 'Point', coordinates: lonLat } }]
  return e
}

function device(id: string, tenant = 'default'): Device {
  return {
    tenant,
    id,
    profile: 'generic',
    entityId: `urn:ngsi-ld:Device:${id}`,
    entityType: 'Device',
    secretHash: 'sha256$s$h',
    createdAt: iso(T0),
    messages: 0,
    rejected: 0,
  }
}

function patch(
  id: string,
  attrs: Record<string, { value: number | string; at: number }>,
): EntityPatch {
  const out: EntityPatch = { entityId: id, entityType: V('Sensor'), attrs: {} }
  for (const [k, v] of Object.entries(attrs))
    out.attrs[V(k)] = { type: 'Property', value: v.value, observedAt: iso(v.at) }
  return out
}

export function storeContract(
  name: string,
  open: () => Promise<Store> | Store,
  opts: ContractOptions = {},
): void {
  const skipped = new Set(opts.skip?.flatMap((s) => s.tests) ?? [])
  const test = (title: string, fn: () => Promise<void>) =>
    skipped.has(title) ? it.skip(title, fn) : it(title, fn)

  describe(`${name} store contract`, () => {
    let store: Store
    beforeEach(async () => {
      store = await open()
    })
    afterEach(async () => {
      await store.close()
    })

    describe('entities', () => {
      test('create then get round-trips exactly', async () => {
        const e = entity(
          'urn:a:1',
          'Room',
          { [V('t')]: [{ type: 'Property', value: 21.5, unitCode: 'CEL' }] },
          [11.3, 46.5],
        )
        await store.entities.create('default', e)
        expect(await store.entities.get('default', 'urn:a:1')).toEqual(e)
        expect(await store.entities.get('other', 'urn:a:1')).toBeUndefined()
      })
      test('duplicate create is AlreadyExists and changes nothing', async () => {
        await store.entities.create('default', entity('urn:a:1', 'Room'))
        await expect(
          store.entities.create('default', entity('urn:a:1', 'Other')),
        ).rejects.toMatchObject({ kind: 'AlreadyExists' })
        expect((await store.entities.get('default', 'urn:a:1'))?.types).toEqual([V('Room')])
      })
      test('the same id in two tenants are two entities', async () => {
        await store.entities.create('a', entity('urn:a:1', 'Room'))
        await store.entities.create('b', entity('urn:a:1', 'Hall'))
        expect((await store.entities.get('b', 'urn:a:1'))?.types).toEqual([V('Hall')])
        expect(await store.tenants.exists('a')).toBe(true)
        expect(await store.tenants.exists('zzz')).toBe(false)
      })
      test('update is read-modify-write; missing entity is ResourceNotFound', async () => {
        await store.entities.create('default', entity('urn:a:1', 'Room'))
        const next = await store.entities.update('default', 'urn:a:1', (e) => ({
          ...e,
          types: [...e.types, V('Place')],
          attrs: { [V('x')]: [{ type: 'Property', value: 1 }] },
        }))
        expect(next.types).toEqual([V('Room'), V('Place')])
        expect((await store.entities.get('default', 'urn:a:1'))?.attrs).toEqual({
          [V('x')]: [{ type: 'Property', value: 1 }],
        })
        await expect(store.entities.update('default', 'urn:nope', (e) => e)).rejects.toBeInstanceOf(
          AppError,
        )
        const page = await store.entities.query('default', {
          types: [[V('Place')]],
          limit: 10,
          offset: 0,
          count: false,
        })
        expect(page.entities.map((e) => e.id)).toEqual(['urn:a:1'])
      })
      test('update that throws changes nothing', async () => {
        await store.entities.create('default', entity('urn:a:1', 'Room'))
        await expect(
          store.entities.update('default', 'urn:a:1', () => {
            throw new AppError('BadRequestData', 'no')
          }),
        ).rejects.toMatchObject({ kind: 'BadRequestData' })
        expect((await store.entities.get('default', 'urn:a:1'))?.types).toEqual([V('Room')])
      })
      test('delete returns the entity and removes it', async () => {
        await store.entities.create('default', entity('urn:a:1', 'Room'))
        expect((await store.entities.delete('default', 'urn:a:1'))?.id).toBe('urn:a:1')
        expect(await store.entities.delete('default', 'urn:a:1')).toBeUndefined()
        expect(await store.entities.get('default', 'urn:a:1')).toBeUndefined()
      })
      test('query by type (DNF), ids, idPattern, anyAttrs, filter; stable id order; paging and count', async () => {
        for (let i = 0; i < 25; i++) {
          const attrs =
            i % 2 === 0 ? { [V('even')]: [{ type: 'Property' as const, value: i }] } : {}
          await store.entities.create(
            'default',
            entity(`urn:x:${String(i).padStart(2, '0')}`, i < 20 ? 'A' : 'B', attrs),
          )
        }
        const q = { limit: 5, offset: 0, count: true }
        const a = await store.entities.query('default', { ...q, types: [[V('A')]] })
        expect(a.count).toBe(20)
        expect(a.entities.map((e) => e.id)).toEqual([
          'urn:x:00',
          'urn:x:01',
          'urn:x:02',
          'urn:x:03',
          'urn:x:04',
        ])
        const p2 = await store.entities.query('default', { ...q, types: [[V('A')]], offset: 18 })
        expect(p2.entities.map((e) => e.id)).toEqual(['urn:x:18', 'urn:x:19'])
        const ab = await store.entities.query('default', {
          ...q,
          limit: 100,
          types: [[V('A')], [V('B')]],
        })
        expect(ab.count).toBe(25)
        const both = await store.entities.query('default', { ...q, types: [[V('A'), V('B')]] })
        expect(both.count).toBe(0)
        const ids = await store.entities.query('default', {
          ...q,
          ids: ['urn:x:03', 'urn:x:21', 'urn:nope'],
        })
        expect(ids.entities.map((e) => e.id)).toEqual(['urn:x:03', 'urn:x:21'])
        const pat = await store.entities.query('default', {
          ...q,
          limit: 100,
          idPattern: '^urn:x:1[0-2]$',
        })
        expect(pat.entities.map((e) => e.id)).toEqual(['urn:x:10', 'urn:x:11', 'urn:x:12'])
        const even = await store.entities.query('default', {
          ...q,
          limit: 100,
          anyAttrs: [V('even')],
        })
        expect(even.count).toBe(13)
        const f = await store.entities.query('default', {
          ...q,
          limit: 100,
          filter: (e) => (e.attrs[V('even')]?.[0]?.value as number) >= 20,
        })
        expect(f.entities.map((e) => e.id)).toEqual(['urn:x:20', 'urn:x:22', 'urn:x:24'])
        expect(await store.entities.types('default')).toEqual([V('A'), V('B')])
      })
      test('value prefilter narrows but never drops a true match', async () => {
        const P = (value: unknown) => [{ type: 'Property' as const, value }]
        await store.entities.create('default', entity('urn:p:num', 'S', { [V('v')]: P(5) }))
        await store.entities.create('default', entity('urn:p:str', 'S', { [V('v')]: P('free') }))
        await store.entities.create('default', entity('urn:p:arr', 'S', { [V('v')]: P([1, 9]) }))
        await store.entities.create(
          'default',
          entity('urn:p:multi', 'S', {
            [V('v')]: [
              { type: 'Property', value: 1 },
              { type: 'Property', value: 7, datasetId: 'urn:d:1' },
            ],
          }),
        )
        await store.entities.create(
          'default',
          entity('urn:p:lang', 'S', {
            [V('v')]: [{ type: 'LanguageProperty', languageMap: { en: 'free' } }],
          }),
        )
        await store.entities.create(
          'default',
          entity('urn:p:rel', 'S', { [V('v')]: [{ type: 'Relationship', object: 'urn:x:1' }] }),
        )
        const ids = async (
          prefilter: { attr: string; op: '==' | '<' | '<=' | '>' | '>='; value: number | string }[],
        ) =>
          (
            await store.entities.query('default', {
              types: [[V('S')]],
              prefilter,
              limit: 100,
              offset: 0,
              count: false,
            })
          ).entities.map((e) => e.id)
        expect(await ids([{ attr: V('v'), op: '>', value: 4 }])).toEqual(
          expect.arrayContaining(['urn:p:num', 'urn:p:arr', 'urn:p:multi']),
        )
        expect(await ids([{ attr: V('v'), op: '==', value: 'free' }])).toEqual(
          expect.arrayContaining(['urn:p:str', 'urn:p:lang']),
        )
        expect(await ids([{ attr: V('v'), op: '==', value: 'urn:x:1' }])).toContain('urn:p:rel')
        const none = await ids([{ attr: V('missing'), op: '==', value: 1 }])
        // Adapters may ignore the prefilter, but one that applies it must not keep impossible rows.
        expect(none.length === 0 || none.length === 6).toBe(true)
      })
      test('geo prefilter never drops a true match', async () => {
        await store.entities.create('default', entity('urn:g:near', 'P', {}, [11.3, 46.5]))
        await store.entities.create('default', entity('urn:g:far', 'P', {}, [12.3, 47.5]))
        await store.entities.create('default', entity('urn:g:none', 'P'))
        const page = await store.entities.query('default', {
          geo: {
            georel: 'near',
            geometry: { type: 'Point', coordinates: [11.301, 46.5] },
            maxDistance: 500,
            geoproperty: IRI.location,
          },
          limit: 10,
          offset: 0,
          count: false,
        })
        expect(page.entities.map((e) => e.id)).toContain('urn:g:near')
        const within = await store.entities.query('default', {
          geo: {
            georel: 'within',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [11, 46],
                  [12, 46],
                  [12, 47],
                  [11, 47],
                  [11, 46],
                ],
              ],
            },
            geoproperty: IRI.location,
          },
          limit: 10,
          offset: 0,
          count: false,
        })
        expect(within.entities.map((e) => e.id)).toContain('urn:g:near')
      })
    })

    describe('devices', () => {
      test('add, get, list, count, delete', async () => {
        await store.devices.addMany([device('d2'), device('d1'), device('d1', 'other')])
        expect(await store.devices.get('default', 'd1')).toEqual(device('d1'))
        expect(
          (await store.devices.list('default', { limit: 10, offset: 0 })).map((d) => d.id),
        ).toEqual(['d1', 'd2'])
        expect(await store.devices.count('default')).toBe(2)
        expect(await store.devices.delete('default', 'd1')).toBe(true)
        expect(await store.devices.delete('default', 'd1')).toBe(false)
        expect(await store.devices.get('other', 'd1')).toBeDefined()
      })
      test('a duplicate device is AlreadyExists and a failed bulk add adds nothing', async () => {
        await store.devices.add(device('d1'))
        await expect(store.devices.add(device('d1'))).rejects.toMatchObject({
          kind: 'AlreadyExists',
        })
        await expect(store.devices.addMany([device('d9'), device('d1')])).rejects.toMatchObject({
          kind: 'AlreadyExists',
        })
        expect(await store.devices.get('default', 'd9')).toBeUndefined()
      })
      test('secret rotation and activity counters', async () => {
        await store.devices.add(device('d1'))
        await store.devices.setSecretHash('default', 'd1', 'sha256$x$y')
        await expect(store.devices.setSecretHash('default', 'nope', 'h')).rejects.toMatchObject({
          kind: 'ResourceNotFound',
        })
        await store.devices.recordActivity('default', 'd1', {
          at: iso(T0 + 1000),
          messages: 3,
          rejected: 1,
          lastError: 'bad',
        })
        await store.devices.recordActivity('default', 'd1', {
          at: iso(T0 + 500),
          messages: 1,
          rejected: 0,
        })
        const d = await store.devices.get('default', 'd1')
        expect(d).toMatchObject({
          secretHash: 'sha256$x$y',
          messages: 4,
          rejected: 1,
          lastSeenAt: iso(T0 + 1000),
          lastError: { at: iso(T0 + 1000), reason: 'bad' },
        })
      })
    })

    describe('contexts and registrations', () => {
      const stored = (localId: string, extra: Partial<StoredContext> = {}): StoredContext => ({
        localId,
        kind: 'Hosted',
        createdAt: iso(T0),
        numberOfHits: 0,
        context: { a: 'https://example.org/a' },
        ...extra,
      })
      test('contexts: put, get, find a Cached one by URL, list oldest first, delete', async () => {
        await store.contexts.put(stored('h2', { createdAt: iso(T0 + 1000) }))
        await store.contexts.put(
          stored('c1', { kind: 'Cached', url: 'https://example.org/ctx', expiresAt: iso(T0 + 9) }),
        )
        expect(await store.contexts.get('h2')).toEqual(stored('h2', { createdAt: iso(T0 + 1000) }))
        expect((await store.contexts.findByUrl('https://example.org/ctx'))?.localId).toBe('c1')
        expect(await store.contexts.findByUrl('https://example.org/other')).toBeUndefined()
        expect((await store.contexts.list()).map((c) => c.localId)).toEqual(['c1', 'h2'])
        expect(await store.contexts.delete('c1')).toBe(true)
        expect(await store.contexts.delete('c1')).toBe(false)
        expect(await store.contexts.get('c1')).toBeUndefined()
      })
      test('contexts: a Hosted context keeps the tenant that added it', async () => {
        await store.contexts.put(stored('h1', { tenant: 'acme' }))
        await store.contexts.put(stored('h2'))
        expect(await store.contexts.get('h1')).toEqual(stored('h1', { tenant: 'acme' }))
        expect((await store.contexts.get('h2'))?.tenant).toBeUndefined()
        expect((await store.contexts.list()).map((c) => c.tenant)).toEqual(['acme', undefined])
      })
      test('contexts: a URL names one Cached entry; usage counters are written in bulk', async () => {
        const url = 'https://example.org/ctx'
        await store.contexts.put(stored('c1', { kind: 'Cached', url }))
        await store.contexts.put(stored('c2', { kind: 'Cached', url, context: { b: 'urn:b' } }))
        expect(await store.contexts.get('c1')).toBeUndefined()
        expect((await store.contexts.findByUrl(url))?.context).toEqual({ b: 'urn:b' })
        await store.contexts.recordUsage([
          { localId: 'c2', lastUsage: iso(T0 + 5), numberOfHits: 7 },
          { localId: 'gone', lastUsage: iso(T0 + 5), numberOfHits: 1 },
        ])
        expect(await store.contexts.get('c2')).toMatchObject({
          lastUsage: iso(T0 + 5),
          numberOfHits: 7,
        })
      })
      const record = (id: string, body: Record<string, unknown> = { x: 1 }) => ({
        id,
        body,
        createdAt: iso(T0),
        modifiedAt: iso(T0),
      })
      for (const collection of ['registrations', 'subscriptions'] as const) {
        test(`${collection}: create, get, list in id order, per tenant`, async () => {
          const c = store.registrations[collection]
          await c.create('default', record('urn:r:2'))
          await c.create('default', record('urn:r:1', { nested: { a: [1, 'b'] } }))
          await c.create('other', record('urn:r:1'))
          expect(await c.get('default', 'urn:r:1')).toEqual(
            record('urn:r:1', { nested: { a: [1, 'b'] } }),
          )
          expect((await c.list('default')).map((r) => r.id)).toEqual(['urn:r:1', 'urn:r:2'])
          expect(await c.list('nobody')).toEqual([])
          await expect(c.create('default', record('urn:r:2'))).rejects.toMatchObject({
            kind: 'AlreadyExists',
          })
        })
        test(`${collection}: update changes atomically, delete removes`, async () => {
          const c = store.registrations[collection]
          await c.create('default', record('urn:r:1'))
          const next = await c.update('default', 'urn:r:1', (r) => ({
            ...r,
            body: { x: 2 },
            modifiedAt: iso(T0 + 1),
          }))
          expect(next).toEqual({ ...record('urn:r:1', { x: 2 }), modifiedAt: iso(T0 + 1) })
          expect(await c.get('default', 'urn:r:1')).toEqual(next)
          await expect(c.update('default', 'urn:r:9', (r) => r)).rejects.toMatchObject({
            kind: 'ResourceNotFound',
          })
          expect(await c.delete('default', 'urn:r:1')).toBe(true)
          expect(await c.delete('default', 'urn:r:1')).toBe(false)
          expect(await c.get('default', 'urn:r:1')).toBeUndefined()
        })
      }
      test('registrations and registration subscriptions are separate collections', async () => {
        await store.registrations.registrations.create('default', record('urn:r:1'))
        expect(await store.registrations.subscriptions.get('default', 'urn:r:1')).toBeUndefined()
        await store.registrations.subscriptions.create('default', record('urn:r:1'))
      })
    })

    describe('ingest and history', () => {
      test('ingest creates the entity, updates latest values, ignores late data for latest', async () => {
        const r1 = await store.ingest([
          {
            tenant: 't1',
            patches: [patch('urn:s:1', { no2: { value: 40, at: T0 } })],
            observations: [],
            activity: [],
          },
        ])
        expect(r1[0]).toMatchObject({ kind: 'created', changed: [V('no2')] })
        await store.ingest([
          {
            tenant: 't1',
            patches: [patch('urn:s:1', { no2: { value: 42, at: T0 + 60_000 } })],
            observations: [],
            activity: [],
          },
        ])
        const late = await store.ingest([
          {
            tenant: 't1',
            patches: [patch('urn:s:1', { no2: { value: 1, at: T0 - 60_000 } })],
            observations: [],
            activity: [],
          },
        ])
        expect(late).toEqual([])
        const e = await store.entities.get('t1', 'urn:s:1')
        expect(e?.attrs[V('no2')]?.[0]).toMatchObject({ value: 42, observedAt: iso(T0 + 60_000) })
        expect(await store.tenants.exists('t1')).toBe(true)
      })
      test('history returns ordered observations in [from, to), lastN and limit', async () => {
        const obs = Array.from({ length: 100 }, (_, i) => ({
          entityId: 'urn:s:1',
          attr: V('no2'),
          observedAt: T0 + (99 - i) * 60_000,
          value: 99 - i,
          unitCode: 'GQ',
        }))
        await store.ingest([
          { tenant: 'default', patches: [], observations: obs.slice(0, 50), activity: [] },
        ])
        opts.seal?.(store)
        await store.ingest([
          { tenant: 'default', patches: [], observations: obs.slice(50), activity: [] },
        ])
        const all =
          (
            await store.temporal.query('default', { entityId: 'urn:s:1', range: {}, limit: 1000 })
          ).get(V('no2')) ?? []
        expect(all.map((o) => o.value)).toEqual(Array.from({ length: 100 }, (_, i) => i))
        expect(all[0]).toMatchObject({ unitCode: 'GQ', entityId: 'urn:s:1', observedAt: T0 })
        const win = (
          await store.temporal.query('default', {
            entityId: 'urn:s:1',
            range: { from: T0 + 10 * 60_000, to: T0 + 20 * 60_000 },
            limit: 1000,
          })
        ).get(V('no2'))
        expect(win?.map((o) => o.value)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
        const last = (
          await store.temporal.query('default', {
            entityId: 'urn:s:1',
            range: {},
            lastN: 3,
            limit: 1000,
          })
        ).get(V('no2'))
        expect(last?.map((o) => o.value)).toEqual([97, 98, 99])
        const lim = (
          await store.temporal.query('default', { entityId: 'urn:s:1', range: {}, limit: 4 })
        ).get(V('no2'))
        expect(lim?.map((o) => o.value)).toEqual([0, 1, 2, 3])
        expect(
          (await store.temporal.query('other', { entityId: 'urn:s:1', range: {}, limit: 10 })).size,
        ).toBe(0)
      })
      test('history keeps every value kind exactly', async () => {
        const values = [1.5, -0, 'occupied', true, { a: [1, 'x'] }, [1, 2], 0.1 + 0.2]
        const obs = values.map((value, i) => ({
          entityId: 'urn:s:2',
          attr: V('v'),
          observedAt: T0 + i,
          value,
        }))
        await store.ingest([{ tenant: 'default', patches: [], observations: obs, activity: [] }])
        opts.seal?.(store)
        const got = (
          await store.temporal.query('default', { entityId: 'urn:s:2', range: {}, limit: 100 })
        ).get(V('v'))
        expect(got?.map((o) => o.value)).toEqual(values)
        expect(Object.is(got?.[1]?.value, -0)).toBe(true)
      })
      test('deleteEntity removes its history', async () => {
        await store.ingest([
          {
            tenant: 'default',
            patches: [],
            observations: [{ entityId: 'urn:s:3', attr: V('v'), observedAt: T0, value: 1 }],
            activity: [],
          },
        ])
        await store.temporal.deleteEntity('default', 'urn:s:3')
        expect(
          (await store.temporal.query('default', { entityId: 'urn:s:3', range: {}, limit: 10 }))
            .size,
        ).toBe(0)
      })
      test('ingest records device activity', async () => {
        await store.devices.add(device('d1'))
        await store.ingest([
          {
            tenant: 'default',
            patches: [],
            observations: [],
            activity: [{ deviceId: 'd1', at: iso(T0), messages: 2, rejected: 1, lastError: 'x' }],
          },
        ])
        expect(await store.devices.get('default', 'd1')).toMatchObject({
          messages: 2,
          rejected: 1,
          lastSeenAt: iso(T0),
        })
      })

      describe('temporal aggregates and scan', () => {
        const METHODS: AggrMethod[] = ['totalCount', 'sum', 'avg', 'min', 'max', 'stddev', 'sumsq']
        const near = (a: unknown, b: unknown) =>
          typeof a === 'number' && typeof b === 'number'
            ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
            : a === b
        function expectPeriods(got: AggregatePeriod[] | undefined, want: AggregatePeriod[]): void {
          expect(got?.map((p) => [p.start, p.end])).toEqual(want.map((p) => [p.start, p.end]))
          got?.forEach((p, i) => {
            for (const [m, v] of Object.entries(want[i]?.values ?? {}))
              expect(
                near(p.values[m as AggrMethod], v),
                `${m} at ${p.start}: ${String(p.values[m as AggrMethod])} vs ${String(v)}`,
              ).toBe(true)
          })
        }
        async function ingestInBatches(obs: Observation[], cuts: number[], seal: boolean[]) {
          let at = 0
          for (const [i, cut] of [...cuts, obs.length].entries()) {
            const to = Math.min(Math.max(cut, at), obs.length)
            await store.ingest([
              { tenant: 'default', patches: [], observations: obs.slice(at, to), activity: [] },
            ])
            if (seal[i]) opts.seal?.(store)
            at = to
          }
        }

        test('aggregates per period equal aggregates recomputed from raw, late data included', async () => {
          let run = 0
          const point = fc.record({
            minute: fc.integer({ min: 0, max: 3 * 1440 - 1 }),
            second: fc.integer({ min: 0, max: 59 }),
            value: fc.oneof(
              { weight: 8, arbitrary: fc.integer({ min: -500, max: 500 }).map((n) => n / 10) },
              { weight: 1, arbitrary: fc.boolean() },
            ),
          })
          await fc.assert(
            fc.asyncProperty(
              fc.uniqueArray(point, { selector: (p) => p.minute * 60 + p.second, maxLength: 150 }),
              fc.array(fc.nat(150), { maxLength: 4 }),
              fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
              fc.constantFrom(60_000, 3_600_000, 86_400_000, 7_200_000, 0),
              async (points, cuts, seal, periodMs) => {
                const id = `urn:agg:${run++}`
                // Arrival order is the generated order: shuffled in time, so late data is common.
                const obs = points.map((p) => ({
                  entityId: id,
                  attr: V('x'),
                  observedAt: T0 + p.minute * 60_000 + p.second * 1000,
                  value: p.value,
                }))
                await ingestInBatches(
                  obs,
                  cuts.sort((a, b) => a - b),
                  seal,
                )
                const got = await store.temporal.aggregate('default', {
                  entityId: id,
                  range: { from: T0, to: T0 + 3 * 86_400_000 },
                  methods: METHODS,
                  periodMs,
                })
                const want = recompute(obs, T0, periodMs, T0 + 3 * 86_400_000)
                if (obs.length === 0) expect(got.size).toBe(0)
                else expectPeriods(periodsOf(got.get(V('x'))), want)
              },
            ),
            { numRuns: 40 },
          )
        })

        test('periods start at the earliest instance without a range; distinctCount and text min/max', async () => {
          const obs: Observation[] = ['b', 'a', 'b', 'c'].map((value, i) => ({
            entityId: 'urn:agg:text',
            attr: V('s'),
            observedAt: T0 + 3 * 60_000 + i * 20 * 60_000,
            value,
          }))
          await store.ingest([{ tenant: 'default', patches: [], observations: obs, activity: [] }])
          opts.seal?.(store)
          const got = await store.temporal.aggregate('default', {
            entityId: 'urn:agg:text',
            range: {},
            methods: ['totalCount', 'distinctCount', 'min', 'max', 'avg'],
            periodMs: 3_600_000,
          })
          expect(periodsOf(got.get(V('s')))).toEqual([
            {
              start: T0 + 3 * 60_000,
              end: T0 + 63 * 60_000,
              values: { totalCount: 3, distinctCount: 2, min: 'a', max: 'b', avg: null },
            },
            {
              start: T0 + 63 * 60_000,
              end: T0 + 123 * 60_000,
              values: { totalCount: 1, distinctCount: 1, min: 'c', max: 'c', avg: null },
            },
          ])
        })

        test('calendar periods (P1M, P3M, P1Y) follow the UTC calendar, aligned or not', async () => {
          // One reading a day at 12:00 from 2025-11-01 to 2026-05-31: months of 28 to 31 days.
          const day = 86_400_000
          const first = Date.parse('2025-11-01T12:00:00Z')
          const obs: Observation[] = Array.from({ length: 212 }, (_, i) => ({
            entityId: 'urn:agg:months',
            attr: V('m'),
            observedAt: first + i * day,
            value: i % 7,
          }))
          await store.ingest([{ tenant: 'default', patches: [], observations: obs, activity: [] }])
          opts.seal?.(store)
          const at = (iso: string) => Date.parse(iso)
          const ask = (from: string, periodMonths: number, to?: string) =>
            store.temporal
              .aggregate('default', {
                entityId: 'urn:agg:months',
                range: { from: at(from), ...(to !== undefined && { to: at(to) }) },
                methods: ['totalCount', 'sum'],
                periodMs: 0,
                periodMonths,
              })
              .then((m) => periodsOf(m.get(V('m'))))
          const expected = (bounds: string[]) =>
            bounds.slice(0, -1).map((b, k) => {
              const [start, end] = [at(b), at(bounds[k + 1]!)]
              const inside = obs.filter((o) => o.observedAt >= start && o.observedAt < end)
              return {
                start,
                end,
                values: {
                  totalCount: inside.length,
                  sum: inside.reduce((a, o) => a + (o.value as number), 0),
                },
              }
            })
          // Day-aligned origin (rollups can answer) and whole months.
          expect(await ask('2025-12-01T00:00:00Z', 1, '2026-03-01T00:00:00Z')).toEqual(
            expected(
              ['2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01'].map((d) => d + 'T00:00:00Z'),
            ),
          )
          // Quarters from an origin at the end of a month: Feb has no 31st.
          expect(await ask('2025-10-31T00:00:00Z', 3)).toEqual(
            expected(
              ['2025-10-31', '2026-01-31', '2026-04-30', '2026-07-31'].map((d) => d + 'T00:00:00Z'),
            ),
          )
          // A year from an origin inside a day (raw points answer).
          expect(await ask('2025-06-15T06:00:00Z', 12)).toEqual(
            expected(['2025-06-15T06:00:00Z', '2026-06-15T06:00:00Z']),
          )
        })

        test('scan yields every point of the selection once', async () => {
          const obs: Observation[] = []
          for (const id of ['urn:scan:1', 'urn:scan:2'])
            for (let i = 0; i < 2500; i++)
              obs.push({
                entityId: id,
                attr: V(i % 2 ? 'a' : 'b'),
                observedAt: T0 + i * 1000,
                value: i,
              })
          await ingestInBatches(obs, [1000, 3000], [true, false, true])
          const seen: Observation[] = []
          for await (const batch of store.temporal.scan('default', {
            entityIds: ['urn:scan:1', 'urn:scan:2', 'urn:scan:none'],
            attrs: [V('a')],
            range: { from: T0 + 100_000, to: T0 + 2_000_000 },
          }))
            seen.push(...batch)
          const want = obs.filter(
            (o) =>
              o.attr === V('a') && o.observedAt >= T0 + 100_000 && o.observedAt < T0 + 2_000_000,
          )
          const key = (o: Observation) => `${o.entityId} ${o.observedAt}`
          expect(seen.map(key).sort()).toEqual(want.map(key).sort())
        })
      })
    })

    describe('temporal append (temporal write API)', () => {
      test('append adds observations to history beside ingested ones and creates the tenant', async () => {
        const o = (i: number, datasetId?: string): Observation => ({
          entityId: 'urn:s:9',
          attr: V('speed'),
          observedAt: T0 + i * 1000,
          value: i,
          ...(datasetId !== undefined && { datasetId }),
        })
        await store.temporal.append('tA', [o(2), o(0)])
        opts.seal?.(store)
        await store.ingest([{ tenant: 'tA', patches: [], observations: [o(1)], activity: [] }])
        await store.temporal.append('tA', [o(3, 'urn:ds:1')])
        expect(await store.tenants.exists('tA')).toBe(true)
        const got = await store.temporal.query('tA', { entityId: 'urn:s:9', range: {}, limit: 10 })
        const list = got.get(V('speed')) ?? []
        expect(list.map((x) => [x.value, x.datasetId])).toEqual([
          [0, undefined],
          [1, undefined],
          [2, undefined],
          [3, 'urn:ds:1'],
        ])
        // Tenants stay apart.
        const other = await store.temporal.query('default', {
          entityId: 'urn:s:9',
          range: {},
          limit: 10,
        })
        expect(other.size).toBe(0)
        await store.temporal.deleteEntity('tA', 'urn:s:9')
        const gone = await store.temporal.query('tA', { entityId: 'urn:s:9', range: {}, limit: 10 })
        expect(gone.size).toBe(0)
      })
      test('deleteAttribute removes one attribute by datasetId, or every datasetId', async () => {
        const o = (attr: string, i: number, datasetId?: string): Observation => ({
          entityId: 'urn:s:8',
          attr: V(attr),
          observedAt: T0 + i * 1000,
          value: i,
          ...(datasetId !== undefined && { datasetId }),
        })
        await store.temporal.append('default', [
          o('a', 1),
          o('a', 2, 'urn:ds:1'),
          o('a', 3, 'urn:ds:2'),
          o('b', 4),
        ])
        opts.seal?.(store)
        await store.temporal.append('default', [o('a', 5)])
        const read = async () =>
          (await store.temporal.query('default', { entityId: 'urn:s:8', range: {}, limit: 10 }))
            .get(V('a'))
            ?.map((x) => [x.value, x.datasetId ?? null])
            .sort((x, y) => Number(x[0]) - Number(y[0])) ?? []
        expect(await store.temporal.deleteAttribute('default', 'urn:s:8', V('a'), {})).toBe(true)
        expect(await read()).toEqual([
          [2, 'urn:ds:1'],
          [3, 'urn:ds:2'],
        ])
        expect(
          await store.temporal.deleteAttribute('default', 'urn:s:8', V('a'), {
            datasetId: 'urn:ds:2',
          }),
        ).toBe(true)
        expect(await read()).toEqual([[2, 'urn:ds:1']])
        expect(await store.temporal.deleteAttribute('default', 'urn:s:8', V('a'), {})).toBe(false)
        expect(
          await store.temporal.deleteAttribute('default', 'urn:s:8', V('a'), { all: true }),
        ).toBe(true)
        expect(await read()).toEqual([])
        // Other attributes are kept, and the attribute can be written again.
        const b = await store.temporal.query('default', {
          entityId: 'urn:s:8',
          range: {},
          limit: 9,
        })
        expect(b.get(V('b'))?.map((x) => x.value)).toEqual([4])
        await store.temporal.append('default', [o('a', 6)])
        expect(await read()).toEqual([[6, null]])
        expect(
          await store.temporal.deleteAttribute('default', 'urn:none', V('a'), { all: true }),
        ).toBe(false)
      })
      test('editInstances changes or removes single instances; aggregates stay exact', async () => {
        const hour = 3_600_000
        const o = (i: number, value: number, datasetId?: string): Observation => ({
          entityId: 'urn:s:7',
          attr: V('a'),
          observedAt: T0 + i * 60_000,
          value,
          ...(datasetId !== undefined && { datasetId }),
        })
        // Two instances at minute 1 (arrival order 10 then 11), one of a dataset at the same time.
        await store.temporal.append('default', [o(0, 5), o(1, 10), o(1, 11), o(1, 7, 'urn:ds:1')])
        opts.seal?.(store)
        await store.temporal.append('default', [o(2, 20)])
        const at = (i: number, nth: number, datasetId?: string) => ({
          observedAt: T0 + i * 60_000,
          nth,
          ...(datasetId !== undefined && { datasetId }),
        })
        const t = store.temporal
        const a = V('a')
        // One batch, applied in order: a sealed point changed, an unsealed one and a dataset's
        // removed, then the unsealed one again (gone now) and an nth that was never there.
        expect(
          await t.editInstances('default', 'urn:s:7', [
            { attr: a, at: at(1, 1), value: { value: 12 } },
            { attr: a, at: at(2, 0) },
            { attr: a, at: at(1, 0, 'urn:ds:1') },
            { attr: a, at: at(2, 0) },
            { attr: a, at: at(1, 2) },
          ]),
        ).toEqual([true, true, true, false, false])
        expect(await t.editInstances('default', 'urn:none', [{ attr: a, at: at(1, 0) }])).toEqual([
          false,
        ])
        const got = await t.query('default', { entityId: 'urn:s:7', range: {}, limit: 10 })
        expect(got.get(V('a'))?.map((x) => [x.observedAt - T0, x.value])).toEqual([
          [0, 5],
          [60_000, 10],
          [60_000, 12],
        ])
        const agg = await t.aggregate('default', {
          entityId: 'urn:s:7',
          range: { from: T0, to: T0 + hour },
          methods: ['totalCount', 'sum', 'min', 'max'],
          periodMs: hour,
        })
        expect(periodsOf(agg.get(V('a')))).toEqual([
          { start: T0, end: T0 + hour, values: { totalCount: 3, sum: 27, min: 5, max: 12 } },
        ])
      })
      test('system times: append and ingest stamp createdAt = modifiedAt with the write time', async () => {
        const o = (i: number): Observation => ({
          entityId: 'urn:s:6',
          attr: V('a'),
          observedAt: T0 + i * 60_000,
          value: i,
          // A caller's system times are not the store's: they are ignored.
          createdAt: 1,
          modifiedAt: 2,
        })
        const before = Date.now()
        await store.temporal.append('default', [o(0), o(1)])
        opts.seal?.(store)
        await store.ingest([{ tenant: 'default', patches: [], observations: [o(2)], activity: [] }])
        const after = Date.now()
        const got = await store.temporal.query('default', {
          entityId: 'urn:s:6',
          range: {},
          limit: 10,
        })
        const list = got.get(V('a')) ?? []
        expect(list).toHaveLength(3)
        for (const x of list) {
          expect(x.createdAt).toBeGreaterThanOrEqual(before)
          expect(x.createdAt).toBeLessThanOrEqual(after)
          expect(x.modifiedAt).toBe(x.createdAt)
        }
      })
      test('system times: timeproperty createdAt/modifiedAt selects, orders and takes lastN by that time', async () => {
        const o = (minute: number, value: number): Observation => ({
          entityId: 'urn:s:5',
          attr: V('a'),
          observedAt: T0 + minute * 60_000,
          value,
        })
        const t = store.temporal
        const q = (extra: Partial<TemporalQuery>) =>
          t
            .query('default', { entityId: 'urn:s:5', range: {}, limit: 10, ...extra })
            .then((m) => m.get(V('a'))?.map((x) => x.value) ?? [])
        await t.append('default', [o(5, 1), o(6, 2)])
        opts.seal?.(store)
        const mid = await nextMs()
        // Written later but observed earlier (a backfill): createdAt orders it last.
        await t.append('default', [o(1, 3)])
        const mid2 = await nextMs()
        expect(await q({})).toEqual([3, 1, 2])
        expect(await q({ timeproperty: 'createdAt' })).toEqual([1, 2, 3])
        expect(await q({ timeproperty: 'createdAt', range: { from: mid } })).toEqual([3])
        expect(await q({ timeproperty: 'createdAt', range: { to: mid } })).toEqual([1, 2])
        expect(await q({ timeproperty: 'createdAt', lastN: 2 })).toEqual([2, 3])
        expect(await q({ timeproperty: 'createdAt', limit: 1 })).toEqual([1])
        // An edit moves modifiedAt only.
        const at = { observedAt: T0 + 5 * 60_000, nth: 0 }
        expect(
          await t.editInstances('default', 'urn:s:5', [{ attr: V('a'), at, value: { value: 9 } }]),
        ).toEqual([true])
        expect(await q({ timeproperty: 'modifiedAt', range: { from: mid2 } })).toEqual([9])
        expect(await q({ timeproperty: 'modifiedAt' })).toEqual([2, 3, 9])
        expect(await q({ timeproperty: 'createdAt', range: { to: mid } })).toEqual([9, 2])
        const edited = (await t.query('default', { entityId: 'urn:s:5', range: {}, limit: 10 }))
          .get(V('a'))
          ?.find((x) => x.value === 9)
        expect(edited?.modifiedAt).toBeGreaterThanOrEqual(mid2)
        expect(edited?.createdAt).toBeLessThan(mid)
        // scan selects by the same time.
        const scanned: unknown[] = []
        for await (const batch of t.scan('default', {
          entityIds: ['urn:s:5'],
          range: { from: mid },
          timeproperty: 'createdAt',
        }))
          scanned.push(...batch.map((x) => x.value))
        expect(scanned).toEqual([3])
      })
      test('history events are kept per entity in order, narrowed, and deleted with history', async () => {
        const t = store.temporal
        const scope = 'https://uri.etsi.org/ngsi-ld/scope'
        const del = (entityId: string, attr: string, at: number, datasetId?: string) => ({
          entityId,
          attr,
          kind: 'Relationship' as const,
          value: 'urn:ngsi-ld:null',
          modifiedAt: at,
          deletedAt: at,
          ...(datasetId !== undefined && { datasetId }),
        })
        const scopeSet = {
          entityId: 'urn:e:1',
          attr: scope,
          kind: 'Property' as const,
          value: ['/A'],
          observedAt: T0,
          modifiedAt: T0,
        }
        const scopeCleared = {
          entityId: 'urn:e:1',
          attr: scope,
          kind: 'Property' as const,
          value: [],
          modifiedAt: T0 + 4,
          deletedAt: T0 + 4,
        }
        await t.recordEvents('default', [
          scopeSet,
          del('urn:e:1', V('a'), T0 + 2),
          del('urn:e:1', V('a'), T0 + 3, 'urn:ds:1'),
          del('urn:e:2', V('a'), T0 + 1),
        ])
        await t.recordEvents('default', [scopeCleared])
        await t.recordEvents('tA', [del('urn:e:1', V('a'), T0)])
        // An instance the Core API wrote: with its createdAt, without observedAt.
        const written = {
          entityId: 'urn:e:3',
          attr: V('b'),
          kind: 'Property' as const,
          value: { n: 1 },
          createdAt: T0 + 5,
          modifiedAt: T0 + 5,
        }
        await t.recordEvents('default', [written])
        expect(await t.events('default', { entityIds: ['urn:e:3'] })).toEqual([written])
        await t.deleteEntity('default', 'urn:e:3')
        const e1 = await t.events('default', { entityIds: ['urn:e:1'] })
        expect(e1).toEqual([
          scopeSet,
          del('urn:e:1', V('a'), T0 + 2),
          del('urn:e:1', V('a'), T0 + 3, 'urn:ds:1'),
          scopeCleared,
        ])
        const scopes = await t.events('default', { attrs: [scope] })
        expect(scopes.map((e) => [e.entityId, e.value])).toEqual([
          ['urn:e:1', ['/A']],
          ['urn:e:1', []],
        ])
        const both = await t.events('default', {
          entityIds: ['urn:e:2', 'urn:e:1'],
          attrs: [V('a')],
        })
        // Across entities the order is the adapter's; per entity it is the order recorded.
        expect(both.map((e) => [e.entityId, e.deletedAt! - T0]).sort()).toEqual([
          ['urn:e:1', 2],
          ['urn:e:1', 3],
          ['urn:e:2', 1],
        ])
        // deleteAttribute takes the events of the default instance, or of every datasetId.
        expect(await t.deleteAttribute('default', 'urn:e:1', V('a'), {})).toBe(true)
        expect(
          (await t.events('default', { entityIds: ['urn:e:1'], attrs: [V('a')] })).length,
        ).toBe(1)
        expect(await t.deleteAttribute('default', 'urn:e:1', V('a'), { all: true })).toBe(true)
        expect(await t.events('default', { entityIds: ['urn:e:1'], attrs: [V('a')] })).toEqual([])
        await t.deleteEntity('default', 'urn:e:1')
        expect(await t.events('default', { entityIds: ['urn:e:1'] })).toEqual([])
        expect((await t.events('default', {})).map((e) => e.entityId)).toEqual(['urn:e:2'])
        expect((await t.events('tA', {})).length).toBe(1)
      })
      test('an entity write records its history with it, and a failing history undoes the write', async () => {
        const seen: string[] = []
        const history = (change: EntityChange) => {
          seen.push(`${change.kind}:${change.previous ? 'with-previous' : 'alone'}`)
          return [
            {
              entityId: change.entity.id,
              attr: V('n'),
              kind: 'Property' as const,
              value: change.kind,
              createdAt: T0,
              modifiedAt: T0,
            },
          ]
        }
        const e = entity('urn:h:1', 'Room', { [V('n')]: [{ type: 'Property', value: 1 }] })
        await store.entities.create('default', e, history)
        await store.entities.update(
          'default',
          'urn:h:1',
          (cur) => ({ ...cur, attrs: { [V('n')]: [{ type: 'Property', value: 2 }] } }),
          history,
        )
        // A change that changes nothing leaves no history.
        await store.entities.update('default', 'urn:h:1', () => undefined, history)
        await store.entities.delete('default', 'urn:h:1', history)
        expect(seen).toEqual(['created:alone', 'updated:with-previous', 'deleted:alone'])
        const values = async () =>
          (await store.temporal.events('default', { entityIds: ['urn:h:1'] })).map((x) => x.value)
        expect(await values()).toEqual(['created', 'updated', 'deleted'])

        const failing = () => {
          throw new AppError('InternalError', 'history refused')
        }
        const e2 = entity('urn:h:2', 'Room', { [V('n')]: [{ type: 'Property', value: 1 }] })
        await expect(store.entities.create('default', e2, failing)).rejects.toThrow(
          'history refused',
        )
        expect(await store.entities.get('default', 'urn:h:2')).toBeUndefined()
        await store.entities.create('default', e2)
        await expect(
          store.entities.update(
            'default',
            'urn:h:2',
            (cur) => ({ ...cur, attrs: { [V('n')]: [{ type: 'Property', value: 9 }] } }),
            failing,
          ),
        ).rejects.toThrow('history refused')
        expect((await store.entities.get('default', 'urn:h:2'))?.attrs[V('n')]).toEqual([
          { type: 'Property', value: 1 },
        ])
        await expect(store.entities.delete('default', 'urn:h:2', failing)).rejects.toThrow(
          'history refused',
        )
        expect(await store.entities.get('default', 'urn:h:2')).toBeDefined()
        expect(await store.temporal.events('default', { entityIds: ['urn:h:2'] })).toEqual([])
      })
      test('append of nothing changes nothing', async () => {
        await store.temporal.append('tB', [])
        expect(await store.tenants.exists('tB')).toBe(false)
      })
    })

    describe('subscriptions', () => {
      const sub = (id: string, extra: Partial<Subscription> = {}): Subscription => ({
        id,
        entities: [{ types: [[V('Room')]] }],
        watchedAttributes: [V('t')],
        q: 't>20',
        notification: { format: 'keyValues', endpoint: { uri: 'http://example.org/n' } },
        context: ['https://example.org/ctx.jsonld'],
        createdAt: iso(T0),
        modifiedAt: iso(T0),
        ...extra,
      })
      test('create then get round-trips, with an empty delivery status', async () => {
        await store.subscriptions.create('default', sub('urn:s:1'))
        expect(await store.subscriptions.get('default', 'urn:s:1')).toEqual({
          tenant: 'default',
          subscription: sub('urn:s:1'),
          delivery: { timesSent: 0, timesFailed: 0 },
        })
        expect(await store.subscriptions.get('other', 'urn:s:1')).toBeUndefined()
      })
      test('duplicate create is AlreadyExists and changes nothing; create makes the tenant', async () => {
        await store.subscriptions.create('t1', sub('urn:s:1'))
        expect(await store.tenants.exists('t1')).toBe(true)
        await expect(
          store.subscriptions.create('t1', sub('urn:s:1', { q: 'x==1' })),
        ).rejects.toMatchObject({ kind: 'AlreadyExists' })
        expect((await store.subscriptions.get('t1', 'urn:s:1'))?.subscription.q).toBe('t>20')
      })
      test('list pages in creation order per tenant, with the total count', async () => {
        for (const id of ['urn:s:c', 'urn:s:a', 'urn:s:b'])
          await store.subscriptions.create('default', sub(id))
        await store.subscriptions.create('other', sub('urn:s:z'))
        const page = await store.subscriptions.list('default', { limit: 2, offset: 1 })
        expect(page.count).toBe(3)
        expect(page.items.map((i) => i.subscription.id)).toEqual(['urn:s:a', 'urn:s:b'])
        expect((await store.subscriptions.all()).map((i) => i.tenant).sort()).toEqual([
          'default',
          'default',
          'default',
          'other',
        ])
      })
      test('replace keeps the delivery status; missing is ResourceNotFound', async () => {
        await store.subscriptions.create('default', sub('urn:s:1'))
        const delivery = {
          timesSent: 2,
          timesFailed: 1,
          lastNotification: iso(T0 + 2000),
          lastSuccess: iso(T0 + 1000),
          lastFailure: iso(T0 + 2000),
          status: 'failed' as const,
        }
        await store.subscriptions.recordDelivery('default', 'urn:s:1', delivery)
        await store.subscriptions.replace('default', sub('urn:s:1', { isActive: false }))
        const got = await store.subscriptions.get('default', 'urn:s:1')
        expect(got?.subscription.isActive).toBe(false)
        expect(got?.delivery).toEqual(delivery)
        await expect(store.subscriptions.replace('default', sub('urn:s:9'))).rejects.toMatchObject({
          kind: 'ResourceNotFound',
        })
        // Recording for a deleted subscription is ignored, not an error.
        await store.subscriptions.recordDelivery('default', 'urn:s:9', delivery)
        expect(await store.subscriptions.get('default', 'urn:s:9')).toBeUndefined()
      })
      test('delete removes only the named subscription', async () => {
        await store.subscriptions.create('default', sub('urn:s:1'))
        await store.subscriptions.create('other', sub('urn:s:1'))
        expect(await store.subscriptions.delete('default', 'urn:s:1')).toBe(true)
        expect(await store.subscriptions.delete('default', 'urn:s:1')).toBe(false)
        expect(await store.subscriptions.get('default', 'urn:s:1')).toBeUndefined()
        expect(await store.subscriptions.get('other', 'urn:s:1')).toBeDefined()
      })
    })

    describe('type summaries (discovery)', () => {
      test('counts entities per type and attribute instances and kinds per type', async () => {
        const a = entity('urn:b:1', 'Building', {
          [V('name')]: [
            { type: 'Property', value: 'x' },
            { type: 'LanguageProperty', languageMap: { fr: 'y' }, datasetId: 'urn:ds:1' },
          ],
          [V('owner')]: [{ type: 'Relationship', object: 'urn:p:1' }],
        })
        a.types.push(V('Landmark'))
        await store.entities.create('default', a)
        await store.entities.create(
          'default',
          entity(
            'urn:b:2',
            'Building',
            { [V('name')]: [{ type: 'Property', value: 'z' }] },
            [1, 2],
          ),
        )
        await store.entities.create('default', entity('urn:t:1', 'Tree'))
        await store.entities.create(
          'other',
          entity('urn:x:1', 'Secret', { [V('s')]: [{ type: 'Property', value: 1 }] }),
        )
        const all = await store.entities.typeSummaries('default')
        expect(all).toEqual([
          {
            type: V('Building'),
            entities: 2,
            attrs: [
              { attr: V('name'), instances: 3, kinds: ['LanguageProperty', 'Property'] },
              { attr: V('owner'), instances: 1, kinds: ['Relationship'] },
              { attr: IRI.location, instances: 1, kinds: ['GeoProperty'] },
            ],
          },
          {
            type: V('Landmark'),
            entities: 1,
            attrs: [
              { attr: V('name'), instances: 2, kinds: ['LanguageProperty', 'Property'] },
              { attr: V('owner'), instances: 1, kinds: ['Relationship'] },
            ],
          },
          { type: V('Tree'), entities: 1, attrs: [] },
        ])
        expect(await store.entities.typeSummaries('default', [V('Tree'), V('Nothing')])).toEqual([
          { type: V('Tree'), entities: 1, attrs: [] },
        ])
        expect(await store.entities.typeSummaries('empty')).toEqual([])
        // By attribute, an entity of two types counts once.
        expect(await store.entities.attributeSummaries('default')).toEqual([
          { attr: V('name'), instances: 3, kinds: ['LanguageProperty', 'Property'] },
          { attr: V('owner'), instances: 1, kinds: ['Relationship'] },
          { attr: IRI.location, instances: 1, kinds: ['GeoProperty'] },
        ])
        expect(await store.entities.attributeSummaries('empty')).toEqual([])
      })

      test('follows updates and deletes', async () => {
        await store.entities.create(
          'default',
          entity('urn:b:1', 'Building', { [V('a')]: [{ type: 'Property', value: 1 }] }),
        )
        await store.entities.update('default', 'urn:b:1', (e) => ({
          ...e,
          types: [V('Tower')],
          attrs: { [V('b')]: [{ type: 'Relationship', object: 'urn:x:1' }] },
        }))
        expect(await store.entities.typeSummaries('default')).toEqual([
          {
            type: V('Tower'),
            entities: 1,
            attrs: [{ attr: V('b'), instances: 1, kinds: ['Relationship'] }],
          },
        ])
        expect(await store.entities.attributeSummaries('default')).toEqual([
          { attr: V('b'), instances: 1, kinds: ['Relationship'] },
        ])
        await store.entities.delete('default', 'urn:b:1')
        expect(await store.entities.typeSummaries('default')).toEqual([])
        expect(await store.entities.attributeSummaries('default')).toEqual([])
      })

      test('follows ingest: created entities, new attributes, value-only updates', async () => {
        const ingest = (p: EntityPatch) =>
          store.ingest([{ tenant: 'default', patches: [p], observations: [], activity: [] }])
        await ingest(patch('urn:s:1', { temp: { value: 1, at: T0 } }))
        await ingest(patch('urn:s:1', { temp: { value: 2, at: T0 + 1000 } }))
        await ingest(patch('urn:s:2', { temp: { value: 3, at: T0 } }))
        await ingest(patch('urn:s:2', { hum: { value: 40, at: T0 + 1000 } }))
        expect(await store.entities.typeSummaries('default')).toEqual([
          {
            type: V('Sensor'),
            entities: 2,
            attrs: [
              { attr: V('hum'), instances: 1, kinds: ['Property'] },
              { attr: V('temp'), instances: 2, kinds: ['Property'] },
            ],
          },
        ])
        expect(await store.entities.attributeSummaries('default')).toEqual([
          { attr: V('hum'), instances: 1, kinds: ['Property'] },
          { attr: V('temp'), instances: 2, kinds: ['Property'] },
        ])
      })
    })
  })
}

/** Aggregates straight from raw points, the definition the adapters must meet. */
function recompute(
  obs: Observation[],
  origin: number,
  periodMs: number,
  to: number,
): AggregatePeriod[] {
  const groups = new Map<number, Observation[]>()
  for (const o of obs) {
    const start =
      periodMs === 0 ? origin : origin + Math.floor((o.observedAt - origin) / periodMs) * periodMs
    groups.set(start, [...(groups.get(start) ?? []), o])
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((start) => {
      const values = (groups.get(start) ?? []).map((o) =>
        typeof o.value === 'boolean' ? (o.value ? 1 : 0) : (o.value as number),
      )
      const sum = values.reduce((a, b) => a + b, 0)
      const sumsq = values.reduce((a, b) => a + b * b, 0)
      const avg = sum / values.length
      return {
        start,
        end: periodMs === 0 ? to : start + periodMs,
        values: {
          totalCount: values.length,
          sum,
          avg,
          min: Math.min(...values),
          max: Math.max(...values),
          sumsq,
          stddev: Math.sqrt(Math.max(0, sumsq / values.length - avg * avg)),
        },
      }
    })
}
