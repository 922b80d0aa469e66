/**
 * ETSI GS CIM 014 — ContextSource / RegistrationSubscription: create (038_*), update (039_*),
 * retrieve (040_*), query (041_*) and delete (042_*) context source registration subscriptions;
 * clauses 5.11.2 – 5.11.6.
 */
import { describe, expect, it } from 'vitest'
import { linkTo, type Reply } from '../support/broker.js'
import {
  LD,
  problem,
  problemOf,
  sleep,
  subscriptionId,
  suiteDiff,
  useTestContext,
} from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const BASE = '/csourceSubscriptions'

/** The suite's csourceSubscriptions/subscription.jsonld. */
const csub = (id: string | undefined, extra: Record<string, unknown> = {}) => ({
  ...(id !== undefined && { id }),
  type: 'Subscription',
  entities: [{ type: 'Building' }],
  ...extra,
  notification: {
    format: 'keyValues',
    endpoint: { uri: 'http://localhost:1111/notify', accept: 'application/json' },
  },
  '@context': [ctx.url],
})

const create = (body: unknown, tenant?: string) =>
  broker.request('POST', BASE, { headers: LD, body, ...(tenant !== undefined && { tenant }) })
const created = async (body: Record<string, unknown>, tenant?: string) => {
  const r = await create(body, tenant)
  expect(r.status).toBe(201)
  return body['id'] as string
}
const retrieve = (id: string, headers: Record<string, string> = { accept: 'application/json' }) =>
  broker.request('GET', `${BASE}/${id}`, { headers })

/** The suite's "ProblemDetails Element": type, and a title and detail that differ. */
const problemDetails = (r: Reply, type: string) => {
  const b = r.body as { type?: string; title?: unknown; detail?: unknown }
  expect(b.type).toBe(problem(type))
  expect(typeof b.title === 'string' && b.title !== '').toBe(true)
  expect(typeof b.detail === 'string' && b.detail !== '').toBe(true)
  expect(b.title).not.toBe(b.detail)
}

const IGNORED = [
  "root\\['status'\\]",
  "root\\['lastFailure'\\]",
  "root\\['lastNotification'\\]",
  "root\\['timesFailed'\\]",
  "root\\['timesSent'\\]",
]

describe('CreateContextSourceRegistrationSubscription', () => {
  it('038_01_01 creates a minimal registration subscription', async () => {
    const id = subscriptionId()
    const body = csub(id)
    const r = await create(body)
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    expect(r.headers.get('location') ?? '').toContain(id)
    const got = await retrieve(id, { link: ctx.link, accept: 'application/ld+json' })
    expect(suiteDiff(body, got.body, IGNORED)).toEqual([])
  })

  it('038_03_01 without isActive, it is active', async () => {
    const id = subscriptionId()
    const r = await create(csub(id))
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    expect(r.headers.get('location') ?? '').toContain(id)
    expect((await retrieve(id)).body).toHaveProperty('status', 'active')
  })

  it('038_04_01 with isActive false, it is paused', async () => {
    const id = subscriptionId()
    const r = await create(csub(id, { isActive: false }))
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    expect(r.headers.get('location') ?? '').toContain(id)
    const got = (await retrieve(id)).body as { isActive: boolean; status: string }
    expect(got.isActive).toBe(false)
    expect(got.status).toBe('paused')
  })

  it('038_05_01 with expiresAt, it is expired once due', async () => {
    const id = subscriptionId()
    const expiresAt = new Date(Date.now() + 2000).toISOString().replace(/\.\d+Z$/, 'Z')
    const r = await create(csub(id, { expiresAt }))
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    expect(r.headers.get('location') ?? '').toContain(id)
    await sleep(3000)
    const got = (await retrieve(id)).body as { expiresAt: string; status: string }
    expect(got.expiresAt).toBe(expiresAt)
    expect(got.status).toBe('expired')
  })

  it('038_06_01 without expiresAt, it stays active', async () => {
    const id = subscriptionId()
    const r = await create(csub(id))
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    expect(r.headers.get('location') ?? '').toContain(id)
    await sleep(2000)
    expect((await retrieve(id)).body).toHaveProperty('status', 'active')
  })

  it('038_07_01 an id in use answers 409 AlreadyExists', async () => {
    const id = await created(csub(subscriptionId()))
    const r = await create(csub(id))
    expect(r.status).toBe(409)
    problemDetails(r, 'AlreadyExists')
  })

  const invalid = (body: () => Record<string, unknown>) => async () => {
    const r = await create(body())
    expect(r.status).toBe(400)
    problemDetails(r, 'BadRequestData')
  }
  const withoutNotification = () => {
    const b: Record<string, unknown> = csub(subscriptionId())
    delete b['notification']
    return b
  }
  it('038_08_01 without notification answers 400', invalid(withoutNotification))
  it(
    '038_08_02 with an invalid type answers 400',
    invalid(() => ({ ...csub(subscriptionId()), type: 'NotASubscription' })),
  )
  it(
    '038_08_03 with an invalid query answers 400',
    invalid(() => csub(subscriptionId(), { q: '(invalid' })),
  )
  it(
    '038_08_04 with empty watchedAttributes answers 400',
    invalid(() => csub(subscriptionId(), { watchedAttributes: [] })),
  )

  it('038_09_01 an expiresAt in the past answers 400', async () => {
    const r = await create(csub(subscriptionId(), { expiresAt: '2020-01-01T00:00:00Z' }))
    expect(r.status).toBe(400)
    problemDetails(r, 'BadRequestData')
  })
})

