/**
 * ETSI GS CIM 014 — ContextSource: UpdateContextSourceRegistration (034_*),
 * DeleteContextSourceRegistration (035_*), RetrieveContextSourceRegistration (036_*),
 * QueryContextSourceRegistrations (037_*, 51024_01); clauses 5.9.3, 5.9.4, 5.10.1, 5.10.2.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { type Reply } from '../support/broker.js'
import {
  LD,
  VOCAB,
  postLd,
  problem,
  problemOf,
  registration,
  registrationId,
  suiteDiff,
  useTestContext,
} from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const BASE = '/csourceRegistrations'
const created = async (body: Record<string, unknown>, tenant?: string): Promise<string> => {
  const r = await broker.request('POST', BASE, {
    headers: LD,
    body,
    ...(tenant !== undefined && { tenant }),
  })
  expect(r.status).toBe(201)
  return body['id'] as string
}
const patch = (id: string, body: unknown, type = 'application/json') =>
  broker.request('PATCH', `${BASE}/${id}`, { headers: { 'content-type': type }, body })

/** The suite's context-source-registration-detailed-information sample. */
const detailed = (id: string) => ({
  id,
  type: 'ContextSourceRegistration',
  information: [
    {
      entities: [{ type: 'Building' }],
      propertyNames: ['name', 'subCategory'],
      relationshipNames: ['locatedAt'],
    },
  ],
  endpoint: 'http://my.csource.org:1026',
  '@context': [ctx.url],
})
const located = (id: string) => ({
  id,
  type: 'ContextSourceRegistration',
  information: [{ entities: [{ type: 'Building' }] }],
  location: { type: 'Point', coordinates: [-8.521, 41.2] },
  endpoint: 'http://my.csource.org:1026',
  '@context': [ctx.url],
})
const withoutContext = (r: Record<string, unknown>) => {
  const { '@context': _c, ...rest } = r
  return rest
}
/** The suite's "List Containing Context Source Registrations" check. */
const sameList = (expected: unknown[], reply: Reply) =>
  expect(
    suiteDiff(expected, reply.body, ["root\\[.*\\]\\['status'\\]", 'mode', 'operations']),
  ).toEqual([])

describe('UpdateContextSourceRegistration', () => {
  it('034_01_01 updates a registration by id', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const r = await patch(id, {
      id,
      type: 'ContextSourceRegistration',
      endpoint: 'http://my.new.csource.org:1026',
    })
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect((await broker.request('GET', `${BASE}/${id}`)).body).toHaveProperty(
      'endpoint',
      'http://my.new.csource.org:1026',
    )
  })

  const differentType = (id: string) => ({
    ...registration(id, ctx.url),
    type: 'building',
    location: {
      type: 'Polygon',
      coordinates: [
        [
          [100.0, 0.0],
          [101.0, 0.0],
          [101.0, 1.0],
          [100.0, 1.0],
          [100.0, 0.0],
        ],
      ],
    },
  })

  it('034_02_01 an id that is not a URI answers 400 BadRequestData', async () => {
    const r = await patch('invalidURI', differentType('invalidURI'), 'application/ld+json')
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  it('034_02_02 a body of another data type answers 400 BadRequestData', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const r = await patch(id, differentType(id), 'application/ld+json')
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  it('034_02_03 removing a mandatory member answers 400 BadRequestData', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const body = { id, type: 'ContextSourceRegistration', information: null, '@context': [ctx.url] }
    const r = await patch(id, body, 'application/ld+json')
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  it('034_03_01 an unknown registration answers 404 ResourceNotFound', async () => {
    const id = registrationId()
    const r = await patch(id, registration(id, ctx.url), 'application/ld+json')
    expect(r.status).toBe(404)
    expect((r.body as { type: string }).type).toBe(problem('ResourceNotFound'))
  })

  it('034_04_01 an invalid JSON body answers 400 InvalidRequest', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const r = await patch(id, '{"endpoint": "http://x",,}')
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('InvalidRequest'), title: true })
  })

  it('034_05_01 expiresAt null makes the registration never expire', async () => {
    const id = await created(
      registration(registrationId(), ctx.url, { expiresAt: '2035-11-29T14:53:15Z' }),
    )
    const r = await patch(id, { id, type: 'ContextSourceRegistration', expiresAt: null })
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect((await broker.request('GET', `${BASE}/${id}`)).body).not.toHaveProperty('expiresAt')
  })

  it('034_06_01 PATCH without an id answers 405', async () => {
    const r = await broker.request('PATCH', `${BASE}/`, {
      headers: LD,
      body: differentType(''),
    })
    expect(r.status).toBe(405)
  })
})

