/**
 * NGSI-LD subscriptions at run time: the CRUD the routes call (store + match index kept in step),
 * matching of every `entity.changed` event against the index, throttling, periodic
 * (`timeInterval`) notifications, and the delivery status of each subscription (kept in memory,
 * written to the store in small batches so deliveries never wait on the disk).
 *
 * @example
 *   const subs = createSubscriptionService({ store, entities, bus, contexts, log, checkUrl, delivery })
 *   await subs.start()
 */
import { randomUUID } from 'node:crypto'
import type { Bus, EntityChanged } from '../../bus/bus.js'
import type { Entity } from '../../core/ngsi.js'
import type { DeliveryStatus, NotificationMessage, Subscription } from '../../core/subscription.js'
import type { Logger } from '../../log/logger.js'
import type { EntityStore, StoredSubscription, SubscriptionStore } from '../../store/store.js'
import type { ContextProcessor } from '../jsonld/index.js'
import { loadLinked } from '../query/index.js'
import {
  buildJoinedNotification,
  buildNotification,
  type NotifiedEntity,
} from './build-notification.js'
import { compileSubscription, type CompiledSubscription } from './compile-subscription.js'
import { matchChange } from './match-change.js'
import { createNotifier, foldOutcome, type NotifierOptions, type Outcome } from './notifier.js'
import { SubscriptionIndex } from './subscription-index.js'

export interface SubscriptionServiceDeps {
  store: SubscriptionStore
  /** For periodic (timeInterval) notifications, which report every matching entity. */
  entities: EntityStore
  bus: Bus
  contexts: ContextProcessor
  log: Logger
  /** The SSRF guard for endpoint URIs (at create, update and every send). */
  checkUrl: (uri: string) => Promise<void>
  delivery: Omit<NotifierOptions, 'checkUrl' | 'onOutcome' | 'log' | 'clock'>
  clock?: () => Date
  newId?: () => string
  /** How often changed delivery statuses are written to the store. */
  flushIntervalMs?: number
  /** Entity changes waiting for matching beyond which new ones are dropped (and logged). */
  maxPendingChanges?: number
  /** Most entities in one periodic notification. */
  maxPeriodicEntities?: number
}

export interface SubscriptionService {
  /** @throws AppError BadRequestData (refused endpoint), AlreadyExists, LdContextNotAvailable */
  create(tenant: string, sub: Subscription): Promise<void>
  get(tenant: string, id: string): Promise<StoredSubscription | undefined>
  list(
    tenant: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: StoredSubscription[]; count: number }>
  replace(tenant: string, sub: Subscription): Promise<void>
  delete(tenant: string, id: string): Promise<boolean>
  start(): Promise<void>
  /** Resolves when every change so far is matched and every notification delivered or given up. */
  settled(): Promise<void>
  stop(): Promise<void>
  /**
   * Delivers a message made elsewhere (context source notifications) through the same notifier:
   * SSRF guard and retries; its outcomes go to `onOutcome`, not to a delivery status kept here.
   */
  send(message: NotificationMessage, onOutcome?: (outcome: Outcome) => void): void
  readonly size: number
}

const key = (tenant: string, id: string) => `${tenant}\u0000${id}`

