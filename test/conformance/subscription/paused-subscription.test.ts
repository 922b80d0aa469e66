/**
 * ETSI GS CIM 014 — Subscription / SubscriptionNotificationBehaviour: 5212_01 (a paused
 * subscription delivers nothing, and delivers again once resumed; Table 5.2.12-1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReceiver } from '../../helpers/notification-receiver.js'
import {
  LD,
  airQualityFragment,
  building,
  buildingId,
  subscriptionId,
  useTestContext,
} from './fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

describe('SubscriptionNotificationBehaviour (extensions)', () => {
  describe('a paused subscription (robot file 5212_01)', () => {
    const entityId = buildingId()
    const subId = subscriptionId()
    let rx: Awaited<ReturnType<typeof startReceiver>>

    beforeAll(async () => {
      rx = await startReceiver()
      const sub = {
        id: subId,
        type: 'Subscription',
        entities: [{ type: 'Building' }],
        isActive: false,
        notification: { endpoint: { uri: `${rx.url}/notify` } },
        '@context': [ctx.url],
      }
      expect(
        (await broker.request('POST', '/subscriptions', { headers: LD, body: sub })).status,
      ).toBe(201)
    })
    afterAll(async () => rx?.close())

    it('5212_01_01 delivers no notification', async () => {
      const r = await broker.request('POST', '/entities', {
        headers: LD,
        body: building(entityId, ctx.url),
      })
      expect(r.status).toBe(201)
      await expect(rx.next(5000)).rejects.toThrow(/no notification/)
    })

    it('5212_01_02 delivers again once resumed', async () => {
      const resumed = await broker.request('PATCH', `/subscriptions/${subId}`, {
        body: { isActive: true },
      })
      expect(resumed.status).toBe(204)
      const r = await broker.request('PATCH', `/entities/${entityId}/attrs/`, {
        headers: LD,
        body: airQualityFragment(ctx.url),
      })
      expect(r.status).toBe(204)
      const n = await rx.next(10_000)
      expect(n.body['subscriptionId']).toBe(subId)
      const data = n.body['data'] as { id: string }[]
      expect(data.length).toBeGreaterThan(0)
      expect(data[0]!.id).toBe(entityId)
    })
  })
})
