/**
 * ETSI GS CIM 014 — Subscription / SubscriptionNotificationBehaviour (046_31 – 046_43, without
 * the join cases): showChanges (previous values on updates and deletions, none on creations),
 * pick and omit in notifications.
 */
import { describe, expect, it } from 'vitest'
import { building, suiteDiff, useTestContext } from './fixtures.js'
import { first, run } from './notify.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const sub = (notification: Record<string, unknown>, triggers?: string[]) => ({
  type: 'Subscription',
  entities: [{ type: 'Building' }],
  ...(triggers && { notificationTrigger: triggers }),
  notification: { endpoint: { uri: 'http://x/notify' }, ...notification },
  '@context': [ctx.url],
})

const showChanges = (triggers?: string[]) => sub({ showChanges: true }, triggers)

const differentTypes = (id: string) => ({
  id,
  type: 'Building',
  name: { type: 'Property', value: 'Eiffel Tower' },
  locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [-8.5, 41.2] } },
  street: { type: 'LanguageProperty', languageMap: { fr: 'Grand Place', nl: 'Grote Markt' } },
  '@context': [ctx.url],
})
const jsonBuilding = (id: string) => ({
  id,
  type: 'Building',
  jsonProperty: {
    type: 'JsonProperty',
    json: { id: 'some-id', type: 'some-type', null: null, anythingElse: 'anything-else' },
  },
  '@context': [ctx.url],
})
const vocabBuilding = (id: string) => ({
  id,
  type: 'Building',
  vocabProperty: { type: 'VocabProperty', vocab: 'monument' },
  '@context': [ctx.url],
})

/** The attributes of differentTypes as notified, with some replaced. */
const typesNow = (changes: Record<string, unknown>) => [
  {
    type: 'Building',
    name: { type: 'Property', value: 'Eiffel Tower' },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [-8.5, 41.2] } },
    street: { type: 'LanguageProperty', languageMap: { fr: 'Grand Place', nl: 'Grote Markt' } },
    locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
    ...changes,
  },
]

const patch = (attr: string, value: Record<string, unknown>) => ({
  [attr]: value,
  '@context': [ctx.url],
})

