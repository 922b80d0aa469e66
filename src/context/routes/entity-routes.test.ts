import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB, IRI } from '../../core/ngsi.js'
import {
  API,
  CORE,
  building,
  buildNgsiLdApp,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'
import { createBundledContextResolver, type ContextResolver } from '../jsonld/index.js'

const V = (n: string) => DEFAULT_VOCAB + n
const USER_CTX = 'https://example.org/building-context.jsonld'
const resolver: ContextResolver = {
  resolve: (url) =>
    url === USER_CTX
      ? Promise.resolve({
          '@context': { Building: 'https://example.org/Building', name: 'https://schema.org/name' },
        })
      : createBundledContextResolver().resolve(url),
}

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp({ contexts: resolver })
})
afterEach(() => t.close())

describe('POST /entities (Create Entity, §5.6.1)', () => {
  it('creates: 201, Location, no body, no Link; publishes entity.changed after the write', async () => {
    const res = await t.send('POST', '/entities', { body: building() })
    expect(res.statusCode).toBe(201)
    expect(res.headers['location']).toBe(`${API}/entities/urn:ngsi-ld:Building:1`)
    expect(res.body).toBe('')
    expect(res.headers['link']).toBeUndefined()
    const stored = await t.store.get('default', 'urn:ngsi-ld:Building:1')
    expect(stored).toMatchObject({ types: [V('Building')], createdAt: '2026-03-01T10:00:00.000Z' })
    expect(t.events).toHaveLength(1)
    expect(t.events[0]).toMatchObject({
      tenant: 'default',
      entityId: 'urn:ngsi-ld:Building:1',
      kind: 'created',
      source: 'api',
      attrs: [V('name'), IRI.location],
      types: [V('Building')],
    })
  })

  it('accepts application/ld+json with @context in the body and expands with it', async () => {
    const res = await t.send('POST', '/entities', {
      body: { ...building(), '@context': [USER_CTX] },
      headers: { 'content-type': 'application/ld+json' },
    })
    expect(res.statusCode).toBe(201)
    const stored = await t.store.get('default', 'urn:ngsi-ld:Building:1')
    expect(stored?.types).toEqual(['https://example.org/Building'])
    expect(Object.keys(stored!.attrs)).toEqual(['https://schema.org/name', IRI.location])
  })

  it('answers 409 AlreadyExists for an existing id, without a second event', async () => {
    await t.send('POST', '/entities', { body: building() })
    expectProblem(await t.send('POST', '/entities', { body: building() }), 409, 'AlreadyExists')
    expect(t.events).toHaveLength(1)
  })

  it.each<[string, unknown, string]>([
    ['invalid JSON', '{"id": ', 'InvalidRequest'],
    ['an array', [], 'InvalidRequest'],
    ['an id that is not a URI', { id: 'abc', type: 'T' }, 'BadRequestData'],
    ['"type": "type"', { id: 'urn:a:1', type: 'type' }, 'BadRequestData'],
    ['NGSI-LD Null', { id: 'urn:a:1', type: 'T', a: 'urn:ngsi-ld:null' }, 'BadRequestData'],
  ])('rejects %s', async (_label, body, kind) => {
    expectProblem(await t.send('POST', '/entities', { body }), 400, kind)
    expect(t.events).toHaveLength(0)
  })

  it('fails with LdContextNotAvailable (configured 503) for an unreachable context', async () => {
    const res = await t.send('POST', '/entities', {
      body: {
        ...building(),
        '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-non-existing.jsonld',
      },
      headers: { 'content-type': 'application/ld+json' },
    })
    expectProblem(res, 503, 'LdContextNotAvailable')
  })
})

