import { periodsOf } from '../aggregate-series.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import { openMemoryStore } from '../memory/open-memory-store.js'
import type { AggrMethod, AggregateSeries } from '../store.js'
import { openSqliteStore } from './sqlite-store.js'

// The columnar rollup path (only the members a method needs, periods folded from typed arrays)
// against the memory store, which keeps no rollups and so aggregates raw points.
const dir = mkdtempSync(join(tmpdir(), 'civitas-rollup-agg-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const history = { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 }
const X = DEFAULT_VOCAB + 'x'
const T0 = Date.parse('2026-03-01T00:00:00Z')
const HOUR = 3_600_000
const DAY = 86_400_000
const NUMERIC: AggrMethod[] = ['totalCount', 'sum', 'avg', 'min', 'max', 'stddev', 'sumsq']

function sameSeries(got: AggregateSeries | undefined, want: AggregateSeries | undefined): void {
  expect(periodsOf(got)?.map((p) => [p.start, p.end])).toEqual(
    periodsOf(want)?.map((p) => [p.start, p.end]),
  )
  periodsOf(got)?.forEach((p, i) => {
    const w = periodsOf(want)?.[i]?.values ?? {}
    for (const m of Object.keys(w) as AggrMethod[]) {
      const a = p.values[m]
      const b = w[m]
      if (typeof a === 'number' && typeof b === 'number' && m !== 'min' && m !== 'max')
        expect(a, m).toBeCloseTo(b, 6)
      else expect(a, m).toEqual(b)
    }
  })
}

describe('aggregates from rollup columns', () => {
  let run = 0
  it('equal raw aggregates for every rollup method and period, sealed or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            // Three days, any order; a few booleans (numeric as 0/1) among the numbers.
            minute: fc.integer({ min: 0, max: 3 * 1440 - 1 }),
            value: fc.oneof(
              fc.integer({ min: -400, max: 400 }).map((v) => v / 4),
              fc.boolean(),
            ),
          }),
          { minLength: 1, maxLength: 120 },
        ),
        fc.integer({ min: 0, max: 120 }),
        async (points, sealAfter) => {
          const sqlite = openSqliteStore({
            file: join(dir, `p${run++}.db`),
            history,
            sealIntervalMs: 0,
          })
          const memory = openMemoryStore()
          const obs = points.map((p, i) => ({
            entityId: 'urn:e:a',
            attr: X,
            observedAt: T0 + p.minute * 60_000 + (i % 60) * 1000,
            value: p.value,
          }))
          // Part sealed (read from stored blocks), the rest buffered (merged in at read time).
          const batches = [obs.slice(0, sealAfter), obs.slice(sealAfter)]
          for (const [i, batch] of batches.entries()) {
            for (const s of [sqlite, memory])
              await s.ingest([
                { tenant: 'default', patches: [], observations: batch, activity: [] },
              ])
            if (i === 0) sqlite.seal(true)
          }
          const queries = [
            { range: { from: T0, to: T0 + 3 * DAY }, periodMs: HOUR },
            { range: { from: T0, to: T0 + 3 * DAY }, periodMs: 2 * HOUR },
            { range: { from: T0 + DAY, to: T0 + 2 * DAY }, periodMs: 5 * HOUR },
            { range: { from: T0 }, periodMs: 2 * DAY },
            { range: { from: T0 }, periodMs: 0 },
            { range: { from: T0, to: T0 + 3 * DAY }, periodMs: 0 },
          ]
          for (const [i, q] of queries.entries()) {
            const methods = [NUMERIC[i % NUMERIC.length] as AggrMethod, 'avg' as const]
            const ask = { entityId: 'urn:e:a', attrs: [X], methods, ...q }
            const got = (await sqlite.temporal.aggregate('default', ask)).get(X)
            const want = (await memory.temporal.aggregate('default', ask)).get(X)
            if (want !== undefined) expect(got?.source).not.toBe('raw')
            sameSeries(got, want)
          }
          await sqlite.close()
          await memory.close()
        },
      ),
      { numRuns: 30 },
    )
  })
})
