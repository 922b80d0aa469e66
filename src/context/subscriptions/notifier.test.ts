/**
 * The notifier's delivery rules with a scripted transport (the real HTTP and MQTT senders are
 * covered in notifications.test.ts and test/integration/mqtt-notifications.test.ts): retries
 * with doubling back-off, the URL guard at send time, bounded queues per endpoint, order.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import type { NotificationMessage, NotificationSender } from '../../core/subscription.js'
import { silentLogger } from '../../log/logger.js'
import { createNotifier, type Outcome } from './notifier.js'

function message(n: number, uri = 'http://a.example/n'): NotificationMessage {
  return {
    tenant: 'default',
    subscriptionId: `urn:s:${n}`,
    endpoint: { uri },
    body: { n },
    contentType: 'application/json',
  }
}

function scripted(results: (Error | undefined)[], delayMs = 0) {
  const calls: { n: unknown; at: number }[] = []
  const sender: NotificationSender = {
    schemes: ['http'],
    async send(m) {
      calls.push({ n: m.body['n'], at: Date.now() })
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs))
      const r = results.shift()
      if (r) throw r
    },
    close: () => Promise.resolve(),
  }
  return { sender, calls }
}

function setup(
  sender: NotificationSender,
  extra: { checkUrl?: (u: string) => Promise<void>; max?: number; inFlight?: number } = {},
) {
  const outcomes: { n: unknown; o: Outcome }[] = []
  const notifier = createNotifier({
    senders: [sender],
    checkUrl: extra.checkUrl ?? (() => Promise.resolve()),
    onOutcome: (m, o) => outcomes.push({ n: m.body['n'], o }),
    log: silentLogger,
    timeoutMs: 1000,
    maxQueuedPerEndpoint: extra.max ?? 100,
    maxAttempts: 3,
    backoffMs: 30,
    maxInFlightPerEndpoint: extra.inFlight ?? 1,
  })
  return { notifier, outcomes }
}

describe('notifier', () => {
  it('retries failed attempts with doubling back-off, then succeeds', async () => {
    const { sender, calls } = scripted([new Error('down'), new Error('down'), undefined])
    const { notifier, outcomes } = setup(sender)
    notifier.enqueue(message(1))
    await notifier.idle()
    expect(calls).toHaveLength(3)
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(25)
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(55)
    expect(outcomes.map((x) => x.o.kind)).toEqual(['sent', 'failure', 'failure', 'success'])
    expect(
      outcomes.filter((x) => x.o.kind === 'failure').every((x) => !('final' in x.o) || !x.o.final),
    ).toBe(true)
    await notifier.close()
  })

  it('gives up after maxAttempts with a final failure', async () => {
    const { sender, calls } = scripted([new Error('a'), new Error('b'), new Error('c')])
    const { notifier, outcomes } = setup(sender)
    notifier.enqueue(message(1))
    await notifier.idle()
    expect(calls).toHaveLength(3)
    const last = outcomes.at(-1)!.o
    expect(last).toMatchObject({ kind: 'failure', final: true, reason: 'c' })
    await notifier.close()
  })

  it('runs the URL guard before each send; a refused URL is not retried', async () => {
    const { sender, calls } = scripted([])
    const checkUrl = () => Promise.reject(new AppError('BadRequestData', 'private address'))
    const { notifier, outcomes } = setup(sender, { checkUrl })
    notifier.enqueue(message(1))
    await notifier.idle()
    expect(calls).toHaveLength(0)
    expect(outcomes.at(-1)!.o).toMatchObject({ kind: 'failure', final: true })
    await notifier.close()
  })

  it('keeps order per endpoint and drops the oldest waiting when the queue is full', async () => {
    const { sender, calls } = scripted([], 20)
    const { notifier, outcomes } = setup(sender, { max: 2 })
    for (const n of [1, 2, 3, 4]) notifier.enqueue(message(n))
    await notifier.idle()
    // 1 was in flight; 2 was dropped when 4 arrived.
    expect(calls.map((c) => c.n)).toEqual([1, 3, 4])
    expect(outcomes.find((x) => x.n === 2 && x.o.kind === 'failure')?.o).toMatchObject({
      final: true,
      reason: expect.stringContaining('queue is full') as unknown,
    })
    await notifier.close()
  })

  it('endpoints do not wait for each other', async () => {
    const slow: NotificationSender = {
      schemes: ['http'],
      send: (m) => new Promise((r) => setTimeout(r, m.endpoint.uri.includes('slow') ? 300 : 0)),
      close: () => Promise.resolve(),
    }
    const { notifier, outcomes } = setup(slow)
    notifier.enqueue(message(1, 'http://slow.example/n'))
    notifier.enqueue(message(2, 'http://fast.example/n'))
    await new Promise((r) => setTimeout(r, 100))
    expect(outcomes.filter((x) => x.o.kind === 'success').map((x) => x.n)).toEqual([2])
    await notifier.idle()
    await notifier.close()
  })

  it('an endpoint scheme no transport handles fails at once', async () => {
    const { sender } = scripted([])
    const { notifier, outcomes } = setup(sender)
    notifier.enqueue(message(1, 'mqtt://broker.example/t'))
    await notifier.idle()
    expect(outcomes.at(-1)!.o).toMatchObject({ kind: 'failure', final: true })
    await notifier.close()
  })

  it('keeps up to maxInFlightPerEndpoint requests going to one endpoint', async () => {
    let now = 0
    let peak = 0
    const sender: NotificationSender = {
      schemes: ['http'],
      async send() {
        peak = Math.max(peak, ++now)
        await new Promise((r) => setTimeout(r, 30))
        now--
      },
      close: () => Promise.resolve(),
    }
    const { notifier, outcomes } = setup(sender, { inFlight: 3 })
    for (const n of [1, 2, 3, 4, 5, 6, 7]) notifier.enqueue(message(n))
    await notifier.idle()
    expect(peak).toBe(3)
    expect(outcomes.filter((x) => x.o.kind === 'success')).toHaveLength(7)
    await notifier.close()
  })
})
