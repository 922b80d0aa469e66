/**
 * ETSI GS CIM 014 CommonBehaviours (TP/NGSI-LD/CommonBehaviours/**) re-stated against the built
 * `civitas start`: Accept handling (045, 049), Content-Type (048, 044), Content-Length (046_01),
 * LdContextNotAvailable and invalid remote contexts (043, 556), invalid URL parameters (059),
 * GeoJSON Prefer (636), context-source identity (061) and tenancy (414, 5510).
 */
import { createServer, request as httpRequest } from 'node:http'
import { beforeAll, describe, expect, it } from 'vitest'
import { uniqueUrn } from '../support/broker.js'
import {
  buildingSimple,
  createEntity,
  expectProblem,
  link,
  uniqueTenant,
  vehicleSimple,
  useTestContexts,
} from '../consumption/suite-helpers.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const contexts = useTestContexts(broker)

function subscription(id: string): Record<string, unknown> {
  return {
    id,
    type: 'Subscription',
    entities: [{ type: 'Building' }],
    notification: {
      attributes: ['airQualityLevel'],
      format: 'keyValues',
      endpoint: { uri: 'http://127.0.0.1:9/notify', accept: 'application/json' },
    },
    '@context': [contexts.compound],
  }
}

async function createSubscription(id: string): Promise<void> {
  const r = await broker.request('POST', '/subscriptions', {
    body: subscription(id),
    headers: { 'content-type': 'application/ld+json' },
  })
  expect(r.status, r.text).toBe(201)
}

function temporalVehicle(id: string): Record<string, unknown> {
  return {
    id,
    type: 'Vehicle',
    speed: [
      { type: 'Property', value: 120, observedAt: '2020-08-01T12:03:00Z' },
      { type: 'Property', value: 80, observedAt: '2020-08-01T12:05:00Z' },
      { type: 'Property', value: 100, observedAt: '2020-08-01T12:07:00Z' },
    ],
    '@context': [contexts.compound],
  }
}

function registration(id: string): Record<string, unknown> {
  return {
    id,
    type: 'ContextSourceRegistration',
    information: [{ entities: [{ type: 'Vehicle' }] }],
    endpoint: 'http://127.0.0.1:9/source',
    expiresAt: '2099-01-01T00:00:00Z',
    '@context': [contexts.compound],
  }
}

/** Sends a body with chunked transfer encoding, so the request carries no Content-Length. */
function sendChunked(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const url = new URL(`${broker.api}${path}`)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
    req.write(JSON.stringify({ id: 'urn:ngsi-ld:Building:411-01', type: 'Building' }))
    req.end()
  })
}

async function expectNegotiated(path: string, accept: string, expected: string): Promise<void> {
  const r = await broker.request('GET', path, { headers: { accept } })
  expect(r.status).toBe(200)
  expect(r.headers.get('content-type')?.startsWith(expected)).toBe(true)
}

async function expectInvalidParameter(
  method: string,
  path: string,
  body: unknown,
  extra: string,
): Promise<void> {
  const r = await broker.request(method, `${path}?invalidParameter=invalidValue${extra}`, {
    ...(body !== undefined && { body, headers: { 'content-type': 'application/ld+json' } }),
  })
  expect(r.status, r.text).toBe(400)
  expect((r.body as { type: string }).type).toBe(
    'https://uri.etsi.org/ngsi-ld/errors/InvalidRequest',
  )
}

