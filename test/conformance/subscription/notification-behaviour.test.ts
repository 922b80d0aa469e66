/**
 * ETSI GS CIM 014 — Subscription / SubscriptionNotificationBehaviour (046_01 – 046_17), clause
 * 5.8.6: notifications to a real HTTP receiver on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest'
import { startReceiver, type Receiver } from '../../helpers/notification-receiver.js'
import { linkTo, uniqueUrn } from '../support/broker.js'
import {
  CORE_URL,
  LD,
  VOCAB,
  airQualityFragment,
  building,
  buildingId,
  postLd,
  sleep,
  subscriptionId,
  useTestContext,
} from './fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

interface Scenario {
  rx: Receiver
  entityId: string
  subId: string
  /** Unpinned subscriptions get a tenant of their own: the tests run concurrently. */
  tenant: string | undefined
}

/**
 * The suite's usual set-up: an entity (unless `entityFirst` is false), then a subscription with
 * the receiver as endpoint and the entity id in entities[0] (unless `pinId` is false).
 */
async function scenario(
  sub: Record<string, unknown>,
  opts: { entityFirst?: boolean; pinId?: boolean } = {},
): Promise<Scenario> {
  const rx = await startReceiver()
  const entityId = buildingId()
  const subId = subscriptionId()
  const tenant = opts.pinId === false ? `t${subId.slice(-10)}` : undefined
  if (opts.entityFirst !== false)
    expect((await createIn(tenant, building(entityId, ctx.url))).status).toBe(201)
  const body = structuredClone(sub) as {
    entities?: Record<string, unknown>[]
    notification: { endpoint: { uri: string } }
  } & Record<string, unknown>
  body['id'] = subId
  body.notification.endpoint.uri = `${rx.url}/notify`
  if (opts.pinId !== false && body.entities?.[0]) body.entities[0]['id'] = entityId
  const created = await broker.request('POST', '/subscriptions', {
    headers: LD,
    body,
    ...(tenant !== undefined && { tenant }),
  })
  expect(created.status).toBe(201)
  return { rx, entityId, subId, tenant }
}

const createIn = (tenant: string | undefined, entity: unknown) =>
  broker.request('POST', '/entities', {
    headers: LD,
    body: entity,
    ...(tenant !== undefined && { tenant }),
  })

const update = (id: string, tenant?: string) =>
  broker.request('PATCH', `/entities/${id}/attrs/`, {
    headers: LD,
    body: airQualityFragment(ctx.url),
    ...(tenant !== undefined && { tenant }),
  })

const sub = (
  extra: Record<string, unknown>,
  notification: Record<string, unknown> = {},
  context?: string,
): Record<string, unknown> => ({
  type: 'Subscription',
  entities: [{ type: 'Building' }],
  ...extra,
  notification: {
    ...notification,
    endpoint: {
      uri: 'http://x/notify',
      accept: 'application/json',
      ...(notification['endpoint'] as object),
    },
  },
  '@context': [context ?? ctx.url],
})

type Data = Record<string, { value?: unknown } & Record<string, unknown>> & { id?: string }
const dataOf = (body: Record<string, unknown>) => (body['data'] as Data[])[0]!

/** The scenario's next notification (5 s at most) carries its entity as `update` left it. */
async function expectUpdateNotified(s: Scenario): Promise<void> {
  const n = await s.rx.next(5000)
  expect(n.body['subscriptionId']).toBe(s.subId)
  const data = dataOf(n.body)
  expect(data.id).toBe(s.entityId)
  expect(data['airQualityLevel']!.value).toBe(5)
  expect(data['name']!.value).toBe('Eiffel Tower')
  await s.rx.close()
}

