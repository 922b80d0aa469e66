/**
 * The contract every Store adapter must pass (memory, SQLite; PostgreSQL later). Adapters that
 * knowingly lack something list it in `skip` with the reason, so the gap is written down.
 *
 * @example
 *   storeContract('sqlite', () => openSqliteStore({ file: ':memory:', history }))
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest'
import type { Device } from '../core/device.js'
import { AppError } from '../core/errors.js'
import { DEFAULT_VOCAB, IRI, type Entity } from '../core/ngsi.js'
import type { EntityPatch, Store } from './store.js'

export interface ContractOptions {
  skip?: { reason: string; tests: string[] }[]
  /** Makes sealed history part of the test (adapters with compaction). */
  seal?: (store: Store) => void
}

const V = (n: string) => DEFAULT_VOCAB + n
const T0 = Date.parse('2026-01-01T00:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()

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
