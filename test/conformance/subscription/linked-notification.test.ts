/**
 * ETSI GS CIM 014 — Subscription / SubscriptionNotificationBehaviour 046_23 – 046_30 (clause
 * 4.5.23, notification.join / joinLevel: linked entities in notifications, flat or inline, with
 * sysAttrs, simplified or projected).
 */
import { describe, expect, it } from 'vitest'
import { startReceiver } from '../../helpers/notification-receiver.js'
import { uniqueUrn, type Reply } from '../support/broker.js'
import { LD, buildingId, subscriptionId, suiteDiff, useTestContext } from './fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const prop = (value: unknown) => ({ type: 'Property', value })
const rel = (object: string) => ({ type: 'Relationship', object })

/** The suite's city-minimal and city-simple-attributes samples. */
const cityMinimal = (id: string) => ({ id, type: 'City' })
const citySimple = (id: string) => ({
  id,
  type: 'City',
  name: prop('Paris'),
  description: prop('Paris is the capital and largest city of France'),
  isInCountry: rel('urn:ngsi-ld:Country:France'),
})

/** citySimple in the simplified (keyValues) representation. */
const citySimplified = (id: string) => ({
  id,
  type: 'City',
  description: 'Paris is the capital and largest city of France',
  name: 'Paris',
  isInCountry: 'urn:ngsi-ld:Country:France',
})

/**
 * The suite's set-up: a Building (building-relationship: locatedAt the City), the City, then a
 * subscription on every Building with `notification`; then the Building gets a name
 * (name-fragment) and the first notification is returned with the ids used. A tenant per test:
 * the subscriptions select every Building.
 */
async function nameUpdateNotified(
  city: (id: string) => Record<string, unknown>,
  notification: Record<string, unknown>,
) {
  const rx = await startReceiver()
  const buildingUrn = buildingId()
  const cityUrn = uniqueUrn('City')
  const subId = subscriptionId()
  const tenant = `t${subId.slice(-10)}`
  const send = (method: string, path: string, body: unknown): Promise<Reply> =>
    broker.request(method, path, { headers: LD, body, tenant })
  const withContext = (body: Record<string, unknown>) => ({ ...body, '@context': [ctx.url] })
  const building = { id: buildingUrn, type: 'Building', locatedAt: rel(cityUrn) }
  expect((await send('POST', '/entities', withContext(building))).status).toBe(201)
  expect((await send('POST', '/entities', withContext(city(cityUrn)))).status).toBe(201)
  const sub = {
    id: subId,
    type: 'Subscription',
    entities: [{ type: 'Building' }],
    notification: { endpoint: { uri: `${rx.url}/notify` }, ...notification },
  }
  expect((await send('POST', '/subscriptions', withContext(sub))).status).toBe(201)
  const fragment = withContext({ name: prop('Tour Eiffel') })
  expect((await send('PATCH', `/entities/${buildingUrn}/attrs/`, fragment)).status).toBe(204)
  try {
    const n = await rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(subId)
    return { data: n.body['data'], buildingUrn, cityUrn }
  } finally {
    await rx.close()
  }
}

const sys = { createdAt: 'date', modifiedAt: 'date' }

describe.concurrent('SubscriptionNotificationBehaviour (join)', () => {
  it('046_23_01 a notification carries the linked entity in flat representation', async () => {
    const r = await nameUpdateNotified(cityMinimal, { join: 'flat', joinLevel: 1 })
    const expected = [
      {
        id: r.buildingUrn,
        type: 'Building',
        name: prop('Tour Eiffel'),
        locatedAt: rel(r.cityUrn),
      },
      { id: r.cityUrn, type: 'City' },
    ]
    expect(suiteDiff(expected, r.data)).toEqual([])
  })

  it('046_24_01 flat linked entity with sysAttrs', async () => {
    const r = await nameUpdateNotified(cityMinimal, { join: 'flat', joinLevel: 1, sysAttrs: true })
    const expected = [
      {
        id: r.buildingUrn,
        type: 'Building',
        ...sys,
        name: { ...prop('Tour Eiffel'), ...sys },
        locatedAt: { ...rel(r.cityUrn), ...sys },
      },
      { id: r.cityUrn, type: 'City', ...sys },
    ]
    expect(suiteDiff(expected, r.data)).toEqual([])
  })

  it('046_25_01 flat linked entity in simplified format', async () => {
    const r = await nameUpdateNotified(citySimple, {
      join: 'flat',
      joinLevel: 1,
      format: 'simplified',
    })
    const expected = [
      { id: r.buildingUrn, type: 'Building', name: 'Tour Eiffel', locatedAt: r.cityUrn },
      citySimplified(r.cityUrn),
    ]
    expect(suiteDiff(expected, r.data)).toEqual([])
  })

  it('046_26_01 flat linked entity with selected attributes', async () => {
    const r = await nameUpdateNotified(citySimple, {
      join: 'flat',
      joinLevel: 1,
      attributes: ['locatedAt'],
    })
    const expected = [
      { id: r.buildingUrn, type: 'Building', locatedAt: rel(r.cityUrn) },
      { ...citySimple(r.cityUrn) },
    ]
    expect(suiteDiff(expected, r.data)).toEqual([])
  })

  it('046_27_01 a notification carries the linked entity inline', async () => {
    const r = await nameUpdateNotified(cityMinimal, { join: 'inline', joinLevel: 1 })
    const expected = [
      {
        id: r.buildingUrn,
        type: 'Building',
        name: prop('Tour Eiffel'),
        locatedAt: { ...rel(r.cityUrn), entity: { id: r.cityUrn, type: 'City' } },
      },
    ]
    expect(suiteDiff(expected, r.data)).toEqual([])
  })

  it('046_28_01 inline linked entity with sysAttrs', async () => {
    const r = await nameUpdateNotified(cityMinimal, {
      join: 'inline',
      joinLevel: 1,
      sysAttrs: true,
    })
    const expected = [
      {
        id: r.buildingUrn,
        type: 'Building',
        ...sys,
        name: { ...prop('Tour Eiffel'), ...sys },
        locatedAt: {
          ...rel(r.cityUrn),
          ...sys,
          entity: { id: r.cityUrn, type: 'City', ...sys },
        },
      },
    ]
    expect(suiteDiff(expected, r.data)).toEqual([])
  })

  it('046_29_01 inline linked entity in simplified format', async () => {
    const r = await nameUpdateNotified(citySimple, {
      join: 'inline',
      joinLevel: 1,
      format: 'simplified',
    })
    const expected = [
      {
        id: r.buildingUrn,
        type: 'Building',
        name: 'Tour Eiffel',
        locatedAt: citySimplified(r.cityUrn),
      },
    ]
    expect(suiteDiff(expected, r.data)).toEqual([])
  })

  it('046_30_01 inline linked entity with selected attributes', async () => {
    const r = await nameUpdateNotified(citySimple, {
      join: 'inline',
      joinLevel: 1,
      attributes: ['locatedAt'],
    })
    const expected = [
      {
        id: r.buildingUrn,
        type: 'Building',
        locatedAt: { ...rel(r.cityUrn), entity: citySimple(r.cityUrn) },
      },
    ]
    expect(suiteDiff(expected, r.data)).toEqual([])
  })
})
