/** ETSI GS CIM 014 — Subscription / CreateSubscription (028_*, 5811_*), clause 5.8.1. */
import { describe, expect, it } from 'vitest'
import {
  LD,
  postLd,
  problem,
  problemOf,
  subscription,
  subscriptionId,
  suiteDiff,
  useTestContext,
} from './fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const retrieve = (id: string) =>
  broker.request('GET', `/subscriptions/${id}`, {
    headers: { accept: 'application/ld+json', link: ctx.link },
  })

describe('CreateSubscription', () => {
  it('028_01_01 creates a subscription and retrieves it as given, with status active', async () => {
    const id = subscriptionId()
    const body = subscription(id, ctx.url, { timeInterval: 5 }, { format: 'keyValues' })
    const created = await postLd(broker, '/subscriptions', body)
    expect(created.status).toBe(201)
    const got = await retrieve(id)
    const ignored = ['jsonldContext', 'timesFailed', 'timesSent', 'notificationTrigger']
    expect(suiteDiff({ ...body, status: 'active' }, got.body, ignored)).toEqual([])
  })

  it('028_02_01 InvalidJson answers 400 InvalidRequest', async () => {
    const text = JSON.stringify(subscription(subscriptionId(), ctx.url)).replace(',', ',,')
    const r = await broker.request('POST', '/subscriptions', { headers: LD, body: text })
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('InvalidRequest'), title: true })
  })

  it('028_02_02 EmptyJson answers 400 BadRequestData', async () => {
    const r = await postLd(broker, '/subscriptions', {})
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  const invalidId = (id: string) => async () => {
    const body = subscription(id, ctx.url, { timeInterval: 5 }, { format: 'keyValues' })
    const r = await postLd(broker, '/subscriptions', body)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  }

  it(
    '028_03_01 a subscription with an invalid or empty id answers 400 BadRequestData',
    invalidId('invalidId'),
  )
  it(
    '028_03_02 a subscription with an invalid or empty id answers 400 BadRequestData',
    invalidId(''),
  )

  it('028_04_01 a subscription with an id known to the system answers 409 AlreadyExists', async () => {
    const id = subscriptionId()
    const body = subscription(id, ctx.url, { timeInterval: 5 }, { format: 'keyValues' })
    expect((await postLd(broker, '/subscriptions', body)).status).toBe(201)
    const r = await postLd(broker, '/subscriptions', body)
    expect(r.status).toBe(409)
    expect(problemOf(r)).toEqual({ type: problem('AlreadyExists'), title: true })
  })

  const invalidThrottling = (extra: Record<string, unknown>) => async () => {
    const body = subscription(subscriptionId(), undefined, extra, { format: 'keyValues' })
    const r = await postLd(broker, '/subscriptions', body)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  }

  it(
    '028_05_01 invalid throttling answers 400 BadRequestData',
    invalidThrottling({ timeInterval: 10, throttling: 30 }),
  )
  it(
    '028_05_02 invalid throttling answers 400 BadRequestData',
    invalidThrottling({ throttling: -30 }),
  )

  it('028_06 creates a subscription with a datasetId and retrieves it with the defaults', async () => {
    const id = subscriptionId()
    const body = {
      id,
      type: 'Subscription',
      entities: [{ type: 'Building' }],
      notification: {
        format: 'normalized',
        endpoint: { uri: 'http://localhost:1111/notify', accept: 'application/ld+json' },
      },
      datasetId: ['urn:ngsi-ld:Dataset:french-name'],
      '@context': [ctx.url],
    }
    expect((await postLd(broker, '/subscriptions', body)).status).toBe(201)
    const got = await retrieve(id)
    const expected = {
      ...body,
      notificationTrigger: ['attributeCreated', 'attributeUpdated'],
      status: 'active',
    }
    expect(suiteDiff(expected, got.body)).toEqual([])
  })

  const invalidJsonldContext =
    (jsonldContext: string, status: number, type: string) => async () => {
      const body = subscription(
        subscriptionId(),
        ctx.url,
        { jsonldContext },
        { format: 'normalized' },
      )
      const r = await postLd(broker, '/subscriptions', body)
      expect(r.status).toBe(status)
      expect(problemOf(r)).toEqual({ type: problem(type), title: true })
    }

  it(
    '028_07_01 a subscription with an invalid or unavailable jsonldContext is refused',
    invalidJsonldContext('unknownContext', 400, 'BadRequestData'),
  )
  it(
    '028_07_02 a subscription with an invalid or unavailable jsonldContext is refused',
    invalidJsonldContext(
      'http://127.0.0.1:9/ngsi-ld-core-context-non-existing.jsonld',
      503,
      'LdContextNotAvailable',
    ),
  )

  const invalidProjection = (notification: Record<string, unknown>) => async () => {
    const body = subscription(subscriptionId(), undefined, {}, notification)
    const r = await broker.request('POST', '/subscriptions', {
      headers: { link: ctx.link },
      body,
    })
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  }

  it(
    '028_08_01 invalid pick / omit / attributes answer 400 BadRequestData',
    invalidProjection({ pick: ['id'], omit: ['id'] }),
  )
  it(
    '028_08_02 invalid pick / omit / attributes answer 400 BadRequestData',
    invalidProjection({ pick: ['name'], attributes: ['name'] }),
  )
  it(
    '028_08_03 invalid pick / omit / attributes answer 400 BadRequestData',
    invalidProjection({ omit: ['name'], attributes: ['name'] }),
  )

  const invalidParams = (notification: Record<string, unknown>) => async () => {
    const body = subscription(subscriptionId(), undefined, {}, notification)
    const r = await broker.request('POST', '/subscriptions', { body })
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  }

  it(
    '028_09_01 NotificationParams restrictions answer 400 BadRequestData',
    invalidParams({ format: 'keyValues', showChanges: true }),
  )
  it(
    '028_09_02 NotificationParams restrictions answer 400 BadRequestData',
    invalidParams({ format: 'simplified', showChanges: true }),
  )
  it(
    '028_09_03 NotificationParams restrictions answer 400 BadRequestData',
    invalidParams({ attributes: [] }),
  )
  it(
    '028_09_04 NotificationParams restrictions answer 400 BadRequestData',
    invalidParams({ pick: [] }),
  )
  it(
    '028_09_05 NotificationParams restrictions answer 400 BadRequestData',
    invalidParams({ omit: [] }),
  )

  it('028_09_06 showChanges with the normalized format is accepted', async () => {
    const body = subscription(
      subscriptionId(),
      undefined,
      {},
      {
        format: 'normalized',
        showChanges: true,
      },
    )
    expect((await broker.request('POST', '/subscriptions', { body })).status).toBe(201)
  })

  const keyValuePairs = (status: number, extra: Record<string, unknown>) => async () => {
    const body = subscription(
      subscriptionId(),
      undefined,
      {},
      {
        endpoint: { uri: 'http://localhost:18099/notify', ...extra },
      },
    )
    expect((await broker.request('POST', '/subscriptions', { body })).status).toBe(status)
  }

  it(
    '028_10_01 KeyValuePairs of the endpoint are Strings (answer 201)',
    keyValuePairs(201, {
      receiverInfo: [{ key: 'Authorization', value: 'Bearer abc' }],
      notifierInfo: [{ key: 'Prefer', value: 'body=json' }],
    }),
  )
  it(
    '028_10_02 KeyValuePairs of the endpoint are Strings (answer 400)',
    keyValuePairs(400, { receiverInfo: [{ key: 'K', value: 42 }] }),
  )
  it(
    '028_10_03 KeyValuePairs of the endpoint are Strings (answer 400)',
    keyValuePairs(400, { notifierInfo: [{ key: 'K', value: { a: 1 } }] }),
  )
  it(
    '028_10_04 KeyValuePairs of the endpoint are Strings (answer 400)',
    keyValuePairs(400, { receiverInfo: [{ key: 'K' }] }),
  )
  it(
    '028_10_05 KeyValuePairs of the endpoint are Strings (answer 400)',
    keyValuePairs(400, { receiverInfo: [{ key: 5, value: 'v' }] }),
  )

  it('5811_01_01 a past expiresAt answers 400 BadRequestData', async () => {
    const body = subscription(subscriptionId(), ctx.url, { expiresAt: '2000-01-01T00:00:00Z' })
    const r = await postLd(broker, '/subscriptions', body)
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  it('5811_01_02 isActive false creates a paused subscription', async () => {
    const id = subscriptionId()
    expect(
      (await postLd(broker, '/subscriptions', subscription(id, ctx.url, { isActive: false })))
        .status,
    ).toBe(201)
    const got = await retrieve(id)
    expect(got.status).toBe(200)
    expect((got.body as { status: string }).status).toBe('paused')
  })

  it('5811_01_03 a subscription without id gets a generated URI in Location', async () => {
    const r = await postLd(broker, '/subscriptions', subscription(undefined, ctx.url))
    expect(r.status).toBe(201)
    const location = r.headers.get('location') ?? ''
    expect(location).toContain('urn:')
    const id = location.slice(location.lastIndexOf('/') + 1)
    expect((await retrieve(id)).status).toBe(200)
  })

  it('5811_02_01 an invalid notificationTrigger answers 400 BadRequestData', async () => {
    const body = subscription(subscriptionId(), ctx.url, { notificationTrigger: ['entityChanged'] })
    const r = await postLd(broker, '/subscriptions', body)
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })

  it('5811_02_02 the six valid notificationTriggers are accepted', async () => {
    const body = subscription(subscriptionId(), ctx.url, {
      notificationTrigger: [
        'entityCreated',
        'entityUpdated',
        'entityDeleted',
        'attributeCreated',
        'attributeUpdated',
        'attributeDeleted',
      ],
    })
    expect((await postLd(broker, '/subscriptions', body)).status).toBe(201)
  })

  it('5811_02_03 an invalid csf answers 400 BadRequestData', async () => {
    const body = subscription(subscriptionId(), ctx.url, { csf: '((' })
    const r = await postLd(broker, '/subscriptions', body)
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
  })
})