export function createSubscriptionService(deps: SubscriptionServiceDeps): SubscriptionService {
  const clock = deps.clock ?? (() => new Date())
  const newId = deps.newId ?? randomUUID
  const maxPending = deps.maxPendingChanges ?? 100_000
  const index = new SubscriptionIndex()
  const periodic = new Map<string, NodeJS.Timeout>()
  const delivery = new Map<string, DeliveryStatus>()
  const dirty = new Set<string>()
  // A FIFO read from `head`: Array.shift() is O(length) and a burst queues tens of thousands.
  let changes: EntityChanged[] = []
  let head = 0
  let draining = false
  let dropped = 0
  let unsubscribe: (() => void) | undefined
  let flushTimer: NodeJS.Timeout | undefined

  const notifier = createNotifier({
    ...deps.delivery,
    checkUrl: deps.checkUrl,
    log: deps.log,
    clock,
    onOutcome: record,
  })

  const foreign = new WeakMap<NotificationMessage, (outcome: Outcome) => void>()

  function record(m: NotificationMessage, o: Outcome): void {
    const own = foreign.get(m)
    if (own) return own(o)
    const k = key(m.tenant, m.subscriptionId)
    const d = delivery.get(k) ?? { timesSent: 0, timesFailed: 0 }
    foldOutcome(d, o)
    delivery.set(k, d)
    dirty.add(k)
  }

  async function flush(): Promise<void> {
    const keys = [...dirty]
    dirty.clear()
    for (const k of keys) {
      const [tenant = '', id = ''] = k.split('\u0000')
      const d = delivery.get(k)
      if (d) await deps.store.recordDelivery(tenant, id, { ...d })
    }
  }

  function withLiveStatus(s: StoredSubscription): StoredSubscription {
    const d = delivery.get(key(s.tenant, s.subscription.id))
    return d ? { ...s, delivery: { ...d } } : s
  }

  function isActive(c: CompiledSubscription, nowMs: number): boolean {
    if (c.sub.isActive === false) return false
    return c.sub.expiresAt === undefined || Date.parse(c.sub.expiresAt) > nowMs
  }

  const read = (tenant: string) => (id: string) =>
    deps.entities.read(tenant, id) as Promise<Entity | undefined>

  /** Subscriptions without join; joining ones go through `deferred` (store reads). */
  function notify(c: CompiledSubscription, items: NotifiedEntity[], now: Date): void {
    c.lastNotifiedAt = now.getTime()
    notifier.enqueue(
      buildNotification({ sub: c.sub, ctx: c.notifyCtx, items, tenant: c.tenant, now, newId }),
    )
  }

  async function notifyJoined(
    c: CompiledSubscription,
    items: NotifiedEntity[],
    now: Date,
  ): Promise<void> {
    c.lastNotifiedAt = now.getTime()
    const input = { sub: c.sub, ctx: c.notifyCtx, items, tenant: c.tenant, now, newId }
    notifier.enqueue(await buildJoinedNotification(input, read(c.tenant)))
  }

  const throttled = (c: CompiledSubscription, nowMs: number): boolean =>
    c.sub.throttling !== undefined && nowMs - c.lastNotifiedAt < c.sub.throttling * 1000

  // Work that reads the store (linked-entity q terms, join) runs here, one task after another, so
  // the notifications of one subscription keep the order of the changes. Only subscriptions
  // that use those features ever add to it; matching of all the others stays synchronous.
  let deferredTail: Promise<void> = Promise.resolve()
  let deferredCount = 0
  let deferredDropped = 0
  const maxDeferred = deps.maxPendingChanges ?? 100_000

  function defer(task: () => Promise<void>): void {
    if (deferredCount >= maxDeferred) {
      if (deferredDropped++ % 10_000 === 0)
        deps.log.warn(
          { dropped: deferredDropped },
          'linked-entity matching is behind; notifications dropped',
        )
      return
    }
    deferredCount++
    deferredTail = deferredTail
      .then(task)
      .catch((err: unknown) => deps.log.error({ err }, 'linked-entity matching failed'))
      .finally(() => deferredCount--)
  }

  /** The exact q of a subscription with linked-entity terms, once their targets are read. */
  async function linkedHolds(c: CompiledSubscription, entity: Entity): Promise<boolean> {
    const linked = c.linked
    if (!linked) return true
    const resolve = await loadLinked([entity], linked.paths, linked.expand, read(c.tenant))
    return linked.holds(entity, resolve)
  }

  function match(event: EntityChanged): void {
    const now = clock()
    const nowMs = now.getTime()
    // Deletions report on every attribute the entity had, so watchers are not narrowed for them.
    const changed = event.kind === 'deleted' ? undefined : event.attrs
    for (const c of index.candidates(event.tenant, event.entityId, event.types, changed)) {
      if (c.sub.timeInterval !== undefined || !isActive(c, nowMs)) continue
      if (throttled(c, nowMs)) continue
      const item = matchChange(c, event)
      if (!item) continue
      if (!c.linked && !c.joins) {
        notify(c, [item], now)
        continue
      }
      defer(async () => {
        if (!(await linkedHolds(c, item.entity))) return
        // A change matched before this one may have notified meanwhile.
        if (throttled(c, clock().getTime())) return
        if (c.joins) await notifyJoined(c, [item], now)
        else notify(c, [item], now)
      })
    }
  }

  // Matching runs after the publisher's turn, in slices, so a burst of ingest commits is
  // acknowledged first and the event loop keeps serving requests between slices.
  function drain(): void {
    const started = Date.now()
    while (head < changes.length && Date.now() - started < 20) {
      const event = changes[head]!
      changes[head++] = undefined as unknown as EntityChanged
      try {
        match(event)
      } catch (err) {
        deps.log.error({ err }, 'subscription matching failed')
      }
    }
    if (head < changes.length) setImmediate(drain)
    else {
      changes = []
      head = 0
      draining = false
      settleWaiters.splice(0).forEach((w) => w())
    }
  }
  const settleWaiters: (() => void)[] = []

  function onChange(event: EntityChanged): void {
    if (index.size === 0) return
    if (changes.length - head >= maxPending) {
      if (dropped++ % 10_000 === 0)
        deps.log.warn({ dropped }, 'subscription matching is behind; entity changes dropped')
      return
    }
    changes.push(event)
    if (!draining) {
      draining = true
      setImmediate(drain)
    }
  }

  async function periodicRun(c: CompiledSubscription): Promise<void> {
    const now = clock()
    if (!isActive(c, now.getTime())) return
    const single = c.sub.entities?.length === 1 ? c.sub.entities[0] : undefined
    const page = await deps.entities.query(c.tenant, {
      ...(single && { types: single.types }),
      filter: (e: Entity) => c.selects(e) && c.filters(e),
      limit: deps.maxPeriodicEntities ?? 1000,
      offset: 0,
      count: false,
    })
    let entities = page.entities
    if (c.linked) {
      const linked = c.linked
      const resolve = await loadLinked(entities, linked.paths, linked.expand, read(c.tenant))
      entities = entities.filter((e) => linked.holds(e, resolve))
    }
    if (entities.length === 0) return
    const items = entities.map((entity) => ({ entity }))
    if (c.joins) await notifyJoined(c, items, now)
    else notify(c, items, now)
  }

  function schedule(c: CompiledSubscription): void {
    const k = key(c.tenant, c.sub.id)
    clearInterval(periodic.get(k))
    periodic.delete(k)
    if (c.sub.timeInterval === undefined) return
    const timer = setInterval(() => {
      periodicRun(c).catch((err: unknown) =>
        deps.log.error({ err, subscriptionId: c.sub.id }, 'periodic notification failed'),
      )
    }, c.sub.timeInterval * 1000)
    timer.unref()
    periodic.set(k, timer)
  }

  async function activate(tenant: string, sub: Subscription): Promise<void> {
    const compiled = await compileSubscription(tenant, sub, deps.contexts)
    const before = index.get(tenant, sub.id)
    if (before) compiled.lastNotifiedAt = before.lastNotifiedAt
    index.add(compiled)
    schedule(compiled)
  }

  function deactivate(tenant: string, id: string): void {
    index.remove(tenant, id)
    const k = key(tenant, id)
    clearInterval(periodic.get(k))
    periodic.delete(k)
  }

  return {
    async create(tenant, sub) {
      await deps.checkUrl(sub.notification.endpoint.uri)
      // Compiling first: an unreachable jsonldContext fails the request before anything is stored.
      await compileSubscription(tenant, sub, deps.contexts)
      await deps.store.create(tenant, sub)
      await activate(tenant, sub)
    },
    async get(tenant, id) {
      const s = await deps.store.get(tenant, id)
      return s && withLiveStatus(s)
    },
    async list(tenant, page) {
      const r = await deps.store.list(tenant, page)
      return { items: r.items.map(withLiveStatus), count: r.count }
    },
    async replace(tenant, sub) {
      await deps.checkUrl(sub.notification.endpoint.uri)
      await compileSubscription(tenant, sub, deps.contexts)
      await deps.store.replace(tenant, sub)
      await activate(tenant, sub)
    },
    async delete(tenant, id) {
      const deleted = await deps.store.delete(tenant, id)
      deactivate(tenant, id)
      delivery.delete(key(tenant, id))
      dirty.delete(key(tenant, id))
      return deleted
    },
    async start() {
      for (const s of await deps.store.all()) {
        delivery.set(key(s.tenant, s.subscription.id), s.delivery)
        try {
          await activate(s.tenant, s.subscription)
        } catch (err) {
          deps.log.error(
            { err, subscriptionId: s.subscription.id },
            'subscription cannot be activated',
          )
        }
      }
      unsubscribe = deps.bus.subscribe('entity.changed', onChange)
      flushTimer = setInterval(() => {
        flush().catch((err: unknown) => deps.log.error({ err }, 'delivery status not saved'))
      }, deps.flushIntervalMs ?? 500)
      flushTimer.unref()
    },
    async settled() {
      if (draining) await new Promise<void>((resolve) => settleWaiters.push(resolve))
      await deferredTail
      await notifier.idle()
    },
    async stop() {
      unsubscribe?.()
      await deferredTail
      clearInterval(flushTimer)
      for (const t of periodic.values()) clearInterval(t)
      periodic.clear()
      await notifier.close()
      await flush()
    },
    send(message, onOutcome) {
      foreign.set(message, onOutcome ?? (() => undefined))
      notifier.enqueue(message)
    },
    get size() {
      return index.size
    },
  }
}