describe('TP 045_01: GET without Accept assumes application/json', () => {
  it('045_01_01 GET /entities/{id} with Accept */* answers application/json with a Link', async () => {
    const id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
    const r = await broker.request('GET', `/entities/${id}`, {
      headers: { accept: '*/*', link: link(contexts.compound) },
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(r.headers.get('link')).toBeTruthy()
  })

  it('045_01_02 GET /subscriptions/{id} with Accept */* answers application/json with a Link', async () => {
    const id = uniqueUrn('Subscription')
    await createSubscription(id)
    const r = await broker.request('GET', `/subscriptions/${id}`, { headers: { accept: '*/*' } })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(r.headers.get('link')).toBeTruthy()
  })

  it('045_01_03 GET /csourceRegistrations/ with Accept */* answers application/json with a Link', async () => {
    const id = uniqueUrn('ContextSourceRegistration')
    const created = await broker.request('POST', '/csourceRegistrations', {
      body: registration(id),
      headers: { 'content-type': 'application/ld+json' },
    })
    expect(created.status, created.text).toBe(201)
    const r = await broker.request('GET', `/csourceRegistrations/?id=${id}&type=Vehicle`, {
      headers: { accept: '*/*', link: link(contexts.compound) },
    })
    expect(r.status, r.text).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(r.headers.get('link')).toBeTruthy()
  })

  it('045_01_04 GET /temporal/entities with Accept */* answers application/json with a Link', async () => {
    const id = uniqueUrn('Vehicle')
    const created = await broker.request('POST', '/temporal/entities', {
      body: temporalVehicle(id),
      headers: { 'content-type': 'application/ld+json' },
    })
    expect(created.status, created.text).toBe(201)
    const r = await broker.request(
      'GET',
      '/temporal/entities?type=Vehicle&timerel=after&timeAt=2020-08-01T12:05:00Z',
      { headers: { accept: '*/*', link: link(contexts.compound) } },
    )
    expect(r.status, r.text).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(r.headers.get('link')).toBeTruthy()
  })
})

describe('TP 045_02: Accept precedence follows the 6.3.4 list order', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
  })
  it('045_02_01 GET /entities/{id} with Accept "application/ld+json, application/json" answers application/json', () =>
    expectNegotiated(
      `/entities/${id}`,
      'application/ld+json, application/json',
      'application/json',
    ))
  it('045_02_02 GET /entities/{id} with Accept "application/geo+json, application/json" answers application/json', () =>
    expectNegotiated(
      `/entities/${id}`,
      'application/geo+json, application/json',
      'application/json',
    ))
  it('045_02_03 GET /entities/{id} with Accept "application/json;q=0.1, application/ld+json;q=0.9" answers application/ld+json', () =>
    expectNegotiated(
      `/entities/${id}`,
      'application/json;q=0.1, application/ld+json;q=0.9',
      'application/ld+json',
    ))
  it('045_02_04 GET /entities/{id} with Accept "application/ld+json" answers application/ld+json', () =>
    expectNegotiated(`/entities/${id}`, 'application/ld+json', 'application/ld+json'))
})

describe('TP 045_03: an unavailable geo+json beside an available type', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Subscription')
    await createSubscription(id)
  })
  it('045_03_01 GET /subscriptions/{id} with Accept "application/geo+json, application/json" answers application/json', () =>
    expectNegotiated(
      `/subscriptions/${id}`,
      'application/geo+json, application/json',
      'application/json',
    ))
  it('045_03_02 GET /subscriptions/{id} with Accept "application/geo+json;q=0.9, application/ld+json;q=0.1" answers application/ld+json', () =>
    expectNegotiated(
      `/subscriptions/${id}`,
      'application/geo+json;q=0.9, application/ld+json;q=0.1',
      'application/ld+json',
    ))
  it('045_03_03 GET /subscriptions/{id} with Accept "*/*" answers application/json', () =>
    expectNegotiated(`/subscriptions/${id}`, '*/*', 'application/json'))
  it('045_03_04 GET /subscriptions/{id} with Accept "application/json;q=0, application/ld+json" answers application/ld+json', () =>
    expectNegotiated(
      `/subscriptions/${id}`,
      'application/json;q=0, application/ld+json',
      'application/ld+json',
    ))
})

describe('TP 045_04: zero weights and wildcards (RFC 9110 5.3.2)', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
  })
  it('045_04_01 GET /entities/{id} with Accept "application/json;q=0, */*" answers application/ld+json', () =>
    expectNegotiated(`/entities/${id}`, 'application/json;q=0, */*', 'application/ld+json'))
  it('045_04_02 GET /entities/{id} with Accept "application/json;q=0, application/ld+json" answers application/ld+json', () =>
    expectNegotiated(
      `/entities/${id}`,
      'application/json;q=0, application/ld+json',
      'application/ld+json',
    ))
  it('045_04_03 GET /entities/{id} with Accept "*/*;q=0.9, application/ld+json;q=0.8" answers application/json', () =>
    expectNegotiated(`/entities/${id}`, '*/*;q=0.9, application/ld+json;q=0.8', 'application/json'))
  it('045_04_04 GET /entities/{id} with Accept "application/ld+json;q=notanumber" answers application/ld+json', () =>
    expectNegotiated(`/entities/${id}`, 'application/ld+json;q=notanumber', 'application/ld+json'))
})

