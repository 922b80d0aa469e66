import { beforeAll, describe, expect, it } from 'vitest'
import type { NotificationMessage } from '../../core/subscription.js'
import type { Outcome } from '../subscriptions/notifier.js'
import { createMemoryRegistrationStore } from '../../store/memory/memory-registration-store.js'
import type { RegistrationRecord, RegistrationStore } from '../../store/store.js'
import {
  createBundledContextResolver,
  createContextProcessor,
  type ActiveContext,
} from '../jsonld/index.js'
import { createCSourceNotifications, type CSourceNotifications } from './csource-notifications.js'
import { parseRegistration } from './parse-registration.js'
import { parseRegistrationSubscription } from './parse-registration-subscription.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')
const AT = new Date(NOW).toISOString()
let ctx: ActiveContext
let store: RegistrationStore
let sent: NotificationMessage[]
let outcomes: ((o: Outcome) => void)[]
let notices: CSourceNotifications

beforeAll(async () => {
  const processor = createContextProcessor({ resolver: createBundledContextResolver() })
  ctx = await processor.activeContext(undefined)
})

function setup(): void {
  store = createMemoryRegistrationStore()
  sent = []
  outcomes = []
  let n = 0
  notices = createCSourceNotifications({
    registrations: store,
    send: (m, onOutcome) => {
      sent.push(m)
      outcomes.push(onOutcome)
    },
    newId: () => `n${++n}`,
    now: () => new Date(NOW),
  })
}

const registration = (id: string, types: string[], extra: object = {}): RegistrationRecord => ({
  id,
  body: parseRegistration(
    {
      type: 'ContextSourceRegistration',
      information: types.map((type) => ({ entities: [{ type }] })),
      endpoint: 'http://source.test',
      ...extra,
    },
    ctx,
    NOW,
  ).body,
  createdAt: AT,
  modifiedAt: AT,
})

const subscription = (id: string, extra: object): RegistrationRecord => ({
  id,
  body: parseRegistrationSubscription(
    {
      type: 'Subscription',
      ...extra,
      notification: { endpoint: { uri: 'http://rx.test/notify' } },
    },
    ctx,
    NOW,
  ).body,
  createdAt: AT,
  modifiedAt: AT,
})

const summary = () =>
  sent.map((m) => ({
    sub: m.subscriptionId,
    reason: m.body['triggerReason'],
    ids: (m.body['data'] as { id: string }[]).map((r) => r.id),
  }))