describe.concurrent('SubscriptionNotificationBehaviour', () => {
  it('046_01_01 an active subscription notifies on an attribute change', async () => {
    const s = await scenario(sub({ isActive: true }, { format: 'normalized' }))
    await update(s.entityId)
    const n = await s.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(s.subId)
    expect(dataOf(n.body).id).toBe(s.entityId)
    expect(dataOf(n.body)['airQualityLevel']!.value).toBe(5)
    await s.rx.close()
  })

  it('046_02_01 a timeInterval subscription notifies periodically', async () => {
    const s = await scenario(sub({ timeInterval: 2 }))
    await s.rx.next(15_000)
    const n = await s.rx.next(15_000)
    expect(n.body['subscriptionId']).toBe(s.subId)
    const data = dataOf(n.body)
    expect(data.id).toBe(s.entityId)
    expect(data['airQualityLevel']!.value).toBe(4)
    expect(data['name']!.value).toBe('Eiffel Tower')
    await s.rx.close()
  }, 40_000)

  it('046_03_01 without q or geoQ, the notification carries the subscribed entity', async () => {
    const s = await scenario({
      type: 'Subscription',
      entities: [{ type: 'Building' }],
      notification: { endpoint: { uri: 'http://x/notify' } },
      '@context': [ctx.url],
    })
    await update(s.entityId)
    await expectUpdateNotified(s)
  })

  it('046_04_01 a change of a watched attribute notifies with the entity', async () => {
    // The suite leaves entities[0] without an id here: every Building is subscribed.
    const s = await scenario(sub({ isActive: true, watchedAttributes: ['airQualityLevel'] }), {
      pinId: false,
    })
    await update(s.entityId, s.tenant)
    await expectUpdateNotified(s)
  })

  it('046_05_01 a watched change of an entity matching q notifies', async () => {
    const s = await scenario(
      sub({ isActive: true, watchedAttributes: ['airQualityLevel'], q: 'name=="Eiffel%20Tower"' }),
    )
    await update(s.entityId)
    await expectUpdateNotified(s)
  })

  it('046_06_01 entityCreated notifies when a matching entity is created', async () => {
    const rx = await startReceiver()
    const subId = subscriptionId()
    const body = sub({ notificationTrigger: ['entityCreated'] })
    body['id'] = subId
    ;(body['notification'] as { endpoint: { uri: string } }).endpoint.uri = `${rx.url}/notify`
    // A tenant of its own: the other cases create Buildings concurrently.
    const tenant = `t${subId.slice(-10)}`
    const created = await broker.request('POST', '/subscriptions', { headers: LD, body, tenant })
    expect(created.status).toBe(201)
    const entityId = buildingId()
    const entity = {
      ...building(entityId, ctx.url),
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [13.3986, 52.5547] } },
    }
    expect((await createIn(tenant, entity)).status).toBe(201)
    const n = await rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(subId)
    expect(dataOf(n.body).id).toBe(entityId)
    await rx.close()
  })

  it('046_07_01 a notification is a Notification with subscriptionId and notifiedAt', async () => {
    const s = await scenario(sub({ isActive: true }, { format: 'normalized' }))
    await update(s.entityId)
    const n = await s.rx.next()
    expect(n.body['type']).toBe('Notification')
    expect(n.body['subscriptionId']).toBe(s.subId)
    expect(Number.isNaN(Date.parse(String(n.body['notifiedAt'])))).toBe(false)
    await s.rx.close()
  })

  it('046_07_02 only the notification.attributes are included', async () => {
    const s = await scenario(
      sub({ isActive: true }, { attributes: ['airQualityLevel'], format: 'normalized' }),
    )
    await update(s.entityId)
    const n = await s.rx.next()
    expect(n.body['type']).toBe('Notification')
    expect(n.body['subscriptionId']).toBe(s.subId)
    expect(Number.isNaN(Date.parse(String(n.body['notifiedAt'])))).toBe(false)
    expect(dataOf(n.body)).not.toHaveProperty('name')
    expect(dataOf(n.body)).toHaveProperty('airQualityLevel')
    await s.rx.close()
  })

  it('046_07_03 with the core @context only, attribute names stay expanded', async () => {
    const s = await scenario({
      type: 'Subscription',
      isActive: true,
      entities: [{ type: `${VOCAB}Building` }],
      notification: {
        attributes: [`${VOCAB}airQualityLevel`],
        endpoint: { uri: 'http://x/notify', accept: 'application/json' },
      },
      '@context': [CORE_URL],
    })
    await update(s.entityId)
    const n = await s.rx.next()
    expect(n.body['type']).toBe('Notification')
    expect(n.body['subscriptionId']).toBe(s.subId)
    expect(Number.isNaN(Date.parse(String(n.body['notifiedAt'])))).toBe(false)
    expect(dataOf(n.body)).toHaveProperty([`${VOCAB}airQualityLevel`])
    await s.rx.close()
  })

  it('046_08_01 without notification.attributes, all attributes are included', async () => {
    const s = await scenario(sub({ isActive: true }, { format: 'normalized' }))
    await update(s.entityId)
    const n = await s.rx.next(5000)
    expect(n.body['subscriptionId']).toBe(s.subId)
    const data = dataOf(n.body)
    expect(data.id).toBe(s.entityId)
    expect(data['name']!.value).toBe('Eiffel Tower')
    for (const a of ['almostFull', 'airQualityLevel', 'subCategory']) expect(data).toHaveProperty(a)
    await s.rx.close()
  })

  it('046_08_02 the keyValues format notifies simplified entities', async () => {
    const s = await scenario(sub({ isActive: true }, { format: 'keyValues' }))
    await update(s.entityId)
    const n = await s.rx.next(5000)
    expect(n.body['subscriptionId']).toBe(s.subId)
    const data = dataOf(n.body) as Record<string, unknown>
    expect(data['id']).toBe(s.entityId)
    expect(data['name']).toBe('Eiffel Tower')
    await s.rx.close()
  })

  it('046_09_01 endpoint.receiverInfo is sent as headers to endpoint.uri', async () => {
    const s = await scenario(
      sub(
        {},
        {
          format: 'normalized',
          endpoint: { receiverInfo: [{ key: 'X-Additional-Key', value: 'Value' }] },
        },
      ),
    )
    await update(s.entityId)
    const n = await s.rx.next(10_000)
    expect(n.headers).toHaveProperty('x-additional-key')
    await s.rx.close()
  })

  it('046_10_01 the notification is JSON by default, with the @context in a Link header', async () => {
    const s = await scenario({
      type: 'Subscription',
      entities: [{ type: 'Building' }],
      notification: { endpoint: { uri: 'http://x/notify' } },
      '@context': [ctx.url],
    })
    await update(s.entityId)
    const n = await s.rx.next(10_000)
    expect(n.headers['link']).toBe(linkTo(ctx.url))
    expect(dataOf(n.body)).not.toHaveProperty('@context')
    await s.rx.close()
  })

  it('046_11_01 timesSent is increased by one', async () => {
    const s = await scenario(sub({ isActive: true }, { format: 'normalized' }))
    await update(s.entityId)
    await s.rx.next(10_000)
    const r = await broker.request('GET', `/subscriptions/${s.subId}`, {
      headers: { accept: 'application/ld+json', link: ctx.link },
    })
    expect((r.body as { notification: { timesSent: number } }).notification.timesSent).toBe(1)
    await s.rx.close()
  })

  it('046_12_01 status, lastNotification and lastSuccess are updated', async () => {
    const s = await scenario(sub({ isActive: true }, { format: 'normalized' }))
    await update(s.entityId)
    await s.rx.next(10_000)
    // The status is recorded once the receiver's answer is back, a moment after it got the
    // notification: poll rather than wait a fixed time (a loaded machine took longer than 200 ms).
    let n: Record<string, unknown> = {}
    for (let i = 0; i < 50 && n['lastSuccess'] === undefined; i++) {
      await sleep(100)
      const r = await broker.request('GET', `/subscriptions/${s.subId}`, {
        headers: { accept: 'application/ld+json', link: ctx.link },
      })
      n = (r.body as { notification: Record<string, unknown> }).notification
    }
    expect(n['status']).toBe('ok')
    expect(Number.isNaN(Date.parse(String(n['lastNotification'])))).toBe(false)
    expect(Number.isNaN(Date.parse(String(n['lastSuccess'])))).toBe(false)
    await s.rx.close()
  })

  it('046_13_01 a failed notification sets status failed and lastFailure', async () => {
    const subId = subscriptionId()
    const body = sub({ isActive: true }, { format: 'normalized' })
    body['id'] = subId
    ;(body['notification'] as { endpoint: { uri: string } }).endpoint.uri =
      'http://localhost:1111/notify'
    expect((await postLd(broker, '/subscriptions', body)).status).toBe(201)
    const entityId = buildingId()
    expect((await postLd(broker, '/entities', building(entityId, ctx.url))).status).toBe(201)
    await update(entityId)
    let n: Record<string, unknown> = {}
    for (let i = 0; i < 50 && n['status'] !== 'failed'; i++) {
      await sleep(200)
      const r = await broker.request('GET', `/subscriptions/${subId}`, {
        headers: { accept: 'application/ld+json', link: ctx.link },
      })
      n = (r.body as { notification: Record<string, unknown> }).notification
    }
    expect(n['status']).toBe('failed')
    expect(Number.isNaN(Date.parse(String(n['lastFailure'])))).toBe(false)
  })

  it('046_14_01 endpoint.accept ld+json notifies JSON-LD without a Link header', async () => {
    const s = await scenario(sub({}, { endpoint: { accept: 'application/ld+json' } }))
    await update(s.entityId)
    const n = await s.rx.next(10_000)
    expect(n.headers).not.toHaveProperty('link')
    expect(dataOf(n.body)).toHaveProperty('@context')
    await s.rx.close()
  })

  it('046_15_01 no notification is sent before the throttling has elapsed', async () => {
    const s = await scenario(sub({ throttling: 15 }, { format: 'keyValues' }))
    await update(s.entityId)
    await s.rx.next(10_000)
    await update(s.entityId)
    await expect(s.rx.next(5000)).rejects.toThrow(/no notification/)
    await s.rx.close()
  })

  const typeSelection = () =>
    sub({ notificationTrigger: ['entityCreated'] }, { endpoint: { accept: undefined } })

  it('046_16_01 an entity matching the type selection notifies', async () => {
    const s = await scenario(
      { ...typeSelection(), entities: [{ type: '(Building|Tower)' }] },
      { entityFirst: false, pinId: false },
    )
    const entityId = buildingId()
    await createIn(s.tenant, building(entityId, ctx.url))
    const n = await s.rx.next(5000)
    expect(n.body['subscriptionId']).toBe(s.subId)
    expect(dataOf(n.body).id).toBe(entityId)
    await s.rx.close()
  })

  it('046_16_02 an entity not matching the type selection does not notify', async () => {
    const s = await scenario(
      { ...typeSelection(), entities: [{ type: '(Building|Tower)' }] },
      { entityFirst: false, pinId: false },
    )
    await createIn(s.tenant, {
      id: uniqueUrn('Vehicle'),
      type: 'Vehicle',
      brandName: { type: 'Property', value: 'Mercedes' },
      '@context': [ctx.url],
    })
    await expect(s.rx.next(5000)).rejects.toThrow(/no notification/)
    await s.rx.close()
  })

  it('046_17_01 sysAttrs true includes createdAt and modifiedAt', async () => {
    const s = await scenario(sub({}, { sysAttrs: true }))
    await update(s.entityId)
    const n = await s.rx.next(10_000)
    expect(dataOf(n.body)).toHaveProperty('createdAt')
    expect(dataOf(n.body)).toHaveProperty('modifiedAt')
    await s.rx.close()
  })
})
