import { periodsOf } from '../aggregate-series.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import { storeContract } from '../store.contract.js'
import type { SqliteStore } from './sqlite-store.js'
import { openSqliteStore } from './sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'civitas-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const history = { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 }
const open = () => openSqliteStore({ file: join(dir, `t${n++}.db`), history, sealIntervalMs: 0 })

storeContract('sqlite', open, { seal: (s) => (s as SqliteStore).seal(true) })

describe('sqlite store specifics', () => {
  it('uses WAL and synchronous=FULL', async () => {
    const s = open()
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(s.db.pragma('synchronous', { simple: true })).toBe(2)
    await s.close()
  })

  it('rebuilds unsealed history from the log after reopening, without duplicating sealed points', async () => {
    const file = join(dir, 'reopen.db')
    const V = DEFAULT_VOCAB + 'x'
    const obs = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => ({
        entityId: 'urn:e:1',
        attr: V,
        observedAt: (from + i) * 1000,
        value: from + i,
      }))
    let s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    await s.ingest([{ tenant: 'default', patches: [], observations: obs(0, 10), activity: [] }])
    s.seal(true)
    await s.ingest([{ tenant: 'default', patches: [], observations: obs(10, 15), activity: [] }])
    await s.close()
    s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    const got = (
      await s.temporal.query('default', { entityId: 'urn:e:1', range: {}, limit: 100 })
    ).get(V)
    expect(got?.map((o) => o.value)).toEqual(Array.from({ length: 15 }, (_, i) => i))
    s.seal(true)
    const chunks = s.db.prepare('SELECT count(*) AS n, sum(n) AS points FROM chunk').get() as {
      n: number
      points: number
    }
    expect(chunks).toEqual({ n: 2, points: 15 })
    // Sealed rows leave the log.
    expect((s.db.prepare('SELECT count(*) AS n FROM obs_log').get() as { n: number }).n).toBe(0)
    await s.close()
  })

  it('keeps createdAt across seals and restarts; journal rows from before it have none', async () => {
    const file = join(dir, 'created-reopen.db')
    const V = DEFAULT_VOCAB + 'x'
    const obs = (i: number) => ({ entityId: 'urn:e:c', attr: V, observedAt: i * 1000, value: i })
    let clock = 1_000_000
    const openAt = () =>
      openSqliteStore({
        file,
        history,
        sealIntervalMs: 0,
        compactTargetPoints: 3,
        now: () => clock,
      })
    let s = openAt()
    await s.temporal.append('default', [obs(0), obs(1)])
    s.seal(true)
    clock = 2_000_000
    await s.temporal.append('default', [obs(2)])
    // A journal row as written before migration 008: no created_at.
    s.db.prepare('UPDATE obs_log SET created_at = NULL').run()
    clock = 3_000_000
    await s.temporal.append('default', [obs(3)])
    await s.close()
    s = openAt()
    const read = async () =>
      (await s.temporal.query('default', { entityId: 'urn:e:c', range: {}, limit: 10 }))
        .get(V)
        ?.map((o) => [o.value, o.createdAt ?? null, o.modifiedAt ?? null])
    const want = [
      [0, 1_000_000, 1_000_000],
      [1, 1_000_000, 1_000_000],
      [2, null, null],
      [3, 3_000_000, 3_000_000],
    ]
    expect(await read()).toEqual(want)
    s.seal(true)
    expect(s.compact(10).written).toBe(1)
    expect(await read()).toEqual(want)
    // An instance without createdAt never matches a window by it.
    const byCreated = await s.temporal.query('default', {
      entityId: 'urn:e:c',
      range: {},
      timeproperty: 'createdAt',
      limit: 10,
    })
    expect(byCreated.get(V)?.map((o) => o.value)).toEqual([0, 1, 3])
    await s.close()
  })

  it('temporal append is durable when it resolves (journal), read back after reopening', async () => {
    const file = join(dir, 'append-reopen.db')
    const V = DEFAULT_VOCAB + 'speed'
    let s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    await s.temporal.append('default', [
      { entityId: 'urn:e:2', attr: V, observedAt: 2000, value: 2 },
      { entityId: 'urn:e:2', attr: V, observedAt: 1000, value: 1 },
    ])
    // Not sealed: only the journal holds the points.
    expect((s.db.prepare('SELECT count(*) AS n FROM chunk').get() as { n: number }).n).toBe(0)
    await s.close()
    s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    const got = (
      await s.temporal.query('default', { entityId: 'urn:e:2', range: {}, limit: 10 })
    ).get(V)
    expect(got?.map((o) => o.value)).toEqual([1, 2])
    await s.close()
  })

  it('a deleted series leaves nothing behind for a new series that reuses its sid, after reopening', async () => {
    const file = join(dir, 'sid-reuse.db')
    const V = DEFAULT_VOCAB + 'x'
    let s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    await s.temporal.append('default', [{ entityId: 'urn:a', attr: V, observedAt: 1, value: 1 }])
    // Unsealed: the point is only in the journal when its series goes.
    await s.temporal.deleteEntity('default', 'urn:a')
    await s.temporal.append('default', [{ entityId: 'urn:b', attr: V, observedAt: 2, value: 2 }])
    await s.close()
    s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    const got = (
      await s.temporal.query('default', { entityId: 'urn:b', range: {}, limit: 10 })
    ).get(V)
    expect(got?.map((o) => o.value)).toEqual([2])
    const gone = await s.temporal.query('default', { entityId: 'urn:a', range: {}, limit: 10 })
    expect(gone.size).toBe(0)
    await s.close()
  })

  it('applies the value prefilter inside SQLite', async () => {
    const s = open()
    const V = (n: string) => DEFAULT_VOCAB + n
    for (const [id, v] of [
      ['urn:a', 1],
      ['urn:b', 5],
      ['urn:c', 'x'],
    ] as const) {
      await s.entities.create('default', {
        id,
        types: [V('T')],
        createdAt: 'x',
        modifiedAt: 'x',
        attrs: { [V('v')]: [{ type: 'Property', value: v }] },
      })
    }
    const page = await s.entities.query('default', {
      types: [[V('T')]],
      prefilter: [{ attr: V('v'), op: '<', value: 3 }],
      limit: 10,
      offset: 0,
      count: false,
    })
    expect(page.entities.map((e) => e.id)).toEqual(['urn:a'])
    await s.close()
  })

  it('seals by point count and by memory budget', async () => {
    const V = DEFAULT_VOCAB + 'x'
    const s = openSqliteStore({
      file: join(dir, 'budget.db'),
      history: { sealPoints: 5, sealAgeMs: 3_600_000, maxBufferedPoints: 1000 },
      sealIntervalMs: 0,
    })
    await s.ingest([
      {
        tenant: 'default',
        patches: [],
        observations: Array.from({ length: 7 }, (_, i) => ({
          entityId: 'urn:e:1',
          attr: V,
          observedAt: i,
          value: i,
        })),
        activity: [],
      },
    ])
    await s.ingest([
      {
        tenant: 'default',
        patches: [],
        observations: [{ entityId: 'urn:e:2', attr: V, observedAt: 1, value: 1 }],
        activity: [],
      },
    ])
    const r = s.seal()
    expect(r).toMatchObject({ sealedSeries: 1, sealedPoints: 7 })
    expect(s.history.bufferedPoints).toBe(1)
    await s.close()
  })

  it('backfills the discovery counters from existing entities when migrating an older database', async () => {
    const file = join(dir, 'usage.db')
    const V = (n: string) => DEFAULT_VOCAB + n
    const at = '2026-01-01T00:00:00.000Z'
    let s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    for (const [id, type] of [
      ['urn:b:1', 'Building'],
      ['urn:b:2', 'Building'],
      ['urn:t:1', 'Tree'],
    ] as const) {
      await s.entities.create('default', {
        id,
        types: [V(type)],
        createdAt: at,
        modifiedAt: at,
        attrs: { [V('height')]: [{ type: 'Property', value: 1 }] },
      })
    }
    const expected = await s.entities.typeSummaries('default')
    expect(expected.map((t) => [t.type, t.entities])).toEqual([
      [V('Building'), 2],
      [V('Tree'), 1],
    ])
    // Back to the schema before the counters existed, as an older release left it.
    s.db.exec(
      "DROP TABLE type_usage; DROP TABLE attr_usage; DELETE FROM migration WHERE name = '005-type-usage'",
    )
    await s.close()
    s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    expect(await s.entities.typeSummaries('default')).toEqual(expected)
    expect(await s.entities.attributeSummaries('default')).toEqual([
      { attr: V('height'), instances: 3, kinds: ['Property'] },
    ])
    await s.close()
  })
})