describe('context source registration subscription notifications', () => {
  it('on subscription lists the matching registrations as newlyMatching', async () => {
    setup()
    await store.registrations.create('t', registration('urn:r:1', ['Building']))
    await store.registrations.create('t', registration('urn:r:2', ['Vehicle']))
    const sub = subscription('urn:s:1', { entities: [{ type: 'Building' }] })
    await notices.subscribed('t', sub, ctx)
    expect(summary()).toEqual([{ sub: 'urn:s:1', reason: 'newlyMatching', ids: ['urn:r:1'] }])
    expect(sent[0]!.body).toMatchObject({ id: 'urn:ngsi-ld:Notification:n1', type: 'Notification' })
    expect(sent[0]!.endpoint.uri).toBe('http://rx.test/notify')
  })

  it('sends nothing on subscription when no registration matches', async () => {
    setup()
    await notices.subscribed('t', subscription('urn:s:1', { entities: [{ type: 'Bus' }] }), ctx)
    expect(sent).toEqual([])
  })

  it('tells newlyMatching, updated and noLongerMatching apart on registration changes', async () => {
    setup()
    const sub = subscription('urn:s:1', { entities: [{ type: 'Building' }] })
    await store.subscriptions.create('t', sub)
    const building = registration('urn:r:1', ['Building'])
    const vehicle = registration('urn:r:1', ['Vehicle'])
    await notices.registrationChanged('t', undefined, building, ctx)
    await notices.registrationChanged('t', building, building, ctx)
    await notices.registrationChanged('t', building, vehicle, ctx)
    await notices.registrationChanged('t', vehicle, vehicle, ctx)
    await notices.registrationChanged('t', building, undefined, ctx)
    expect(summary().map((s) => s.reason)).toEqual([
      'newlyMatching',
      'updated',
      'noLongerMatching',
      'noLongerMatching',
    ])
  })

  it('keeps only the matching RegistrationInfo elements in the data', async () => {
    setup()
    await store.subscriptions.create(
      't',
      subscription('urn:s:1', { entities: [{ type: 'Building' }] }),
    )
    const mixed = registration('urn:r:1', ['Building', 'Vehicle'])
    await notices.registrationChanged('t', undefined, mixed, ctx)
    const [data] = sent[0]!.body['data'] as { information: unknown[] }[]
    expect(data!.information).toEqual([{ entities: [{ type: 'Building' }] }])
  })

  it('does not notify paused, expired or periodic subscriptions', async () => {
    setup()
    const entities = [{ type: 'Building' }]
    await store.subscriptions.create('t', subscription('urn:s:1', { entities, isActive: false }))
    await store.subscriptions.create('t', subscription('urn:s:2', { entities, timeInterval: 10 }))
    const expired = subscription('urn:s:3', { entities })
    expired.body['expiresAt'] = '2020-01-01T00:00:00Z'
    await store.subscriptions.create('t', expired)
    await notices.registrationChanged('t', undefined, registration('urn:r:1', ['Building']), ctx)
    expect(sent).toEqual([])
  })

  it('matches watchedAttributes against the registered attribute names', async () => {
    setup()
    const entities = [{ type: 'Building' }]
    await store.subscriptions.create(
      't',
      subscription('urn:s:1', { entities, watchedAttributes: ['name'] }),
    )
    const withName = registration('urn:r:1', [], {
      information: [{ entities, propertyNames: ['name'] }],
    })
    const withSpeed = registration('urn:r:2', [], {
      information: [{ entities, propertyNames: ['speed'] }],
    })
    await notices.registrationChanged('t', undefined, withName, ctx)
    await notices.registrationChanged('t', undefined, withSpeed, ctx)
    expect(summary().map((s) => s.ids)).toEqual([['urn:r:1']])
  })

  it('keeps the delivery status of each subscription from the notifier outcomes', async () => {
    setup()
    await store.subscriptions.create(
      't',
      subscription('urn:s:1', { entities: [{ type: 'Building' }] }),
    )
    await notices.registrationChanged('t', undefined, registration('urn:r:1', ['Building']), ctx)
    expect(notices.delivery('t', 'urn:s:1')).toBeUndefined()
    const at = new Date(NOW)
    outcomes[0]!({ kind: 'sent', at })
    outcomes[0]!({ kind: 'failure', at, final: true, reason: 'refused' })
    expect(notices.delivery('t', 'urn:s:1')).toEqual({
      timesSent: 1,
      timesFailed: 1,
      lastNotification: AT,
      lastFailure: AT,
      status: 'failed',
    })
    notices.forget('t', 'urn:s:1')
    expect(notices.delivery('t', 'urn:s:1')).toBeUndefined()
  })

  it('reports a periodic subscription at once and then every timeInterval', async () => {
    setup()
    await store.registrations.create('t', registration('urn:r:1', ['Building']))
    const sub = subscription('urn:s:1', { entities: [{ type: 'Building' }], timeInterval: 0.05 })
    await store.subscriptions.create('t', sub)
    await notices.subscribed('t', sub, ctx)
    expect(summary()).toEqual([{ sub: 'urn:s:1', reason: 'newlyMatching', ids: ['urn:r:1'] }])
    await new Promise((r) => setTimeout(r, 130))
    notices.close()
    expect(sent.length).toBeGreaterThanOrEqual(2)
    await notices.registrationChanged('t', undefined, registration('urn:r:2', ['Building']), ctx)
    const count = sent.length
    await new Promise((r) => setTimeout(r, 80))
    expect(sent.length).toBe(count)
  })
})
