import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB, IRI } from '../../core/ngsi.js'
import {
  building,
  buildNgsiLdApp,
  expectProblem,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'

const V = (n: string) => DEFAULT_VOCAB + n
const ID = 'urn:ngsi-ld:Building:1'
const T0 = '2026-03-01T10:00:00.000Z'
const T1 = '2026-03-01T10:00:01.000Z'

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp()
  const res = await t.send('POST', '/entities', {
    body: building(ID, {
      scope: '/Paris',
      address: {
        type: 'Property',
        value: { city: 'Paris', street: 'Champ de Mars', zip: '75007' },
        verified: { type: 'Property', value: true },
      },
      height: {
        type: 'Property',
        value: 300,
        unitCode: 'MTR',
        accuracy: { type: 'Property', value: 1 },
      },
      owner: { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
      street: { type: 'LanguageProperty', languageMap: { en: 'Main street', fr: 'Grand-rue' } },
      category: { type: 'VocabProperty', vocab: 'tower' },
      readings: [
        { type: 'Property', value: 1 },
        { type: 'Property', value: 2, datasetId: 'urn:ds:b' },
      ],
    }),
  })
  expect(res.statusCode).toBe(201)
  t.tick()
  t.events.length = 0
})
afterEach(() => t.close())

const stored = async () => (await t.store.get('default', ID))!

