/**
 * One notification scenario of the suite in a tenant of its own: an entity, then a subscription
 * whose endpoint is a fresh receiver (the suite's subscriptions often select every Building, so
 * a tenant per test keeps concurrent tests apart).
 */
import { expect } from 'vitest'
import { startReceiver, type Received, type Receiver } from '../../helpers/notification-receiver.js'
import type { Broker, Reply } from '../support/broker.js'
import { LD, buildingId, subscriptionId } from './fixtures.js'

export interface Run {
  rx: Receiver
  entityId: string
  subId: string
  send(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>
}

/**
 * Creates `entity(id)` (unless it is undefined) and then `sub` with the receiver as endpoint;
 * `pin` puts the entity id in entities[0].
 */
export async function run(
  broker: Broker,
  entity: ((id: string) => Record<string, unknown>) | undefined,
  sub: Record<string, unknown>,
  pin = false,
): Promise<Run> {
  const rx = await startReceiver()
  const entityId = buildingId()
  const subId = subscriptionId()
  const tenant = `t${subId.slice(-10)}`
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = LD,
  ): Promise<Reply> =>
    broker.request(method, path, { headers, ...(body !== undefined && { body }), tenant })
  if (entity) expect((await send('POST', '/entities', entity(entityId))).status).toBe(201)
  const body = structuredClone(sub) as Record<string, unknown> & {
    entities: Record<string, unknown>[]
    notification: { endpoint: Record<string, unknown> }
  }
  body['id'] = subId
  body.notification.endpoint['uri'] = `${rx.url}/notify`
  if (pin) body.entities[0]!['id'] = entityId
  expect((await send('POST', '/subscriptions', body)).status).toBe(201)
  return { rx, entityId, subId, send }
}

/** The first entity of a notification. */
export const first = (body: Record<string, unknown>): Record<string, unknown> =>
  (body['data'] as Record<string, unknown>[])[0]!

/**
 * The run's next notification (waiting up to 10 s), checked to be for its subscription and to
 * carry its entity alone.
 */
export async function nextOfRun(r: Run): Promise<Received> {
  const n = await r.rx.next(10_000)
  expect(n.body['subscriptionId']).toBe(r.subId)
  expect(n.body['data']).toHaveLength(1)
  expect(first(n.body)['id']).toBe(r.entityId)
  return n
}
