/**
 * ETSI GS CIM 014 — ContextSource / Registration / RegisterContextSource (033_*, 436_03, 5234_01,
 * 5922_01), clause 5.9.2.
 */
import { describe, expect, it } from 'vitest'
import { uniqueUrn } from '../support/broker.js'
import {
  LD,
  building,
  buildingId,
  postLd,
  problem,
  problemOf,
  registration,
  registrationId,
  suiteDiff,
  VOCAB,
  useTestContext,
} from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const retrieve = (id: string, headers: Record<string, string> = {}) =>
  broker.request('GET', `/csourceRegistrations/${id}`, { headers })

/** Creates the registration and compares it retrieved with the suite's ignored members. */
const createdAsGiven = (extra: Record<string, unknown>, hasMode: boolean) => async () => {
  const id = registrationId()
  const body = { ...registration(id, ctx.url), ...extra }
  if (extra['information'] !== undefined) body['information'] = extra['information']
  const r = await postLd(broker, '/csourceRegistrations', body)
  expect(r.status).toBe(201)
  expect(r.headers.get('location') ?? '').toContain(id)
  const got = await retrieve(id, { link: ctx.link, accept: 'application/ld+json' })
  const ignored = ["root\\['status'\\]", ...(hasMode ? [] : ['mode', 'operations'])]
  expect(suiteDiff(body, got.body, ignored)).toEqual([])
}

const typeOfFirst = (body: unknown) =>
  (body as { information: { entities: { type: string }[] }[] }).information[0]!.entities[0]!.type

