/**
 * Context source registrations over HTTP (GS CIM 009 §5.9, §5.10, §6.8, §6.9): register, retrieve,
 * update, delete and query, each with its errors and the 406/415 rules.
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

const USER_CTX = 'https://example.org/csr-context.jsonld'
const resolver: ContextResolver = {
  resolve: (url) =>
    url === USER_CTX
      ? Promise.resolve({
          '@context': {
            Building: 'https://example.org/Building',
            name: 'https://schema.org/name',
            csourceProperty1: 'https://example.org/csourceProperty1',
          },
        })
      : createBundledContextResolver().resolve(url),
}
const link = { link: linkTo(USER_CTX) }

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp({
    contexts: resolver,
    plugin: { registrations: createMemoryRegistrationStore() },
  })
})
afterEach(() => t.close())

function csr(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `urn:ngsi-ld:ContextSourceRegistration:${n}`,
    type: 'ContextSourceRegistration',
    information: [{ entities: [{ type: 'Building' }] }],
    endpoint: 'http://my.csource.org:1026',
    ...extra,
  }
}

async function create(
  body: Record<string, unknown>,
  headers: Record<string, string> = link,
): Promise<void> {
  const res = await t.send('POST', '/csourceRegistrations', { body, headers })
  expect(res.statusCode, res.body).toBe(201)
}

async function query(params: string, headers: Record<string, string> = link): Promise<string[]> {
  const res = await t.send('GET', `/csourceRegistrations?${params}`, { headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ id: string }[]>().map((r) => r.id)
}

describe('POST /csourceRegistrations (Register Context Source, §5.9.2)', () => {
  it('201 with Location and no body; retrieve gives it back with names compacted', async () => {
    const body = csr(1, {
      registrationName: 'buildings',
      information: [
        {
          entities: [{ type: 'Building', id: 'urn:ngsi-ld:Building:1' }],
          propertyNames: ['name'],
          relationshipNames: ['locatedAt'],
        },
      ],
      csourceProperty1: 'aValue',
      location: { type: 'Point', coordinates: [-8.521, 41.2] },
    })
    const res = await t.send('POST', '/csourceRegistrations', { body, headers: link })
    expect(res.statusCode).toBe(201)
    expect(res.body).toBe('')
    expect(res.headers['location']).toBe(
      `${API}/csourceRegistrations/urn:ngsi-ld:ContextSourceRegistration:1`,
    )
    const got = await t.send(
      'GET',
      '/csourceRegistrations/urn:ngsi-ld:ContextSourceRegistration:1',
      {
        headers: link,
      },
    )
    expect(got.statusCode).toBe(200)
    expect(got.headers['content-type']).toBe('application/json')
    expect(got.json()).toEqual(body)
    // Names were expanded with the request's @context: with the core only, they come back as IRIs.
    const core = await t.send(
      'GET',
      '/csourceRegistrations/urn:ngsi-ld:ContextSourceRegistration:1',
    )
    expect(core.json()).toMatchObject({
      information: [
        {
          entities: [{ type: 'https://example.org/Building' }],
          propertyNames: ['https://schema.org/name'],
        },
      ],
      'https://example.org/csourceProperty1': 'aValue',
    })
  })

  it('generates a URN id when none is given; @context may come in an application/ld+json body', async () => {
    const { id: _id, ...noId } = csr(0)
    const res = await t.send('POST', '/csourceRegistrations', {
      body: { ...noId, '@context': USER_CTX },
      headers: { 'content-type': 'application/ld+json' },
    })
    expect(res.statusCode).toBe(201)
    expect(decodeURIComponent(res.headers['location'] as string)).toMatch(
      /\/csourceRegistrations\/urn:ngsi-ld:ContextSourceRegistration:[0-9a-f-]{36}$/,
    )
    const got = await t.send('GET', '/csourceRegistrations?type=Building', {
      headers: { accept: 'application/ld+json', ...link },
    })
    const [only] = got.json<Record<string, unknown>[]>()
    expect(only).toEqual({ ...noId, id: only?.['id'], '@context': USER_CTX })
    expect(only?.['id']).toMatch(/^urn:ngsi-ld:ContextSourceRegistration:/)
  })

  it('AlreadyExists (409) for an id in use', async () => {
    await create(csr(1))
    const res = await t.send('POST', '/csourceRegistrations', { body: csr(1), headers: link })
    expectProblem(res, 409, 'AlreadyExists')
  })

  it.each<[string, Record<string, unknown>]>([
    [
      'no information nor endpoint (033_10_01)',
      { id: 'urn:ngsi-ld:ContextSourceRegistration:9', type: 'ContextSourceRegistration' },
    ],
    ['a wrong type', csr(9, { type: 'building' })],
    ['an id that is not a URI', csr(9, { id: 'not a uri' })],
    ['an empty information array', csr(9, { information: [] })],
    ['a RegistrationInfo with no member', csr(9, { information: [{}] })],
    ['an empty entities array', csr(9, { information: [{ entities: [] }] })],
    ['an EntityInfo without type', csr(9, { information: [{ entities: [{ id: 'urn:a:1' }] }] })],
    [
      'an invalid idPattern',
      csr(9, { information: [{ entities: [{ type: 'B', idPattern: '(' }] }] }),
    ],
    ['an empty propertyNames array', csr(9, { information: [{ propertyNames: [] }] })],
    ['an endpoint that is not a URI', csr(9, { endpoint: 'my csource' })],
    ['expiresAt in the past (033_10_02)', csr(9, { expiresAt: '2020-01-01T00:00:00Z' })],
    ['expiresAt not a DateTime', csr(9, { expiresAt: 'tomorrow' })],
    ['an unknown mode', csr(9, { mode: 'shared' })],
    ['an unknown operation', csr(9, { operations: ['retrieveEntity', 'teleport'] })],
    ['management.timeout ≤ 0', csr(9, { management: { timeout: 0 } })],
    ['an unknown management member', csr(9, { management: { retries: 3 } })],
    ['an invalid location', csr(9, { location: { type: 'Point', coordinates: [1] } })],
    [
      'observationInterval ending before it starts',
      csr(9, {
        observationInterval: { startAt: '2026-02-01T00:00:00Z', endAt: '2026-01-01T00:00:00Z' },
      }),
    ],
    ['refreshRate not a duration', csr(9, { refreshRate: '5 minutes' })],
    ['an invalid scope', csr(9, { scope: 'no-slash' })],
    ['a registration property set to null', csr(9, { csourceProperty1: null })],
    [
      'exclusive mode without an entity id',
      csr(9, {
        mode: 'exclusive',
        information: [{ entities: [{ type: 'Building' }], propertyNames: ['name'] }],
      }),
    ],
    [
      'exclusive mode without attributes',
      csr(9, {
        mode: 'exclusive',
        information: [{ entities: [{ type: 'Building', id: 'urn:b:1' }] }],
      }),
    ],
  ])('BadRequestData for %s, and nothing is stored', async (_label, body) => {
    const res = await t.send('POST', '/csourceRegistrations', { body, headers: link })
    expectProblem(res, 400, 'BadRequestData')
    expect(await query('type=Building')).toEqual([])
  })

  it('accepts every optional member of Table 5.2.9-1', async () => {
    const full = csr(2, {
      registrationName: 'full',
      description: 'all members',
      tenant: 'elsewhere',
      observationInterval: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-06-01T00:00:00Z' },
      managementInterval: { startAt: '2026-01-01T00:00:00Z' },
      observationSpace: { type: 'Point', coordinates: [1, 2] },
      operationSpace: { type: 'Point', coordinates: [1, 2] },
      expiresAt: '2030-01-01T00:00:00Z',
      contextSourceInfo: [{ key: 'Authorization', value: 'Bearer x' }],
      scope: ['/city/north'],
      mode: 'inclusive',
      operations: ['federationOps', 'createEntity'],
      refreshRate: 'PT1H',
      management: { localOnly: true, cacheDuration: 'PT5M', timeout: 2000, cooldown: 500 },
      datasetId: ['urn:ngsi-ld:Dataset:a', '@none'],
      contextSourceAlias: 'alias-1',
      status: 'ok',
      timesSent: 5,
    })
    await create(full)
    const got = await t.send('GET', `/csourceRegistrations/${String(full['id'])}`, {
      headers: link,
    })
    const { status: _s, timesSent: _n, ...expected } = full
    expect(got.json()).toEqual(expected)
  })

  it('InvalidRequest for a body that is not JSON; 415 for another Content-Type', async () => {
    const broken = await t.send('POST', '/csourceRegistrations', { body: '{"id": ' })
    expectProblem(broken, 400, 'InvalidRequest')
    const xml = await t.send('POST', '/csourceRegistrations', {
      body: '<csr/>',
      headers: { 'content-type': 'application/xml' },
    })
    expect(xml.statusCode).toBe(415)
  })

  it('Conflict (409) when an exclusive registration already covers the entity and attribute (§4.3.6.3)', async () => {
    const exclusive = (n: number, mode: string, attr: string) =>
      csr(n, {
        mode,
        information: [
          { entities: [{ type: 'Building', id: 'urn:ngsi-ld:Building:1' }], propertyNames: [attr] },
        ],
      })
    await create(exclusive(1, 'exclusive', 'name'))
    for (const mode of ['exclusive', 'redirect']) {
      const res = await t.send('POST', '/csourceRegistrations', {
        body: exclusive(2, mode, 'name'),
        headers: link,
      })
      expectProblem(res, 409, 'Conflict')
    }
    await create(exclusive(3, 'exclusive', 'height'))
    await create(exclusive(4, 'inclusive', 'name'))
  })

  it('Conflict (409) when a redirect or exclusive registration claims a local entity (§5.9.2.4)', async () => {
    const entity = {
      id: 'urn:ngsi-ld:Building:9',
      type: 'Building',
      name: { type: 'Property', value: 'x' },
    }
    expect((await t.send('POST', '/entities', { body: entity, headers: link })).statusCode).toBe(
      201,
    )
    const claim = (n: number, mode: string, attrs: Record<string, unknown>) =>
      csr(n, {
        mode,
        information: [{ entities: [{ type: 'Building', id: entity.id }], ...attrs }],
      })
    const send = (body: Record<string, unknown>) =>
      t.send('POST', '/csourceRegistrations', { body, headers: link })
    expectProblem(await send(claim(1, 'redirect', {})), 409, 'Conflict')
    expectProblem(await send(claim(2, 'exclusive', { propertyNames: ['name'] })), 409, 'Conflict')
    await create(claim(3, 'exclusive', { propertyNames: ['height'] }))
    await create(claim(4, 'inclusive', {}))
  })

  it('an auxiliary registration offers retrieval operations only (§5.9.2.4)', async () => {
    const aux = (n: number, operations: string[]) => csr(n, { mode: 'auxiliary', operations })
    const res = await t.send('POST', '/csourceRegistrations', {
      body: aux(1, ['updateEntity']),
      headers: link,
    })
    expectProblem(res, 400, 'BadRequestData')
    await create(aux(2, ['retrieveEntity', 'queryEntity']))
  })

  it('creates the tenant; other operations on an unknown tenant are NonexistentTenant', async () => {
    const unknown = await t.send('GET', '/csourceRegistrations?type=Building', {
      headers: { 'NGSILD-Tenant': 'north', ...link },
    })
    expectProblem(unknown, 404, 'NonexistentTenant')
    await create(csr(1), { 'NGSILD-Tenant': 'north', ...link })
    expect(await query('type=Building', { 'NGSILD-Tenant': 'north', ...link })).toEqual([
      'urn:ngsi-ld:ContextSourceRegistration:1',
    ])
    expect(await query('type=Building')).toEqual([])
  })
})

describe('GET /csourceRegistrations/{id} (Retrieve, §5.10.1)', () => {
  it('404 ResourceNotFound for an unknown id, 400 for an id that is not a URI', async () => {
    expectProblem(await t.send('GET', '/csourceRegistrations/urn:x:none'), 404, 'ResourceNotFound')
    expectProblem(await t.send('GET', '/csourceRegistrations/not%20a%20uri'), 400, 'BadRequestData')
  })

  it('406 for application/geo+json (049_02) or anything else unacceptable, before the lookup', async () => {
    for (const accept of ['application/geo+json', 'application/xml']) {
      const res = await t.send('GET', '/csourceRegistrations/urn:x:none', { headers: { accept } })
      expect(res.statusCode).toBe(406)
    }
  })

  it('options=sysAttrs adds createdAt and modifiedAt; other options are InvalidRequest', async () => {
    await create(csr(1))
    const res = await t.send(
      'GET',
      '/csourceRegistrations/urn:ngsi-ld:ContextSourceRegistration:1?options=sysAttrs',
    )
    expect(res.json()).toMatchObject({
      createdAt: '2026-03-01T10:00:00.000Z',
      modifiedAt: '2026-03-01T10:00:00.000Z',
    })
    const bad = await t.send(
      'GET',
      '/csourceRegistrations/urn:ngsi-ld:ContextSourceRegistration:1?options=bogus',
    )
    expectProblem(bad, 400, 'InvalidRequest')
  })
})

describe('PATCH /csourceRegistrations/{id} (Update, §5.9.3)', () => {
  const ID = 'urn:ngsi-ld:ContextSourceRegistration:1'
  it('replaces the members given, keeps the others, updates modifiedAt', async () => {
    await create(csr(1, { registrationName: 'old', csourceProperty1: 'a' }))
    t.tick(60_000)
    const res = await t.send('PATCH', `/csourceRegistrations/${ID}`, {
      body: { registrationName: 'new', csourceProperty1: 'b', endpoint: 'http://other.org:1026' },
      headers: link,
    })
    expect(res.statusCode, res.body).toBe(204)
    expect(res.body).toBe('')
    const got = await t.send('GET', `/csourceRegistrations/${ID}?options=sysAttrs`, {
      headers: link,
    })
    expect(got.json()).toMatchObject({
      registrationName: 'new',
      csourceProperty1: 'b',
      endpoint: 'http://other.org:1026',
      information: [{ entities: [{ type: 'Building' }] }],
      createdAt: '2026-03-01T10:00:00.000Z',
      modifiedAt: '2026-03-01T10:01:00.000Z',
    })
  })

  it('null (or urn:ngsi-ld:null) removes an optional member: never expire (034_05_01)', async () => {
    await create(csr(1, { expiresAt: '2030-01-01T00:00:00Z', description: 'x' }))
    const res = await t.send('PATCH', `/csourceRegistrations/${ID}`, {
      body: { id: ID, expiresAt: null, description: 'urn:ngsi-ld:null' },
    })
    expect(res.statusCode).toBe(204)
    const got = await t.send('GET', `/csourceRegistrations/${ID}`)
    expect(got.json()).not.toHaveProperty('expiresAt')
    expect(got.json()).not.toHaveProperty('description')
  })

  it.each<[string, unknown]>([
    ['a different type (034_02)', { type: 'building' }],
    ['null for a mandatory member', { endpoint: null }],
    ['an empty update', {}],
    ['a different id', { id: 'urn:ngsi-ld:ContextSourceRegistration:2' }],
    ['a past expiresAt', { expiresAt: '2020-01-01T00:00:00Z' }],
    ['an invalid information', { information: [{ entities: [{}] }] }],
  ])('BadRequestData for %s, and nothing changes', async (_label, body) => {
    await create(csr(1))
    const res = await t.send('PATCH', `/csourceRegistrations/${ID}`, { body, headers: link })
    expectProblem(res, 400, 'BadRequestData')
    const got = await t.send('GET', `/csourceRegistrations/${ID}`, { headers: link })
    expect(got.json()).toEqual(csr(1))
  })

  it('404 for an unknown id, 415 for another Content-Type, 405 without an id', async () => {
    const res = await t.send('PATCH', '/csourceRegistrations/urn:x:none', {
      body: { registrationName: 'n' },
    })
    expectProblem(res, 404, 'ResourceNotFound')
    const xml = await t.send('PATCH', `/csourceRegistrations/${ID}`, {
      body: '<x/>',
      headers: { 'content-type': 'text/xml' },
    })
    expect(xml.statusCode).toBe(415)
    const noId = await t.send('PATCH', '/csourceRegistrations', { body: {} })
    expect(noId.statusCode).toBe(405)
    expect(noId.headers['allow']).toBe('GET, POST')
  })
})

describe('DELETE /csourceRegistrations/{id} (Delete, §5.9.4)', () => {
  it('204, then 404; bad id 400', async () => {
    await create(csr(1))
    const res = await t.send(
      'DELETE',
      '/csourceRegistrations/urn:ngsi-ld:ContextSourceRegistration:1',
    )
    expect(res.statusCode).toBe(204)
    const again = await t.send(
      'DELETE',
      '/csourceRegistrations/urn:ngsi-ld:ContextSourceRegistration:1',
    )
    expectProblem(again, 404, 'ResourceNotFound')
    expectProblem(await t.send('DELETE', '/csourceRegistrations/bad%20id'), 400, 'BadRequestData')
  })
})

describe('GET /csourceRegistrations (Query, §5.10.2)', () => {
  beforeEach(async () => {
    await create(csr(1))
    await create(
      csr(2, {
        information: [
          {
            entities: [{ type: 'Building' }],
            propertyNames: ['name', 'subCategory'],
            relationshipNames: ['locatedAt'],
          },
        ],
        location: { type: 'Point', coordinates: [-8.5, 41.2] },
        observationInterval: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-02-01T00:00:00Z' },
      }),
    )
    await create(
      csr(3, {
        information: [{ entities: [{ type: 'Building', id: 'urn:ngsi-ld:Building:1' }] }],
        csourceProperty1: 'aValue',
        csourceProperty2: 'anotherValue',
        managementInterval: { startAt: '2026-03-01T00:00:00Z' },
        scope: '/Madrid/Centro',
      }),
    )
    await create(
      csr(4, {
        information: [{ entities: [{ type: 'Vehicle', idPattern: '^urn:ngsi-ld:Vehicle:A' }] }],
      }),
    )
  })
  const ids = (...n: number[]) => n.map((i) => `urn:ngsi-ld:ContextSourceRegistration:${i}`)

  it.each<[string, number[]]>([
    ['type=Building', [1, 2, 3]],
    ['type=Vehicle', [4]],
    ['type=Building|Vehicle', [1, 2, 3, 4]],
    ['id=urn:ngsi-ld:Building:1,urn:ngsi-ld:Building:2', [1, 2, 3]],
    ['id=urn:ngsi-ld:Building:2&type=Building', [1, 2]],
    ['id=urn:ngsi-ld:Vehicle:A9', [1, 2, 4]],
    ['id=urn:ngsi-ld:Vehicle:B9', [1, 2]],
    ['id=urn:ngsi-ld:Vehicle:B9&type=Vehicle', []],
    ['idPattern=Building:2$&type=Building', [1, 2]],
    ['type=Building&attrs=name', [1, 2, 3]],
    ['type=Building&attrs=height', [1, 3]],
    ['q=csourceProperty1=="aValue"', [3]],
    ['type=Building&scopeQ=/Madrid/%23', [3]],
    ['type=Building&scopeQ=/Berlin', []],
    ['q=csourceProperty1=="other"', []],
    ['csf=csourceProperty2=="anotherValue"', [3]],
    ['georel=near;maxDistance==2000&geometry=Point&coordinates=[-8.5,41.21]', [2]],
    ['georel=near;maxDistance==10&geometry=Point&coordinates=[-8.5,41.21]', []],
    ['timerel=before&timeAt=2026-01-15T00:00:00Z', [2]],
    ['timerel=after&timeAt=2026-02-15T00:00:00Z', []],
    ['timerel=between&timeAt=2025-12-01T00:00:00Z&endTimeAt=2026-01-02T00:00:00Z', [2]],
    ['timeproperty=modifiedAt&timerel=after&timeAt=2026-04-01T00:00:00Z', [3]],
    ['', [1, 2, 3, 4]],
  ])('%s', async (params, expected) => {
    expect((await query(params)).sort()).toEqual(ids(...expected))
  })

  it.each([
    ['id=invalidUri (037_03_01)', 'id=invalidUri'],
    ['q=(invalidQuery (037_03_02)', 'q=(invalidQuery'],
    ['georel=within alone (037_03_03)', 'georel=within'],
    ['timerel=before alone (037_03_04)', 'timerel=before'],
    ['a bad timeproperty', 'timeproperty=foo&timerel=before&timeAt=2026-01-01T00:00:00Z'],
    ['between without endTimeAt', 'timerel=between&timeAt=2026-01-01T00:00:00Z'],
    ['a negative limit', 'limit=-1'],
  ])('BadRequestData for %s', async (_label, params) => {
    expectProblem(await t.send('GET', `/csourceRegistrations?${params}`), 400, 'BadRequestData')
  })

  it('InvalidRequest for an unknown parameter; 406 for GeoJSON', async () => {
    expectProblem(await t.send('GET', '/csourceRegistrations?foo=1'), 400, 'InvalidRequest')
    const geo = await t.send('GET', '/csourceRegistrations', {
      headers: { accept: 'application/geo+json' },
    })
    expect(geo.statusCode).toBe(406)
  })

  it('pages with limit/offset, prev/next links and NGSILD-Results-Count', async () => {
    const first = await t.send('GET', '/csourceRegistrations?type=Building&limit=2&count=true', {
      headers: link,
    })
    expect(first.json<{ id: string }[]>().map((r) => r.id)).toEqual(ids(1, 2))
    expect(first.headers['ngsild-results-count']).toBe('3')
    expect(first.headers['link']).toBe(
      `<${API}/csourceRegistrations?type=Building&count=true&limit=2&offset=2>;rel="next";type="application/json"`,
    )
    const last = await t.send('GET', '/csourceRegistrations?type=Building&limit=2&offset=2', {
      headers: link,
    })
    expect(last.json<{ id: string }[]>().map((r) => r.id)).toEqual(ids(3))
    expect(last.headers['link']).toBe(
      `<${API}/csourceRegistrations?type=Building&limit=2&offset=0>;rel="prev";type="application/json"`,
    )
  })

  it('expired registrations are no longer discovered', async () => {
    await create(csr(5, { expiresAt: '2026-03-01T10:00:30Z' }))
    expect(await query('type=Building')).toContain(ids(5)[0])
    t.tick(60_000)
    expect(await query('type=Building')).not.toContain(ids(5)[0])
  })
})
