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