describe('sqlite rollups', () => {
  const X = DEFAULT_VOCAB + 'x'
  const T0 = Date.parse('2026-01-01T00:00:00Z')

  it('stay exact across seals, late data and restarts (journal replay never double counts)', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            // Times within two days, any order: late and out-of-order data are the rule here.
            minutes: fc.array(fc.integer({ min: 0, max: 2 * 1440 - 1 }), { maxLength: 60 }),
            then: fc.constantFrom('nothing', 'seal', 'restart', 'seal+restart'),
          }),
          { maxLength: 6 },
        ),
        async (steps) => {
          const file = join(dir, `prop${run++}.db`)
          let s = openSqliteStore({ file, history, sealIntervalMs: 0 })
          const all: { t: number; v: number }[] = []
          let k = 0
          for (const step of steps) {
            const obs = step.minutes.map((m) => ({
              entityId: 'urn:e:p',
              attr: X,
              // A distinct second per point keeps first/last unambiguous.
              observedAt: T0 + m * 60_000 + (k++ % 60) * 1000,
              value: (k % 17) - 8 + 0.5,
            }))
            await s.ingest([{ tenant: 'default', patches: [], observations: obs, activity: [] }])
            all.push(...obs.map((o) => ({ t: o.observedAt, v: o.value })))
            if (step.then.startsWith('seal')) s.seal(true)
            if (step.then.endsWith('restart')) {
              await s.close()
              s = openSqliteStore({ file, history, sealIntervalMs: 0 })
            }
          }
          for (const periodMs of [60_000, 3_600_000, 86_400_000]) {
            const got = (
              await s.temporal.aggregate('default', {
                entityId: 'urn:e:p',
                range: { from: T0, to: T0 + 2 * 86_400_000 },
                methods: ['totalCount', 'sum', 'min', 'max'],
                periodMs,
              })
            ).get(X)
            if (all.length === 0) {
              expect(got).toBeUndefined()
              continue
            }
            expect(got?.source).toBe(periodMs)
            const want = new Map<number, number[]>()
            for (const p of all) {
              const start = T0 + Math.floor((p.t - T0) / periodMs) * periodMs
              want.set(start, [...(want.get(start) ?? []), p.v])
            }
            expect(periodsOf(got)?.map((p) => p.start)).toEqual(
              [...want.keys()].sort((a, b) => a - b),
            )
            for (const p of periodsOf(got) ?? []) {
              const vs = want.get(p.start) ?? []
              expect(p.values.totalCount).toBe(vs.length)
              expect(p.values.sum).toBeCloseTo(
                vs.reduce((a, b) => a + b, 0),
                9,
              )
              expect(p.values.min).toBe(Math.min(...vs))
              expect(p.values.max).toBe(Math.max(...vs))
            }
          }
          // Sealed rollup buckets alone agree with the sealed raw points.
          s.seal(true)
          const buckets = s.history.rollups.read(
            (s.db.prepare('SELECT sid FROM series').get() as { sid: number } | undefined)?.sid ?? 0,
            60_000,
            T0,
            T0 + 2 * 86_400_000,
          )
          expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(all.length)
          for (const b of buckets) {
            const inside = all.filter((p) => p.t >= b.t && p.t < b.t + 60_000)
            const first = inside.reduce((a, p) => (p.t < a.t ? p : a))
            const last = inside.reduce((a, p) => (p.t >= a.t ? p : a))
            expect([b.firstT, b.firstV, b.lastT, b.lastV]).toEqual([
              first.t,
              first.v,
              last.t,
              last.v,
            ])
          }
          await s.close()
        },
      ),
      { numRuns: 25 },
    )
  })

  it('answers aligned queries from the coarsest rollup and unaligned ones from raw', async () => {
    const s = open()
    const obs = Array.from({ length: 3 * 1440 }, (_, i) => ({
      entityId: 'urn:e:r',
      attr: X,
      observedAt: T0 + i * 60_000,
      value: i % 10,
    }))
    await s.ingest([{ tenant: 'default', patches: [], observations: obs, activity: [] }])
    s.seal(true)
    const ask = async (range: { from?: number; to?: number }, periodMs: number) =>
      (
        await s.temporal.aggregate('default', {
          entityId: 'urn:e:r',
          range,
          methods: ['avg'],
          periodMs,
        })
      ).get(X)
    expect((await ask({ from: T0, to: T0 + 86_400_000 }, 3_600_000))?.source).toBe(3_600_000)
    expect((await ask({ from: T0 }, 2 * 86_400_000))?.source).toBe(86_400_000)
    expect((await ask({}, 0))?.source).toBe(86_400_000)
    expect((await ask({ from: T0 + 30_000 }, 3_600_000))?.source).toBe('raw')
    const daily = await ask({ from: T0, to: T0 + 3 * 86_400_000 }, 86_400_000)
    expect(periodsOf(daily)?.map((p) => p.values.avg)).toEqual([4.5, 4.5, 4.5])
    const stored = s.db.prepare('SELECT res, count(*) AS blocks FROM rollup GROUP BY res').all()
    expect(stored).toEqual([
      { res: 60_000, blocks: 12 },
      { res: 3_600_000, blocks: 1 },
      { res: 86_400_000, blocks: 1 },
    ])
    await s.close()
  })
})