describe('RegisterContextSource', () => {
  it('033_01_01 creates a registration without mode and operations', createdAsGiven({}, false))
  it(
    '033_01_03 creates a registration with a location',
    createdAsGiven(
      {
        information: [{ entities: [{ type: 'Building' }] }],
        location: { type: 'Point', coordinates: [-8.521, 41.2] },
      },
      false,
    ),
  )
  it(
    '033_01_04 creates a registration with an expiration date',
    createdAsGiven({ expiresAt: '2035-11-29T14:53:15Z' }, false),
  )

  it('033_02_01 a registration with invalid content answers 400 BadRequestData', async () => {
    const body: Record<string, unknown> = {
      ...registration(registrationId(), ctx.url),
      information: null,
    }
    delete body['endpoint']
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('033_03_01 a registration that already exists answers 409', async () => {
    const body = registration(registrationId(), ctx.url)
    expect((await postLd(broker, '/csourceRegistrations', body)).status).toBe(201)
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(409)
    expect((r.body as { title?: string }).title).toBeTruthy()
  })

  const withLink = async (link: boolean) => {
    const id = registrationId()
    const r = await broker.request('POST', '/csourceRegistrations', {
      headers: { 'content-type': 'application/json', ...(link && { link: ctx.link }) },
      body: registration(id, undefined),
    })
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    return id
  }

  it('033_04_01 with application/json, the Link @context is used (retrieved with it)', async () => {
    const id = await withLink(true)
    expect(typeOfFirst((await retrieve(id, { link: ctx.link })).body)).toBe('Vehicle')
  })

  it('033_04_02 with application/json, the Link @context is used (retrieved without it)', async () => {
    const id = await withLink(true)
    expect(typeOfFirst((await retrieve(id)).body)).toBe(`${VOCAB}Vehicle`)
  })

  it('033_05_01 without a Link, the core @context is used (retrieved with the test @context)', async () => {
    const id = await withLink(false)
    expect(typeOfFirst((await retrieve(id, { link: ctx.link })).body)).toBe(
      'ngsi-ld:default-context/Vehicle',
    )
  })

  it('033_05_02 without a Link, the core @context is used (retrieved without one)', async () => {
    const id = await withLink(false)
    expect(typeOfFirst((await retrieve(id)).body)).toBe('Vehicle')
  })

  it('033_06_01 application/json with an @context in the body answers 400', async () => {
    const r = await broker.request('POST', '/csourceRegistrations', {
      headers: { 'content-type': 'application/json' },
      body: registration(registrationId(), ctx.url),
    })
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('033_07_01 application/ld+json takes the body @context (retrieved with it)', async () => {
    const id = registrationId()
    const r = await postLd(broker, '/csourceRegistrations', registration(id, ctx.url))
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    expect(typeOfFirst((await retrieve(id, { link: ctx.link })).body)).toBe('Vehicle')
  })

  it('033_07_02 application/ld+json takes the body @context (retrieved without it)', async () => {
    const id = registrationId()
    const r = await postLd(broker, '/csourceRegistrations', registration(id, ctx.url))
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    expect(typeOfFirst((await retrieve(id)).body)).toBe(`${VOCAB}Vehicle`)
  })

  it('033_08_01 application/ld+json without @context answers 400', async () => {
    const r = await postLd(
      broker,
      '/csourceRegistrations',
      registration(registrationId(), undefined),
    )
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('033_09_01 application/ld+json with a Link header answers 400', async () => {
    const r = await broker.request('POST', '/csourceRegistrations', {
      headers: { ...LD, link: ctx.link },
      body: registration(registrationId(), ctx.url),
    })
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('033_10_01 a body that is not a CSourceRegistration answers 400', async () => {
    const id = registrationId()
    const r = await postLd(broker, '/csourceRegistrations', {
      id,
      type: 'ContextSourceRegistration',
      '@context': [ctx.url],
    })
    expect(r.status).toBe(400)
    if (r.headers.get('location') !== null) expect(r.headers.get('location')).toContain(id)
  })

  it('033_10_02 an expiration date in the past answers 400', async () => {
    const id = registrationId()
    const body = registration(id, ctx.url, { expiresAt: '2020-11-29T14:53:15Z' })
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(400)
    if (r.headers.get('location') !== null) expect(r.headers.get('location')).toContain(id)
  })

  it('033_11 a registration without id gets one, in Location', async () => {
    const body = registration(undefined, ctx.url)
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    const location = r.headers.get('location') ?? ''
    const id = location.slice(location.lastIndexOf('/') + 1)
    expect(id).not.toBe('')
    const got = await retrieve(id, { link: ctx.link, accept: 'application/ld+json' })
    const ignored = ["root\\['@context'\\]", 'mode', 'operations']
    expect(suiteDiff({ ...body, id }, got.body, ignored)).toEqual([])
  })

  const withInfo = (contextSourceInfo: unknown) =>
    broker.request('POST', '/csourceRegistrations', {
      body: {
        id: registrationId(),
        type: 'ContextSourceRegistration',
        endpoint: 'http://peer.example/ngsi-ld/v1',
        information: [{ entities: [{ type: 'Building' }] }],
        contextSourceInfo,
      },
    })

  it('033_12_01 string key/value pairs in contextSourceInfo are accepted', async () => {
    expect((await withInfo([{ key: 'X-Auth-Token', value: 'abc' }])).status).toBe(201)
  })
  it('033_12_02 a numeric value is rejected', async () => {
    expect((await withInfo([{ key: 'X-Custom', value: 123 }])).status).toBe(400)
  })
  it('033_12_03 an array value is rejected', async () => {
    expect((await withInfo([{ key: 'X-Custom', value: ['a'] }])).status).toBe(400)
  })
  it('033_12_04 a pair without value is rejected', async () => {
    expect((await withInfo([{ key: 'X-Custom' }])).status).toBe(400)
  })
  it('033_12_05 a numeric key is rejected', async () => {
    expect((await withInfo([{ key: 5, value: 'v' }])).status).toBe(400)
  })

  /** The suite's vehicle fixtures for 436_03. */
  const vehicleRegistration = (
    mode: string,
    entity: Record<string, unknown>,
    attrs: boolean,
    operations: string[],
  ) => ({
    id: registrationId(),
    type: 'ContextSourceRegistration',
    information: [
      { entities: [{ type: 'Vehicle', ...entity }], ...(attrs && { propertyNames: ['speed'] }) },
    ],
    mode,
    operations,
    endpoint: 'http://127.0.0.1:9/source',
    '@context': [ctx.url],
  })

  it('436_03_01 an exclusive registration without attributes answers 400', async () => {
    const body = vehicleRegistration('exclusive', { id: uniqueUrn('Vehicle') }, false, [
      'redirectionOps',
    ])
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  it('436_03_02 an exclusive registration of a whole entity type answers 400', async () => {
    const body = vehicleRegistration('exclusive', {}, true, ['updateOps'])
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  it('436_03_03 an exclusive registration with an id pattern answers 400', async () => {
    const body = vehicleRegistration('exclusive', { idPattern: 'urn:ngsi-ld:Vehicle:.*' }, true, [
      'updateOps',
    ])
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  it('436_03_04 an exclusive or redirect registration over an exclusive one answers 409', async () => {
    const entity = { id: uniqueUrn('Vehicle') }
    const first = vehicleRegistration('exclusive', entity, true, ['redirectionOps'])
    expect((await postLd(broker, '/csourceRegistrations', first)).status).toBe(201)
    const second = vehicleRegistration('exclusive', entity, true, ['redirectionOps'])
    expect((await postLd(broker, '/csourceRegistrations', second)).status).toBe(409)
    const redirect = { ...second, mode: 'redirect' }
    expect((await postLd(broker, '/csourceRegistrations', redirect)).status).toBe(409)
  })

  it('436_03_05 redirect registrations may overlap each other', async () => {
    const entity = { id: uniqueUrn('Vehicle') }
    const first = vehicleRegistration('redirect', entity, true, ['redirectionOps'])
    expect((await postLd(broker, '/csourceRegistrations', first)).status).toBe(201)
    const second = vehicleRegistration('redirect', entity, true, ['redirectionOps'])
    expect((await postLd(broker, '/csourceRegistrations', second)).status).toBe(201)
  })

  const withManagement = (management: unknown) =>
    broker.request('POST', '/csourceRegistrations', {
      body: {
        id: registrationId(),
        type: 'ContextSourceRegistration',
        endpoint: 'http://peer.example/ngsi-ld/v1',
        information: [{ entities: [{ type: 'Building' }] }],
        management,
      },
    })

  it('5234_01_01 a conformant management object is accepted', async () => {
    const m = { cacheDuration: 'PT5M', cooldown: 500, timeout: 3000, localOnly: true }
    expect((await withManagement(m)).status).toBe(201)
  })
  it('5234_01_02 a management member that is not an object is rejected', async () => {
    expect((await withManagement('yes')).status).toBe(400)
  })
  it('5234_01_03 an invalid cacheDuration is rejected', async () => {
    expect((await withManagement({ cacheDuration: 'bogus' })).status).toBe(400)
  })
  it('5234_01_04 a zero cooldown is rejected', async () => {
    expect((await withManagement({ cooldown: 0 })).status).toBe(400)
  })
  it('5234_01_05 a negative timeout is rejected', async () => {
    expect((await withManagement({ timeout: -5 })).status).toBe(400)
  })
  it('5234_01_06 a localOnly that is not a boolean is rejected', async () => {
    expect((await withManagement({ localOnly: 'yes' })).status).toBe(400)
  })

  it('5922_01_01 an auxiliary registration with write operations answers 400', async () => {
    const body = {
      id: registrationId(),
      type: 'ContextSourceRegistration',
      mode: 'auxiliary',
      operations: ['updateEntity'],
      information: [{ entities: [{ type: 'Building' }] }],
      endpoint: 'http://source.example.com',
      '@context': [ctx.url],
    }
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  const overExisting = (mode: string, attrs: Record<string, unknown>) => async () => {
    const entityId = buildingId()
    expect((await postLd(broker, '/entities', building(entityId, ctx.url))).status).toBe(201)
    const body = {
      id: registrationId(),
      type: 'ContextSourceRegistration',
      mode,
      operations: ['retrieveOps'],
      information: [{ entities: [{ type: 'Building', id: entityId }], ...attrs }],
      endpoint: 'http://source.example.com',
      '@context': [ctx.url],
    }
    const r = await postLd(broker, '/csourceRegistrations', body)
    expect(r.status).toBe(409)
    expect(r.text).toContain('Conflict')
  }

  it(
    '5922_01_02 a redirect registration over an existing entity answers 409 Conflict',
    overExisting('redirect', {}),
  )
  it(
    '5922_01_03 an exclusive registration over an existing attribute answers 409 Conflict',
    overExisting('exclusive', { propertyNames: ['subCategory'] }),
  )
})
