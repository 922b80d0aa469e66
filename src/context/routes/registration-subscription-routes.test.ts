/**
 * Context source registration subscriptions over HTTP (GS CIM 009 §5.11, §6.10, §6.11): create,
 * retrieve, query, update and delete, each with its errors and the 406/415 rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMemoryRegistrationStore } from '../../store/memory/memory-registration-store.js'
import {
  API,
  buildNgsiLdApp,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'
import { createBundledContextResolver, type ContextResolver } from '../jsonld/index.js'

const USER_CTX = 'https://example.org/sub-context.jsonld'
const resolver: ContextResolver = {
  resolve: (url) =>
    url === USER_CTX
      ? Promise.resolve({
          '@context': { Building: 'https://example.org/Building', name: 'https://schema.org/name' },
        })
      : createBundledContextResolver().resolve(url),
}
const link = { link: linkTo(USER_CTX) }
const ID = 'urn:ngsi-ld:Subscription:1'

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp({
    contexts: resolver,
    plugin: { registrations: createMemoryRegistrationStore() },
  })
})
afterEach(() => t.close())

function sub(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ID,
    type: 'Subscription',
    entities: [{ type: 'Building' }],
    watchedAttributes: ['name'],
    notification: {
      endpoint: { uri: 'http://my.endpoint.org/notify', accept: 'application/json' },
    },
    ...extra,
  }
}

async function create(body: Record<string, unknown> = sub()): Promise<void> {
  const res = await t.send('POST', '/csourceSubscriptions', { body, headers: link })
  expect(res.statusCode, res.body).toBe(201)
}

async function get(id = ID): Promise<Record<string, unknown>> {
  const res = await t.send('GET', `/csourceSubscriptions/${id}`, { headers: link })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('POST /csourceSubscriptions (§5.11.2)', () => {
  it('201 + Location; retrieve echoes it with status active and names compacted', async () => {
    const body = sub({
      subscriptionName: 'buildings',
      q: 'name=="x"',
      geoQ: { georel: 'near;maxDistance==100', geometry: 'Point', coordinates: [1, 2] },
      csf: 'brand=="a"',
      temporalQ: { timerel: 'after', timeAt: '2026-01-01T00:00:00Z' },
      throttling: 5,
      expiresAt: '2030-01-01T00:00:00Z',
      notification: {
        attributes: ['name'],
        format: 'keyValues',
        endpoint: {
          uri: 'mqtt://broker.example:1883/topic',
          accept: 'application/ld+json',
          receiverInfo: [{ key: 'X-Auth', value: 'a' }],
        },
      },
    })
    const res = await t.send('POST', '/csourceSubscriptions', { body, headers: link })
    expect(res.statusCode).toBe(201)
    expect(res.body).toBe('')
    expect(res.headers['location']).toBe(`${API}/csourceSubscriptions/${ID}`)
    expect(await get()).toEqual({ ...body, status: 'active' })
    // Expanded with the request's @context: with the core only, the IRIs show.
    const core = await t.send('GET', `/csourceSubscriptions/${ID}`)
    expect(core.json()).toMatchObject({
      entities: [{ type: 'https://example.org/Building' }],
      watchedAttributes: ['https://schema.org/name'],
    })
  })

  it('generates an id; isActive false gives status paused', async () => {
    const { id: _id, ...noId } = sub({ isActive: false })
    const res = await t.send('POST', '/csourceSubscriptions', { body: noId, headers: link })
    expect(res.statusCode).toBe(201)
    const location = decodeURIComponent(res.headers['location'] as string)
    expect(location).toMatch(/\/csourceSubscriptions\/urn:ngsi-ld:Subscription:[0-9a-f-]{36}$/)
    const list = await t.send('GET', '/csourceSubscriptions', { headers: link })
    expect(list.json()).toEqual([{ ...noId, id: location.split('/').at(-1), status: 'paused' }])
  })

  it('AlreadyExists for an id in use', async () => {
    await create()
    const res = await t.send('POST', '/csourceSubscriptions', { body: sub(), headers: link })
    expectProblem(res, 409, 'AlreadyExists')
  })

  it.each<[string, Record<string, unknown>]>([
    ['an empty object', {}],
    ['no type', { ...sub(), type: undefined }],
    ['a wrong type', sub({ type: 'ContextSourceRegistration' })],
    ['no notification', { ...sub(), notification: undefined }],
    [
      'neither entities nor watchedAttributes',
      { ...sub(), entities: undefined, watchedAttributes: undefined },
    ],
    ['an id that is not a URI', sub({ id: 'nope' })],
    ['an entity selector without type', sub({ entities: [{ id: 'urn:a:1' }] })],
    ['empty watchedAttributes', sub({ watchedAttributes: [] })],
    ['timeInterval with watchedAttributes', sub({ timeInterval: 10 })],
    ['throttling ≤ 0', sub({ throttling: 0 })],
    ['an invalid q', sub({ q: '(name==' })],
    ['an invalid geoQ', sub({ geoQ: { georel: 'within', geometry: 'Point' } })],
    [
      'an invalid temporalQ',
      sub({ temporalQ: { timerel: 'during', timeAt: '2026-01-01T00:00:00Z' } }),
    ],
    ['expiresAt in the past', sub({ expiresAt: '2020-01-01T00:00:00Z' })],
    ['isActive not a boolean', sub({ isActive: 'yes' })],
    ['notification without endpoint', sub({ notification: { format: 'normalized' } })],
    [
      'an endpoint uri of another scheme',
      sub({ notification: { endpoint: { uri: 'ftp://x.org/n' } } }),
    ],
    [
      'an unsupported accept',
      sub({ notification: { endpoint: { uri: 'http://x.org/n', accept: 'text/html' } } }),
    ],
    [
      'an unknown format',
      sub({ notification: { format: 'compact', endpoint: { uri: 'http://x.org/n' } } }),
    ],
    ['an unknown member', sub({ colour: 'blue' })],
  ])('BadRequestData for %s, and nothing is stored', async (_label, body) => {
    const res = await t.send('POST', '/csourceSubscriptions', {
      body: JSON.parse(JSON.stringify(body)) as unknown,
      headers: link,
    })
    expectProblem(res, 400, 'BadRequestData')
    expect((await t.send('GET', '/csourceSubscriptions')).json()).toEqual([])
  })

  it('InvalidRequest for a body that is not JSON; 415 for another Content-Type', async () => {
    expectProblem(
      await t.send('POST', '/csourceSubscriptions', { body: '{"type":' }),
      400,
      'InvalidRequest',
    )
    const res = await t.send('POST', '/csourceSubscriptions', {
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.statusCode).toBe(415)
  })
})

describe('GET /csourceSubscriptions[/{id}] (§5.11.4, §5.11.5)', () => {
  it('404 for an unknown id, 400 for a non-URI id, 406 for GeoJSON or XML', async () => {
    expectProblem(await t.send('GET', '/csourceSubscriptions/urn:x:1'), 404, 'ResourceNotFound')
    expectProblem(await t.send('GET', '/csourceSubscriptions/not%20uri'), 400, 'BadRequestData')
    for (const accept of ['application/geo+json', 'application/xml']) {
      const one = await t.send('GET', '/csourceSubscriptions/urn:x:1', { headers: { accept } })
      expect(one.statusCode).toBe(406)
      const all = await t.send('GET', '/csourceSubscriptions', { headers: { accept } })
      expect(all.statusCode).toBe(406)
    }
  })

  it('status expired once expiresAt has passed; sysAttrs on request', async () => {
    await create(sub({ expiresAt: '2026-03-01T10:00:30Z' }))
    t.tick(60_000)
    const res = await t.send('GET', `/csourceSubscriptions/${ID}?options=sysAttrs`, {
      headers: link,
    })
    expect(res.json()).toMatchObject({
      status: 'expired',
      createdAt: '2026-03-01T10:00:00.000Z',
      modifiedAt: '2026-03-01T10:00:00.000Z',
    })
  })

  it('pages with limit/offset, links and count; JSON-LD puts @context in each element', async () => {
    for (const n of [1, 2, 3]) await create(sub({ id: `urn:ngsi-ld:Subscription:${n}` }))
    const page = await t.send('GET', '/csourceSubscriptions?limit=1&offset=1&count=true')
    expect(page.json<{ id: string }[]>().map((s) => s.id)).toEqual(['urn:ngsi-ld:Subscription:2'])
    expect(page.headers['ngsild-results-count']).toBe('3')
    expect(page.headers['link']).toBe(
      `<${API}/csourceSubscriptions?count=true&limit=1&offset=0>;rel="prev";type="application/json", ` +
        `<${API}/csourceSubscriptions?count=true&limit=1&offset=2>;rel="next";type="application/json"`,
    )
    const ld = await t.send('GET', '/csourceSubscriptions', {
      headers: { accept: 'application/ld+json', ...link },
    })
    expect(ld.headers['content-type']).toBe('application/ld+json')
    expect(ld.json<Record<string, unknown>[]>().every((s) => s['@context'] === USER_CTX)).toBe(true)
    expectProblem(await t.send('GET', '/csourceSubscriptions?limit=-1'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/csourceSubscriptions?foo=1'), 400, 'InvalidRequest')
  })
})

describe('PATCH /csourceSubscriptions/{id} (§5.11.3)', () => {
  it('replaces top-level members whole; isActive false pauses, true resumes', async () => {
    await create(sub({ throttling: 5 }))
    t.tick(1000)
    const res = await t.send('PATCH', `/csourceSubscriptions/${ID}`, {
      body: {
        isActive: false,
        throttling: 10,
        notification: { endpoint: { uri: 'http://n.org/x' } },
      },
      headers: link,
    })
    expect(res.statusCode, res.body).toBe(204)
    expect(await get()).toMatchObject({
      status: 'paused',
      throttling: 10,
      notification: { endpoint: { uri: 'http://n.org/x' } },
      watchedAttributes: ['name'],
    })
    await t.send('PATCH', `/csourceSubscriptions/${ID}`, { body: { isActive: true } })
    expect((await get())['status']).toBe('active')
  })

  it.each<[string, unknown]>([
    ['notification without endpoint (029_03)', { notification: { format: 'normalized' } }],
    ['null for a mandatory member (029_04)', { notification: null }],
    ['an empty update', {}],
    ['a different id', { id: 'urn:ngsi-ld:Subscription:2' }],
    ['a past expiresAt (029_11)', { expiresAt: '2020-01-01T00:00:00Z' }],
  ])('BadRequestData for %s, and nothing changes', async (_label, body) => {
    await create()
    const res = await t.send('PATCH', `/csourceSubscriptions/${ID}`, { body, headers: link })
    expectProblem(res, 400, 'BadRequestData')
    expect(await get()).toEqual({ ...sub(), status: 'active' })
  })

  it('null removes an optional member', async () => {
    await create(sub({ throttling: 5 }))
    await t.send('PATCH', `/csourceSubscriptions/${ID}`, { body: { throttling: null } })
    expect(await get()).not.toHaveProperty('throttling')
  })

  it('404 unknown, 415 other Content-Type, 405 without an id', async () => {
    const res = await t.send('PATCH', '/csourceSubscriptions/urn:x:9', { body: { throttling: 1 } })
    expectProblem(res, 404, 'ResourceNotFound')
    const xml = await t.send('PATCH', `/csourceSubscriptions/${ID}`, {
      body: '<x/>',
      headers: { 'content-type': 'application/xml' },
    })
    expect(xml.statusCode).toBe(415)
    expect((await t.send('PATCH', '/csourceSubscriptions', { body: {} })).statusCode).toBe(405)
  })
})

describe('DELETE /csourceSubscriptions/{id} (§5.11.6)', () => {
  it('204, then 404; non-URI id 400', async () => {
    await create()
    expect((await t.send('DELETE', `/csourceSubscriptions/${ID}`)).statusCode).toBe(204)
    expectProblem(await t.send('DELETE', `/csourceSubscriptions/${ID}`), 404, 'ResourceNotFound')
    expectProblem(await t.send('DELETE', '/csourceSubscriptions/a%20b'), 400, 'BadRequestData')
  })
})
