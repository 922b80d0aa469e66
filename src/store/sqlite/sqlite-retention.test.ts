import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import type { Observation } from '../../core/observation.js'
import { openSqliteStore } from './sqlite-store.js'
import { pick } from './sqlite-retention.js'

const dir = mkdtempSync(join(tmpdir(), 'civitas-retention-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const history = { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 }
const V = (n: string) => DEFAULT_VOCAB + n
const DAY = 86_400_000
const T0 = Date.parse('2026-01-01T00:00:00Z')
const NOW = T0 + 10 * DAY
let n = 0
const open = () =>
  openSqliteStore({
    file: join(dir, `r${n++}.db`),
    history,
    sealIntervalMs: 0,
    retentionIntervalMs: 0,
  })

describe('sqlite retention', () => {
  it('removes exactly what the policy says: raw older than its age, buckets wholly older', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 10 * 24 * 60 - 1 }), { maxLength: 300 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.record({
          raw: fc.integer({ min: 1, max: 10 * 24 * 60 }).map((m) => m * 60_000 + 17_000),
          minute: fc.integer({ min: 1, max: 10 * 24 }).map((h) => h * 3_600_000 + 30_000),
          hour: fc.option(
            fc.integer({ min: 1, max: 10 }).map((d) => d * DAY + 1_800_000),
            {
              nil: undefined,
            },
          ),
        }),
        async (minutes, sealAfter, keep) => {
          const s = open()
          // Arrival order is the generated one: late data included.
          const obs: Observation[] = minutes.map((m, i) => ({
            entityId: 'urn:e:1',
            attr: V('x'),
            observedAt: T0 + m * 60_000 + (i % 60) * 1000,
            value: (i % 13) - 6,
          }))
          // A series the policy does not name: it must stay whole.
          const other = obs.map((o) => ({ ...o, attr: V('y') }))
          const quarter = Math.ceil(obs.length / 4)
          for (let q = 0; q < 4; q++) {
            await s.ingest([
              {
                tenant: 'default',
                patches: [],
                observations: [
                  ...obs.slice(q * quarter, (q + 1) * quarter),
                  ...other.slice(q * quarter, (q + 1) * quarter),
                ],
                activity: [],
              },
            ])
            if (sealAfter[q]) s.seal(true)
          }
          await s.retention.putPolicy({
            id: 'p',
            tenant: 'default',
            attr: V('x'),
            keep: { raw: keep.raw, minute: keep.minute, ...(keep.hour && { hour: keep.hour }) },
          })
          const run = await s.retention.enforce(NOW)
          const rawCut = NOW - keep.raw
          const got = await s.temporal.query('default', {
            entityId: 'urn:e:1',
            range: {},
            limit: 1e6,
          })
          expect(got.get(V('x'))?.map((o) => o.observedAt) ?? []).toEqual(
            obs
              .map((o) => o.observedAt)
              .filter((t) => t >= rawCut)
              .sort((a, b) => a - b),
          )
          expect(got.get(V('y'))?.length ?? 0).toBe(other.length)
          expect(run.removedPoints).toBe(obs.filter((o) => o.observedAt < rawCut).length)
          // Rollups: a minute bucket stays iff it ends after the minute cutoff; its content is
          // still computed from every point (raw retention never changes rollups).
          s.seal(true)
          const sid = (
            s.db.prepare('SELECT sid FROM series WHERE attr = ?').get(V('x')) as
              { sid: number } | undefined
          )?.sid
          if (sid === undefined) return
          const minuteCut = NOW - keep.minute
          const minuteBuckets = s.history.rollups.read(sid, 60_000, 0, 2 * NOW)
          const wantMinutes = new Map<number, number>()
          for (const o of obs) {
            const t = Math.floor(o.observedAt / 60_000) * 60_000
            if (t + 60_000 > minuteCut) wantMinutes.set(t, (wantMinutes.get(t) ?? 0) + 1)
          }
          expect(minuteBuckets.map((b) => [b.t, b.count])).toEqual(
            [...wantMinutes].sort((a, b) => a[0] - b[0]),
          )
          const hourBuckets = s.history.rollups.read(sid, 3_600_000, 0, 2 * NOW)
          const hours = new Map<number, number>()
          for (const o of obs) {
            const t = Math.floor(o.observedAt / 3_600_000) * 3_600_000
            if (keep.hour === undefined || t + 3_600_000 > NOW - keep.hour)
              hours.set(t, (hours.get(t) ?? 0) + 1)
          }
          expect(hourBuckets.map((b) => [b.t, b.count])).toEqual(
            [...hours].sort((a, b) => a[0] - b[0]),
          )
          const gone = (res: number, age: number | undefined) =>
            age === undefined
              ? 0
              : new Set(
                  obs
                    .map((o) => Math.floor(o.observedAt / res) * res)
                    .filter((t) => t + res <= NOW - age),
                ).size
          expect(run.removedBuckets).toBe(gone(60_000, keep.minute) + gone(3_600_000, keep.hour))
          await s.close()
        },
      ),
      { numRuns: 30, endOnFailure: true },
    )
  })

  it('records runs with what came back, and applies the most specific policy', async () => {
    const s = open()
    const obs = Array.from({ length: 3 * 1440 }, (_, i) => ({
      entityId: 'urn:e:2',
      attr: V('x'),
      observedAt: NOW - 3 * DAY + i * 60_000,
      value: i % 7,
    }))
    await s.ingest([{ tenant: 'default', patches: [], observations: obs, activity: [] }])
    s.seal(true)
    await s.retention.putPolicy({ id: 'all', tenant: '*', keep: { raw: DAY } })
    await s.retention.putPolicy({
      id: 'x',
      tenant: 'default',
      attr: V('x'),
      keep: { raw: 2 * DAY },
    })
    const run = await s.retention.enforce(NOW)
    expect(run).toMatchObject({ series: 1, removedPoints: 1440, removedBuckets: 0 })
    expect(run.bytesFreed).toBeGreaterThan(0)
    expect(await s.retention.runs(10)).toEqual([run])
    expect((await s.retention.policies()).map((p) => p.id)).toEqual(['all', 'x'])
    expect(await s.retention.deletePolicy('x')).toBe(true)
    expect(await s.retention.deletePolicy('x')).toBe(false)
    await s.close()
  })

  it('removes the Core API instances older than the raw age, keeping deletions', async () => {
    const s = open()
    const written = (attr: string, createdAt: number, observedAt?: number) => ({
      entityId: 'urn:e:3',
      attr: V(attr),
      kind: 'Property' as const,
      value: 1,
      createdAt,
      modifiedAt: createdAt,
      ...(observedAt !== undefined && { observedAt }),
    })
    await s.temporal.recordEvents('default', [
      written('x', NOW - 3 * DAY),
      written('x', NOW - 3 * DAY, NOW - DAY / 2),
      written('x', NOW - DAY / 2),
      written('y', NOW - 3 * DAY),
      {
        entityId: 'urn:e:3',
        attr: V('x'),
        kind: 'Property',
        value: 'urn:ngsi-ld:null',
        modifiedAt: 0,
        deletedAt: 0,
      },
    ])
    await s.retention.putPolicy({ id: 'x', tenant: '*', attr: V('x'), keep: { raw: DAY } })
    const run = await s.retention.enforce(NOW)
    expect(run.removedPoints).toBe(1)
    const left = await s.temporal.events('default', { entityIds: ['urn:e:3'] })
    expect(left.map((e) => [e.attr, e.createdAt ?? null, e.deletedAt ?? null])).toEqual([
      [V('x'), NOW - 3 * DAY, null],
      [V('x'), NOW - DAY / 2, null],
      [V('y'), NOW - 3 * DAY, null],
      [V('x'), null, 0],
    ])
    await s.close()
  })

  it('picks policies by specificity: attribute, then type, then tenant over *', () => {
    const policies = [
      { id: 'star', tenant: '*', keep: {} },
      { id: 'tenant', tenant: 't', keep: {} },
      { id: 'type', tenant: '*', entityType: 'T', keep: {} },
      { id: 'attr', tenant: '*', attr: 'a', keep: {} },
    ]
    expect(pick(policies, 't', 'a', () => ['T'])?.id).toBe('attr')
    expect(pick(policies, 't', 'b', () => ['T'])?.id).toBe('type')
    expect(pick(policies, 't', 'b', () => ['U'])?.id).toBe('tenant')
    expect(pick(policies, 'u', 'b', () => [])?.id).toBe('star')
    expect(pick([], 'u', 'b', () => [])).toBeUndefined()
  })
})
