import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import {
  buildNgsiLdApp,
  CORE,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'
import type { ContextResolver } from '../jsonld/index.js'
import { createBundledContextResolver } from '../jsonld/index.js'

const USER_CTX = 'https://example.org/ctx.jsonld'
const resolver: ContextResolver = {
  resolve: (url) =>
    url === USER_CTX
      ? Promise.resolve({ '@context': { Shop: 'https://example.org/Shop' } })
      : createBundledContextResolver().resolve(url),
}

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp({ contexts: resolver })
})
afterEach(() => t.close())

describe('GET /types (§5.7.5, §5.7.6)', () => {
  it('lists the types as an EntityTypeList, compacted with the request context', async () => {
    await t.send('POST', '/entities', {
      body: { id: 'urn:a:1', type: ['Building', 'https://example.org/Shop'], height: 1 },
    })
    await t.send('POST', '/entities', { body: { id: 'urn:a:2', type: 'Park', name: 'x' } })
    const res = await t.send('GET', '/types')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['link']).toBe(linkTo(CORE))
    const body = res.json<{ id: string; type: string; typeList: string[] }>()
    expect(body.id).toMatch(/^urn:ngsi-ld:EntityTypeList:[0-9a-f-]{36}$/)
    expect(body).toMatchObject({ type: 'EntityTypeList' })
    expect(body.typeList.sort()).toEqual(['Building', 'Park', 'https://example.org/Shop'])
    const compacted = await t.send('GET', '/types', {
      headers: { link: linkTo(USER_CTX), accept: 'application/ld+json' },
    })
    expect(compacted.json<{ typeList: string[] }>().typeList.sort()).toEqual([
      'Building',
      'Park',
      'Shop',
    ])
    expect(compacted.json()).toHaveProperty(['@context'], USER_CTX)
  })

  it('gives EntityType details with attribute names with details=true', async () => {
    await t.send('POST', '/entities', { body: { id: 'urn:a:1', type: 'Building', height: 1 } })
    await t.send('POST', '/entities', { body: { id: 'urn:a:2', type: 'Building', name: 'x' } })
    const res = await t.send('GET', '/types?details=true')
    expect(res.json()).toEqual([
      {
        id: `${DEFAULT_VOCAB}Building`,
        type: 'EntityType',
        typeName: 'Building',
        attributeNames: ['height', 'name'],
      },
    ])
  })

  it('answers an empty list for an empty tenant, 400 for a bad details value', async () => {
    expect((await t.send('GET', '/types?details=false')).json()).toMatchObject({ typeList: [] })
    expectProblem(await t.send('GET', '/types?details=maybe'), 400, 'BadRequestData')
  })
})

describe('GET /types/{type} (EntityTypeInfo, §5.7.7)', () => {
  beforeEach(async () => {
    await t.send('POST', '/entityOperations/create', {
      body: [
        {
          id: 'urn:a:1',
          type: ['Building', 'https://example.org/Shop'],
          height: 1,
          owner: { type: 'Relationship', object: 'urn:p:1' },
        },
        {
          id: 'urn:a:2',
          type: 'Building',
          height: [
            { type: 'Property', value: 2 },
            { type: 'Property', value: 3, datasetId: 'urn:ds:1' },
          ],
          street: { type: 'LanguageProperty', languageMap: { fr: 'rue' } },
        },
        { id: 'urn:a:3', type: 'Park' },
      ],
    })
  })

  it('gives the entity count and each attribute with its kinds, by short name or IRI', async () => {
    const expected = {
      id: `${DEFAULT_VOCAB}Building`,
      type: 'EntityTypeInfo',
      typeName: 'Building',
      entityCount: 2,
      attributeDetails: [
        {
          id: `${DEFAULT_VOCAB}height`,
          type: 'Attribute',
          attributeName: 'height',
          attributeTypes: ['Property'],
        },
        {
          id: `${DEFAULT_VOCAB}owner`,
          type: 'Attribute',
          attributeName: 'owner',
          attributeTypes: ['Relationship'],
        },
        {
          id: `${DEFAULT_VOCAB}street`,
          type: 'Attribute',
          attributeName: 'street',
          attributeTypes: ['LanguageProperty'],
        },
      ],
    }
    const res = await t.send('GET', '/types/Building')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.json()).toEqual(expected)
    const byIri = await t.send('GET', `/types/${encodeURIComponent(`${DEFAULT_VOCAB}Building`)}`)
    expect(byIri.json()).toEqual(expected)
    const shop = await t.send('GET', '/types/Shop', {
      headers: { link: linkTo(USER_CTX), accept: 'application/ld+json' },
    })
    expect(shop.json()).toMatchObject({
      id: 'https://example.org/Shop',
      typeName: 'Shop',
      entityCount: 1,
      '@context': USER_CTX,
    })
    expect((await t.send('GET', '/types/Park')).json()).toMatchObject({
      entityCount: 1,
      attributeDetails: [],
    })
  })

  it('answers 404 for a type without entities, 400 for a bad name, 406 for an unacceptable type', async () => {
    expectProblem(await t.send('GET', '/types/Unknown'), 404, 'ResourceNotFound')
    expectProblem(await t.send('GET', '/types/a%20b'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/types/Building?details=true'), 400, 'InvalidRequest')
    const res = await t.send('GET', '/types/Building', { headers: { accept: 'application/xml' } })
    expect(res.statusCode).toBe(406)
    expect(
      (await t.send('GET', '/types/Unknown', { headers: { accept: 'text/csv' } })).statusCode,
    ).toBe(406)
  })

  it('lists EntityType details with each type’s attribute names', async () => {
    const res = await t.send('GET', '/types?details=true')
    expect(res.json()).toEqual([
      {
        id: 'https://example.org/Shop',
        type: 'EntityType',
        typeName: 'https://example.org/Shop',
        attributeNames: ['height', 'owner'],
      },
      {
        id: `${DEFAULT_VOCAB}Building`,
        type: 'EntityType',
        typeName: 'Building',
        attributeNames: ['height', 'owner', 'street'],
      },
      { id: `${DEFAULT_VOCAB}Park`, type: 'EntityType', typeName: 'Park', attributeNames: [] },
    ])
  })
})