describe('UpdateContextSourceRegistrationSubscription', () => {
  const fragment = {
    type: 'Subscription',
    notification: {
      format: 'normalized',
      endpoint: { uri: 'http://my.second.endpoint.org/notify', accept: 'application/json' },
    },
  }
  const patch = (id: string, body: unknown) =>
    broker.request('PATCH', `${BASE}/${id}`, {
      headers: { 'content-type': 'application/json' },
      body,
    })

  it('039_02_01 an invalid id answers 400', async () => {
    const r = await patch('invalidUri', fragment)
    expect(r.status).toBe(400)
    problemDetails(r, 'BadRequestData')
  })

  it('039_03_01 an unknown registration subscription answers 404', async () => {
    const r = await patch('urn:ngsi-ld:Subscription:unknown', fragment)
    expect(r.status).toBe(404)
    problemDetails(r, 'ResourceNotFound')
  })

  it('039_04_01 a fragment with an invalid type answers 400', async () => {
    const id = await created(csub(subscriptionId()))
    const r = await patch(id, { type: 'NotASubscription' })
    expect(r.status).toBe(400)
    problemDetails(r, 'BadRequestData')
  })

  it('039_04_02 a fragment with an invalid notification answers 400', async () => {
    const id = await created(csub(subscriptionId()))
    const r = await patch(id, { type: 'Subscription', notification: { endpoint: 'not-an-object' } })
    expect(r.status).toBe(400)
    problemDetails(r, 'BadRequestData')
  })
})

describe('RetrieveContextSourceRegistrationSubscription', () => {
  it('040_01_01 retrieves a registration subscription, with the Link @context', async () => {
    const id = subscriptionId()
    const body = csub(id)
    await created(body)
    const r = await retrieve(id, { link: ctx.link, accept: 'application/json' })
    expect(r.status).toBe(200)
    expect(r.headers.get('link')).toBe(linkTo(ctx.url))
    const { '@context': _c, ...expected } = body
    expect(suiteDiff(expected, r.body, [...IGNORED, "root\\['isActive'\\]"])).toEqual([])
  })

  it('040_02_01 an invalid id answers 400 as JSON', async () => {
    const r = await retrieve('invalidUri')
    expect(r.status).toBe(400)
    expect(r.headers.get('content-type')).toBe('application/json')
    problemDetails(r, 'BadRequestData')
  })

  it('040_03_01 an unknown registration subscription answers 404 as JSON', async () => {
    const r = await retrieve('urn:ngsi-ld:Subscription:unknown')
    expect(r.status).toBe(404)
    expect(r.headers.get('content-type')).toBe('application/json')
    problemDetails(r, 'ResourceNotFound')
  })
})

