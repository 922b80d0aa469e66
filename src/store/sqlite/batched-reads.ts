/**
 * Point reads that missed the cache, gathered for the rest of the event-loop turn and answered
 * together in one read transaction. Each statement outside a transaction opens and closes its own
 * WAL read transaction: two fcntl lock calls and an fstat, about 7 of the 14 µs of a random entity
 * read at 1M entities on this VM. Under load many requests arrive per turn, and they share one.
 *
 * Reads run at setImmediate, after every write committed earlier in the turn, so a client that
 * wrote and was answered reads its own write; better-sqlite3 transactions are synchronous, so no
 * write transaction can be open at that moment.
 */
import type { Entity } from '../../core/ngsi.js'
import type { Db } from './open-database.js'

interface PendingRead {
  tenant: string
  id: string
  resolve: (e: Entity | undefined) => void
  reject: (err: unknown) => void
}

export interface BatchedReads {
  read(tenant: string, id: string): Promise<Entity | undefined>
}

export function createBatchedReads(
  db: Db,
  load: (tenant: string, id: string) => { entity: Entity } | undefined,
): BatchedReads {
  let pending: PendingRead[] = []
  const loadAll = (batch: readonly PendingRead[]) => batch.map((r) => load(r.tenant, r.id)?.entity)
  const loadAllInOneTransaction = db.transaction(loadAll)

  const flush = (): void => {
    const batch = pending
    pending = []
    try {
      // One read needs no explicit transaction: BEGIN and COMMIT would only add statements.
      const found = batch.length === 1 ? loadAll(batch) : loadAllInOneTransaction(batch)
      for (let i = 0; i < batch.length; i++) batch[i]!.resolve(found[i])
    } catch (err) {
      for (const r of batch) r.reject(err)
    }
  }

  return {
    read(tenant, id) {
      return new Promise((resolve, reject) => {
        if (pending.push({ tenant, id, resolve, reject }) === 1) setImmediate(flush)
      })
    },
  }
}
