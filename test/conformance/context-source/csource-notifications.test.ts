/**
 * ETSI GS CIM 014 — ContextSource / RegistrationSubscription / notification behaviour (047_*),
 * clause 5.11.7: a context source registration subscription notifies its endpoint of the
 * registrations that match it, on subscription (and its update) and whenever a matching
 * registration is created, updated or no longer matches. Each test runs in a tenant of its own.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../helpers/free-port.js'
import { startReceiver, type Receiver } from '../../helpers/notification-receiver.js'
import { type Reply } from '../support/broker.js'
import { useBroker } from '../support/use-broker.js'
import {
  LD,
  registrationId,
  sleep,
  subscriptionId,
  useTestContext,
} from '../subscription/fixtures.js'

const broker = useBroker()
const ctx = useTestContext(broker)
const receivers: Receiver[] = []

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()))
})

type Body = Record<string, unknown>

interface Scenario {
  rx: Receiver
  subId: string
  send(method: string, path: string, body?: unknown): Promise<Reply>
  /** Creates a context source registration (201 expected) and answers its id. */
  register(body: Body): Promise<string>
  /** Creates the subscription with the receiver as endpoint (201 expected). */
  subscribe(body: Body): Promise<void>
}

async function scenario(): Promise<Scenario> {
  const rx = await startReceiver()
  receivers.push(rx)
  const subId = subscriptionId()
  const tenant = `t${subId.slice(-10)}`
  const send = (method: string, path: string, body?: unknown) =>
    broker.request(method, path, { headers: LD, ...(body !== undefined && { body }), tenant })
  return {
    rx,
    subId,
    send,
    async register(body) {
      const id = registrationId()
      const r = await send('POST', '/csourceRegistrations', { id, ...body })
      expect(r.status).toBe(201)
      return id
    },
    async subscribe(body) {
      const full = {
        id: subId,
        type: 'Subscription',
        ...body,
        notification: { endpoint: { uri: `${rx.url}/notify`, accept: 'application/json' } },
        '@context': [ctx.url],
      }
      expect((await send('POST', '/csourceSubscriptions', full)).status).toBe(201)
    },
  }
}

/** What the suite validates of a CSource notification: subscription, registration ids, reason. */
async function expectNotification(
  s: Scenario,
  ids: string[],
  triggerReason: string,
): Promise<Body> {
  const n = await s.rx.next()
  expect(n.body['subscriptionId']).toBe(s.subId)
  expect(n.body['triggerReason']).toBe(triggerReason)
  const data = n.body['data'] as Body[]
  expect(data.map((r) => r['id']).sort()).toEqual([...ids].sort())
  return n.body
}

async function expectNoNotification(s: Scenario): Promise<void> {
  await sleep(1500)
  expect(s.rx.received).toHaveLength(0)
}

const ENDPOINT = 'http://my.csource.org:1026'

/** A registration of Buildings (attributes name, subCategory) and of Vehicles. */
const buildingAndVehicle = (): Body => ({
  type: 'ContextSourceRegistration',
  information: [
    { entities: [{ type: 'Building' }], propertyNames: ['name', 'subCategory'] },
    { entities: [{ type: 'Vehicle' }], propertyNames: ['speed'] },
  ],
  endpoint: ENDPOINT,
  '@context': [ctx.url],
})

const onlyBuildings = (extra: Body = {}): Body => ({
  type: 'ContextSourceRegistration',
  information: [{ entities: [{ type: 'Building' }] }],
  endpoint: ENDPOINT,
  ...extra,
  '@context': [ctx.url],
})

const ofType = (type: string): Body => ({
  type: 'ContextSourceRegistration',
  information: [{ entities: [{ type }] }],
  endpoint: ENDPOINT,
  '@context': [ctx.url],
})

const BUILDINGS = { entities: [{ type: 'Building' }] }