describe('DeleteContextSourceRegistration', () => {
  it('035_01_01 deletes a registration by id', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const r = await broker.request('DELETE', `${BASE}/${id}`)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect(
      (await broker.request('GET', `${BASE}/${id}`, { headers: { link: ctx.link } })).status,
    ).toBe(404)
  })

  it('035_02_01 DELETE without an id answers 405', async () => {
    expect((await broker.request('DELETE', `${BASE}/`)).status).toBe(405)
  })

  it('035_02_02 DELETE with an invalid id answers 400 BadRequestData', async () => {
    const r = await broker.request('DELETE', `${BASE}/invalidURI`)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('035_03_01 DELETE of an unknown registration answers 404', async () => {
    const r = await broker.request('DELETE', `${BASE}/${registrationId()}`)
    expect(r.status).toBe(404)
    expect((r.body as { title?: string }).title).toBeTruthy()
  })
})

describe('RetrieveContextSourceRegistration', () => {
  it('036_01_01 an invalid id answers 400 BadRequestData', async () => {
    const r = await broker.request('GET', `${BASE}/invalidUri`)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('036_02_01 an unknown registration answers 404 ResourceNotFound', async () => {
    const r = await broker.request('GET', `${BASE}/urn:ngsi-ld:ContextSourceRegistration:unknown`)
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  })

  const ignored = ["root\\['@context'\\]", 'mode', 'operations']
  const expanded = (id: string) => {
    const body = withoutContext(registration(id, undefined))
    const v = (t: string) => `${VOCAB}${t}`
    body['information'] = [
      {
        entities: [{ id: 'urn:ngsi-ld:Vehicle:A456', type: v('Vehicle') }],
        propertyNames: [v('brandName'), v('speed')],
        relationshipNames: [v('isParked')],
      },
      {
        entities: [
          { idPattern: '.*downtown$', type: v('OffStreetParking') },
          { idPattern: '.*47$', type: v('OffStreetParking') },
        ],
        propertyNames: [v('availableSpotNumber'), v('totalSpotNumber')],
        relationshipNames: [v('isNextToBuilding')],
      },
    ]
    return body
  }

  it('036_03_01 without a @context, names come back expanded', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const r = await broker.request('GET', `${BASE}/${id}`)
    expect(r.status).toBe(200)
    expect(suiteDiff(expanded(id), r.body, ignored)).toEqual([])
  })

  it('036_04_01 with the Link @context, names come back compacted', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const r = await broker.request('GET', `${BASE}/${id}`, { headers: { link: ctx.link } })
    expect(r.status).toBe(200)
    expect(suiteDiff(withoutContext(registration(id, undefined)), r.body, ignored)).toEqual([])
  })

  it('036_05_01 without a Link, the core @context is used', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const r = await broker.request('GET', `${BASE}/${id}`)
    expect(r.status).toBe(200)
    expect(suiteDiff(expanded(id), r.body, ignored)).toEqual([])
  })

  it('036_05_02 with the creation @context in a Link, names are compacted', async () => {
    const id = await created(registration(registrationId(), ctx.url))
    const r = await broker.request('GET', `${BASE}/${id}`, { headers: { link: ctx.link } })
    expect(r.status).toBe(200)
    expect(suiteDiff(withoutContext(registration(id, undefined)), r.body, ignored)).toEqual([])
  })
})