describe('QueryContextSourceRegistrationSubscriptions', () => {
  let n = 0
  const tenantFor = () => `csub${Date.now().toString(36)}${++n}`
  const three = async (tenant: string) => {
    await created(csub(subscriptionId()), tenant)
    await created(csub(subscriptionId(), { watchedAttributes: ['name'] }), tenant)
    await created(
      csub(subscriptionId(), {
        geoQ: { geometry: 'Point', coordinates: [-8.5, 41.2], georel: 'near;maxDistance==2000' },
      }),
      tenant,
    )
  }
  const query = (tenant: string, params = '') =>
    broker.request('GET', `${BASE}${params}`, { headers: { link: ctx.link }, tenant })

  it('041_01_01 lists the registration subscriptions', async () => {
    const tenant = tenantFor()
    const a = await created(csub(subscriptionId()), tenant)
    const b = await created(csub(subscriptionId(), { watchedAttributes: ['name'] }), tenant)
    const r = await query(tenant)
    expect(r.status).toBe(200)
    const strip = (x: Record<string, unknown>) => {
      const { '@context': _c, ...rest } = x
      return { ...rest, status: 'active' }
    }
    const expected = [strip(csub(a)), strip(csub(b, { watchedAttributes: ['name'] }))]
    const ignored = [
      "\\['@context'\\]",
      'jsonldContext',
      'timesFailed',
      'timesSent',
      'notificationTrigger',
    ]
    expect(suiteDiff(expected, r.body, ignored)).toEqual([])
  })

  const limited = (limit: number, count: number) => async () => {
    const tenant = tenantFor()
    await three(tenant)
    const r = await query(tenant, `?limit=${limit}`)
    expect(r.status).toBe(200)
    const list = r.body as { type: string }[]
    expect(list).toHaveLength(count)
    for (const s of list) expect(s.type).toBe('Subscription')
  }
  it('041_02_01 limit 1 gives one', limited(1, 1))
  it('041_02_02 limit 2 gives two', limited(2, 2))
  it('041_02_03 limit 15 gives all three', limited(15, 3))

  const paged =
    (limit: number, offset: number, count: number, prev: string, next: string) => async () => {
      const tenant = tenantFor()
      await three(tenant)
      const r = await query(tenant, `?limit=${limit}&offset=${offset}`)
      expect(r.status).toBe(200)
      expect(r.body as unknown[]).toHaveLength(count)
      const link = r.headers.get('link') ?? ''
      if (prev !== '' && next !== '')
        expect(link.replace(/ /g, '').split(',').sort()).toEqual([prev, next].sort())
      else if (prev !== '') expect(link).toBe(prev)
      else if (next !== '') expect(link).toBe(next)
    }
  it('041_03_03 one page holds all', paged(15, 0, 3, '', ''))

  const invalidPage = (limit: number, offset: number) => async () => {
    const r = await broker.request('GET', `${BASE}?limit=${limit}&offset=${offset}`)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  }
  it('041_04_01 an invalid limit answers 400', invalidPage(-5, 2))
  it('041_04_02 an invalid offset answers 400', invalidPage(2, -3))
  it('041_04_03 an invalid limit and offset answer 400', invalidPage(0, -1))
})

describe('DeleteContextSourceRegistrationSubscription', () => {
  it('042_01_01 deletes a registration subscription', async () => {
    const id = await created(csub(subscriptionId()))
    const r = await broker.request('DELETE', `${BASE}/${id}`)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect((await retrieve(id, { link: ctx.link })).status).toBe(404)
  })

  it('042_02_01 an invalid id answers 400', async () => {
    const r = await broker.request('DELETE', `${BASE}/invalidUri`)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('042_03_01 an unknown registration subscription answers 404', async () => {
    const r = await broker.request('DELETE', `${BASE}/urn:ngsi-ld:Subscription:unknown`)
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  })
})
