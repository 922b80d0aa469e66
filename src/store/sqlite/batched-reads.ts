/**
 * Reads answered once per event-loop turn, together. Each read waits for setImmediate; then queued
 * jobs (entity queries) run, cached entities are answered from the cache and the rest from SQLite
 * in one read transaction.
 *
 * - A statement outside a transaction opens and closes its own WAL read transaction: two fcntl
 *   lock calls and an fstat, about half of a random entity read at 1M entities on this VM.
 * - Answering the requests of a turn together, after the event loop has read every ready socket,
 *   also made a cached read cheaper in CPU per request (retrieve at 10k, interleaved runs with the
 *   server pinned to one core: median ~52 → ~45 µs), and a query by type + q at 10k ~109 → ~82
 *   µs (three interleaved pairs): the replies go out in one burst.
 *
 * Reads run after every write committed earlier in the turn, so a client that wrote and was
 * answered reads its own write; better-sqlite3 transactions are synchronous, so no write
 * transaction can be open at that moment.
 */
import type { Entity } from '../../core/ngsi.js'
import type { SerializedEntity } from '../store.js'
import type { Db } from './open-database.js'

type Found = Entity | SerializedEntity | undefined

interface PendingRead {
  tenant: string
  id: string
  /** Whether the stored serialization may answer (readSerialized). */
  serialized: boolean
  resolve: (e: Found) => void
  reject: (err: unknown) => void
}

export interface BatchedReads {
  read(tenant: string, id: string): Promise<Entity | undefined>
  /** As `read`, but an entity not in the cache may come as its stored serialization. */
  readSerialized(tenant: string, id: string): Promise<Found>
  /** Runs `job` with the reads of this turn. */
  run<T>(job: () => T): Promise<T>
}

export interface ReadSources {
  /** The cached entity, if any: no statement. */
  cached(tenant: string, id: string): Entity | undefined
  /** The entity read from the database. */
  load(tenant: string, id: string): Entity | undefined
  /** The stored serialization, else the entity read from the database. */
  loadSerialized(tenant: string, id: string): Found
}

export function createBatchedReads(db: Db, sources: ReadSources): BatchedReads {
  let pending: PendingRead[] = []
  let jobs: (() => void)[] = []
  let scheduled = false
  const schedule = () => {
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
  const loadAll = (misses: readonly PendingRead[]): Found[] =>
    misses.map((r) =>
      r.serialized ? sources.loadSerialized(r.tenant, r.id) : sources.load(r.tenant, r.id),
    )
  const loadAllInOneTransaction = db.transaction(loadAll)

  const flush = (): void => {
    scheduled = false
    const batch = pending
    pending = []
    const ran = jobs
    jobs = []
    for (const job of ran) job()
    const misses: PendingRead[] = []
    for (const r of batch) {
      const hit = sources.cached(r.tenant, r.id)
      if (hit) r.resolve(hit)
      else misses.push(r)
    }
    if (misses.length === 0) return
    try {
      // One read needs no explicit transaction: BEGIN and COMMIT would only add statements.
      const found = misses.length === 1 ? loadAll(misses) : loadAllInOneTransaction(misses)
      for (let i = 0; i < misses.length; i++) misses[i]!.resolve(found[i])
    } catch (err) {
      for (const r of misses) r.reject(err)
    }
  }

  const enqueue = (tenant: string, id: string, serialized: boolean) =>
    new Promise<Found>((resolve, reject) => {
      pending.push({ tenant, id, serialized, resolve, reject })
      schedule()
    })

  return {
    read: (tenant, id) => enqueue(tenant, id, false) as Promise<Entity | undefined>,
    readSerialized: (tenant, id) => enqueue(tenant, id, true),
    run(job) {
      return new Promise((resolve, reject) => {
        jobs.push(() => {
          try {
            resolve(job())
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)))
          }
        })
        schedule()
      })
    },
  }
}