describe('TP 046_01: a body without Content-Length is a bare 411', () => {
  it('046_01_01 POST /entities/ without Content-Length answers 411 without a body', async () => {
    const r = await sendChunked('POST', '/entities/')
    expect(r.status).toBe(411)
    expect(r.text).toBe('')
  })

  it('046_01_02 PATCH /entities/{id}/attrs/ without Content-Length answers 411 without a body', async () => {
    const r = await sendChunked('PATCH', '/entities/urn:ngsi-ld:Building:411-01/attrs/')
    expect(r.status).toBe(411)
    expect(r.text).toBe('')
  })

  it('046_01_03 PUT /entities/{id} without Content-Length answers 411 without a body', async () => {
    const r = await sendChunked('PUT', '/entities/urn:ngsi-ld:Building:411-01')
    expect(r.status).toBe(411)
    expect(r.text).toBe('')
  })

  it('046_01_04 GET /entities/ is not refused for lacking Content-Length', async () => {
    const r = await broker.request('GET', '/entities/?type=Building')
    expect(r.status).not.toBe(411)
  })

  it('046_01_05 the 411 is decided before an unknown tenant is looked up', async () => {
    const r = await sendChunked('POST', '/entities/', { 'NGSILD-Tenant': 'tp46105nosuchtenant' })
    expect(r.status).toBe(411)
    expect(r.text).toBe('')
  })
})

describe('TP 043_01: an unreachable remote @context is LdContextNotAvailable', () => {
  const missing = () => `${broker.contextBase}/ctx/ngsi-ld-core-context-non-existing.jsonld`

  it('043_01_01 Create Entity with an unreachable @context answers 503 LdContextNotAvailable', async () => {
    const r = await broker.request('POST', '/entities', {
      body: { ...buildingSimple(uniqueUrn('Building')), '@context': [missing()] },
      headers: { 'content-type': 'application/ld+json' },
    })
    expectProblem(r, 503, 'LdContextNotAvailable')
  })

  it('043_01_02 Create Subscription with an unreachable @context answers 503 LdContextNotAvailable', async () => {
    const r = await broker.request('POST', '/subscriptions', {
      body: { ...subscription(uniqueUrn('Subscription')), '@context': [missing()] },
      headers: { 'content-type': 'application/ld+json' },
    })
    expectProblem(r, 503, 'LdContextNotAvailable')
  })

  it('043_01_03 Create Temporal Representation with an unreachable @context answers 503', async () => {
    const r = await broker.request('POST', '/temporal/entities', {
      body: { ...temporalVehicle(uniqueUrn('Bus')), '@context': [missing()] },
      headers: { 'content-type': 'application/ld+json' },
    })
    expectProblem(r, 503, 'LdContextNotAvailable')
  })

  it('043_01_04 Batch Create with unreachable @contexts answers 207 with LdContextNotAvailable per entity', async () => {
    const entities = [uniqueUrn('Building'), uniqueUrn('Building')].map((id) => ({
      ...buildingSimple(id),
      '@context': [missing()],
    }))
    const r = await broker.request('POST', '/entityOperations/create', {
      body: entities,
      headers: { 'content-type': 'application/ld+json' },
    })
    expect(r.status, r.text).toBe(207)
    const errors = (r.body as { errors: { error: { type: string; title: string } }[] }).errors
    for (const i of [0, 1]) {
      expect(errors[i]?.error.type).toBe(
        'https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable',
      )
      expect(errors[i]?.error.title).toBeTruthy()
    }
  })

  it('043_01_05 Create Context Source Registration with an unreachable @context answers 503', async () => {
    const r = await broker.request('POST', '/csourceRegistrations', {
      body: { ...registration(uniqueUrn('ContextSourceRegistration')), '@context': [missing()] },
      headers: { 'content-type': 'application/ld+json' },
    })
    expect(r.status).toBe(503)
  })
})

