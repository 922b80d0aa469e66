/**
 * The in-memory plan (value columns + id-ordered rid lists) must answer exactly as the SQL plan,
 * whatever the data and the history of writes: random entities of mixed shapes, random creates,
 * updates, type changes, deletes and ingest patches, random queries, both plans compared.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB, IRI, type AttributeInstance, type Entity } from '../../core/ngsi.js'
import type { EntityQuery, ValuePredicate } from '../store.js'
import { openSqliteStore } from './sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'civitas-plans-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const history = { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 }
const V = (n: string) => DEFAULT_VOCAB + n
const ATTRS = ['a', 'b', 'c'].map(V)
const TYPES = ['T', 'U'].map(V)

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, 1.5),
  fc.constantFrom('x', 'y', 'free', ''),
  fc.boolean(),
)
const instance: fc.Arbitrary<AttributeInstance[]> = fc.oneof(
  scalar.map((value): AttributeInstance[] => [{ type: 'Property', value }]),
  fc
    .constantFrom('x', 'urn:r:1')
    .map((object): AttributeInstance[] => [{ type: 'Relationship', object }]),
  fc
    .array(scalar, { maxLength: 2 })
    .map((value): AttributeInstance[] => [{ type: 'Property', value }]),
  fc.tuple(scalar, scalar).map(([v1, v2]): AttributeInstance[] => [
    { type: 'Property', value: v1 },
    { type: 'Property', value: v2, datasetId: 'urn:d:1' },
  ]),
)
const attrs = fc.dictionary(fc.constantFrom(...ATTRS), instance, { maxKeys: 3 })
const id = fc.integer({ min: 0, max: 30 }).map((i) => `urn:e:${i}`)
const op = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), id, type: fc.constantFrom(...TYPES), attrs }),
  fc.record({ kind: fc.constant('update' as const), id, attrs }),
  fc.record({ kind: fc.constant('retype' as const), id, type: fc.constantFrom(...TYPES) }),
  fc.record({ kind: fc.constant('delete' as const), id }),
  fc.record({ kind: fc.constant('ingest' as const), id, attrs }),
)
const predicate: fc.Arbitrary<ValuePredicate> = fc.record({
  attr: fc.constantFrom(...ATTRS, V('never')),
  op: fc.constantFrom('==', '<', '<=', '>', '>='),
  value: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, 'x', 'y', 'free')),
})
const query = fc.record({
  type: fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
  prefilter: fc.array(predicate, { maxLength: 2 }),
  limit: fc.integer({ min: 1, max: 8 }),
  offset: fc.integer({ min: 0, max: 5 }),
  count: fc.boolean(),
  idPattern: fc.option(fc.constantFrom('[13579]$', '^urn:e:1'), { nil: undefined }),
  covers: fc.boolean(),
})

/** What a prefilter predicate means (store.ts): some instance's value or object compares so. */
function holds(e: Entity, p: ValuePredicate): boolean {
  return (e.attrs[p.attr] ?? []).some((i) => {
    const v = i.type === 'Relationship' ? i.object : i.value
    if (typeof v !== typeof p.value) return false
    const a = v as number | string
    const b = p.value
    return p.op === '=='
      ? a === b
      : p.op === '<'
        ? a < b
        : p.op === '<='
          ? a <= b
          : p.op === '>'
            ? a > b
            : a >= b
  })
}