describe('sqlite rollups on an older database', () => {
  it('are built from the sealed chunks when the rollup migration is applied', async () => {
    const file = join(dir, 'upgrade.db')
    const X = DEFAULT_VOCAB + 'x'
    const T0 = Date.parse('2026-01-01T00:00:00Z')
    let s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    await s.ingest([
      {
        tenant: 'default',
        patches: [],
        observations: Array.from({ length: 180 }, (_, i) => ({
          entityId: 'urn:e:u',
          attr: X,
          observedAt: T0 + i * 60_000,
          value: i,
        })),
        activity: [],
      },
    ])
    s.seal(true)
    // As a database written before rollups existed: no rollup table, migration not applied.
    s.db.exec("DROP TABLE rollup; DELETE FROM migration WHERE name = '002-history-rollups'")
    await s.close()
    s = openSqliteStore({ file, history, sealIntervalMs: 0 })
    const got = (
      await s.temporal.aggregate('default', {
        entityId: 'urn:e:u',
        range: { from: T0, to: T0 + 3 * 3_600_000 },
        methods: ['totalCount', 'sum'],
        periodMs: 3_600_000,
      })
    ).get(X)
    expect(got?.source).toBe(3_600_000)
    expect(periodsOf(got)?.map((p) => p.values)).toEqual([
      { totalCount: 60, sum: 1770 },
      { totalCount: 60, sum: 5370 },
      { totalCount: 60, sum: 8970 },
    ])
    await s.close()
  })
})
