/**
 * Delivery of notifications, off the ingest path: one bounded queue per endpoint URI (order kept
 * per endpoint, one request in flight each), retries with exponential back-off, and a report of
 * every outcome so the subscription's delivery status can be kept. Transports are injected
 * (HTTP, MQTT); the URL guard runs before every attempt, because DNS answers change.
 *
 * @example
 *   const notifier = createNotifier({ senders: [http, mqtt], checkUrl, onOutcome, ...limits })
 *   notifier.enqueue(message)
 */
import { isAppError } from '../../core/errors.js'
import type {
  DeliveryStatus,
  NotificationMessage,
  NotificationSender,
} from '../../core/subscription.js'
import type { Logger } from '../../log/logger.js'

export type Outcome =
  /** First attempt of a notification started. */
  | { kind: 'sent'; at: Date }
  | { kind: 'success'; at: Date }
  /** One attempt failed; `final` when no more attempts follow. */
  | { kind: 'failure'; at: Date; final: boolean; reason: string }

/** Folds one delivery outcome into a status, for entity and registration subscriptions alike. */
export function foldOutcome(d: DeliveryStatus, o: Outcome): void {
  const at = o.at.toISOString()
  if (o.kind === 'sent') {
    d.timesSent++
    d.lastNotification = at
  } else if (o.kind === 'success') {
    d.lastSuccess = at
    d.status = 'ok'
  } else {
    d.lastFailure = at
    d.status = 'failed'
    if (o.final) d.timesFailed++
  }
}

export interface NotifierOptions {
  senders: readonly NotificationSender[]
  /** The SSRF guard; throws to refuse a URL. */
  checkUrl: (uri: string) => Promise<void>
  onOutcome: (message: NotificationMessage, outcome: Outcome) => void
  log: Logger
  timeoutMs: number
  maxQueuedPerEndpoint: number
  maxAttempts: number
  /**
   * Requests in flight per endpoint. 1 keeps notifications in order; more keeps a busy endpoint
   * fed while this process is loaded (each request then waits less on the event loop).
   */
  maxInFlightPerEndpoint?: number
  /** First back-off delay; doubles per attempt. */
  backoffMs?: number
  clock?: () => Date
}

export interface Notifier {
  enqueue(message: NotificationMessage): void
  /** Messages waiting or in flight. */
  readonly pending: number
  /** Resolves when every queue is empty (tests, shutdown). */
  idle(): Promise<void>
  close(): Promise<void>
}

interface Queue {
  items: NotificationMessage[]
  active: number
}

export function createNotifier(opts: NotifierOptions): Notifier {
  const clock = opts.clock ?? (() => new Date())
  const backoff = opts.backoffMs ?? 250
  const queues = new Map<string, Queue>()
  const idleWaiters: (() => void)[] = []
  let pending = 0
  let closed = false
  /** Back-off waits, ended early by close(). */
  const timers = new Map<NodeJS.Timeout, () => void>()

  const senderFor = (uri: string): NotificationSender | undefined => {
    const scheme = uri.slice(0, uri.indexOf(':')).toLowerCase()
    return opts.senders.find((s) => s.schemes.includes(scheme))
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.set(t, resolve)
    })

  async function deliver(m: NotificationMessage): Promise<void> {
    opts.onOutcome(m, { kind: 'sent', at: clock() })
    const timeout = m.endpoint.timeout ?? opts.timeoutMs
    for (let attempt = 1; ; attempt++) {
      let retry = true
      try {
        await opts.checkUrl(m.endpoint.uri)
        const sender = senderFor(m.endpoint.uri)
        if (!sender) {
          retry = false
          throw new Error(`no transport for ${m.endpoint.uri}`)
        }
        await sender.send(m, timeout)
        opts.onOutcome(m, { kind: 'success', at: clock() })
        return
      } catch (err) {
        // A refused URL stays refused: no point trying it again.
        if (isAppError(err)) retry = false
        const final = !retry || closed || attempt >= opts.maxAttempts
        const reason = err instanceof Error ? err.message : String(err)
        opts.onOutcome(m, { kind: 'failure', at: clock(), final, reason })
        if (final) {
          opts.log.warn(
            { subscriptionId: m.subscriptionId, attempt, reason },
            'notification failed',
          )
          return
        }
        await sleep(backoff * 2 ** (attempt - 1))
        if (closed) return
      }
    }
  }

  const inFlight = opts.maxInFlightPerEndpoint ?? 1

  async function worker(key: string, q: Queue): Promise<void> {
    while (q.items.length > 0) {
      const m = q.items.shift()!
      await deliver(m)
      pending--
    }
    q.active--
    if (q.active === 0 && queues.get(key) === q) queues.delete(key)
    if (pending === 0) idleWaiters.splice(0).forEach((w) => w())
  }

  return {
    enqueue(m) {
      if (closed) return
      const key = m.endpoint.uri
      let q = queues.get(key)
      if (!q) queues.set(key, (q = { items: [], active: 0 }))
      if (q.items.length >= opts.maxQueuedPerEndpoint) {
        // A slow endpoint must not hold memory without bound: the oldest waiting one goes.
        const dropped = q.items.shift()!
        pending--
        opts.onOutcome(dropped, { kind: 'sent', at: clock() })
        opts.onOutcome(dropped, {
          kind: 'failure',
          at: clock(),
          final: true,
          reason: 'dropped: the endpoint queue is full',
        })
      }
      q.items.push(m)
      pending++
      if (q.active < inFlight) {
        q.active++
        void worker(key, q)
      }
    },
    get pending() {
      return pending
    },
    idle() {
      if (pending === 0) return Promise.resolve()
      return new Promise((resolve) => idleWaiters.push(resolve))
    },
    async close() {
      closed = true
      for (const [t, resolve] of timers) {
        clearTimeout(t)
        resolve()
      }
      timers.clear()
      for (const q of queues.values()) {
        pending -= q.items.length
        q.items.length = 0
      }
      await Promise.all(opts.senders.map((s) => s.close()))
      idleWaiters.splice(0).forEach((w) => w())
    },
  }
}
