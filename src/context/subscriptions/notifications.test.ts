/**
 * Notifications end to end inside one process (§5.8.6, HTTP binding): NGSI-LD API writes →
 * entity.changed → matching → a real HTTP POST to a real local server. Triggers, watched
 * attributes, q / geoQ, formats, projection, showChanges, deletions, headers, throttling,
 * periodic notifications and the delivery status on GET.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import { createBundledContextResolver } from '../jsonld/index.js'
import { CORE, linkTo } from '../../../test/helpers/ngsi-ld-app.js'
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

const SUB = '/subscriptions/urn:ngsi-ld:Subscription:1'

async function subscribe(
  extra: Record<string, unknown> = {},
  notification: Record<string, unknown> = {},
) {
  const res = await t.send('POST', '/subscriptions', {
    body: {
      id: 'urn:ngsi-ld:Subscription:1',
      type: 'Subscription',
      entities: [{ type: 'Building' }],
      ...extra,
      notification: { endpoint: { uri: `${rx.url}/notify` }, ...notification },
    },
  })
  expect(res.statusCode, res.body).toBe(201)
}

async function createBuilding(id = 'urn:ngsi-ld:Building:1', extra: Record<string, unknown> = {}) {
  const res = await t.send('POST', '/entities', {
    body: {
      id,
      type: 'Building',
      name: { type: 'Property', value: 'Town hall' },
      floors: { type: 'Property', value: 3 },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [2.29, 48.85] } },
      ...extra,
    },
  })
  expect(res.statusCode, res.body).toBe(201)
}

async function patchAttrs(body: Record<string, unknown>, id = 'urn:ngsi-ld:Building:1') {
  const res = await t.send('PATCH', `/entities/${id}/attrs`, { body })
  expect(res.statusCode, res.body).toBe(204)
}

/** Waits until nothing is pending, then checks that no request arrived beyond `count`. */
async function expectNoMore(count: number) {
  await t.subs.settled()
  expect(rx.received.length).toBe(count)
}