describe('QueryContextSourceRegistrations', () => {
  let n = 0
  const tenantFor = () => `csr${Date.now().toString(36)}${++n}`
  const query = (tenant: string, params: string, link = true) =>
    broker.request('GET', `${BASE}?${params}`, {
      tenant,
      ...(link && { headers: { link: ctx.link } }),
    })

  const twoIn = async () => {
    const tenant = tenantFor()
    await created(registration(registrationId(), ctx.url), tenant)
    const second = await created(detailed(registrationId()), tenant)
    return { tenant, second }
  }

  it('037_01_01 with a list of entity types', async () => {
    const { tenant, second } = await twoIn()
    const r = await query(tenant, 'type=Building')
    expect(r.status).toBe(200)
    sameList([withoutContext(detailed(second))], r)
  })

  it('037_01_02 with a list of attribute names', async () => {
    const { tenant, second } = await twoIn()
    const r = await query(tenant, 'attrs=name')
    expect(r.status).toBe(200)
    sameList([withoutContext(detailed(second))], r)
  })

  const invalid = (param: string) => async () => {
    const r = await broker.request('GET', `${BASE}?${param}`, { headers: { link: ctx.link } })
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  }
  it('037_03_01 an invalid entity id answers 400', invalid('id=invalidUri'))
  it('037_03_02 an invalid q answers 400', invalid('q=(invalidQuery'))
  it('037_03_03 an invalid geo-query answers 400', invalid('georel=within'))
  it('037_03_04 an invalid temporal query answers 400', invalid('timerel=before'))

  it('037_04_01 without a @context, the query terms are read with the core @context', async () => {
    const tenant = tenantFor()
    const id = await created(detailed(registrationId()), tenant)
    const r = await query(tenant, `id=${id}&type=${encodeURIComponent(`${VOCAB}Building`)}`, false)
    expect(r.status).toBe(200)
    sameList(
      [
        {
          id,
          type: 'ContextSourceRegistration',
          information: [
            {
              entities: [{ type: `${VOCAB}Building` }],
              propertyNames: [`${VOCAB}name`, `${VOCAB}subCategory`],
              relationshipNames: ['locatedAt'],
            },
          ],
          endpoint: 'http://my.csource.org:1026',
        },
      ],
      r,
    )
  })

  it('037_05_01 a registration whose EntityInfo matches type and idPattern', async () => {
    const tenant = tenantFor()
    const id = await created(registration(registrationId(), ctx.url), tenant)
    const r = await query(
      tenant,
      `type=OffStreetParking&idPattern=${encodeURIComponent('.*downtown$')}`,
    )
    expect(r.status).toBe(200)
    sameList([withoutContext(registration(id, undefined))], r)
  })

  it('037_05_02 a registration without EntityInfo matches any entity', async () => {
    const tenant = tenantFor()
    const body = {
      id: registrationId(),
      type: 'ContextSourceRegistration',
      information: [{ propertyNames: ['name', 'subCategory'] }],
      endpoint: 'http://my.csource.org:1026',
      '@context': [ctx.url],
    }
    await created(body, tenant)
    const r = await query(
      tenant,
      `type=OffStreetParking&idPattern=${encodeURIComponent('.*downtown$')}`,
    )
    expect(r.status).toBe(200)
    sameList([withoutContext(body)], r)
  })

  it('037_06_01 with matching property and relationship names', async () => {
    const tenant = tenantFor()
    const id = await created(detailed(registrationId()), tenant)
    const r = await query(tenant, 'type=Building&attrs=name,locatedAt')
    expect(r.status).toBe(200)
    sameList([withoutContext(detailed(id))], r)
  })

  it('037_06_02 without attribute names', async () => {
    const tenant = tenantFor()
    const id = await created(detailed(registrationId()), tenant)
    const r = await query(tenant, 'type=Building')
    expect(r.status).toBe(200)
    sameList([withoutContext(detailed(id))], r)
  })

  it('037_08_01 without a temporal query, registrations of latest information match', async () => {
    const tenant = tenantFor()
    const id = await created(registration(registrationId(), ctx.url), tenant)
    const r = await query(tenant, 'type=Vehicle')
    expect(r.status).toBe(200)
    sameList([withoutContext(registration(id, undefined))], r)
  })

  const intervalled = (member: string) => (id: string) => ({
    id,
    type: 'ContextSourceRegistration',
    information: [{ entities: [{ type: 'Building' }] }],
    [member]: { startAt: '2020-08-01T22:07:00Z', endAt: '2021-08-01T21:07:00Z' },
    endpoint: 'http://my.csource.org:1026',
    '@context': [ctx.url],
  })
  const temporal = (member: string, timeproperty: string) => async () => {
    const tenant = tenantFor()
    const make = intervalled(member)
    const id = await created(make(registrationId()), tenant)
    const tp = timeproperty === '' ? '' : `&timeproperty=${timeproperty}`
    const r = await query(tenant, `type=Building${tp}&timerel=before&timeAt=2021-08-01T22:00:00Z`)
    expect(r.status).toBe(200)
    sameList([withoutContext(make(id))], r)
  }
  it(
    '037_09_01 observationInterval with timeproperty observedAt',
    temporal('observationInterval', 'observedAt'),
  )
  it('037_09_02 observationInterval without timeproperty', temporal('observationInterval', ''))
  it(
    '037_09_03 managementInterval with timeproperty createdAt',
    temporal('managementInterval', 'createdAt'),
  )
  it(
    '037_09_04 managementInterval with timeproperty modifiedAt',
    temporal('managementInterval', 'modifiedAt'),
  )

  it('037_10_02 q matches Context Source Properties', async () => {
    const tenant = tenantFor()
    await created(registration(registrationId(), ctx.url), tenant)
    await created(detailed(registrationId()), tenant)
    const third = {
      id: registrationId(),
      type: 'ContextSourceRegistration',
      information: [{ entities: [{ type: 'Building' }] }],
      endpoint: 'http://my.csource.org:1026',
      csourceProperty1: 'aValue',
      csourceProperty2: 'anotherValue',
      '@context': [ctx.url],
    }
    await created(third, tenant)
    const r = await query(tenant, `q=${encodeURIComponent('csourceProperty1=="aValue"')}`)
    expect(r.status).toBe(200)
    sameList([withoutContext(third)], r)
  })

  it('037_11_03 pages the registrations (limit 15, offset 0)', async () => {
    const tenant = tenantFor()
    await created(registration(registrationId(), ctx.url), tenant)
    await created(located(registrationId()), tenant)
    await created(detailed(registrationId()), tenant)
    const r = await query(tenant, 'type=Building&limit=15&offset=0')
    expect(r.status).toBe(200)
    const list = r.body as { type: string }[]
    expect(list).toHaveLength(2)
    for (const x of list) expect(x.type).toBe('ContextSourceRegistration')
  })

  describe('discovery filters (robot file 51024_01)', () => {
    const tenant = `csf${Date.now().toString(36)}`
    const a = registrationId()
    const b = registrationId()
    beforeAll(async () => {
      await created(
        {
          id: a,
          type: 'ContextSourceRegistration',
          information: [{ entities: [{ type: 'Building' }] }],
          endpoint: 'http://csf-a.example.com',
          scope: '/Madrid/Centro',
          location: { type: 'Point', coordinates: [8.68, 49.41] },
          '@context': [ctx.url],
        },
        tenant,
      )
      await created(
        {
          id: b,
          type: 'ContextSourceRegistration',
          information: [{ entities: [{ type: 'Building' }] }],
          endpoint: 'http://csf-b.example.com',
          scope: '/Berlin',
          '@context': [ctx.url],
        },
        tenant,
      )
    })
    const only = (params: string) => async () => {
      const r = await query(tenant, `type=Building&${params}`)
      expect(r.status).toBe(200)
      expect(r.text).toContain(a)
      expect(r.text).not.toContain(b)
    }
    it(
      '51024_01_01 csf filters on Context Source Properties',
      only(`csf=${encodeURIComponent('endpoint=="http://csf-a.example.com"')}`),
    )
    it(
      '51024_01_02 scopeQ filters on the registration scope',
      only(`scopeQ=${encodeURIComponent('/Madrid/#')}`),
    )
    it(
      '51024_01_03 a geo-query filters on the registration location',
      only(
        `georel=${encodeURIComponent('near;maxDistance==2000')}&geometry=Point&coordinates=${encodeURIComponent('[8.68,49.41]')}`,
      ),
    )
  })
})

void postLd