describe('047 context source registration subscription notifications (5.11.7)', () => {
  it('047_01_01 with timeInterval the registrations are notified on subscription and periodically', async () => {
    const s = await scenario()
    const csr = await s.register(onlyBuildings())
    await s.subscribe({ ...BUILDINGS, timeInterval: 1 })
    await expectNotification(s, [csr], 'newlyMatching')
    await expectNotification(s, [csr], 'newlyMatching')
    expect((await s.send('DELETE', `/csourceSubscriptions/${s.subId}`)).status).toBe(204)
  })

  it('047_02_01 notifies newlyMatching on subscription and updated on a change of the registration', async () => {
    const s = await scenario()
    const csr = await s.register(buildingAndVehicle())
    await s.subscribe(BUILDINGS)
    await expectNotification(s, [csr], 'newlyMatching')
    const patch = { endpoint: 'http://my.csource.org:1027', '@context': [ctx.url] }
    expect((await s.send('PATCH', `/csourceRegistrations/${csr}`, patch)).status).toBe(204)
    await expectNotification(s, [csr], 'updated')
  })

  it('047_03_01 the notification carries only the matching RegistrationInfo elements', async () => {
    const s = await scenario()
    await s.subscribe(BUILDINGS)
    const csr = await s.register(buildingAndVehicle())
    const body = await expectNotification(s, [csr], 'newlyMatching')
    const [registration] = body['data'] as { information: { entities: Body[] }[] }[]
    const types = registration!.information.flatMap((i) => i.entities.map((e) => e['type']))
    expect(types).toEqual(['Building'])
  })

  it('047_04_01 the notification has the structure of clause 5.3.2', async () => {
    const s = await scenario()
    await s.subscribe(BUILDINGS)
    const csr = await s.register(onlyBuildings())
    const body = await expectNotification(s, [csr], 'newlyMatching')
    expect(body['type']).toBe('Notification')
    expect(typeof body['id']).toBe('string')
    expect(Number.isNaN(Date.parse(body['notifiedAt'] as string))).toBe(false)
  })

  /** The subscription as retrieved, after the notification of a new registration. */
  const afterOneNotification = async (s: Scenario, endpoint?: string) => {
    if (endpoint === undefined) await s.subscribe(BUILDINGS)
    else {
      const body = {
        id: s.subId,
        type: 'Subscription',
        ...BUILDINGS,
        notification: { endpoint: { uri: endpoint, accept: 'application/json' } },
        '@context': [ctx.url],
      }
      expect((await s.send('POST', '/csourceSubscriptions', body)).status).toBe(201)
    }
    await s.register(onlyBuildings())
    if (endpoint === undefined) await s.rx.next()
    await sleep(500)
    const r = await s.send('GET', `/csourceSubscriptions/${s.subId}`)
    expect(r.status).toBe(200)
    return (r.body as { notification: Body }).notification
  }
  const isDate = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v))

  it('047_05_01 a successful notification updates timesSent, lastNotification, lastSuccess and status', async () => {
    const n = await afterOneNotification(await scenario())
    expect(n['timesSent']).toBe(1)
    expect(n['status']).toBe('ok')
    expect(isDate(n['lastNotification']) && isDate(n['lastSuccess'])).toBe(true)
  })

  it('047_06_01 a failed notification updates timesSent, lastNotification, lastFailure and status', async () => {
    const s = await scenario()
    const n = await afterOneNotification(s, `http://127.0.0.1:${await freePort()}/notify`)
    expect(s.rx.received).toHaveLength(0)
    expect(n['timesSent']).toBe(1)
    expect(n['status']).toBe('failed')
    expect(isDate(n['lastNotification']) && isDate(n['lastFailure'])).toBe(true)
  })

  const notWhileInactive = async (make: () => Body) => {
    const s = await scenario()
    await s.subscribe(BUILDINGS)
    const patch = make()
    const r = await s.send('PATCH', `/csourceSubscriptions/${s.subId}`, {
      ...patch,
      '@context': [ctx.url],
    })
    expect(r.status).toBe(204)
    if ('expiresAt' in patch) await sleep(1200)
    await s.register(onlyBuildings())
    await expectNoNotification(s)
  }

  it('047_07_01 no notification while the subscription is paused', () =>
    notWhileInactive(() => ({ isActive: false })))

  it('047_07_02 no notification once the subscription has expired', () =>
    notWhileInactive(() => ({ expiresAt: new Date(Date.now() + 1000).toISOString() })))

  it('047_08_01 without temporalQ a change of a matching registration is notified as updated', async () => {
    const s = await scenario()
    const csr = await s.register(buildingAndVehicle())
    await s.subscribe(BUILDINGS)
    await expectNotification(s, [csr], 'newlyMatching')
    const patch = { endpoint: 'http://my.csource.org:1028', '@context': [ctx.url] }
    expect((await s.send('PATCH', `/csourceRegistrations/${csr}`, patch)).status).toBe(204)
    await expectNotification(s, [csr], 'updated')
  })

  it('047_09_01 a registration changed to no longer match is notified as noLongerMatching', async () => {
    const s = await scenario()
    const csr = await s.register(buildingAndVehicle())
    await s.subscribe(BUILDINGS)
    await expectNotification(s, [csr], 'newlyMatching')
    const patch = {
      information: [{ entities: [{ type: 'Vehicle' }], propertyNames: ['speed'] }],
      '@context': [ctx.url],
    }
    expect((await s.send('PATCH', `/csourceRegistrations/${csr}`, patch)).status).toBe(204)
    await expectNotification(s, [csr], 'noLongerMatching')
  })

  it('047_10_01 a temporalQ on observedAt is matched against the observationInterval', async () => {
    const s = await scenario()
    await s.subscribe({
      ...BUILDINGS,
      temporalQ: { timerel: 'before', timeAt: '2021-01-01T00:00:00Z', timeproperty: 'observedAt' },
    })
    const csr = await s.register(
      onlyBuildings({
        observationInterval: { startAt: '2020-01-01T00:00:00Z', endAt: '2020-12-31T00:00:00Z' },
      }),
    )
    await expectNotification(s, [csr], 'newlyMatching')
  })

  const onManagementInterval = async (timeproperty: string) => {
    const s = await scenario()
    await s.subscribe({
      ...BUILDINGS,
      temporalQ: { timerel: 'before', timeAt: '2021-01-01T00:00:00Z', timeproperty },
    })
    const csr = await s.register(
      onlyBuildings({
        managementInterval: { startAt: '2020-01-01T00:00:00Z', endAt: '2020-12-31T00:00:00Z' },
      }),
    )
    await expectNotification(s, [csr], 'newlyMatching')
  }

  it('047_11_01 a temporalQ on createdAt is matched against the managementInterval', () =>
    onManagementInterval('createdAt'))

  it('047_11_02 a temporalQ on modifiedAt is matched against the managementInterval', () =>
    onManagementInterval('modifiedAt'))

  it('047_12_01 entities and watchedAttributes match the registered entities and attributes', async () => {
    const s = await scenario()
    await s.subscribe({ ...BUILDINGS, watchedAttributes: ['name'] })
    const csr = await s.register(buildingAndVehicle())
    await expectNotification(s, [csr], 'newlyMatching')
  })

  it('047_13_01 without watchedAttributes any attribute of the entities matches', async () => {
    const s = await scenario()
    await s.subscribe(BUILDINGS)
    const csr = await s.register(buildingAndVehicle())
    await expectNotification(s, [csr], 'newlyMatching')
  })

  const square = [
    [
      [2.0, 48.0],
      [3.0, 48.0],
      [3.0, 49.0],
      [2.0, 49.0],
      [2.0, 48.0],
    ],
  ]
  const inParis = { type: 'Point', coordinates: [2.35, 48.85] }

  it('047_14_01 a geoQ is matched against the registration location', async () => {
    const s = await scenario()
    await s.subscribe({
      ...BUILDINGS,
      geoQ: { georel: 'within', geometry: 'Polygon', coordinates: square, geoproperty: 'location' },
    })
    const csr = await s.register(onlyBuildings({ location: inParis }))
    await expectNotification(s, [csr], 'newlyMatching')
  })

  it('047_15_01 a geoQ without geoproperty is matched against location', async () => {
    const s = await scenario()
    await s.subscribe({
      ...BUILDINGS,
      geoQ: { georel: 'within', geometry: 'Polygon', coordinates: square },
    })
    const csr = await s.register(onlyBuildings({ location: inParis }))
    await expectNotification(s, [csr], 'newlyMatching')
  })

  /** Two registrations (Vehicle, Bus); the subscription changed to select `types`. */
  const newlyMatchingOnUpdate = async (types: string[], expected: number[]) => {
    const s = await scenario()
    await s.subscribe(BUILDINGS)
    const csrs = [await s.register(ofType('Vehicle')), await s.register(ofType('Bus'))]
    const patch = { entities: types.map((type) => ({ type })), '@context': [ctx.url] }
    expect((await s.send('PATCH', `/csourceSubscriptions/${s.subId}`, patch)).status).toBe(204)
    await expectNotification(
      s,
      expected.map((i) => csrs[i]!),
      'newlyMatching',
    )
  }

  it('047_16_01 updating the subscription notifies the first registration, now matching', () =>
    newlyMatchingOnUpdate(['Vehicle'], [0]))

  it('047_16_02 updating the subscription notifies the second registration, now matching', () =>
    newlyMatchingOnUpdate(['Bus'], [1]))

  it('047_16_03 updating the subscription notifies both registrations, now matching', () =>
    newlyMatchingOnUpdate(['Vehicle', 'Bus'], [0, 1]))
})