describe('change-based notifications over HTTP', () => {
  it('no notification at creation; one per update with the Notification payload and headers', async () => {
    await createBuilding()
    await subscribe()
    await expectNoMore(0)
    await patchAttrs({ floors: { type: 'Property', value: 4 } })
    const n = await rx.next()
    expect(n.method).toBe('POST')
    expect(n.path).toBe('/notify')
    expect(n.headers['content-type']).toBe('application/json')
    expect(n.headers['link']).toBe(linkTo(CORE))
    expect(n.headers['ngsild-tenant']).toBeUndefined()
    expect(n.body).toMatchObject({
      type: 'Notification',
      subscriptionId: 'urn:ngsi-ld:Subscription:1',
      data: [
        {
          id: 'urn:ngsi-ld:Building:1',
          type: 'Building',
          floors: { type: 'Property', value: 4 },
          name: { type: 'Property', value: 'Town hall' },
        },
      ],
    })
    expect(n.body['id']).toMatch(/^urn:ngsi-ld:Notification:/)
    expect(Date.parse(String(n.body['notifiedAt']))).not.toBeNaN()
    await t.subs.settled()
    await new Promise((r) => setTimeout(r, 80)) // the delivery status flush interval
    const got = (await t.send('GET', SUB)).json<{ notification: Record<string, unknown> }>()
    expect(got.notification).toMatchObject({ timesSent: 1, status: 'ok' })
    expect(got.notification['lastSuccess']).toBeDefined()
    expect(got.notification['lastNotification']).toBeDefined()
    expect((await t.store.get('default', 'urn:ngsi-ld:Subscription:1'))?.delivery.timesSent).toBe(1)
  })

  it('watchedAttributes: only changes of those attributes notify', async () => {
    await createBuilding()
    await subscribe({ watchedAttributes: ['name'] })
    await patchAttrs({ floors: { type: 'Property', value: 5 } })
    await expectNoMore(0)
    await patchAttrs({ name: { type: 'Property', value: 'City hall' } })
    expect((await rx.next()).body['data']).toMatchObject([{ name: { value: 'City hall' } }])
  })

  it('q and geoQ decide on the entity after the change', async () => {
    await createBuilding()
    await subscribe({
      q: 'floors>5',
      geoQ: { geometry: 'Point', coordinates: [2.29, 48.85], georel: 'near;maxDistance==1000' },
    })
    await patchAttrs({ floors: { type: 'Property', value: 5 } })
    await expectNoMore(0)
    await patchAttrs({ floors: { type: 'Property', value: 6 } })
    await rx.next()
    // Far away: the geoquery no longer holds.
    await patchAttrs({
      floors: { type: 'Property', value: 7 },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [13.4, 52.5] } },
    })
    await expectNoMore(1)
  })

  it('expandValues and jsonKeys shape how q reads (§4.9)', async () => {
    await createBuilding('urn:ngsi-ld:Building:1', {
      category: { type: 'VocabProperty', vocab: 'shop' },
      address: { type: 'Property', value: { [`${DEFAULT_VOCAB}city`]: 'Paris' } },
    })
    // category's vocab is the expanded IRI: the unquoted term matches only once expanded.
    await subscribe({ q: 'category==shop;address[city]=="Paris"', expandValues: 'category' })
    await patchAttrs({ floors: { type: 'Property', value: 4 } })
    await rx.next()
    // With jsonKeys the address key `city` is not expanded: the stored IRI key no longer matches.
    const res = await t.send('PATCH', SUB, { body: { jsonKeys: ['address'] } })
    expect(res.statusCode, res.body).toBe(204)
    await patchAttrs({ floors: { type: 'Property', value: 5 } })
    await expectNoMore(1)
  })

  it('entity selectors: other types and other ids are not notified', async () => {
    await createBuilding()
    await t.send('POST', '/entities', {
      body: { id: 'urn:ngsi-ld:Park:1', type: 'Park', floors: { type: 'Property', value: 1 } },
    })
    await subscribe({ entities: [{ type: 'Building', id: 'urn:ngsi-ld:Building:2' }] })
    await patchAttrs({ floors: { type: 'Property', value: 9 } })
    await patchAttrs({ floors: { type: 'Property', value: 9 } }, 'urn:ngsi-ld:Park:1')
    await expectNoMore(0)
  })

  it('keyValues with attributes projection and sysAttrs', async () => {
    await createBuilding()
    await subscribe({}, { format: 'keyValues', attributes: ['floors'], sysAttrs: true })
    await patchAttrs({ floors: { type: 'Property', value: 8 } })
    const [entity] = (await rx.next()).body['data'] as Record<string, unknown>[]
    expect(entity).toMatchObject({ id: 'urn:ngsi-ld:Building:1', type: 'Building', floors: 8 })
    expect(entity).not.toHaveProperty('name')
    expect(entity).toHaveProperty('createdAt')
    expect(entity).toHaveProperty('modifiedAt')
  })

  it('concise format with pick', async () => {
    await createBuilding()
    await subscribe({}, { format: 'concise', pick: ['id', 'name'] })
    await patchAttrs({ name: { type: 'Property', value: 'Library' } })
    expect((await rx.next()).body['data']).toEqual([
      { id: 'urn:ngsi-ld:Building:1', name: 'Library' },
    ])
  })

  it('showChanges adds previousValue on updates, never on created attributes', async () => {
    await createBuilding()
    await subscribe({}, { showChanges: true })
    await patchAttrs({
      floors: { type: 'Property', value: 10 },
      height: { type: 'Property', value: 30 },
    })
    const [entity] = (await rx.next()).body['data'] as Record<string, Record<string, unknown>>[]
    expect(entity!['floors']).toEqual({ type: 'Property', value: 10, previousValue: 3 })
    expect(entity!['height']).toEqual({ type: 'Property', value: 30 })
  })

  it('attributeDeleted: the attribute reads urn:ngsi-ld:null; entityDeleted: id, type, deletedAt', async () => {
    await createBuilding()
    await subscribe({ notificationTrigger: ['attributeDeleted', 'entityDeleted'] })
    await patchAttrs({ floors: { type: 'Property', value: 11 } })
    await expectNoMore(0)
    expect(
      (await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1/attrs/floors')).statusCode,
    ).toBe(204)
    const [afterDelete] = (await rx.next()).body['data'] as Record<string, unknown>[]
    expect(afterDelete).toMatchObject({
      floors: { type: 'Property', value: 'urn:ngsi-ld:null' },
      name: { type: 'Property', value: 'Town hall' },
    })
    expect((await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1')).statusCode).toBe(204)
    const [deleted] = (await rx.next()).body['data'] as Record<string, unknown>[]
    expect(Object.keys(deleted!).sort()).toEqual(['deletedAt', 'id', 'type'])
    expect(deleted).toMatchObject({ id: 'urn:ngsi-ld:Building:1', type: 'Building' })
  })

  it('attributeDeleted with sysAttrs: the null attribute keeps its times and gets deletedAt', async () => {
    await createBuilding()
    await subscribe({ notificationTrigger: ['attributeDeleted'] }, { sysAttrs: true })
    await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1/attrs/floors')
    const [e] = (await rx.next()).body['data'] as Record<string, Record<string, unknown>>[]
    expect(e!['floors']).toMatchObject({ type: 'Property', value: 'urn:ngsi-ld:null' })
    for (const m of ['createdAt', 'modifiedAt', 'deletedAt']) expect(e!['floors']).toHaveProperty(m)
  })

  it('attributeDeleted: one deleted datasetId instance reads as a null instance', async () => {
    await createBuilding('urn:ngsi-ld:Building:1', {
      floors: [
        { type: 'Property', value: 3 },
        { type: 'Property', value: 4, datasetId: 'urn:ngsi-ld:Dataset:b' },
      ],
    })
    await subscribe({ notificationTrigger: ['attributeDeleted'] })
    const path = '/entities/urn:ngsi-ld:Building:1/attrs/floors?datasetId=urn:ngsi-ld:Dataset:b'
    expect((await t.send('DELETE', path)).statusCode).toBe(204)
    const [e] = (await rx.next()).body['data'] as Record<string, unknown>[]
    expect(e!['floors']).toEqual([
      { type: 'Property', value: 3 },
      { type: 'Property', value: 'urn:ngsi-ld:null', datasetId: 'urn:ngsi-ld:Dataset:b' },
    ])
  })

  it('attributeDeleted without entityDeleted: deleting the entity reports its watched attributes', async () => {
    await createBuilding()
    await subscribe({ notificationTrigger: ['attributeDeleted'], watchedAttributes: ['floors'] })
    expect((await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1')).statusCode).toBe(204)
    const [e] = (await rx.next()).body['data'] as Record<string, unknown>[]
    expect(Object.keys(e!).sort()).toEqual(['deletedAt', 'floors', 'id', 'type'])
    expect(e!['floors']).toEqual({ type: 'Property', value: 'urn:ngsi-ld:null' })
  })

  it('showChanges on deletions: the null attribute carries the previous value', async () => {
    await createBuilding()
    await subscribe(
      { notificationTrigger: ['attributeDeleted', 'entityDeleted'] },
      { showChanges: true },
    )
    await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1/attrs/floors')
    const [attr] = (await rx.next()).body['data'] as Record<string, unknown>[]
    expect(attr!['floors']).toEqual({
      type: 'Property',
      value: 'urn:ngsi-ld:null',
      previousValue: 3,
    })
    await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1')
    const [entity] = (await rx.next()).body['data'] as Record<string, unknown>[]
    expect(entity!['name']).toEqual({
      type: 'Property',
      value: 'urn:ngsi-ld:null',
      previousValue: 'Town hall',
    })
  })

  it('entityCreated fires on creation when asked for', async () => {
    await subscribe({ notificationTrigger: ['entityCreated'] })
    await createBuilding()
    expect((await rx.next()).body['data']).toMatchObject([{ id: 'urn:ngsi-ld:Building:1' }])
    await patchAttrs({ floors: { type: 'Property', value: 12 } })
    await expectNoMore(1)
  })

  it('JSON-LD endpoints get @context in each entity and no Link; receiverInfo and tenant headers', async () => {
    const headers = { 'NGSILD-Tenant': 'valmora' }
    await t.send('POST', '/entities', {
      headers,
      body: {
        id: 'urn:ngsi-ld:Building:7',
        type: 'Building',
        floors: { type: 'Property', value: 1 },
      },
    })
    const res = await t.send('POST', '/subscriptions', {
      headers,
      body: {
        type: 'Subscription',
        entities: [{ type: 'Building' }],
        notification: {
          endpoint: {
            uri: `${rx.url}/ld`,
            accept: 'application/ld+json',
            receiverInfo: [{ key: 'X-Token', value: 's3cret' }],
          },
        },
      },
    })
    expect(res.statusCode).toBe(201)
    await t.send('PATCH', '/entities/urn:ngsi-ld:Building:7/attrs', {
      headers,
      body: { floors: { type: 'Property', value: 2 } },
    })
    const n = await rx.next()
    expect(n.headers['content-type']).toBe('application/ld+json')
    expect(n.headers['link']).toBeUndefined()
    expect(n.headers['x-token']).toBe('s3cret')
    expect(n.headers['ngsild-tenant']).toBe('valmora')
    expect(n.body['data']).toMatchObject([{ id: 'urn:ngsi-ld:Building:7', '@context': CORE }])
  })

  it('the Link header names jsonldContext, and names are compacted with it', async () => {
    const ctx = 'https://example.org/notify-context.jsonld'
    await t.close()
    t = await buildSubscriptionApp({
      contexts: {
        resolve: (url) =>
          url === ctx
            ? Promise.resolve({ '@context': { storeys: `${DEFAULT_VOCAB}floors` } })
            : createBundledContextResolver().resolve(url),
      },
    })
    await createBuilding()
    await subscribe({ jsonldContext: ctx })
    await patchAttrs({ floors: { type: 'Property', value: 2 } })
    const n = await rx.next()
    expect(n.headers['link']).toBe(linkTo(ctx))
    expect(n.body['data']).toMatchObject([{ storeys: { type: 'Property', value: 2 } }])
  })

  it('GeoJSON endpoints get a FeatureCollection', async () => {
    await createBuilding()
    await subscribe({}, { endpoint: { uri: `${rx.url}/geo`, accept: 'application/geo+json' } })
    await patchAttrs({ floors: { type: 'Property', value: 2 } })
    const n = await rx.next()
    expect(n.headers['content-type']).toBe('application/geo+json')
    expect(n.body['data']).toMatchObject({
      type: 'FeatureCollection',
      features: [{ id: 'urn:ngsi-ld:Building:1', type: 'Feature', geometry: { type: 'Point' } }],
    })
  })

  it('paused and expired subscriptions send nothing', async () => {
    await createBuilding()
    await subscribe({ isActive: false })
    await patchAttrs({ floors: { type: 'Property', value: 2 } })
    await expectNoMore(0)
    await t.send('PATCH', SUB, {
      body: { isActive: true, expiresAt: new Date(Date.now() + 1000).toISOString() },
    })
    t.tick(2000)
    await patchAttrs({ floors: { type: 'Property', value: 3 } })
    await expectNoMore(0)
  })

  it('throttling: no second notification inside the window', async () => {
    await createBuilding()
    await subscribe({ throttling: 15 })
    await patchAttrs({ floors: { type: 'Property', value: 20 } })
    await rx.next()
    await patchAttrs({ floors: { type: 'Property', value: 21 } })
    await expectNoMore(1)
    t.tick(16_000)
    await patchAttrs({ floors: { type: 'Property', value: 22 } })
    expect((await rx.next()).body['data']).toMatchObject([{ floors: { value: 22 } }])
  })

  it('timeInterval: periodic notifications of all matching entities', async () => {
    await createBuilding('urn:ngsi-ld:Building:1')
    await createBuilding('urn:ngsi-ld:Building:2', { floors: { type: 'Property', value: 1 } })
    await subscribe({ timeInterval: 0.1, q: 'floors>2' })
    const n = await rx.next()
    expect((n.body['data'] as { id: string }[]).map((e) => e.id)).toEqual([
      'urn:ngsi-ld:Building:1',
    ])
    await rx.next() // and again
  })

  it('an unreachable endpoint is reported failed with lastFailure', async () => {
    await createBuilding()
    await subscribe({}, { endpoint: { uri: 'http://127.0.0.1:1/closed' } })
    await patchAttrs({ floors: { type: 'Property', value: 2 } })
    await t.subs.settled()
    const got = (await t.send('GET', SUB)).json<{ notification: Record<string, unknown> }>()
    expect(got.notification).toMatchObject({ timesSent: 1, timesFailed: 1, status: 'failed' })
    expect(got.notification['lastFailure']).toBeDefined()
    expect(got.notification['lastSuccess']).toBeUndefined()
  })

  it('a non-2xx answer is a failure', async () => {
    rx.respondWith(500)
    await createBuilding()
    await subscribe()
    await patchAttrs({ floors: { type: 'Property', value: 2 } })
    await rx.next()
    await t.subs.settled()
    const got = (await t.send('GET', SUB)).json<{ notification: Record<string, unknown> }>()
    expect(got.notification).toMatchObject({ status: 'failed' })
  })
})