describe('PUT /entities/{id} (Replace Entity, §5.6.18)', () => {
  it('replaces every attribute and the scope, keeps the entity createdAt: 204, no body', async () => {
    const res = await t.send('PUT', `/entities/${ID}`, {
      body: { type: 'Tower', height: 330, locatedIn: { type: 'Relationship', object: 'urn:a:1' } },
    })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    const e = await stored()
    expect(e.types).toEqual([V('Tower')])
    expect(e.scopes).toBeUndefined()
    expect(Object.keys(e.attrs).sort()).toEqual([V('height'), V('locatedIn')])
    expect(e.createdAt).toBe(T0)
    expect(e.modifiedAt).toBe(T1)
    // The replaced height keeps its createdAt; the new attribute is created now.
    expect(e.attrs[V('height')]).toEqual([
      { type: 'Property', value: 330, createdAt: T0, modifiedAt: T1 },
    ])
    expect(e.attrs[V('locatedIn')]?.[0]?.createdAt).toBe(T1)
    expect(t.events).toHaveLength(1)
    expect(t.events[0]).toMatchObject({ kind: 'updated', entityId: ID })
    expect(t.events[0]!.attrs).toContain(V('name'))
  })

  it('accepts the same id in the body; rejects another id, a missing type, NGSI-LD Null', async () => {
    expect(
      (await t.send('PUT', `/entities/${ID}`, { body: { id: ID, type: 'T' } })).statusCode,
    ).toBe(204)
    for (const body of [
      { id: 'urn:other:1', type: 'T' },
      { a: 1 },
      { type: 'T', a: 'urn:ngsi-ld:null' },
      { type: 'T', a: { type: 'Property' } },
    ]) {
      expectProblem(await t.send('PUT', `/entities/${ID}`, { body }), 400, 'BadRequestData')
    }
    expectProblem(await t.send('PUT', `/entities/${ID}`, { body: [] }), 400, 'InvalidRequest')
    expect(t.events).toHaveLength(1)
  })

  it('answers 404 for an unknown entity, 400 for a bad or empty id, 415 for another media type', async () => {
    expectProblem(
      await t.send('PUT', '/entities/urn:ngsi-ld:Building:404', { body: { type: 'T' } }),
      404,
      'ResourceNotFound',
    )
    expectProblem(
      await t.send('PUT', '/entities/not-a-uri', { body: { type: 'T' } }),
      400,
      'BadRequestData',
    )
    expectProblem(await t.send('PUT', '/entities/', { body: { type: 'T' } }), 400, 'BadRequestData')
    const res = await t.send('PUT', `/entities/${ID}`, {
      body: { type: 'T' },
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.statusCode).toBe(415)
    expect((await stored()).types).toEqual([V('Building')])
  })
})

describe('PATCH /entities/{id} (Merge Entity, §5.6.17 / §5.5.12)', () => {
  it('adds missing attributes, merges present ones member by member: 204', async () => {
    const res = await t.send('PATCH', `/entities/${ID}`, {
      body: {
        height: { type: 'Property', value: 324 },
        color: { type: 'Property', value: 'grey' },
      },
    })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    const e = await stored()
    // unitCode and the sub-property stay: only the given members change.
    expect(e.attrs[V('height')]).toEqual([
      {
        type: 'Property',
        value: 324,
        unitCode: 'MTR',
        [V('accuracy')]: { type: 'Property', value: 1, createdAt: T0, modifiedAt: T1 },
        createdAt: T0,
        modifiedAt: T1,
      },
    ])
    expect(e.attrs[V('color')]).toEqual([
      { type: 'Property', value: 'grey', createdAt: T1, modifiedAt: T1 },
    ])
    expect(e.attrs[V('name')]).toHaveLength(1)
    expect(e.scopes).toEqual(['/Paris'])
    expect(t.events).toHaveLength(1)
    expect(t.events[0]!.attrs).toEqual([V('height'), V('color')])
  })

  it('merges JSON object values key by key; NGSI-LD Null removes a key or a sub-attribute', async () => {
    await t.send('PATCH', `/entities/${ID}`, {
      body: {
        address: {
          type: 'Property',
          value: { street: 'Avenue Anatole', zip: 'urn:ngsi-ld:null' },
          verified: 'urn:ngsi-ld:null',
        },
      },
    })
    const [address] = (await stored()).attrs[V('address')]!
    expect(address!.value).toEqual({ city: 'Paris', street: 'Avenue Anatole' })
    expect(address![V('verified')]).toBeUndefined()
  })

  it('deletes a whole attribute, or one instance by datasetId, with NGSI-LD Null', async () => {
    await t.send('PATCH', `/entities/${ID}`, {
      body: {
        height: 'urn:ngsi-ld:null',
        readings: { type: 'Property', value: 'urn:ngsi-ld:null', datasetId: 'urn:ds:b' },
        owner: { type: 'Relationship', object: 'urn:ngsi-ld:null' },
      },
    })
    const e = await stored()
    expect(e.attrs[V('height')]).toBeUndefined()
    expect(e.attrs[V('owner')]).toBeUndefined()
    expect(e.attrs[V('readings')]).toEqual([
      { type: 'Property', value: 1, createdAt: T0, modifiedAt: T0 },
    ])
  })

  it('merges a datasetId instance and adds a new one beside the default instance', async () => {
    await t.send('PATCH', `/entities/${ID}`, {
      body: {
        readings: [
          { type: 'Property', value: 20, datasetId: 'urn:ds:b' },
          { type: 'Property', value: 30, datasetId: 'urn:ds:c' },
        ],
      },
    })
    const values = (await stored()).attrs[V('readings')]!.map((i) => [i.datasetId, i.value])
    expect(values).toEqual([
      [undefined, 1],
      ['urn:ds:b', 20],
      ['urn:ds:c', 30],
    ])
  })

  it('stamps observedAt= on merged instances that carry none, and sets a language with lang=', async () => {
    const res = await t.send('PATCH', `/entities/${ID}?observedAt=2026-02-01T00:00:00Z&lang=de`, {
      body: { height: 310, street: { type: 'Property', value: 'Hauptstraße' } },
    })
    expect(res.statusCode).toBe(204)
    const e = await stored()
    expect(e.attrs[V('height')]?.[0]).toMatchObject({
      value: 310,
      observedAt: '2026-02-01T00:00:00Z',
    })
    expect(e.attrs[V('street')]?.[0]).toMatchObject({
      type: 'LanguageProperty',
      languageMap: { en: 'Main street', fr: 'Grand-rue', de: 'Hauptstraße' },
    })
  })

  it('reads simplified input (format=simplified / options=keyValues) with the stored kinds', async () => {
    let res = await t.send('PATCH', `/entities/${ID}?format=simplified`, {
      body: {
        owner: 'urn:ngsi-ld:City:Lyon',
        category: 'monument',
        height: 301,
        location: { type: 'Point', coordinates: [2.3, 48.9] },
        fresh: 'new',
      },
    })
    expect(res.statusCode).toBe(204)
    let e = await stored()
    expect(e.attrs[V('owner')]?.[0]).toMatchObject({
      type: 'Relationship',
      object: 'urn:ngsi-ld:City:Lyon',
    })
    expect(e.attrs[V('category')]?.[0]).toMatchObject({
      type: 'VocabProperty',
      vocab: V('monument'),
    })
    expect(e.attrs[V('height')]?.[0]).toMatchObject({
      type: 'Property',
      value: 301,
      unitCode: 'MTR',
    })
    expect(e.attrs[IRI.location]?.[0]).toMatchObject({
      type: 'GeoProperty',
      value: { type: 'Point', coordinates: [2.3, 48.9] },
    })
    expect(e.attrs[V('fresh')]?.[0]).toMatchObject({ type: 'Property', value: 'new' })
    res = await t.send('PATCH', `/entities/${ID}?options=keyValues&lang=it`, {
      body: { street: 'Via Principale' },
    })
    expect(res.statusCode).toBe(204)
    e = await stored()
    expect(e.attrs[V('street')]?.[0]?.languageMap).toMatchObject({ it: 'Via Principale' })
    // A value that does not fit the stored kind cannot change it: BadRequestData, nothing changed.
    expectProblem(
      await t.send('PATCH', `/entities/${ID}?format=keyValues`, { body: { owner: 'not a uri' } }),
      400,
      'BadRequestData',
    )
    expect((await stored()).attrs[V('owner')]?.[0]?.object).toBe('urn:ngsi-ld:City:Lyon')
  })

  it('adds types, replaces the scope, deletes it with NGSI-LD Null; an empty merge changes nothing', async () => {
    await t.send('PATCH', `/entities/${ID}`, { body: { type: 'Tower', scope: '/Lyon' } })
    let e = await stored()
    expect(e.types).toEqual([V('Building'), V('Tower')])
    expect(e.scopes).toEqual(['/Lyon'])
    await t.send('PATCH', `/entities/${ID}`, { body: { scope: 'urn:ngsi-ld:null' } })
    expect((await stored()).scopes).toBeUndefined()
    t.events.length = 0
    const res = await t.send('PATCH', `/entities/${ID}`, { body: { id: ID, type: 'Building' } })
    expect(res.statusCode).toBe(204)
    e = await stored()
    expect(t.events).toHaveLength(0)
  })

  it('answers 404 for an unknown entity and 400 for bad bodies and parameters, changing nothing', async () => {
    expectProblem(
      await t.send('PATCH', '/entities/urn:ngsi-ld:Building:404', { body: { a: 1 } }),
      404,
      'ResourceNotFound',
    )
    const before = await stored()
    for (const [query, body, kind] of [
      ['', { id: 'urn:other:1', a: 1 }, 'BadRequestData'],
      ['', { a: { type: 'Relationship', object: 'nope' } }, 'BadRequestData'],
      ['?observedAt=yesterday', { a: 1 }, 'BadRequestData'],
      ['?lang=**', { a: 1 }, 'BadRequestData'],
      ['?format=xml', { a: 1 }, 'InvalidRequest'],
      ['?options=sysAttrs', { a: 1 }, 'InvalidRequest'],
      ['?foo=1', { a: 1 }, 'InvalidRequest'],
      ['', [], 'InvalidRequest'],
    ] as const) {
      expectProblem(await t.send('PATCH', `/entities/${ID}${query}`, { body }), 400, kind)
    }
    expect(await stored()).toEqual(before)
    const res = await t.send('PATCH', `/entities/${ID}`, {
      body: { a: 1 },
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.statusCode).toBe(415)
  })

  it('accepts application/merge-patch+json', async () => {
    const res = await t.send('PATCH', `/entities/${ID}`, {
      body: { height: 1 },
      headers: { 'content-type': 'application/merge-patch+json' },
    })
    expect(res.statusCode).toBe(204)
    expect((await stored()).attrs[V('height')]?.[0]?.value).toBe(1)
  })
})

describe('PUT /entities/{id}/attrs/{attrId} (Replace Attribute, §5.6.19)', () => {
  it('replaces the whole attribute (members not given are gone), keeps createdAt: 204', async () => {
    const res = await t.send('PUT', `/entities/${ID}/attrs/height`, {
      body: {
        type: 'Relationship',
        object: 'urn:ngsi-ld:Measure:1',
        observedAt: '2026-02-01T00:00:00Z',
        providedBy: { type: 'Relationship', object: 'urn:ngsi-ld:Person:Bob' },
      },
    })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    const [height] = (await stored()).attrs[V('height')]!
    expect(height).toEqual({
      type: 'Relationship',
      object: 'urn:ngsi-ld:Measure:1',
      observedAt: '2026-02-01T00:00:00Z',
      [V('providedBy')]: {
        type: 'Relationship',
        object: 'urn:ngsi-ld:Person:Bob',
        createdAt: T1,
        modifiedAt: T1,
      },
      createdAt: T0,
      modifiedAt: T1,
    })
    expect(t.events[0]).toMatchObject({ kind: 'updated', attrs: [V('height')] })
  })

  it('accepts concise and multi-instance bodies, replacing only the instances they name', async () => {
    await t.send('PUT', `/entities/${ID}/attrs/readings`, { body: 7 })
    // The default instance is replaced; urn:ds:b, not named by the body, stays (suite 055_02).
    expect((await stored()).attrs[V('readings')]).toEqual([
      { type: 'Property', value: 7, createdAt: T0, modifiedAt: T1 },
      { type: 'Property', value: 2, datasetId: 'urn:ds:b', createdAt: T0, modifiedAt: T0 },
    ])
    await t.send('PUT', `/entities/${ID}/attrs/readings`, {
      body: [{ value: 8 }, { value: 9, datasetId: 'urn:ds:z' }],
    })
    expect((await stored()).attrs[V('readings')]?.map((i) => i.value)).toEqual([8, 2, 9])
  })

  it('answers 404 for a missing attribute or entity, 400 for scope, bad names and bodies', async () => {
    expectProblem(
      await t.send('PUT', `/entities/${ID}/attrs/unknown`, { body: 1 }),
      404,
      'ResourceNotFound',
    )
    expectProblem(
      await t.send('PUT', `/entities/urn:a:404/attrs/height`, { body: 1 }),
      404,
      'ResourceNotFound',
    )
    for (const [attr, body] of [
      ['scope', '/Lyon'],
      ['id', 1],
      ['bad name', 1],
      ['height', 'urn:ngsi-ld:null'],
      ['height', { type: 'Property' }],
      ['height', { type: 'Property', value: 1, object: 'urn:a:1' }],
    ] as const) {
      expectProblem(
        await t.send('PUT', `/entities/${ID}/attrs/${encodeURIComponent(attr)}`, {
          body: JSON.stringify(body),
        }),
        400,
        'BadRequestData',
      )
    }
    expect((await stored()).attrs[V('height')]?.[0]?.value).toBe(300)
    expect(t.events).toHaveLength(0)
  })
})
