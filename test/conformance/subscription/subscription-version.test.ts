/**
 * ETSI GS CIM 014 — Subscription / RetrieveSubscription 436_09, 436_10 (clauses 6.3.6, 4.3.6.8):
 * `Prefer: ngsi-ld=<version>` on a Subscription. The version fallbacks cover Entity data only,
 * so the Subscription comes back unaltered with 200, and Preference-Applied names the version in
 * every spelling RFC 7240 allows for the preference.
 */
import { describe, expect, it } from 'vitest'
import { postLd, subscription, subscriptionId, useTestContext } from './fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

/** The suite's subscription-building-entities-active-notificationAttributes sample. */
async function created(): Promise<string> {
  const id = subscriptionId()
  const body = subscription(id, ctx.url, { isActive: true }, { attributes: ['airQualityLevel'] })
  expect((await postLd(broker, '/subscriptions', body)).status).toBe(201)
  return id
}

describe.concurrent('RetrieveSubscription with a version preference', () => {
  it('436_09_01 preferring an earlier version leaves a subscription unaltered', async () => {
    const id = await created()
    const r = await broker.request('GET', `/subscriptions/${id}`, {
      headers: { prefer: 'ngsi-ld=1.0', link: ctx.link },
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('preference-applied')).toBe('ngsi-ld=1.0')
    const body = r.body as {
      type: unknown
      entities: unknown
      notification: { attributes: unknown }
    }
    expect(body.type).toBe('Subscription')
    expect(Array.isArray(body.entities)).toBe(true)
    expect(body.notification.attributes).toEqual(['airQualityLevel'])
  })

  const applied = (prefer: string) => async () => {
    const id = await created()
    const r = await broker.request('GET', `/subscriptions/${id}`, { headers: { prefer } })
    expect(r.status).toBe(200)
    expect(r.headers.get('preference-applied')).toBe('ngsi-ld=1.0')
  }

  it('436_10_01 an upper case preference name is honoured', applied('NGSI-LD=1.0'))
  it('436_10_02 a mixed case preference name is honoured', applied('Ngsi-Ld=1.0'))
  it('436_10_03 a quoted preference value is honoured', applied('ngsi-ld="1.0"'))
  it('436_10_04 a preference with its own parameters is honoured', applied('ngsi-ld=1.0;q=0.1'))
  it('436_10_05 the preference is found among others', applied('respond-async, ngsi-ld=1.0'))
})
