/**
 * ETSI GS CIM 014 — Subscription: UpdateSubscription (029_*), RetrieveSubscription (030_*,
 * 436_09, 436_10), QuerySubscriptions (031_*), DeleteSubscription (032_*); clauses 5.8.2–5.8.5.
 */
import { describe, expect, it } from 'vitest'
import {
  VOCAB,
  postLd,
  problem,
  problemOf,
  sleep,
  suiteDiff,
  subscription,
  subscriptionId,
  without,
  useTestContext,
} from './fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

/** The suite's subscription.jsonld: Buildings every 5 s, keyValues. */
const periodic = (id: string) =>
  subscription(id, ctx.url, { timeInterval: 5 }, { format: 'keyValues' })
/** The suite's subscription-watchedAttributes sample. */
const watching = (id: string) =>
  subscription(id, ctx.url, { watchedAttributes: ['name', 'subCategory'] }, { format: 'keyValues' })
/** The suite's subscription-inactive.jsonld. */
const inactive = (id: string) =>
  subscription(id, ctx.url, { isActive: false }, { format: 'keyValues' })

async function created(body: Record<string, unknown>, tenant?: string): Promise<string> {
  const r = await broker.request('POST', '/subscriptions', {
    headers: { 'content-type': 'application/ld+json' },
    body,
    ...(tenant !== undefined && { tenant }),
  })
  expect(r.status).toBe(201)
  return body['id'] as string
}

const patch = (id: string, body: unknown, link = true) =>
  broker.request('PATCH', `/subscriptions/${id}`, {
    ...(link && { headers: { link: ctx.link } }),
    body,
  })

const statusOf = async (id: string) =>
  ((await broker.request('GET', `/subscriptions/${id}`)).body as { status: string }).status

