/**
 * The quick screens in front of q and geoQ must never refuse an entity the exact predicates
 * accept: checked here on the cases they could get wrong.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB, IRI, type AttributeInstance, type Entity } from '../../core/ngsi.js'
import type { Subscription } from '../../core/subscription.js'
import { createBundledContextResolver, createContextProcessor } from '../jsonld/index.js'
import { compileSubscription } from './compile-subscription.js'

const V = (n: string) => DEFAULT_VOCAB + n
const contexts = createContextProcessor({ resolver: createBundledContextResolver() })

function entity(attrs: Record<string, AttributeInstance[]>, point?: [number, number]): Entity {
  const e: Entity = { id: 'urn:e:1', types: [V('T')], createdAt: '', modifiedAt: '', attrs: {} }
  for (const [k, v] of Object.entries(attrs)) e.attrs[V(k)] = v
  if (point)
    e.attrs[IRI.location] = [{ type: 'GeoProperty', value: { type: 'Point', coordinates: point } }]
  return e
}

async function filter(extra: Partial<Subscription>) {
  const sub: Subscription = {
    id: 'urn:s:1',
    entities: [{ types: [[V('T')]] }],
    notification: { endpoint: { uri: 'http://a.example/' } },
    createdAt: '',
    modifiedAt: '',
    ...extra,
  }
  const compiled = await compileSubscription('default', sub, contexts)
  return (e: Entity) => compiled.filters(e)
}

describe('q screen', () => {
  it('passes array values, relationship objects and later instances on to the exact q', async () => {
    const f = await filter({ q: 'speed>50;state=="ok"' })
    const ok = { state: [{ type: 'Property' as const, value: 'ok' }] }
    expect(f(entity({ speed: [{ type: 'Property', value: [10, 60] }], ...ok }))).toBe(true)
    expect(
      f(
        entity({
          speed: [
            { type: 'Property', value: 10 },
            { type: 'Property', value: 70, datasetId: 'urn:d:2' },
          ],
          ...ok,
        }),
      ),
    ).toBe(true)
    expect(f(entity({ speed: [{ type: 'Property', value: 40 }], ...ok }))).toBe(false)
    expect(f(entity({ speed: [{ type: 'Property', value: '60' }], ...ok }))).toBe(false)
    expect(f(entity({ state: ok.state }))).toBe(false)
  })
  it('leaves OR and != to the exact q', async () => {
    const f = await filter({ q: 'speed>50|speed!=3' })
    expect(f(entity({ speed: [{ type: 'Property', value: 1 }] }))).toBe(true)
  })
})

describe('geo screen', () => {
  const square = [
    [
      [11, 46],
      [12, 46],
      [12, 47],
      [11, 47],
      [11, 46],
    ],
  ]
  it('within / intersects keep entities inside and refuse those far away', async () => {
    for (const georel of ['within', 'intersects']) {
      const f = await filter({ geoQ: { geometry: 'Polygon', coordinates: square, georel } })
      expect(f(entity({}, [11.5, 46.5]))).toBe(true)
      expect(f(entity({}, [13.4, 52.5]))).toBe(false)
    }
  })
  it('near with maxDistance keeps points just inside the distance', async () => {
    const f = await filter({
      geoQ: { geometry: 'Point', coordinates: [11.3, 46.5], georel: 'near;maxDistance==1000' },
    })
    expect(f(entity({}, [11.3, 46.5089]))).toBe(true) // ~990 m north
    expect(f(entity({}, [11.3, 46.52]))).toBe(false)
  })
  it('disjoint and near;minDistance are not screened', async () => {
    const d = await filter({
      geoQ: { geometry: 'Polygon', coordinates: square, georel: 'disjoint' },
    })
    expect(d(entity({}, [13.4, 52.5]))).toBe(true)
    const m = await filter({
      geoQ: { geometry: 'Point', coordinates: [11.3, 46.5], georel: 'near;minDistance==1000' },
    })
    expect(m(entity({}, [13.4, 52.5]))).toBe(true)
  })
})

describe('q as written in a subscription', () => {
  it('is read percent-decoded, as a query string q would be', async () => {
    const f = await filter({ q: 'name=="Eiffel%20Tower"' })
    expect(f(entity({ name: [{ type: 'Property', value: 'Eiffel Tower' }] }))).toBe(true)
    expect(f(entity({ name: [{ type: 'Property', value: 'Eiffel%20Tower' }] }))).toBe(false)
  })

  it('is kept as written when it is not valid percent-encoding', async () => {
    const f = await filter({ q: 'name=="100%"' })
    expect(f(entity({ name: [{ type: 'Property', value: '100%' }] }))).toBe(true)
  })
})

describe('subscriptions that read the store', () => {
  const compile = (extra: Partial<Subscription>) =>
    compileSubscription(
      'default',
      {
        id: 'urn:s:1',
        entities: [{ types: [[V('T')]] }],
        notification: { endpoint: { uri: 'http://a.example/' } },
        createdAt: '',
        modifiedAt: '',
        ...extra,
      },
      contexts,
    )

  it('only linked q terms and join mark a subscription for store reads', async () => {
    const plain = await compile({ q: 'speed>50' })
    expect(plain.linked).toBeUndefined()
    expect(plain.joins).toBe(false)
    const linked = await compile({ q: 'speed>50;dev{battery}<1' })
    expect(linked.linked?.paths.map((p) => p.attr)).toEqual(['dev'])
    const joins = await compile({
      notification: { endpoint: { uri: 'http://a.example/' }, join: 'flat' },
    })
    expect(joins.joins).toBe(true)
    expect(joins.linked).toBeUndefined()
  })

  it('screens with the local terms before any read, then decides with the linked entities', async () => {
    const c = await compile({ q: 'speed>50;dev{battery}<1' })
    const slow = entity({ speed: [{ type: 'Property', value: 10 }] })
    const fast = entity({
      speed: [{ type: 'Property', value: 60 }],
      dev: [{ type: 'Relationship', object: 'urn:d:1' }],
    })
    expect(c.filters(slow)).toBe(false)
    expect(c.filters(fast)).toBe(true)
    const device = (battery: number) => ({
      ...entity({ battery: [{ type: 'Property', value: battery }] }),
      id: 'urn:d:1',
    })
    expect(c.linked?.holds(fast, () => device(0.5))).toBe(true)
    expect(c.linked?.holds(fast, () => device(5))).toBe(false)
    expect(c.linked?.holds(fast, () => undefined)).toBe(false)
  })
})
