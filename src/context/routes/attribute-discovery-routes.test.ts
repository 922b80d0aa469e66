import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB, IRI } from '../../core/ngsi.js'
import {
  building,
  buildNgsiLdApp,
  CORE,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'
import { createBundledContextResolver, type ContextResolver } from '../jsonld/index.js'

const V = (n: string) => DEFAULT_VOCAB + n
const USER_CTX = 'https://example.org/ctx.jsonld'
const resolver: ContextResolver = {
  resolve: (url) =>
    url === USER_CTX
      ? Promise.resolve({ '@context': { height: 'https://example.org/height' } })
      : createBundledContextResolver().resolve(url),
}

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp({ contexts: resolver })
  const res = await t.send('POST', '/entityOperations/create', {
    body: [
      building('urn:ngsi-ld:Building:1', {
        type: ['Building', 'Landmark'],
        height: [
          { type: 'Property', value: 300 },
          { type: 'Property', value: 1000, datasetId: 'urn:ds:feet' },
        ],
      }),
      building('urn:ngsi-ld:Building:2', {
        height: { type: 'ListProperty', valueList: [1, 2] },
      }),
      { id: 'urn:ngsi-ld:Tree:1', type: 'Tree', name: 'Oak' },
    ],
  })
  expect(res.statusCode).toBe(201)
})
afterEach(() => t.close())

describe('GET /attributes (§5.7.8, §5.7.9)', () => {
  it('lists attribute names as an AttributeList, compacted with the request context', async () => {
    const res = await t.send('GET', '/attributes')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['link']).toBe(linkTo(CORE))
    const body = res.json<{ id: string; type: string; attributeList: string[] }>()
    expect(body.id).toMatch(/^urn:ngsi-ld:AttributeList:[0-9a-f-]{36}$/)
    expect(body.type).toBe('AttributeList')
    expect(body.attributeList).toEqual(['height', 'name', 'location'])
    const ld = await t.send('GET', '/attributes', {
      headers: { link: linkTo(USER_CTX), accept: 'application/ld+json' },
    })
    expect(ld.json()).toMatchObject({ '@context': USER_CTX })
    // The user context redefines height, so the stored default-context IRI compacts to a prefix form.
    expect(ld.json<{ attributeList: string[] }>().attributeList).toContain(
      'ngsi-ld:default-context/height',
    )
  })

  it('gives one Attribute (name and entity types) per name with details=true', async () => {
    const res = await t.send('GET', '/attributes?details=true')
    expect(res.json()).toEqual([
      {
        id: V('height'),
        type: 'Attribute',
        attributeName: 'height',
        typeNames: ['Building', 'Landmark'],
      },
      {
        id: V('name'),
        type: 'Attribute',
        attributeName: 'name',
        typeNames: ['Building', 'Landmark', 'Tree'],
      },
      {
        id: IRI.location,
        type: 'Attribute',
        attributeName: 'location',
        typeNames: ['Building', 'Landmark'],
      },
    ])
  })

  it('answers an empty list for an empty tenant and 400 for bad parameters', async () => {
    const other = await t.send('POST', '/entityOperations/create', {
      body: [{ id: 'urn:x:1', type: 'X' }],
      headers: { 'NGSILD-Tenant': 'empty' },
    })
    expect(other.statusCode).toBe(201)
    const res = await t.send('GET', '/attributes', { headers: { 'NGSILD-Tenant': 'empty' } })
    expect(res.json()).toMatchObject({ attributeList: [] })
    expectProblem(await t.send('GET', '/attributes?details=yes'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/attributes?limit=1'), 400, 'InvalidRequest')
    expectProblem(
      await t.send('GET', '/attributes', { headers: { 'NGSILD-Tenant': 'nowhere' } }),
      404,
      'NonexistentTenant',
    )
  })
})

describe('GET /attributes/{attrId} (§5.7.10)', () => {
  it('gives the Attribute by short name or IRI', async () => {
    const res = await t.send('GET', '/attributes/height')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      id: V('height'),
      attributeCount: 3,
      attributeTypes: ['ListProperty', 'Property'],
      typeNames: ['Building', 'Landmark'],
    })
    const byIri = await t.send('GET', `/attributes/${encodeURIComponent(IRI.location)}`)
    expect(byIri.json()).toMatchObject({ attributeName: 'location', attributeCount: 2 })
  })

  it('answers 404 for an unused name, 400 for an invalid one, 406 before the lookup', async () => {
    // With the user context, height is https://example.org/height, which no entity has.
    expectProblem(
      await t.send('GET', '/attributes/height', { headers: { link: linkTo(USER_CTX) } }),
      404,
      'ResourceNotFound',
    )
    expectProblem(await t.send('GET', '/attributes/nothing'), 404, 'ResourceNotFound')
    expectProblem(await t.send('GET', '/attributes/a%20b'), 400, 'BadRequestData')
    const res = await t.send('GET', '/attributes/nothing', { headers: { accept: 'text/html' } })
    expect(res.statusCode).toBe(406)
  })
})
