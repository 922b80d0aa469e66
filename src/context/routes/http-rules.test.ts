/**
 * Cross-cutting HTTP rules of GS CIM 009 §6.3 on the mounted plugin: media types, @context
 * sources, tenants, URL parameters, trailing slashes, 405.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  building,
  buildNgsiLdApp,
  CORE,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'

const ID = 'urn:ngsi-ld:Building:1'
let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp()
})
afterEach(() => t.close())

describe('Content-Type of requests (§6.3.4)', () => {
  it.each([
    ['POST', '/entities'],
    ['POST', `/entities/${ID}/attrs`],
    ['PATCH', `/entities/${ID}/attrs`],
    ['PATCH', `/entities/${ID}/attrs/name`],
    ['POST', '/entityOperations/query'],
  ] as const)(
    '%s %s with an unsupported type is 415 with no body, before any lookup',
    async (method, path) => {
      const res = await t.send(method, path, {
        body: '<a/>',
        headers: { 'content-type': 'application/xml' },
      })
      expect(res.statusCode).toBe(415)
      expect(res.body).toBe('')
    },
  )

  it('rejects merge-patch on POST (it is for PATCH only)', async () => {
    const res = await t.send('POST', '/entities', {
      body: building(),
      headers: { 'content-type': 'application/merge-patch+json' },
    })
    expect(res.statusCode).toBe(415)
  })

  it('accepts an empty DELETE labelled application/json', async () => {
    await t.send('POST', '/entities', { body: building() })
    const res = await t.send('DELETE', `/entities/${ID}/attrs/name`, {
      body: '',
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    })
    expect(res.statusCode).toBe(204)
  })

  it('accepts a charset parameter', async () => {
    const res = await t.send('POST', '/entities', {
      body: building(),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    expect(res.statusCode).toBe(201)
  })

  it('application/ld+json needs @context in the body and no Link header', async () => {
    const ld = { 'content-type': 'application/ld+json' }
    expectProblem(
      await t.send('POST', '/entities', { body: building(), headers: ld }),
      400,
      'BadRequestData',
    )
    const both = await t.send('POST', '/entities', {
      body: { ...building(), '@context': CORE },
      headers: { ...ld, link: linkTo(CORE) },
    })
    expectProblem(both, 400, 'BadRequestData')
  })

  it('application/json must not carry @context in the body', async () => {
    expectProblem(
      await t.send('POST', '/entities', { body: { ...building(), '@context': CORE } }),
      400,
      'BadRequestData',
    )
  })

  it('rejects a malformed Link header with BadRequestData', async () => {
    expectProblem(
      await t.send('GET', '/types', { headers: { link: 'not a link' } }),
      400,
      'BadRequestData',
    )
  })
})

describe('Accept negotiation (§6.3.6)', () => {
  beforeEach(async () => {
    await t.send('POST', '/entities', { body: building() })
  })

  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/*', 'application/json'],
    ['application/ld+json', 'application/ld+json'],
    ['application/json;q=0.5, application/ld+json', 'application/ld+json'],
    ['text/html, application/geo+json;q=0.8', 'application/geo+json'],
  ])('Accept %s → %s', async (accept, type) => {
    const res = await t.send(
      'GET',
      `/entities/${ID}`,
      accept === undefined ? {} : { headers: { accept } },
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe(type)
  })

  it('answers 406 before looking anything up (unknown entity + application/xml)', async () => {
    const res = await t.send('GET', '/entities/urn:ngsi-ld:Building:unknown', {
      headers: { accept: 'application/xml' },
    })
    expectProblem(res, 406, 'https://civitas.city/problems/NotAcceptable')
  })

  it('offers application/geo+json only on retrieve and query entities', async () => {
    expect(
      (await t.send('GET', '/types', { headers: { accept: 'application/geo+json' } })).statusCode,
    ).toBe(406)
  })
})

describe('NGSILD-Tenant (§4.14)', () => {
  const city = { 'NGSILD-Tenant': 'city' }

  it('creates the tenant on create, echoes the header, and keeps tenants apart', async () => {
    const res = await t.send('POST', '/entities', { body: building(), headers: city })
    expect(res.statusCode).toBe(201)
    expect(res.headers['ngsild-tenant']).toBe('city')
    expect((await t.send('GET', `/entities/${ID}`, { headers: city })).statusCode).toBe(200)
    expectProblem(await t.send('GET', `/entities/${ID}`), 404, 'ResourceNotFound')
    expect(t.events[0]?.tenant).toBe('city')
  })

  it('answers 404 NonexistentTenant for reads, updates and deletes on an unknown tenant', async () => {
    const other = { 'NGSILD-Tenant': 'nowhere' }
    const res = await t.send('GET', `/entities/${ID}`, { headers: other })
    expectProblem(res, 404, 'NonexistentTenant')
    expect(res.headers['ngsild-tenant']).toBe('nowhere')
    expectProblem(
      await t.send('GET', '/entities?type=Building', { headers: other }),
      404,
      'NonexistentTenant',
    )
    expectProblem(
      await t.send('DELETE', `/entities/${ID}`, { headers: other }),
      404,
      'NonexistentTenant',
    )
    expectProblem(
      await t.send('PATCH', `/entities/${ID}/attrs`, { body: { a: 1 }, headers: other }),
      404,
      'NonexistentTenant',
    )
    expect(await t.store.tenants.exists('nowhere')).toBe(false)
  })

  it('uses the default tenant without the header and does not echo it', async () => {
    const res = await t.send('POST', '/entities', { body: building() })
    expect(res.headers['ngsild-tenant']).toBeUndefined()
    expect(await t.store.get('default', ID)).toBeDefined()
  })
})

describe.each([false, true])(
  'paths and methods with ignoreTrailingSlash=%s (§6.3.2)',
  (ignoreTrailingSlash) => {
    let app: NgsiLdTestApp
    beforeEach(async () => {
      app = await buildNgsiLdApp({ ignoreTrailingSlash })
    })
    afterEach(() => app.close())

    it('accepts routes with a trailing slash, 405 on attrs/ and 400 for an empty entity id', async () => {
      expect((await app.send('POST', '/entities/', { body: building() })).statusCode).toBe(201)
      expect((await app.send('GET', `/entities/${ID}/`)).statusCode).toBe(200)
      expect((await app.send('GET', '/entities/?type=Building')).statusCode).toBe(200)
      expect((await app.send('DELETE', `/entities/${ID}/attrs/`)).statusCode).toBe(405)
      expectProblem(await app.send('DELETE', '/entities/'), 400, 'BadRequestData')
      expect((await app.send('PUT', '/types/')).headers['allow']).toBe('GET')
    })
  },
)

describe('URL parameters, paths and methods (§6.3.2)', () => {
  it.each([
    ['POST', '/entities?invalidParam=1'],
    ['GET', '/entities?type=Building&invalidParam=1'],
    ['GET', '/types?invalidParam=1'],
    ['GET', `/entities/${ID}?invalidParam=1`],
  ] as const)('%s %s is 400 InvalidRequest', async (method, path) => {
    expectProblem(
      await t.send(method, path, method === 'POST' ? { body: building() } : {}),
      400,
      'InvalidRequest',
    )
  })

  it('accepts every route with a trailing slash', async () => {
    expect((await t.send('POST', '/entities/', { body: building() })).statusCode).toBe(201)
    expect((await t.send('GET', `/entities/${ID}/`)).statusCode).toBe(200)
    expect((await t.send('POST', `/entities/${ID}/attrs/`, { body: { a: 1 } })).statusCode).toBe(
      204,
    )
    expect((await t.send('GET', '/entities/?type=Building')).statusCode).toBe(200)
    expect((await t.send('GET', '/types/')).statusCode).toBe(200)
  })

  it('answers 405 with Allow for methods a path lacks', async () => {
    const res = await t.send('PUT', '/types')
    expectProblem(res, 405, 'https://civitas.city/problems/MethodNotAllowed')
    expect(res.headers['allow']).toBe('GET')
    expect((await t.send('PATCH', '/entities')).headers['allow']).toBe('GET, POST, DELETE')
  })

  it('answers 400 for an empty entity id', async () => {
    expectProblem(await t.send('DELETE', '/entities/'), 400, 'BadRequestData')
    expectProblem(
      await t.send('PATCH', '/entities//attrs', { body: { a: 1 } }),
      400,
      'BadRequestData',
    )
  })

  it('answers unknown paths under the prefix with a ResourceNotFound problem', async () => {
    expectProblem(await t.send('GET', '/nothing-here'), 404, 'ResourceNotFound')
  })
})
