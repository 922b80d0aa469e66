/**
 * Subscriptions that read linked entities, end to end inside one process: notification.join
 * (§4.5.23: inline / flat, joinLevel, formats, projection) and q terms over linked entities
 * (§4.9, `isConnectedTo{batteryLevel}<0.5`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startReceiver, type Receiver } from '../../../test/helpers/notification-receiver.js'
import {
  buildSubscriptionApp,
  type SubscriptionTestApp,
} from '../../../test/helpers/subscription-app.js'

let t: SubscriptionTestApp
let rx: Receiver
beforeEach(async () => {
  t = await buildSubscriptionApp()
  rx = await startReceiver()
})
afterEach(async () => {
  await t.close()
  await rx.close()
})

const SUB_ID = 'urn:ngsi-ld:Subscription:1'

async function subscribe(
  extra: Record<string, unknown>,
  notification: Record<string, unknown> = {},
  type = 'Building',
) {
  const res = await t.send('POST', '/subscriptions', {
    body: {
      id: SUB_ID,
      type: 'Subscription',
      entities: [{ type }],
      ...extra,
      notification: { endpoint: { uri: `${rx.url}/notify` }, ...notification },
    },
  })
  expect(res.statusCode, res.body).toBe(201)
}

async function create(body: Record<string, unknown>) {
  const res = await t.send('POST', '/entities', { body })
  expect(res.statusCode, res.body).toBe(201)
}

const rel = (object: string) => ({ type: 'Relationship', object })
const prop = (value: unknown) => ({ type: 'Property', value })

async function cityAndBuilding() {
  await create({ id: 'urn:ngsi-ld:Country:FR', type: 'Country', name: prop('France') })
  await create({
    id: 'urn:ngsi-ld:City:Paris',
    type: 'City',
    name: prop('Paris'),
    isInCountry: rel('urn:ngsi-ld:Country:FR'),
  })
  await create({
    id: 'urn:ngsi-ld:Building:1',
    type: 'Building',
    locatedAt: rel('urn:ngsi-ld:City:Paris'),
    owner: rel('urn:ngsi-ld:Person:unknown'),
  })
}

async function rename(name: string) {
  const res = await t.send('PATCH', '/entities/urn:ngsi-ld:Building:1/attrs', {
    body: { name: prop(name) },
  })
  expect(res.statusCode, res.body).toBe(204)
}

const data = async () => (await rx.next()).body['data'] as Record<string, unknown>[]

describe('notification.join', () => {
  it('flat appends each linked entity once after the notified ones', async () => {
    await cityAndBuilding()
    await subscribe({}, { join: 'flat', joinLevel: 1 })
    await rename('Tour')
    expect(await data()).toEqual([
      {
        id: 'urn:ngsi-ld:Building:1',
        type: 'Building',
        name: prop('Tour'),
        locatedAt: rel('urn:ngsi-ld:City:Paris'),
        owner: rel('urn:ngsi-ld:Person:unknown'),
      },
      {
        id: 'urn:ngsi-ld:City:Paris',
        type: 'City',
        name: prop('Paris'),
        isInCountry: rel('urn:ngsi-ld:Country:FR'),
      },
    ])
  })

  it('inline with joinLevel 2 nests the entities two hops away', async () => {
    await cityAndBuilding()
    await subscribe({}, { join: 'inline', joinLevel: 2, attributes: ['locatedAt'] })
    await rename('Tour')
    expect(await data()).toEqual([
      {
        id: 'urn:ngsi-ld:Building:1',
        type: 'Building',
        locatedAt: {
          ...rel('urn:ngsi-ld:City:Paris'),
          entity: {
            id: 'urn:ngsi-ld:City:Paris',
            type: 'City',
            name: prop('Paris'),
            isInCountry: {
              ...rel('urn:ngsi-ld:Country:FR'),
              entity: { id: 'urn:ngsi-ld:Country:FR', type: 'Country', name: prop('France') },
            },
          },
        },
      },
    ])
  })

  it('inline simplified replaces the object by the linked entity', async () => {
    await cityAndBuilding()
    await subscribe({}, { join: 'inline', format: 'keyValues', attributes: ['locatedAt'] })
    await rename('Tour')
    expect(await data()).toEqual([
      {
        id: 'urn:ngsi-ld:Building:1',
        type: 'Building',
        locatedAt: {
          id: 'urn:ngsi-ld:City:Paris',
          type: 'City',
          name: 'Paris',
          isInCountry: 'urn:ngsi-ld:Country:FR',
        },
      },
    ])
  })

  it('is echoed on retrieval; bad values are BadRequestData', async () => {
    await subscribe({}, { join: 'inline', joinLevel: 2 })
    const got = await t.send('GET', `/subscriptions/${SUB_ID}`)
    expect((JSON.parse(got.body) as { notification: unknown }).notification).toMatchObject({
      join: 'inline',
      joinLevel: 2,
    })
    for (const bad of [{ join: 'deep' }, { join: 'flat', joinLevel: 0 }, { joinLevel: 2 }]) {
      const res = await t.send('POST', '/subscriptions', {
        body: {
          type: 'Subscription',
          entities: [{ type: 'Building' }],
          notification: { endpoint: { uri: `${rx.url}/notify` }, ...bad },
        },
      })
      expect(res.statusCode, JSON.stringify(bad)).toBe(400)
    }
  })
})

describe('linked-entity terms in a subscription q', () => {
  it('notifies only the entities whose linked entity matches, in order', async () => {
    await create({ id: 'urn:ngsi-ld:Device:low', type: 'Device', batteryLevel: prop(0.3) })
    await create({ id: 'urn:ngsi-ld:Device:full', type: 'Device', batteryLevel: prop(0.95) })
    await subscribe(
      { q: 'isConnectedTo{batteryLevel}<0.5', notificationTrigger: ['entityCreated'] },
      {},
      'Vehicle',
    )
    for (const [id, device] of [
      ['urn:ngsi-ld:Vehicle:ok', 'urn:ngsi-ld:Device:full'],
      ['urn:ngsi-ld:Vehicle:low', 'urn:ngsi-ld:Device:low'],
      ['urn:ngsi-ld:Vehicle:none', 'urn:ngsi-ld:Device:missing'],
      ['urn:ngsi-ld:Vehicle:low2', 'urn:ngsi-ld:Device:low'],
    ] as const)
      await create({ id, type: 'Vehicle', isConnectedTo: rel(device) })
    expect((await data())[0]?.['id']).toBe('urn:ngsi-ld:Vehicle:low')
    expect((await data())[0]?.['id']).toBe('urn:ngsi-ld:Vehicle:low2')
    await t.subs.settled()
    expect(rx.received.length).toBe(2)
  })

  it('combines linked and local terms, and follows nested links', async () => {
    await create({ id: 'urn:ngsi-ld:Country:FR', type: 'Country', code: prop('FR') })
    await create({
      id: 'urn:ngsi-ld:City:Paris',
      type: 'City',
      isInCountry: rel('urn:ngsi-ld:Country:FR'),
    })
    await subscribe(
      { q: 'floors>2;locatedAt{isInCountry{code}}=="FR"', notificationTrigger: ['entityCreated'] },
      { attributes: ['floors'] },
    )
    const building = (id: string, floors: number, city: string) =>
      create({ id, type: 'Building', floors: prop(floors), locatedAt: rel(city) })
    await building('urn:ngsi-ld:Building:low', 1, 'urn:ngsi-ld:City:Paris')
    await building('urn:ngsi-ld:Building:elsewhere', 5, 'urn:ngsi-ld:City:Rome')
    await building('urn:ngsi-ld:Building:yes', 5, 'urn:ngsi-ld:City:Paris')
    expect((await data())[0]?.['id']).toBe('urn:ngsi-ld:Building:yes')
    await t.subs.settled()
    expect(rx.received.length).toBe(1)
  })

  it('refuses linked terms deeper than the join ceiling', async () => {
    const deep = (n: number) => `${'r{'.repeat(n)}x${'}'.repeat(n)}==1`
    const post = (q: string) =>
      t.send('POST', '/subscriptions', {
        body: {
          type: 'Subscription',
          entities: [{ type: 'Vehicle' }],
          q,
          notification: { endpoint: { uri: `${rx.url}/notify` } },
        },
      })
    expect((await post(deep(10))).statusCode).toBe(201)
    expect((await post(deep(11))).statusCode).toBe(400)
  })

  it('filters periodic notifications too', async () => {
    await create({ id: 'urn:ngsi-ld:Device:low', type: 'Device', batteryLevel: prop(0.3) })
    await create({ id: 'urn:ngsi-ld:Device:full', type: 'Device', batteryLevel: prop(0.95) })
    await create({
      id: 'urn:ngsi-ld:Vehicle:ok',
      type: 'Vehicle',
      isConnectedTo: rel('urn:ngsi-ld:Device:full'),
    })
    await create({
      id: 'urn:ngsi-ld:Vehicle:low',
      type: 'Vehicle',
      isConnectedTo: rel('urn:ngsi-ld:Device:low'),
    })
    await subscribe({ q: 'isConnectedTo{batteryLevel}<0.5', timeInterval: 1 }, {}, 'Vehicle')
    const ids = (await data()).map((e) => e['id'])
    expect(ids).toEqual(['urn:ngsi-ld:Vehicle:low'])
  })
})
