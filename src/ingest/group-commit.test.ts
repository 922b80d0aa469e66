import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../core/ngsi.js'
import type { IngestBatch, Store } from '../store/store.js'
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.js'
import { GroupCommitter } from './group-commit.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A real SQLite store whose commits wait for the test to open a gate: a disk that is slow on demand. */
function gatedStore() {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-gc-'))
  dirs.push(dir)
  const real: SqliteStore = openSqliteStore({
    file: join(dir, 'db'),
    history: { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1e6 },
    sealIntervalMs: 0,
  })
  const calls: IngestBatch[][] = []
  let open: () => void = () => undefined
  let gate = new Promise<void>((r) => (open = r))
  const store: Pick<Store, 'ingest'> = {
    async ingest(batches) {
      calls.push([...batches])
      await gate
      return real.ingest(batches)
    },
  }
  return {
    store,
    real,
    calls,
    release() {
      open()
      gate = new Promise<void>((r) => (open = r))
    },
  }
}

const item = (i: number, points = 1) => ({
  patch: undefined,
  tenant: 'default',
  observations: Array.from({ length: points }, (_, k) => ({
    entityId: `urn:e:${i}`,
    attr: DEFAULT_VOCAB + 'x',
    observedAt: k,
    value: i,
  })),
  points,
})

describe('GroupCommitter', () => {
  it('puts everything that arrives during a commit into the next single commit', async () => {
    const g = gatedStore()
    const c = new GroupCommitter(g.store, { maxBatchPoints: 10_000, maxQueuedPoints: 10_000 })
    const first = c.submit(item(0))
    await new Promise((r) => setImmediate(r))
    const rest = Array.from({ length: 50 }, (_, i) => c.submit(item(i + 1)))
    g.release()
    await first
    await new Promise((r) => setImmediate(r))
    g.release()
    await Promise.all(rest)
    expect(g.calls).toHaveLength(2)
    expect(g.calls[1]?.[0]?.observations).toHaveLength(50)
    await g.real.close()
  })

  it('settles a promise only after its commit, and rejects all of a failed commit', async () => {
    const failing = new GroupCommitter(
      { ingest: () => Promise.reject(new Error('disk full')) },
      { maxBatchPoints: 100, maxQueuedPoints: 100 },
    )
    await expect(failing.submit(item(1))).rejects.toThrow('disk full')
    expect(failing.depth).toBe(0)
  })

  it('bounds memory: hasRoom turns false at the limit and waitForRoom resolves when commits drain', async () => {
    const g = gatedStore()
    const c = new GroupCommitter(g.store, { maxBatchPoints: 100, maxQueuedPoints: 50 })
    const pending = [c.submit(item(1, 30)), c.submit(item(2, 30))]
    expect(c.hasRoom()).toBe(false)
    let roomy = false
    const waiting = c.waitForRoom().then(() => (roomy = true))
    await new Promise((r) => setImmediate(r))
    expect(roomy).toBe(false)
    g.release()
    await Promise.all(pending)
    await waiting
    expect(roomy).toBe(true)
    expect(c.depth).toBe(0)
    await g.real.close()
  })

  it('never puts more than maxBatchPoints in one commit (except a single larger item)', async () => {
    const g = gatedStore()
    const c = new GroupCommitter(
      { ingest: (b) => (g.calls.push([...b]), g.real.ingest(b)) },
      { maxBatchPoints: 25, maxQueuedPoints: 1000 },
    )
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => c.submit(item(i, 10))),
      c.submit(item(99, 60)),
    ])
    for (const batches of g.calls) {
      const points = batches.reduce((s, b) => s + b.observations.length, 0)
      expect(points <= 25 || (points === 60 && batches[0]?.observations.length === 60)).toBe(true)
    }
    await g.real.close()
  })

  it('close() commits what was accepted and refuses new work', async () => {
    const g = gatedStore()
    const c = new GroupCommitter(
      { ingest: (b) => g.real.ingest(b) },
      { maxBatchPoints: 100, maxQueuedPoints: 100 },
    )
    const p = c.submit(item(7, 3))
    await c.close()
    await p
    expect(
      (await g.real.temporal.query('default', { entityId: 'urn:e:7', range: {}, limit: 10 })).get(
        DEFAULT_VOCAB + 'x',
      ),
    ).toHaveLength(3)
    await expect(c.submit(item(8))).rejects.toThrow(/shutting down/)
    await g.real.close()
  })
})