describe('GET /entities/{id} (Retrieve Entity, §5.7.1)', () => {
  beforeEach(async () => {
    await t.send('POST', '/entities', {
      body: building('urn:ngsi-ld:Building:1', { height: { type: 'Property', value: 300 } }),
    })
  })

  it('answers application/json without charset, a core context Link and no @context', async () => {
    const res = await t.send('GET', '/entities/urn:ngsi-ld:Building:1')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['link']).toBe(linkTo(CORE))
    expect(res.json()).toEqual({ ...building(), height: { type: 'Property', value: 300 } })
  })

  it('answers application/ld+json with the @context in the body', async () => {
    const res = await t.send('GET', '/entities/urn:ngsi-ld:Building:1', {
      headers: { accept: 'application/ld+json' },
    })
    expect(res.headers['content-type']).toBe('application/ld+json')
    expect(res.headers['link']).toBeUndefined()
    expect(res.json()).toMatchObject({ id: 'urn:ngsi-ld:Building:1', '@context': CORE })
  })

  it('compacts with the Link context and echoes it', async () => {
    await t.send('POST', '/entities', {
      body: { id: 'urn:ngsi-ld:Building:2', type: 'Building', name: 'X' },
      headers: { link: linkTo(USER_CTX) },
    })
    const asCore = await t.send('GET', '/entities/urn:ngsi-ld:Building:2')
    expect(asCore.json()).toEqual({
      id: 'urn:ngsi-ld:Building:2',
      type: 'https://example.org/Building',
      'https://schema.org/name': { type: 'Property', value: 'X' },
    })
    const asUser = await t.send('GET', '/entities/urn:ngsi-ld:Building:2', {
      headers: { link: linkTo(USER_CTX), accept: 'application/ld+json' },
    })
    expect(asUser.json()).toEqual({
      id: 'urn:ngsi-ld:Building:2',
      type: 'Building',
      name: { type: 'Property', value: 'X' },
      '@context': USER_CTX,
    })
  })

  it('compacts a default-context IRI the user context redefines as ngsi-ld:default-context/x', async () => {
    const res = await t.send('GET', '/entities/urn:ngsi-ld:Building:1', {
      headers: { link: linkTo(USER_CTX) },
    })
    expect(res.json()).toHaveProperty(['ngsi-ld:default-context/name'])
    expect(res.headers['link']).toBe(linkTo(USER_CTX))
  })

  it('answers a GeoJSON Feature for application/geo+json, with geometryProperty', async () => {
    const res = await t.send('GET', '/entities/urn:ngsi-ld:Building:1?options=keyValues', {
      headers: { accept: 'application/geo+json' },
    })
    expect(res.headers['content-type']).toBe('application/geo+json')
    expect(res.json()).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [2.2945, 48.8584] },
      properties: {
        type: 'Building',
        name: 'Eiffel Tower',
        location: { type: 'Point', coordinates: [2.2945, 48.8584] },
        height: 300,
      },
      '@context': CORE,
    })
    const none = await t.send('GET', '/entities/urn:ngsi-ld:Building:1?geometryProperty=height', {
      headers: { accept: 'application/geo+json' },
    })
    expect(none.json()).toMatchObject({ geometry: null })
  })

  it('applies format/options, sysAttrs, attrs, pick and omit', async () => {
    const kv = await t.send(
      'GET',
      '/entities/urn:ngsi-ld:Building:1?format=keyValues&options=sysAttrs',
    )
    expect(kv.json()).toMatchObject({
      name: 'Eiffel Tower',
      height: 300,
      createdAt: '2026-03-01T10:00:00.000Z',
    })
    const concise = await t.send(
      'GET',
      '/entities/urn:ngsi-ld:Building:1?format=concise&options=keyValues',
    )
    expect(concise.json()).toMatchObject({
      name: 'Eiffel Tower',
      location: { value: { type: 'Point' } },
    })
    const attrs = await t.send('GET', '/entities/urn:ngsi-ld:Building:1?attrs=height')
    expect(attrs.json()).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      height: { type: 'Property', value: 300 },
    })
    const pick = await t.send('GET', '/entities/urn:ngsi-ld:Building:1?pick=name&options=keyValues')
    expect(pick.json()).toEqual({ name: 'Eiffel Tower' })
    const omit = await t.send(
      'GET',
      '/entities/urn:ngsi-ld:Building:1?omit=location,height&options=keyValues',
    )
    expect(omit.json()).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      name: 'Eiffel Tower',
    })
  })

  it('answers 404 when attrs match nothing or pick/omit leave nothing', async () => {
    expectProblem(
      await t.send('GET', '/entities/urn:ngsi-ld:Building:1?attrs=nothing'),
      404,
      'ResourceNotFound',
    )
    expectProblem(
      await t.send('GET', '/entities/urn:ngsi-ld:Building:1?pick=nothing'),
      404,
      'ResourceNotFound',
    )
  })

  it('answers 404 for an unknown entity and 400 for an id that is not a URI', async () => {
    expectProblem(
      await t.send('GET', '/entities/urn:ngsi-ld:Building:404'),
      404,
      'ResourceNotFound',
    )
    expectProblem(await t.send('GET', '/entities/not-a-uri'), 400, 'BadRequestData')
  })

  it('rejects bad format/options values with InvalidRequest and bad pick syntax with BadRequestData', async () => {
    expectProblem(
      await t.send('GET', '/entities/urn:ngsi-ld:Building:1?format=pretty'),
      400,
      'InvalidRequest',
    )
    expectProblem(
      await t.send('GET', '/entities/urn:ngsi-ld:Building:1?options=fancy'),
      400,
      'InvalidRequest',
    )
    expectProblem(
      await t.send('GET', '/entities/urn:ngsi-ld:Building:1?pick=a,,b'),
      400,
      'BadRequestData',
    )
    expectProblem(
      await t.send('GET', '/entities/urn:ngsi-ld:Building:1?pick=name&attrs=name'),
      400,
      'BadRequestData',
    )
  })

  it('decodes a percent-encoded id once', async () => {
    const res = await t.send('GET', `/entities/${encodeURIComponent('urn:ngsi-ld:Building:1')}`)
    expect(res.statusCode).toBe(200)
    await t.send('POST', '/entities', {
      body: { id: 'urn:ngsi-ld:Building:a%2Fb', type: 'Building' },
    })
    const literal = await t.send(
      'GET',
      `/entities/${encodeURIComponent('urn:ngsi-ld:Building:a%2Fb')}`,
    )
    expect(literal.json()).toMatchObject({ id: 'urn:ngsi-ld:Building:a%2Fb' })
  })

  it('renders languages with lang=', async () => {
    await t.send('POST', '/entities', {
      body: {
        id: 'urn:ngsi-ld:Building:3',
        type: 'Building',
        street: { type: 'LanguageProperty', languageMap: { en: 'Main', fr: 'Grand' } },
      },
    })
    const res = await t.send('GET', '/entities/urn:ngsi-ld:Building:3?lang=fr')
    expect(res.json()).toMatchObject({ street: { type: 'Property', value: 'Grand', lang: 'fr' } })
    expectProblem(
      await t.send('GET', '/entities/urn:ngsi-ld:Building:3?lang=;;'),
      400,
      'BadRequestData',
    )
  })
})

describe('DELETE /entities/{id} (Delete Entity, §5.6.6)', () => {
  it('deletes with 204 and no body, publishes a deleted event, then 404', async () => {
    await t.send('POST', '/entities', { body: building() })
    const res = await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1')
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    expect(res.headers['content-length']).toBeUndefined()
    expect(t.events.at(-1)).toMatchObject({
      kind: 'deleted',
      entityId: 'urn:ngsi-ld:Building:1',
      attrs: [V('name'), IRI.location],
    })
    expectProblem(
      await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1'),
      404,
      'ResourceNotFound',
    )
    expect(await t.store.get('default', 'urn:ngsi-ld:Building:1')).toBeUndefined()
  })
})
