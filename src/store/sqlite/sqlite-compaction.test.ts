import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import type { Observation } from '../../core/observation.js'
import { openSqliteStore, type SqliteStore } from './sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'civitas-compaction-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const X = DEFAULT_VOCAB + 'x'
const T0 = Date.parse('2026-01-01T00:00:00Z')
let n = 0
const open = (targetPoints: number) =>
  openSqliteStore({
    file: join(dir, `c${n++}.db`),
    history: { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 },
    sealIntervalMs: 0,
    retentionIntervalMs: 0,
    compactIntervalMs: 0,
    compactTargetPoints: targetPoints,
  })

const chunkCount = (s: SqliteStore) =>
  (s.db.prepare('SELECT count(*) AS n FROM chunk').get() as { n: number }).n

/**
 * Every point of each series in time order. Points of one series at the same instant have no
 * order of their own (merging chunks may interleave them differently), so ties are put in value
 * order before comparing.
 */
async function readAll(s: SqliteStore, ids: string[]) {
  const out: Record<string, unknown> = {}
  for (const id of ids)
    out[id] = (await s.temporal.query('default', { entityId: id, range: {}, limit: 1e6 }))
      .get(X)
      ?.map((o): [number, number] => [o.observedAt, o.value as number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
  return out
}

describe('sqlite compaction', () => {
  it('merges small chunks without changing any read, also between its steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Batches of (series, minute, value); a seal after each batch makes many small chunks.
        fc.array(
          fc.array(fc.tuple(fc.nat(2), fc.nat(3000), fc.integer({ min: -50, max: 50 })), {
            minLength: 1,
            maxLength: 20,
          }),
          { minLength: 2, maxLength: 12 },
        ),
        fc.integer({ min: 5, max: 60 }),
        async (batches, target) => {
          const s = open(target)
          const ids = ['urn:c:0', 'urn:c:1', 'urn:c:2']
          for (const batch of batches) {
            const obs: Observation[] = batch.map(([e, m, v]) => ({
              entityId: ids[e] as string,
              attr: X,
              observedAt: T0 + m * 60_000,
              value: v,
            }))
            await s.ingest([{ tenant: 'default', patches: [], observations: obs, activity: [] }])
            s.seal(true)
          }
          const before = await readAll(s, ids)
          const chunksBefore = chunkCount(s)
          // One series per step: reads between steps see a half-compacted store.
          for (let i = 0; i < 6; i++) {
            s.compact(1)
            expect(await readAll(s, ids)).toEqual(before)
          }
          expect(chunkCount(s)).toBeLessThanOrEqual(chunksBefore)
          // Compacted to the fixpoint: what small chunks remain would not make a merge.
          while (s.compact(3).written > 0) expect(await readAll(s, ids)).toEqual(before)
          const small = s.db
            .prepare('SELECT sid, count(*) AS c, sum(n) AS p FROM chunk WHERE n < ? GROUP BY sid')
            .all(target) as { c: number; p: number }[]
          for (const g of small) {
            expect(g.c).toBeLessThan(32)
            expect(g.p).toBeLessThan(target)
          }
          await s.close()
        },
      ),
      { numRuns: 30 },
    )
  })

  it('brings bytes per point down for a series sealed in small pieces', async () => {
    const s = open(20_000)
    for (let h = 0; h < 24 * 14; h++) {
      const obs = Array.from({ length: 60 }, (_, i) => ({
        entityId: 'urn:c:big',
        attr: X,
        observedAt: T0 + (h * 60 + i) * 60_000,
        value: Math.round(200 + 50 * Math.sin((h * 60 + i) / 200)) / 10,
      }))
      await s.ingest([{ tenant: 'default', patches: [], observations: obs, activity: [] }])
      s.seal(true)
    }
    const bytes = () =>
      (s.db.prepare('SELECT sum(length(data)) AS b FROM chunk').get() as { b: number }).b
    const before = bytes()
    let r
    do r = s.compact(10)
    while (r.written > 0)
    // 20,160 points: one chunk at the target size and the rest still waiting for company.
    expect(chunkCount(s)).toBeLessThanOrEqual(3)
    expect(bytes()).toBeLessThan(before * 0.8)
    await s.close()
  })
})