describe('UpdateSubscription', () => {
  const fragment = {
    type: 'Subscription',
    notification: {
      format: 'keyValues',
      endpoint: { uri: 'http://my.second.endpoint.org/notify', accept: 'application/json' },
    },
  }

  it('029_01_01 PATCH without a subscription id answers 405', async () => {
    const r = await broker.request('PATCH', '/subscriptions/', { body: fragment })
    expect(r.status).toBe(405)
  })

  it('029_01_02 PATCH with an invalid id answers 400 BadRequestData', async () => {
    const r = await broker.request('PATCH', '/subscriptions/InvalidUri', { body: fragment })
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('029_02_01 PATCH of an unknown subscription answers 404 ResourceNotFound', async () => {
    const r = await broker.request('PATCH', '/subscriptions/urn:ngsi-ld:Subscription:unknown', {
      body: fragment,
    })
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  })

  it('029_03_01 PATCH with a fragment that breaks the data types answers 400', async () => {
    const id = await created(periodic(subscriptionId()))
    const r = await patch(id, { type: 'Subscription', timeInterval: 'often' }, false)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('029_04_01 PATCH removing a mandatory member answers 400 BadRequestData', async () => {
    const id = await created(periodic(subscriptionId()))
    const r = await patch(
      id,
      { type: 'Subscription', notification: { format: 'keyValues', endpoint: null } },
      false,
    )
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  const vehicles = {
    type: 'Subscription',
    entities: [{ type: 'Vehicle' }],
    notification: {
      format: 'keyValues',
      endpoint: { uri: 'http://localhost:1111/notify', accept: 'application/json' },
    },
  }
  const ignored = ['@context', 'jsonldContext', 'timesFailed', 'timesSent', 'notificationTrigger']

  it('029_05_01 PATCH expands terms with the Link @context; retrieved with it, they are terms', async () => {
    const id = await created(periodic(subscriptionId()))
    const r = await patch(id, vehicles)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    const got = await broker.request('GET', `/subscriptions/${id}`, { headers: { link: ctx.link } })
    expect(without(got.body, ignored)).toEqual({
      id,
      type: 'Subscription',
      entities: [{ type: 'Vehicle' }],
      timeInterval: 5,
      notification: vehicles.notification,
      status: 'active',
    })
  })

  it('029_05_02 retrieved without the @context, the patched type is an expanded IRI', async () => {
    const id = await created(periodic(subscriptionId()))
    expect((await patch(id, vehicles)).status).toBe(204)
    const got = await broker.request('GET', `/subscriptions/${id}`)
    expect(without(got.body, ignored)).toEqual({
      id,
      type: 'Subscription',
      entities: [{ type: `${VOCAB}Vehicle` }],
      timeInterval: 5,
      notification: vehicles.notification,
      status: 'active',
    })
  })

  it('029_06_01 PATCH modifies the target subscription', async () => {
    const id = subscriptionId()
    const body = periodic(id)
    await created(body)
    const r = await patch(id, fragment)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    const got = await broker.request('GET', `/subscriptions/${id}`, {
      headers: { accept: 'application/ld+json', link: ctx.link },
    })
    const skip = [
      "root\\['status'\\]",
      'jsonldContext',
      'timesFailed',
      'timesSent',
      'notificationTrigger',
    ]
    const expected = { ...body, notification: fragment.notification }
    expect(suiteDiff(expected, got.body, skip)).toEqual([])
  })

  it('029_07_01 isActive true makes a paused subscription active', async () => {
    const id = await created(inactive(subscriptionId()))
    const r = await patch(id, { type: 'Subscription', isActive: true }, false)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect(await statusOf(id)).toBe('active')
  })

  it('029_08_01 isActive true with a future expiresAt makes it active', async () => {
    const id = await created(inactive(subscriptionId()))
    const r = await patch(
      id,
      { type: 'Subscription', isActive: true, expiresAt: '2030-08-01T22:07:00Z' },
      false,
    )
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect(await statusOf(id)).toBe('active')
  })

  it('029_09_01 isActive false pauses an active subscription', async () => {
    const id = await created(periodic(subscriptionId()))
    const r = await patch(id, { type: 'Subscription', isActive: false }, false)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect(await statusOf(id)).toBe('paused')
  })

  it('029_10_01 a future expiresAt re-activates an expired subscription', async () => {
    const id = await created(periodic(subscriptionId()))
    const soon = new Date(Date.now() + 1500).toISOString().replace(/\.\d+Z$/, 'Z')
    await patch(id, { type: 'Subscription', expiresAt: soon }, false)
    await sleep(2500)
    const r = await patch(id, { type: 'Subscription', expiresAt: '2030-08-01T22:07:00Z' }, false)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect(await statusOf(id)).toBe('active')
  })

  it('029_11_01 a past expiresAt answers 400 BadRequestData', async () => {
    const id = await created(periodic(subscriptionId()))
    const r = await patch(id, { type: 'Subscription', expiresAt: '2020-08-01T22:07:00Z' }, false)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })
})

describe('RetrieveSubscription', () => {
  it('030_01_01 an invalid id answers 400 BadRequestData', async () => {
    const r = await broker.request('GET', '/subscriptions/InvalidUri')
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('030_02_01 an unknown subscription answers 404 ResourceNotFound', async () => {
    const r = await broker.request('GET', '/subscriptions/urn:ngsi-ld:Subscription:unknown')
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  })

  it('030_03_01 retrieves a subscription as created', async () => {
    const id = subscriptionId()
    const body = periodic(id)
    await created(body)
    const r = await broker.request('GET', `/subscriptions/${id}`, { headers: { link: ctx.link } })
    expect(r.status).toBe(200)
    const skip = ['@context', 'jsonldContext', 'timesFailed', 'timesSent', 'notificationTrigger']
    expect(without(r.body, skip)).toEqual({
      ...(without(body, ['@context']) as object),
      status: 'active',
    })
  })

  const withAttributes = (id: string) =>
    subscription(id, ctx.url, {}, { attributes: ['airQualityLevel'], format: 'normalized' })

  it('436_10_06 an unrelated preference alone applies no version', async () => {
    const id = await created(withAttributes(subscriptionId()))
    const r = await broker.request('GET', `/subscriptions/${id}`, {
      headers: { prefer: 'respond-async' },
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('preference-applied')).toBeNull()
  })
})

describe('QuerySubscriptions', () => {
  async function threeIn(tenant: string): Promise<string[]> {
    const ids = [subscriptionId(), subscriptionId(), subscriptionId()]
    await created(periodic(ids[0]!), tenant)
    await created(watching(ids[1]!), tenant)
    await created(inactive(ids[2]!), tenant)
    return ids
  }

  it('031_01_01 lists the subscriptions', async () => {
    const tenant = `t${Date.now()}a`
    const [a, b, c] = await threeIn(tenant)
    const r = await broker.request('GET', '/subscriptions', { headers: { link: ctx.link }, tenant })
    expect(r.status).toBe(200)
    const defaults = { notificationTrigger: ['attributeCreated', 'attributeUpdated'] }
    const skip = ['@context', 'jsonldContext', 'timesFailed', 'timesSent', 'notificationTrigger']
    const expected = [
      { ...periodic(a!), status: 'active', ...defaults },
      { ...watching(b!), status: 'active', ...defaults },
      { ...inactive(c!), status: 'paused', ...defaults },
    ]
    const byId = (x: unknown[]) =>
      [...x].sort((p, q) =>
        String((p as { id: string }).id).localeCompare((q as { id: string }).id),
      )
    expect(byId(without(r.body, skip) as unknown[])).toEqual(
      byId(without(expected, skip) as unknown[]),
    )
  })

  const paging =
    (limit: number, offset: number, count: number, prev: string, next: string) => async () => {
      const tenant = `t${Date.now()}${limit}${offset}`
      await threeIn(tenant)
      const r = await broker.request('GET', `/subscriptions?limit=${limit}&offset=${offset}`, {
        headers: { link: ctx.link, accept: 'application/ld+json' },
        tenant,
      })
      expect(r.status).toBe(200)
      const list = r.body as { type: string }[]
      expect(list).toHaveLength(count)
      for (const s of list) expect(s.type).toBe('Subscription')
      const link = r.headers.get('link') ?? ''
      if (prev !== '' && next !== '')
        expect(link.replace(/ /g, '').split(',').sort()).toEqual([prev, next].sort())
      else if (prev !== '') expect(link).toBe(prev)
      else if (next !== '') expect(link).toBe(next)
    }

  it(
    '031_02_01 pages the subscriptions (limit 1, offset 1)',
    paging(
      1,
      1,
      1,
      '</ngsi-ld/v1/subscriptions?limit=1&offset=0>;rel="prev";type="application/ld+json"',
      '</ngsi-ld/v1/subscriptions?limit=1&offset=2>;rel="next";type="application/ld+json"',
    ),
  )
  it(
    '031_02_02 pages the subscriptions (limit 1, offset 2)',
    paging(
      1,
      2,
      1,
      '</ngsi-ld/v1/subscriptions?limit=1&offset=1>;rel="prev";type="application/ld+json"',
      '',
    ),
  )
  it('031_02_03 pages the subscriptions (limit 15, offset 0)', paging(15, 0, 3, '', ''))
})

describe('DeleteSubscription', () => {
  it('032_01_01 DELETE without a subscription id answers 405', async () => {
    expect((await broker.request('DELETE', '/subscriptions/')).status).toBe(405)
  })

  it('032_01_02 DELETE with an invalid id answers 400 BadRequestData', async () => {
    const r = await broker.request('DELETE', '/subscriptions/InvalidUri')
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('032_02_01 DELETE of an unknown subscription answers 404 ResourceNotFound', async () => {
    const r = await broker.request('DELETE', '/subscriptions/urn:ngsi-ld:Subscription:unknown')
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  })

  it('032_03_01 deletes a subscription', async () => {
    const id = await created(periodic(subscriptionId()))
    const r = await broker.request('DELETE', `/subscriptions/${id}`)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect((await broker.request('GET', `/subscriptions/${id}`)).status).toBe(404)
  })
})

void postLd
