/**
 * ETSI GS CIM 014 — Subscription / SubscriptionNotificationBehaviour (046_18 – 046_22): sysAttrs,
 * datasetId and jsonldContext in notifications, entityDeleted and attributeDeleted triggers.
 * Each test has its own tenant: the suite's subscriptions select every Building.
 */
import { describe, expect, it } from 'vitest'
import {
  CORE_URL,
  VOCAB,
  airQualityFragment,
  building,
  suiteDiff,
  useTestContext,
} from './fixtures.js'
import { first, nextOfRun, run as runIn, type Run } from './notify.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const run = (
  entity: (id: string) => Record<string, unknown>,
  sub: Record<string, unknown>,
  pin = false,
) => runIn(broker, entity, sub, pin)

const sub = (
  extra: Record<string, unknown>,
  notification: Record<string, unknown>,
  accept = 'application/json',
) => ({
  type: 'Subscription',
  entities: [{ type: 'Building' }],
  ...extra,
  notification: { ...notification, endpoint: { uri: 'http://x/notify', accept } },
  '@context': [ctx.url],
})

type Entity = Record<string, unknown>

const multiInstance = (id: string) => ({
  id,
  type: 'Building',
  name: [
    { type: 'Property', value: 'Eiffel Tower' },
    { type: 'Property', value: 'Tour Eiffel', datasetId: 'urn:ngsi-ld:Dataset:french-name' },
    { type: 'Property', value: 'Eiffelturm', datasetId: 'urn:ngsi-ld:Dataset:german-name' },
  ],
  locatedAt: [
    { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
    {
      type: 'Relationship',
      object: 'urn:ngsi-ld:Ville:Paris',
      datasetId: 'urn:ngsi-ld:Dataset:french-name',
    },
    {
      type: 'Relationship',
      object: 'urn:ngsi-ld:Ciudad:París',
      datasetId: 'urn:ngsi-ld:Dataset:spanish-name',
    },
  ],
  '@context': [ctx.url],
})

const differentTypes = (id: string) => ({
  id,
  type: 'Building',
  name: { type: 'Property', value: 'Eiffel Tower' },
  locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [-8.5, 41.2] } },
  street: { type: 'LanguageProperty', languageMap: { fr: 'Grand Place', nl: 'Grote Markt' } },
  '@context': ctx.url,
})

const frenchName = () => ({
  name: {
    type: 'Property',
    value: 'Le Tour Eiffel',
    datasetId: 'urn:ngsi-ld:Dataset:french-name',
  },
  '@context': [ctx.url],
})

const simple = (id: string) => building(id, ctx.url)
const withLocation = (id: string) => {
  const { airQualityLevel: _a, almostFull: _b, ...rest } = building(id, ctx.url)
  return {
    ...rest,
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [13.3986, 52.5547] } },
  }
}

const deleteName = (r: Run, query = '') =>
  r.send('DELETE', `/entities/${r.entityId}/attrs/name${query}`, undefined, {
    'content-type': 'application/json',
    link: ctx.link,
  })