describe('TP 556_01: a retrieved but invalid remote @context is BadRequestData', () => {
  it('556_01_01 a remote document without an @context member answers 400 BadRequestData', async () => {
    const url = broker.serveContext('/ctx/invalid.jsonld', { note: 'no context member here' })
    const r = await broker.request('POST', '/entities', {
      body: { id: uniqueUrn('Vehicle'), type: 'Vehicle', '@context': url },
      headers: { 'content-type': 'application/ld+json' },
    })
    expect(r.status, r.text).toBe(400)
    expect((r.body as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
    )
  })

  it('556_01_02 a remote document that is not JSON answers 400 BadRequestData and creates nothing', async () => {
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/ld+json')
      res.end('this is { not json')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const address = server.address()
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/broken.jsonld`
    try {
      const id = uniqueUrn('Vehicle')
      const r = await broker.request('POST', '/entities', {
        body: { id, type: 'Vehicle', '@context': url },
        headers: { 'content-type': 'application/ld+json' },
      })
      expect(r.status, r.text).toBe(400)
      expect((r.body as { type: string }).type).toBe(
        'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
      )
      expect((await broker.request('GET', `/entities/${id}`)).status).toBe(404)
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })
})

describe('TP 044: PATCH accepts application/merge-patch+json', () => {
  it('044_01_01 PATCH /entities/{id}/attrs/{attrId} with merge-patch+json answers 204', async () => {
    const id = uniqueUrn('Vehicle')
    await createEntity(broker, vehicleSimple(id), { context: [contexts.compound] })
    const r = await broker.request('PATCH', `/entities/${id}/attrs/brandName`, {
      body: { type: 'Property', value: 'BMW' },
      headers: { 'content-type': 'application/merge-patch+json', link: link(contexts.compound) },
    })
    expect(r.status, r.text).toBe(204)
  })

  it('044_02_01 PATCH /subscriptions/{id} with merge-patch+json answers 204', async () => {
    const id = uniqueUrn('Subscription')
    await createSubscription(id)
    const r = await broker.request('PATCH', `/subscriptions/${id}`, {
      body: { type: 'Subscription', entities: [{ type: 'Vehicle' }] },
      headers: { 'content-type': 'application/merge-patch+json', link: link(contexts.compound) },
    })
    expect(r.status, r.text).toBe(204)
  })
})

describe('TP 049: an Accept nothing can satisfy is 406', () => {
  const xml = { accept: 'application/xml' }
  it('049_01_01 GET /entities/{id} with Accept application/xml answers 406', async () => {
    const r = await broker.request('GET', `/entities/${uniqueUrn('Building')}`, { headers: xml })
    expect(r.status).toBe(406)
  })
  it('049_01_02 GET /subscriptions/{id} with Accept application/xml answers 406', async () => {
    const r = await broker.request('GET', `/subscriptions/${uniqueUrn('Subscription')}`, {
      headers: xml,
    })
    expect(r.status).toBe(406)
  })
  it('049_01_03 GET /csourceRegistrations/ with Accept application/xml answers 406', async () => {
    const r = await broker.request('GET', '/csourceRegistrations/?type=Building', { headers: xml })
    expect(r.status).toBe(406)
  })
  it('049_01_04 GET /csourceSubscriptions/ with Accept application/xml answers 406', async () => {
    const r = await broker.request('GET', '/csourceSubscriptions/', { headers: xml })
    expect(r.status).toBe(406)
  })
  it('049_01_05 GET /temporal/entities with Accept application/xml answers 406', async () => {
    const r = await broker.request(
      'GET',
      '/temporal/entities?type=Vehicle&timerel=after&timeAt=2020-08-01T12:05:00Z',
      { headers: xml },
    )
    expect(r.status).toBe(406)
  })

  const geo = { accept: 'application/geo+json' }
  it('049_02_01 GET /subscriptions/{id} with Accept application/geo+json answers 406', async () => {
    const r = await broker.request('GET', `/subscriptions/${uniqueUrn('Subscription')}`, {
      headers: geo,
    })
    expect(r.status).toBe(406)
  })
  it('049_02_02 GET /temporal/entities with Accept application/geo+json answers 406', async () => {
    const r = await broker.request(
      'GET',
      '/temporal/entities?type=Vehicle&timerel=after&timeAt=2020-08-01T12:05:00Z',
      { headers: geo },
    )
    expect(r.status).toBe(406)
  })
  it('049_02_03 GET /csourceRegistrations with Accept application/geo+json answers 406', async () => {
    const r = await broker.request('GET', '/csourceRegistrations?type=Building', { headers: geo })
    expect(r.status).toBe(406)
  })
})

describe('TP 048_01: an unsupported Content-Type is 415', () => {
  const xml = { 'content-type': 'application/xml' }
  it('048_01_01 PATCH /entities/{id}/attrs/{attrId} with application/xml answers 415', async () => {
    const r = await broker.request('PATCH', `/entities/${uniqueUrn('Vehicle')}/attrs/speed`, {
      body: { brandName: { type: 'Property', value: 'BMW' } },
      headers: xml,
    })
    expect(r.status).toBe(415)
  })
  it('048_01_02 PATCH /subscriptions/{id} with application/xml answers 415', async () => {
    const r = await broker.request('PATCH', `/subscriptions/${uniqueUrn('Subscription')}`, {
      body: { type: 'Subscription' },
      headers: xml,
    })
    expect(r.status).toBe(415)
  })
  it('048_01_03 POST /entities/ with application/xml answers 415', async () => {
    const r = await broker.request('POST', '/entities/', {
      body: buildingSimple(uniqueUrn('Building')),
      headers: xml,
    })
    expect(r.status).toBe(415)
  })
  it('048_01_04 POST /subscriptions/ with application/xml answers 415', async () => {
    const r = await broker.request('POST', '/subscriptions/', {
      body: subscription(uniqueUrn('Subscription')),
      headers: xml,
    })
    expect(r.status).toBe(415)
  })
  it('048_01_05 POST /entityOperations/create with application/xml answers 415', async () => {
    const r = await broker.request('POST', '/entityOperations/create', {
      body: [buildingSimple(uniqueUrn('Building')), buildingSimple(uniqueUrn('Building'))],
      headers: xml,
    })
    expect(r.status).toBe(415)
  })
  it('048_01_06 POST /temporal/entities/ with application/xml answers 415', async () => {
    const r = await broker.request('POST', '/temporal/entities/', {
      body: temporalVehicle(uniqueUrn('Vehicle')),
      headers: xml,
    })
    expect(r.status).toBe(415)
  })
})

describe('TP 059_01: an unknown URL parameter is 400 InvalidRequest', () => {
  it('059_01_01 POST /entities with an unknown parameter answers 400 InvalidRequest', () =>
    expectInvalidParameter('POST', '/entities', buildingSimple(uniqueUrn('Building')), ''))
  it('059_01_02 GET /entities with an unknown parameter answers 400 InvalidRequest', () =>
    expectInvalidParameter('GET', '/entities', undefined, '&type=Building'))
  it('059_01_03 POST /temporal/entities with an unknown parameter answers 400 InvalidRequest', () =>
    expectInvalidParameter('POST', '/temporal/entities', buildingSimple(uniqueUrn('Building')), ''))
  it('059_01_04 GET /temporal/entities with an unknown parameter answers 400 InvalidRequest', () =>
    expectInvalidParameter('GET', '/temporal/entities', undefined, '&type=Building'))
  it('059_01_05 GET /types with an unknown parameter answers 400 InvalidRequest', () =>
    expectInvalidParameter('GET', '/types', undefined, ''))
  it('059_01_06 POST /subscriptions with an unknown parameter answers 400 InvalidRequest', () =>
    expectInvalidParameter('POST', '/subscriptions', subscription(uniqueUrn('Subscription')), ''))
  it('059_01_07 GET /subscriptions with an unknown parameter answers 400 InvalidRequest', () =>
    expectInvalidParameter('GET', '/subscriptions', undefined, ''))
  it('059_01_08 DELETE /entities with an unknown parameter answers 400 InvalidRequest', () =>
    expectInvalidParameter('DELETE', '/entities', undefined, ''))
})

describe('TP 636_01: GeoJSON @context placement and Prefer', () => {
  const tenant = uniqueTenant('geo')
  beforeAll(async () => {
    const r = await broker.request('POST', '/entities', {
      body: {
        id: 'urn:ngsi-ld:Vehicle:geo636',
        type: 'Vehicle',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [8.5, 41.2] } },
      },
      tenant,
    })
    expect(r.status, r.text).toBe(201)
  })

  it('636_01_01 a geo+json query body embeds the @context by default', async () => {
    const r = await broker.request('GET', '/entities?type=Vehicle', {
      headers: { accept: 'application/geo+json' },
      tenant,
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('application/geo+json')
    expect(r.body).toHaveProperty(['@context'])
  })

  it('636_01_02 Prefer: body=json moves the @context to the Link header', async () => {
    const r = await broker.request('GET', '/entities?type=Vehicle', {
      headers: { accept: 'application/geo+json', prefer: 'body=json' },
      tenant,
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('application/geo+json')
    expect(r.body).not.toHaveProperty(['@context'])
    expect(r.headers.get('link')).toBeTruthy()
  })

  it('636_01_03 a 204 carries no Content-Length', async () => {
    const r = await broker.request('DELETE', '/entities/urn:ngsi-ld:Vehicle:geo636', { tenant })
    expect(r.status).toBe(204)
    expect(r.headers.get('content-length')).toBeNull()
  })
})

describe('TP 061_01: Retrieve Context Source Identity', () => {
  const identity = (tenant?: string) =>
    broker.request('GET', '/info/sourceIdentity', {
      headers: { accept: 'application/json' },
      ...(tenant !== undefined && { tenant }),
    })

  it('061_01_01 the identity has type ContextSourceIdentity and a URI id', async () => {
    const r = await identity()
    expect(r.status).toBe(200)
    const body = r.body as { type: string; id: string }
    expect(body.type).toBe('ContextSourceIdentity')
    expect(body.id.startsWith('urn:')).toBe(true)
  })

  it('061_01_02 the identity carries contextSourceAlias, contextSourceUptime and contextSourceTimeAt', async () => {
    const body = (await identity()).body as Record<string, unknown>
    expect(body).toHaveProperty('contextSourceAlias')
    expect(body).toHaveProperty('contextSourceUptime')
    expect(body).toHaveProperty('contextSourceTimeAt')
    expect(body.contextSourceAlias).toBeTruthy()
  })

  it('061_01_03 contextSourceUptime is an ISO 8601 duration', async () => {
    const body = (await identity()).body as { contextSourceUptime: string }
    expect(body.contextSourceUptime).toMatch(
      /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
    )
  })

  it('061_01_04 contextSourceTimeAt is a UTC DateTime', async () => {
    const body = (await identity()).body as { contextSourceTimeAt: string }
    expect(body.contextSourceTimeAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/)
  })

  it('061_01_05 each tenant has its own stable contextSourceAlias', async () => {
    const [a, b] = [uniqueTenant('urnalias-a'), uniqueTenant('urnalias-b')]
    const alias = async (tenant?: string) =>
      ((await identity(tenant)).body as { contextSourceAlias: string }).contextSourceAlias
    const def = await alias()
    const ta = await alias(a)
    const tb = await alias(b)
    expect(ta).not.toBe(def)
    expect(ta).not.toBe(tb)
    expect(await alias(a)).toBe(ta)
  })
})

describe('TP 414_01: tenant isolation', () => {
  const [a, b] = [uniqueTenant('tp414a'), uniqueTenant('tp414b')]
  const entityId = uniqueUrn('Vehicle')
  const speed = (id: string) => ({ id, type: 'Vehicle', speed: { type: 'Property', value: 20 } })

  it('414_01_01 a tenant entity is invisible to the default tenant and the header is echoed', async () => {
    const created = await broker.request('POST', '/entities', {
      body: speed(entityId),
      headers: { link: link(contexts.compound) },
      tenant: a,
    })
    expect(created.status, created.text).toBe(201)
    expect(created.headers.get('ngsild-tenant')).toBe(a)
    const got = await broker.request('GET', `/entities/${entityId}`, {
      headers: { link: link(contexts.compound) },
      tenant: a,
    })
    expect(got.status).toBe(200)
    expect(got.headers.get('ngsild-tenant')).toBe(a)
    const other = await broker.request('GET', `/entities/${entityId}`, {
      headers: { link: link(contexts.compound) },
    })
    expect(other.status).toBe(404)
  })

  it('414_01_02 another existing tenant cannot see the entity', async () => {
    const seeded = await broker.request('POST', '/entities', {
      body: speed(uniqueUrn('Vehicle')),
      headers: { link: link(contexts.compound) },
      tenant: b,
    })
    expect(seeded.status).toBe(201)
    const r = await broker.request('GET', `/entities/${entityId}`, {
      headers: { link: link(contexts.compound) },
      tenant: b,
    })
    expect(r.status).toBe(404)
  })
})

describe('TP 5510_01: multi-tenant behaviour', () => {
  it('5510_01_01 non-create operations on an unknown tenant are NonexistentTenant until a create makes it', async () => {
    const tenant = uniqueTenant('tp5510')
    const before = await broker.request('GET', '/entities?type=Building', { tenant })
    expect(before.status).toBe(404)
    expect((before.body as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/NonexistentTenant',
    )
    expect(before.headers.get('ngsild-tenant')).toBe(tenant)
    const id = uniqueUrn('Vehicle')
    const created = await broker.request('POST', '/entities', {
      body: { id, type: 'Building' },
      tenant,
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('ngsild-tenant')).toBe(tenant)
    const after = await broker.request('GET', '/entities?type=Building', { tenant })
    expect(after.status).toBe(200)
    expect(after.text).not.toContain('NonexistentTenant')
    expect((after.body as { id: string }[]).map((e) => e.id)).toContain(id)
  })

  it('5510_01_02 the default tenant implicitly exists', async () => {
    const r = await broker.request('GET', '/entities?type=Building')
    expect(r.status).toBe(200)
    expect(r.text).not.toContain('NonexistentTenant')
  })
})