describe.concurrent('SubscriptionNotificationBehaviour (showChanges, pick, omit)', () => {
  const updateShowsChanges =
    (attr: string, value: Record<string, unknown>, notified: Record<string, unknown>) =>
    async () => {
      const r = await run(broker, differentTypes, showChanges())
      expect(
        (await r.send('PATCH', `/entities/${r.entityId}/attrs/`, patch(attr, value))).status,
      ).toBe(204)
      const n = await r.rx.next(10_000)
      expect(n.body['subscriptionId']).toBe(r.subId)
      expect(suiteDiff(typesNow({ [attr]: notified }), n.body['data'], ['id'])).toEqual([])
      await r.rx.close()
    }

  it(
    '046_31_01 showChanges on an update of name carries the previous value',
    updateShowsChanges(
      'name',
      { type: 'Property', value: 'Tour Eiffel' },
      { type: 'Property', value: 'Tour Eiffel', previousValue: 'Eiffel Tower' },
    ),
  )
  it(
    '046_31_02 showChanges on an update of locatedAt carries the previous value',
    updateShowsChanges(
      'locatedAt',
      { type: 'Relationship', object: 'urn:ngsi-ld:City:Nantes' },
      {
        type: 'Relationship',
        object: 'urn:ngsi-ld:City:Nantes',
        previousObject: 'urn:ngsi-ld:City:Paris',
      },
    ),
  )
  it(
    '046_31_03 showChanges on an update of location carries the previous value',
    updateShowsChanges(
      'location',
      { type: 'GeoProperty', value: { type: 'Point', coordinates: [13.3986, 52.5547] } },
      {
        type: 'GeoProperty',
        value: { type: 'Point', coordinates: [13.3986, 52.5547] },
        previousValue: { type: 'Point', coordinates: [-8.5, 41.2] },
      },
    ),
  )
  it(
    '046_31_04 showChanges on an update of street carries the previous value',
    updateShowsChanges(
      'street',
      { type: 'LanguageProperty', languageMap: { fr: 'Grand Place', es: 'Gran Lugar' } },
      {
        type: 'LanguageProperty',
        languageMap: { fr: 'Grand Place', es: 'Gran Lugar' },
        previousLanguageMap: { fr: 'Grand Place', nl: 'Grote Markt' },
      },
    ),
  )

  it('046_32_01 showChanges on an update of a JsonProperty carries previousJson', async () => {
    const r = await run(broker, jsonBuilding, showChanges())
    const fragment = patch('jsonProperty', {
      type: 'JsonProperty',
      json: { city: 'Nantes', street: 'Place Royale' },
    })
    expect((await r.send('PATCH', `/entities/${r.entityId}/attrs/`, fragment)).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    const expected = [
      {
        type: 'Building',
        jsonProperty: {
          type: 'JsonProperty',
          json: { city: 'Nantes', street: 'Place Royale' },
          previousJson: {
            id: 'some-id',
            null: null,
            type: 'some-type',
            anythingElse: 'anything-else',
          },
        },
      },
    ]
    expect(suiteDiff(expected, n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_33_01 showChanges on an update of a VocabProperty carries previousVocab', async () => {
    const r = await run(broker, vocabBuilding, showChanges())
    const fragment = patch('vocabProperty', { type: 'VocabProperty', vocab: 'museum' })
    expect((await r.send('PATCH', `/entities/${r.entityId}/attrs/`, fragment)).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    const expected = [
      {
        type: 'Building',
        vocabProperty: { type: 'VocabProperty', vocab: 'museum', previousVocab: 'monument' },
      },
    ]
    expect(suiteDiff(expected, n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  })

  const deleteAttr = (r: Awaited<ReturnType<typeof run>>, attr: string) =>
    r.send('DELETE', `/entities/${r.entityId}/attrs/${attr}?deleteAll=false`, undefined, {
      'content-type': 'application/json',
      link: ctx.link,
    })

  const deletionShowsChanges = (attr: string, notified: Record<string, unknown>) => async () => {
    const r = await run(broker, differentTypes, showChanges(['attributeDeleted']))
    expect((await deleteAttr(r, attr)).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    expect(suiteDiff(typesNow({ [attr]: notified }), n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  }

  it(
    '046_34_01 showChanges on the deletion of name carries the previous value',
    deletionShowsChanges('name', {
      type: 'Property',
      value: 'urn:ngsi-ld:null',
      previousValue: 'Eiffel Tower',
    }),
  )
  it(
    '046_34_02 showChanges on the deletion of locatedAt carries the previous value',
    deletionShowsChanges('locatedAt', {
      type: 'Relationship',
      previousObject: 'urn:ngsi-ld:City:Paris',
      object: 'urn:ngsi-ld:null',
    }),
  )
  it(
    '046_34_03 showChanges on the deletion of location carries the previous value',
    deletionShowsChanges('location', {
      type: 'GeoProperty',
      value: 'urn:ngsi-ld:null',
      previousValue: { type: 'Point', coordinates: [-8.5, 41.2] },
    }),
  )
  it(
    '046_34_04 showChanges on the deletion of street carries the previous value',
    deletionShowsChanges('street', {
      type: 'LanguageProperty',
      languageMap: { '@none': 'urn:ngsi-ld:null' },
      previousLanguageMap: { fr: 'Grand Place', nl: 'Grote Markt' },
    }),
  )

  const previousJson = {
    id: 'some-id',
    null: null,
    type: 'some-type',
    anythingElse: 'anything-else',
  }

  it('046_35_01 showChanges on the deletion of a JsonProperty carries previousJson', async () => {
    const r = await run(broker, jsonBuilding, showChanges(['attributeDeleted']))
    expect((await deleteAttr(r, 'jsonProperty')).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    const expected = [
      {
        type: 'Building',
        jsonProperty: { type: 'JsonProperty', json: 'urn:ngsi-ld:null', previousJson },
      },
    ]
    expect(suiteDiff(expected, n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_36_01 showChanges on the deletion of a VocabProperty carries previousVocab', async () => {
    const r = await run(broker, vocabBuilding, showChanges(['attributeDeleted']))
    expect((await deleteAttr(r, 'vocabProperty')).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    const expected = [
      {
        type: 'Building',
        vocabProperty: {
          type: 'VocabProperty',
          vocab: 'urn:ngsi-ld:null',
          previousVocab: 'monument',
        },
      },
    ]
    expect(suiteDiff(expected, n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_38_01 showChanges on an entity deletion carries previousJson', async () => {
    const r = await run(broker, jsonBuilding, showChanges(['entityDeleted']))
    expect((await r.send('DELETE', `/entities/${r.entityId}`, undefined, {})).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    const expected = [
      {
        type: 'Building',
        deletedAt: '2025-08-22T19:48:35.450282Z',
        jsonProperty: { type: 'JsonProperty', previousJson, json: 'urn:ngsi-ld:null' },
      },
    ]
    expect(suiteDiff(expected, n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_39_01 showChanges on an entity deletion carries previousVocab', async () => {
    const r = await run(broker, vocabBuilding, showChanges(['entityDeleted']))
    expect((await r.send('DELETE', `/entities/${r.entityId}`, undefined, {})).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    const expected = [
      {
        type: 'Building',
        deletedAt: '2025-08-22T19:49:49.491466Z',
        vocabProperty: {
          type: 'VocabProperty',
          previousVocab: 'monument',
          vocab: 'urn:ngsi-ld:null',
        },
      },
    ]
    expect(suiteDiff(expected, n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_40_01 an entityCreated notification has no previousValue', async () => {
    const r = await run(broker, undefined, showChanges(['entityCreated']))
    expect((await r.send('POST', '/entities', building(r.entityId, ctx.url))).status).toBe(201)
    const n = await r.rx.next(10_000)
    expect(JSON.stringify(n.body['data'])).not.toContain('"previousValue"')
    await r.rx.close()
  })

  it('046_41_01 an attributeCreated notification has no previousValue', async () => {
    const r = await run(
      broker,
      (id) => ({ id, type: 'Building', '@context': [ctx.url] }),
      showChanges(['attributeCreated']),
    )
    const fragment = patch('name', { type: 'Property', value: 'Tour Eiffel' })
    expect((await r.send('PATCH', `/entities/${r.entityId}/attrs/`, fragment)).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(JSON.stringify(n.body['data'])).not.toContain('"previousValue"')
    await r.rx.close()
  })

  const nameUpdate = () => patch('name', { type: 'Property', value: 'Tour Eiffel' })
  const json = { endpoint: { uri: 'http://x/notify', accept: 'application/json' } }

  it('046_42_01 pick keeps only the picked members in notifications', async () => {
    const r = await run(broker, differentTypes, sub({ ...json, pick: ['id', 'name'] }))
    expect((await r.send('PATCH', `/entities/${r.entityId}/attrs/`, nameUpdate())).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    const expected = [{ id: r.entityId, name: { type: 'Property', value: 'Tour Eiffel' } }]
    expect(suiteDiff(expected, n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_43_01 omit leaves the omitted members out of notifications', async () => {
    const r = await run(broker, differentTypes, sub({ ...json, omit: ['type', 'name'] }))
    expect((await r.send('PATCH', `/entities/${r.entityId}/attrs/`, nameUpdate())).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    const expected = [
      {
        id: r.entityId,
        locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [-8.5, 41.2] } },
        street: {
          type: 'LanguageProperty',
          languageMap: { fr: 'Grand Place', nl: 'Grote Markt' },
        },
      },
    ]
    expect(suiteDiff(expected, n.body['data'], ['id'])).toEqual([])
    await r.rx.close()
  })
})

void first