describe('query plans', () => {
  it('the value-column plan answers exactly as the SQL plan', async () => {
    let n = 0
    const stats = { runs: 0, withMatches: 0 }
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            kind: fc.constant('create' as const),
            id,
            type: fc.constantFrom(...TYPES),
            attrs,
          }),
          { minLength: 10, maxLength: 25 },
        ),
        fc.array(op, { maxLength: 40 }),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        async (initial, ops, queries) => {
          const s = openSqliteStore({ file: join(dir, `p${n++}.db`), history, sealIntervalMs: 0 })
          try {
            const at = '2026-01-01T00:00:00.000Z'
            let nonEmpty = 0
            const compare = async (): Promise<void> => {
              for (const q of queries) {
                const eq: EntityQuery = {
                  limit: q.limit,
                  offset: q.offset,
                  count: q.count,
                  filter: (e) => q.prefilter.every((p) => holds(e, p)),
                }
                if (q.type) eq.types = [[q.type]]
                if (q.prefilter.length > 0) eq.prefilter = q.prefilter
                if (q.idPattern) eq.idPattern = q.idPattern
                // `holds` is exactly what the predicates mean, so the filter is covered.
                if (q.covers) eq.prefilterCovers = true
                s.valueColumns.ready = true
                const viaColumns = await s.entities.query('default', eq)
                s.valueColumns.ready = false
                const viaSql = await s.entities.query('default', eq)
                s.valueColumns.ready = true
                expect(viaColumns.entities.map((e) => e.id)).toEqual(
                  viaSql.entities.map((e) => e.id),
                )
                expect(viaColumns.count).toEqual(viaSql.count)
                expect(viaColumns.entities).toEqual(viaSql.entities)
                if (viaSql.entities.length > 0) nonEmpty++
              }
            }
            for (const [i, o] of [...initial, ...ops].entries()) {
              if (i === initial.length || i % 8 === 7) await compare()
              const exists = (await s.entities.get('default', o.id)) !== undefined
              if (o.kind === 'create' && !exists) {
                await s.entities.create('default', {
                  id: o.id,
                  types: [o.type],
                  createdAt: at,
                  modifiedAt: at,
                  attrs: o.attrs,
                })
              } else if (o.kind === 'update' && exists) {
                await s.entities.update('default', o.id, (e) => ({ ...e, attrs: o.attrs }))
              } else if (o.kind === 'retype' && exists) {
                await s.entities.update('default', o.id, (e) => ({ ...e, types: [o.type] }))
              } else if (o.kind === 'delete') {
                await s.entities.delete('default', o.id)
              } else if (o.kind === 'ingest') {
                const patch: Record<string, AttributeInstance> = {}
                for (const [k, v] of Object.entries(o.attrs)) if (v[0]) patch[k] = v[0]
                await s.ingest([
                  {
                    tenant: 'default',
                    patches: [{ entityId: o.id, entityType: TYPES[0]!, attrs: patch }],
                    observations: [],
                    activity: [],
                  },
                ])
              }
            }
            await compare()
            stats.runs++
            if (nonEmpty > 0) stats.withMatches++
          } finally {
            await s.close()
          }
        },
      ),
      { numRuns: 60 },
    )
    // The generator must produce queries that find something, or the comparison proves little.
    expect(stats.withMatches).toBeGreaterThan(stats.runs / 5)
  })

  it('the geo plans (area list, type walk) answer exactly as the SQL plan', async () => {
    let n = 0
    const point = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }))
    const boxArb = fc
      .tuple(point, point)
      .map(([[a, b], [c, d]]) => [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)])
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id, type: fc.constantFrom(...TYPES), at: point, attrs }), {
          minLength: 5,
          maxLength: 40,
        }),
        fc.array(
          fc.record({
            box: boxArb,
            type: fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
            prefilter: fc.array(predicate, { maxLength: 1 }),
            limit: fc.integer({ min: 1, max: 8 }),
            offset: fc.integer({ min: 0, max: 3 }),
            count: fc.boolean(),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (entities, queries) => {
          // Every other run walks the type (no area is small enough for the R*Tree plan).
          const geoCandidates = n % 2 === 0 ? 2_000 : 0
          const s = openSqliteStore({
            file: join(dir, `g${n++}.db`),
            history,
            sealIntervalMs: 0,
            geoCandidates,
          })
          try {
            for (const e of entities) {
              if (await s.entities.get('default', e.id)) continue
              await s.entities.create('default', {
                id: e.id,
                types: [e.type],
                createdAt: 'x',
                modifiedAt: 'x',
                attrs: {
                  ...e.attrs,
                  [IRI.location]: [
                    { type: 'GeoProperty', value: { type: 'Point', coordinates: e.at } },
                  ],
                },
              })
            }
            // Another tenant's entities share the R*Tree: they must never show.
            await s.entities.create('other', {
              id: 'urn:e:1',
              types: [TYPES[0]!],
              createdAt: 'x',
              modifiedAt: 'x',
              attrs: {
                [IRI.location]: [
                  { type: 'GeoProperty', value: { type: 'Point', coordinates: [1, 1] } },
                ],
              },
            })
            for (const q of queries) {
              const [x0, y0, x1, y1] = q.box as [number, number, number, number]
              const inside = (e: Entity) => {
                const c = (e.attrs[IRI.location]?.[0]?.value as { coordinates: number[] })
                  .coordinates as [number, number]
                return c[0] >= x0 && c[0] <= x1 && c[1] >= y0 && c[1] <= y1
              }
              const eq: EntityQuery = {
                limit: q.limit,
                offset: q.offset,
                count: q.count,
                geo: {
                  georel: 'within',
                  geoproperty: IRI.location,
                  geometry: {
                    type: 'Polygon',
                    coordinates: [
                      [
                        [x0, y0],
                        [x1, y0],
                        [x1, y1],
                        [x0, y1],
                        [x0, y0],
                      ],
                    ],
                  },
                },
                filter: (e) => inside(e) && q.prefilter.every((p) => holds(e, p)),
              }
              if (q.type) eq.types = [[q.type]]
              if (q.prefilter.length > 0) eq.prefilter = q.prefilter
              s.valueColumns.ready = true
              const viaGeo = await s.entities.query('default', eq)
              s.valueColumns.ready = false
              const viaSql = await s.entities.query('default', eq)
              s.valueColumns.ready = true
              expect(viaGeo.entities.map((e) => e.id)).toEqual(viaSql.entities.map((e) => e.id))
              expect(viaGeo.count).toEqual(viaSql.count)
            }
          } finally {
            await s.close()
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('a query walks only what it needs and sees entities created after the first walk', async () => {
    const s = openSqliteStore({ file: join(dir, 'walk.db'), history, sealIntervalMs: 0 })
    const mk = (i: number, value: string) =>
      s.entities.create('default', {
        id: `urn:w:${String(i).padStart(3, '0')}`,
        types: [V('T')],
        createdAt: 'x',
        modifiedAt: 'x',
        attrs: { [V('a')]: [{ type: 'Property', value }] },
      })
    for (let i = 0; i < 100; i += 2) await mk(i, i % 4 === 0 ? 'free' : 'busy')
    const q: EntityQuery = {
      types: [[V('T')]],
      prefilter: [{ attr: V('a'), op: '==', value: 'free' }],
      limit: 100,
      offset: 0,
      count: true,
    }
    expect((await s.entities.query('default', q)).count).toBe(25)
    await mk(101, 'free') // sorts last: appended to the cached order
    await mk(1, 'free') // sorts inside: the cached order is rebuilt
    const page = await s.entities.query('default', q)
    expect(page.count).toBe(27)
    expect(page.entities[0]?.id).toBe('urn:w:000')
    expect(page.entities[1]?.id).toBe('urn:w:001')
    expect(page.entities.at(-1)?.id).toBe('urn:w:101')
    await s.entities.delete('default', 'urn:w:000')
    expect((await s.entities.query('default', q)).entities[0]?.id).toBe('urn:w:001')
    await s.close()
  })
})
