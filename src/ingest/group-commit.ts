/**
 * Group commit: messages that arrive while the store is busy are written together in one
 * transaction, so one fsync covers thousands of data points. Each caller's promise settles only
 * when its data is durable (or the transaction failed) — the point where ingest may acknowledge.
 *
 * Memory is bounded by `maxQueuedPoints`: `waitForRoom()` lets producers (MQTT) pause, and
 * `hasRoom()` lets HTTP answer 503 instead of queueing without bound.
 */
import type {
  DeviceActivity,
  EntityPatch,
  IngestBatch,
  PatchResult,
  Store,
} from '../store/store.js'
import type { Observation } from '../core/observation.js'

export interface CommitItem {
  tenant: string
  patch: EntityPatch | undefined
  observations: Observation[]
  points: number
}

interface Pending extends CommitItem {
  resolve: () => void
  reject: (err: Error) => void
}

export interface CommitStats {
  commits: number
  points: number
  lastCommitMs: number
  lastBatchPoints: number
}

export interface GroupCommitterOptions {
  maxBatchPoints: number
  maxQueuedPoints: number
  onCommitted?: (results: PatchResult[], stats: { ms: number; points: number }) => void
  onError?: (err: Error) => void
}

export class GroupCommitter {
  private queue: Pending[] = []
  private queuedPoints = 0
  private activity = new Map<string, { tenant: string } & DeviceActivity>()
  private scheduled = false
  private committing = false
  private closed = false
  private roomWaiters: (() => void)[] = []
  readonly stats: CommitStats = { commits: 0, points: 0, lastCommitMs: 0, lastBatchPoints: 0 }

  constructor(
    private readonly store: Pick<Store, 'ingest'>,
    private readonly opts: GroupCommitterOptions,
  ) {}

  get depth(): number {
    return this.queuedPoints
  }

  hasRoom(): boolean {
    return this.queuedPoints < this.opts.maxQueuedPoints
  }

  /** Resolves when the queue has room again (immediately if it has). */
  waitForRoom(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve()
    return new Promise((resolve) => this.roomWaiters.push(resolve))
  }

  /** Queues data; resolves once it is committed to disk. */
  submit(item: CommitItem): Promise<void> {
    if (this.closed) return Promise.reject(new Error('ingest is shutting down'))
    return new Promise<void>((resolve, reject) => {
      // Built field by field: V8 is slow on `{ ...item, resolve, reject }` in this hot path.
      this.queue.push({
        tenant: item.tenant,
        patch: item.patch,
        observations: item.observations,
        points: item.points,
        resolve,
        reject,
      })
      this.queuedPoints += item.points
      this.schedule()
    })
  }

  /** Counts a message (accepted or rejected) against its device; written with the next commit. */
  noteActivity(
    tenant: string,
    deviceId: string,
    at: string,
    accepted: boolean,
    error?: string,
  ): void {
    const key = `${tenant}\u0000${deviceId}`
    let a = this.activity.get(key)
    if (!a) this.activity.set(key, (a = { tenant, deviceId, at, messages: 0, rejected: 0 }))
    if (accepted) a.messages++
    else a.rejected++
    if (at > a.at) a.at = at
    if (error !== undefined) a.lastError = error
    this.schedule()
  }

  private schedule(): void {
    if (this.scheduled || this.committing) return
    this.scheduled = true
    // setImmediate lets every message already read from sockets join this commit.
    setImmediate(() => void this.flush())
  }

  private async flush(): Promise<void> {
    this.scheduled = false
    if (this.committing) return
    if (this.queue.length === 0 && this.activity.size === 0) return
    this.committing = true
    let points = 0
    let n = 0
    // Fill up to maxBatchPoints; an item larger than that alone still goes, in a commit of its own.
    // One splice, not shift() per item: shift is O(queue) and the queue holds tens of thousands.
    while (n < this.queue.length) {
      const next = this.queue[n] as Pending
      if (n > 0 && points + next.points > this.opts.maxBatchPoints) break
      points += next.points
      n++
    }
    const take = this.queue.splice(0, n)
    const activity = [...this.activity.values()]
    this.activity.clear()
    const batches = toBatches(take, activity)
    const started = performance.now()
    try {
      const results = await this.store.ingest(batches)
      const ms = performance.now() - started
      Object.assign(this.stats, {
        commits: this.stats.commits + 1,
        points: this.stats.points + points,
        lastCommitMs: ms,
        lastBatchPoints: points,
      })
      this.queuedPoints -= points
      for (const p of take) p.resolve()
      this.opts.onCommitted?.(results, { ms, points })
    } catch (err) {
      this.queuedPoints -= points
      const e = err instanceof Error ? err : new Error(String(err))
      this.opts.onError?.(e)
      for (const p of take) p.reject(e)
    } finally {
      this.committing = false
      this.releaseRoom()
      if (this.queue.length > 0 || this.activity.size > 0) this.schedule()
    }
  }

  private releaseRoom(): void {
    while (this.roomWaiters.length > 0 && this.hasRoom()) this.roomWaiters.shift()?.()
  }

  /** Commits what is queued and refuses new work. */
  async close(): Promise<void> {
    this.closed = true
    while (this.queue.length > 0 || this.activity.size > 0 || this.committing) {
      if (!this.committing) await this.flush()
      else await new Promise((r) => setImmediate(r))
    }
    for (const w of this.roomWaiters.splice(0)) w()
  }
}

function toBatches(
  items: readonly Pending[],
  activity: readonly ({ tenant: string } & DeviceActivity)[],
): IngestBatch[] {
  const byTenant = new Map<
    string,
    { patches: EntityPatch[]; observations: Observation[]; activity: DeviceActivity[] }
  >()
  const get = (t: string) => {
    let b = byTenant.get(t)
    if (!b) byTenant.set(t, (b = { patches: [], observations: [], activity: [] }))
    return b
  }
  for (const it of items) {
    const b = get(it.tenant)
    if (it.patch) b.patches.push(it.patch)
    for (const o of it.observations) b.observations.push(o)
  }
  for (const a of activity) {
    const activity: DeviceActivity = {
      deviceId: a.deviceId,
      at: a.at,
      messages: a.messages,
      rejected: a.rejected,
    }
    if (a.lastError !== undefined) activity.lastError = a.lastError
    get(a.tenant).activity.push(activity)
  }
  return [...byTenant].map(([tenant, b]) => ({ tenant, ...b }))
}