describe.concurrent('SubscriptionNotificationBehaviour (deletion and options)', () => {
  it('046_18_01 sysAttrs false leaves createdAt and modifiedAt out', async () => {
    const r = await run(simple, sub({}, { format: 'normalized', sysAttrs: false }), true)
    await r.send('PATCH', `/entities/${r.entityId}/attrs/`, airQualityFragment(ctx.url))
    const n = await r.rx.next(10_000)
    expect(first(n.body)).not.toHaveProperty('createdAt')
    expect(first(n.body)).not.toHaveProperty('modifiedAt')
    await r.rx.close()
  })

  it('046_19 only the instances of the subscribed datasetId are notified', async () => {
    const r = await run(
      multiInstance,
      sub(
        { datasetId: ['urn:ngsi-ld:Dataset:french-name'] },
        { format: 'normalized' },
        'application/ld+json',
      ),
      true,
    )
    await r.send('PATCH', `/entities/${r.entityId}/attrs/`, frenchName())
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    expect(first(n.body)['id']).toBe(r.entityId)
    const expected = {
      type: 'Building',
      name: {
        type: 'Property',
        value: 'Le Tour Eiffel',
        datasetId: 'urn:ngsi-ld:Dataset:french-name',
      },
      locatedAt: {
        type: 'Relationship',
        datasetId: 'urn:ngsi-ld:Dataset:french-name',
        object: 'urn:ngsi-ld:Ville:Paris',
      },
      '@context': ctx.url,
    }
    expect(suiteDiff(expected, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_20 the jsonldContext of the subscription compacts the notification', async () => {
    const r = await run(
      (id) => ({ id, type: 'Building', '@context': [ctx.url] }),
      sub({ jsonldContext: CORE_URL }, { format: 'normalized' }, 'application/ld+json'),
      true,
    )
    await r.send('PATCH', `/entities/${r.entityId}/attrs/`, frenchName())
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    expect(first(n.body)['id']).toBe(r.entityId)
    const expected = {
      type: `${VOCAB}Building`,
      [`${VOCAB}name`]: {
        type: 'Property',
        value: 'Le Tour Eiffel',
        datasetId: 'urn:ngsi-ld:Dataset:french-name',
      },
      '@context': CORE_URL,
    }
    expect(suiteDiff(expected, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_21_01 entityDeleted notifies id, type and deletedAt', async () => {
    const r = await run(
      withLocation,
      sub({ notificationTrigger: ['entityDeleted'] }, { format: 'keyValues' }),
    )
    expect((await r.send('DELETE', `/entities/${r.entityId}`, undefined, {})).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    expect(n.body['data']).toHaveLength(1)
    const e = first(n.body)
    expect(Object.keys(e)).toHaveLength(3)
    expect(e['id']).toBe(r.entityId)
    expect(e['deletedAt']).toBeTruthy()
    await r.rx.close()
  })

  it('046_21_02 entityDeleted with sysAttrs notifies createdAt and deletedAt too', async () => {
    const r = await run(
      withLocation,
      sub({ notificationTrigger: ['entityDeleted'] }, { format: 'keyValues', sysAttrs: true }),
    )
    expect((await r.send('DELETE', `/entities/${r.entityId}`, undefined, {})).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    expect(n.body['data']).toHaveLength(1)
    const e = first(n.body)
    expect(Object.keys(e)).toHaveLength(5)
    expect(e['id']).toBe(r.entityId)
    expect(e['createdAt']).toBeTruthy()
    expect(e['deletedAt']).toBeTruthy()
    await r.rx.close()
  })

  const deletedNameKeyValues = {
    type: 'Building',
    almostFull: false,
    subCategory: 'tourism',
    airQualityLevel: 4,
    name: 'urn:ngsi-ld:null',
  }

  it('046_22_01 attributeDeleted notifies the entity with the attribute as NGSI-LD Null (keyValues)', async () => {
    const r = await run(
      simple,
      sub({ notificationTrigger: ['attributeDeleted'] }, { format: 'keyValues' }),
    )
    expect((await deleteName(r)).status).toBe(204)
    const n = await r.rx.next(10_000)
    expect(n.body['subscriptionId']).toBe(r.subId)
    expect(first(n.body)['id']).toBe(r.entityId)
    expect(suiteDiff(deletedNameKeyValues, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })

  const watchName = (format: string, extra: Record<string, unknown> = {}) =>
    sub(
      { watchedAttributes: ['name'], notificationTrigger: ['attributeDeleted'] },
      { format, ...extra },
    )

  it('046_22_02 attributeDeleted on a watched attribute notifies (keyValues)', async () => {
    const r = await run(simple, watchName('keyValues'))
    expect((await deleteName(r)).status).toBe(204)
    const n = await nextOfRun(r)
    expect(suiteDiff(deletedNameKeyValues, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_22_03 deleting an attribute that is not watched does not notify', async () => {
    const r = await run(simple, watchName('keyValues'))
    const del = await r.send('DELETE', `/entities/${r.entityId}/attrs/airQualityLevel`, undefined, {
      'content-type': 'application/json',
      link: ctx.link,
    })
    expect(del.status).toBe(204)
    await expect(r.rx.next(10_000)).rejects.toThrow(/no notification/)
    await r.rx.close()
  }, 15_000)

  it('046_22_04 attributeDeleted on a watched attribute notifies (normalized)', async () => {
    const r = await run(simple, watchName('normalized'))
    expect((await deleteName(r)).status).toBe(204)
    const n = await nextOfRun(r)
    const expected = {
      type: 'Building',
      almostFull: { type: 'Property', value: false },
      subCategory: { type: 'Property', value: 'tourism' },
      airQualityLevel: {
        type: 'Property',
        value: 4,
        unitCode: 'C62',
        observedAt: '2020-09-09T16:40:00.000Z',
      },
      name: { type: 'Property', value: 'urn:ngsi-ld:null' },
    }
    expect(suiteDiff(expected, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_22_05 with sysAttrs, the deleted attribute carries deletedAt', async () => {
    const r = await run(simple, watchName('normalized', { sysAttrs: true }))
    expect((await deleteName(r)).status).toBe(204)
    const n = await nextOfRun(r)
    expect((first(n.body)['name'] as Entity)['deletedAt']).toBeTruthy()
    await r.rx.close()
  })

  it('046_22_06 deleting one datasetId instance notifies it as NGSI-LD Null (normalized)', async () => {
    const r = await run(multiInstance, watchName('normalized'))
    expect((await deleteName(r, '?datasetId=urn:ngsi-ld:Dataset:french-name')).status).toBe(204)
    const n = await nextOfRun(r)
    const expected = {
      type: 'Building',
      name: [
        { type: 'Property', value: 'Eiffel Tower' },
        { type: 'Property', datasetId: 'urn:ngsi-ld:Dataset:german-name', value: 'Eiffelturm' },
        {
          type: 'Property',
          datasetId: 'urn:ngsi-ld:Dataset:french-name',
          value: 'urn:ngsi-ld:null',
        },
      ],
      locatedAt: [
        { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
        {
          type: 'Relationship',
          datasetId: 'urn:ngsi-ld:Dataset:french-name',
          object: 'urn:ngsi-ld:Ville:Paris',
        },
        {
          type: 'Relationship',
          datasetId: 'urn:ngsi-ld:Dataset:spanish-name',
          object: 'urn:ngsi-ld:Ciudad:París',
        },
      ],
    }
    expect(suiteDiff(expected, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_22_07 deleting one datasetId instance notifies it as NGSI-LD Null (keyValues)', async () => {
    const r = await run(multiInstance, watchName('keyValues'))
    expect((await deleteName(r, '?datasetId=urn:ngsi-ld:Dataset:french-name')).status).toBe(204)
    const n = await nextOfRun(r)
    const expected = {
      type: 'Building',
      name: {
        dataset: {
          'urn:ngsi-ld:Dataset:german-name': 'Eiffelturm',
          '@none': 'Eiffel Tower',
          'urn:ngsi-ld:Dataset:french-name': 'urn:ngsi-ld:null',
        },
      },
      locatedAt: {
        dataset: {
          'urn:ngsi-ld:Dataset:french-name': 'urn:ngsi-ld:Ville:Paris',
          'urn:ngsi-ld:Dataset:spanish-name': 'urn:ngsi-ld:Ciudad:París',
          '@none': 'urn:ngsi-ld:City:Paris',
        },
      },
    }
    expect(suiteDiff(expected, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_22_08 deleting all instances notifies name with value NGSI-LD Null', async () => {
    const r = await run(multiInstance, watchName('normalized'))
    expect((await deleteName(r, '?deleteAll=true')).status).toBe(204)
    const n = await nextOfRun(r)
    expect(String((first(n.body)['name'] as Entity)['value'])).toBe('urn:ngsi-ld:null')
    await r.rx.close()
  })

  const typesExpectation = (changes: Record<string, unknown>) => ({
    type: 'Building',
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [-8.5, 41.2] } },
    street: { type: 'LanguageProperty', languageMap: { fr: 'Grand Place', nl: 'Grote Markt' } },
    locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
    name: { type: 'Property', value: 'Eiffel Tower' },
    ...changes,
  })

  const NULLED: Record<string, Record<string, unknown>> = {
    name: { type: 'Property', value: 'urn:ngsi-ld:null' },
    locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:null' },
    street: { type: 'LanguageProperty', languageMap: { '@none': 'urn:ngsi-ld:null' } },
  }
  type Via = 'merge' | 'update' | 'partial'

  /** 046_22_09 – 046_22_11: an attribute set to NGSI-LD Null notifies attributeDeleted. */
  const nullingNotifies = (attr: string, via: Via) => async () => {
    const nulled = NULLED[attr]!
    const watching = sub(
      { watchedAttributes: [attr], notificationTrigger: ['attributeDeleted'] },
      { format: 'normalized' },
    )
    const r = await run(differentTypes, watching)
    const res =
      via === 'merge'
        ? await r.send('PATCH', `/entities/${r.entityId}`, {
            id: r.entityId,
            type: 'Building',
            [attr]: nulled,
            '@context': ctx.url,
          })
        : via === 'update'
          ? await r.send('PATCH', `/entities/${r.entityId}/attrs/`, {
              [attr]: nulled,
              '@context': ctx.url,
            })
          : await r.send('PATCH', `/entities/${r.entityId}/attrs/${attr}`, {
              ...nulled,
              '@context': [ctx.url],
            })
    expect(res.status).toBe(204)
    const n = await nextOfRun(r)
    expect(suiteDiff(typesExpectation({ [attr]: nulled }), first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  }

  it('046_22_09_01 a Property nulled by Merge Entity notifies', nullingNotifies('name', 'merge'))
  it(
    '046_22_09_02 a Property nulled by Update Attributes notifies',
    nullingNotifies('name', 'update'),
  )
  it(
    '046_22_09_03 a Property nulled by Partial Attribute Update notifies',
    nullingNotifies('name', 'partial'),
  )
  it(
    '046_22_10_01 a Relationship nulled by Merge Entity notifies',
    nullingNotifies('locatedAt', 'merge'),
  )
  it(
    '046_22_10_02 a Relationship nulled by Update Attributes notifies',
    nullingNotifies('locatedAt', 'update'),
  )
  it(
    '046_22_10_03 a Relationship nulled by Partial Attribute Update notifies',
    nullingNotifies('locatedAt', 'partial'),
  )
  it(
    '046_22_11_01 a LanguageProperty nulled by Merge Entity notifies',
    nullingNotifies('street', 'merge'),
  )
  it(
    '046_22_11_02 a LanguageProperty nulled by Update Attributes notifies',
    nullingNotifies('street', 'update'),
  )
  it(
    '046_22_11_03 a LanguageProperty nulled by Partial Attribute Update notifies',
    nullingNotifies('street', 'partial'),
  )

  it('046_22_12 deleting the entity notifies attributeDeleted for the watched attribute', async () => {
    const r = await run(simple, watchName('normalized'))
    expect((await r.send('DELETE', `/entities/${r.entityId}`, undefined, {})).status).toBe(204)
    const n = await nextOfRun(r)
    const expected = {
      type: 'Building',
      deletedAt: '2025-04-13T14:06:03.199101Z',
      name: { type: 'Property', value: 'urn:ngsi-ld:null' },
    }
    expect(suiteDiff(expected, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })

  it('046_22_13 the same with sysAttrs carries the system times', async () => {
    const r = await run(simple, watchName('normalized', { sysAttrs: true }))
    expect((await r.send('DELETE', `/entities/${r.entityId}`, undefined, {})).status).toBe(204)
    const n = await nextOfRun(r)
    const t = '2025-04-13T14:30:57.950376Z'
    const expected = {
      type: 'Building',
      createdAt: t,
      modifiedAt: t,
      deletedAt: t,
      name: {
        type: 'Property',
        value: 'urn:ngsi-ld:null',
        createdAt: t,
        modifiedAt: t,
        deletedAt: t,
      },
    }
    expect(suiteDiff(expected, first(n.body), ['id'])).toEqual([])
    await r.rx.close()
  })
})
