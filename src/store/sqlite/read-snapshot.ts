/**
 * Point reads on a second, read-only connection, inside a read transaction shared by every read
 * of one event-loop turn.
 *
 * Why: in WAL mode each autocommit SELECT takes and drops a read lock on the WAL index, and on
 * this kind of VM that costs more than the lookup itself (~23 µs a point read against ~10 µs
 * inside an open transaction). A burst of API reads in one turn now pays for it once.
 *
 * Why it is never stale: the writer connection bumps `WriteEpoch` whenever it changes the entity
 * tables (inside its transaction, which commits before any other JavaScript runs). `enter()`
 * restarts the read transaction when the epoch moved, so a read always sees every commit this
 * process has made, and nothing older can reach the entity cache. The transaction ends at the end
 * of the turn (setImmediate), so it never holds back a WAL checkpoint for long.
 *
 * @example
 *   const epoch = new WriteEpoch()
 *   const snapshot = new ReadSnapshot(openDatabase(file, { readonly: true }), epoch)
 *   snapshot.enter(); row = getOnReader.get(tenant, id)
 */
import type { Db } from './open-database.js'

export class WriteEpoch {
  value = 0
  changed(): void {
    this.value++
  }
}

export class ReadSnapshot {
  private seen = -1
  private open = false
  private closing = false
  private readonly begin
  private readonly commit

  constructor(
    readonly db: Db,
    private readonly epoch: WriteEpoch,
  ) {
    this.begin = db.prepare('BEGIN')
    this.commit = db.prepare('COMMIT')
  }

  /** Call before reading: afterwards the connection sees every commit made so far. */
  enter(): void {
    if (this.open) {
      if (this.seen === this.epoch.value) return
      this.commit.run()
    }
    // BEGIN is deferred: the snapshot is taken by the first read, after every commit so far.
    this.begin.run()
    this.open = true
    this.seen = this.epoch.value
    if (!this.closing) {
      this.closing = true
      setImmediate(() => {
        this.closing = false
        this.end()
      })
    }
  }

  /** Ends the read transaction (at the end of the turn, and before the connection closes). */
  end(): void {
    if (!this.open) return
    this.open = false
    this.commit.run()
  }

  close(): void {
    this.end()
    this.db.close()
  }
}

/** Makes a statement bump the epoch whenever it runs: for every writer of the entity tables. */
export function bumping<S extends { run: (...args: never[]) => unknown }>(
  stmt: S,
  epoch: WriteEpoch,
): S {
  const run = stmt.run.bind(stmt) as S['run']
  stmt.run = ((...args: Parameters<S['run']>) => {
    epoch.changed()
    return run(...args)
  })
  return stmt
}
