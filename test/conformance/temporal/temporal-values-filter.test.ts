/**
 * ETSI GS CIM 014 extension TPs 5744_01, 5744_02, 5744_04 – 5744_06: the values filter (q), scope query and
 * geoquery of Query Temporal Evolution of Entities (clause 5.7.4.4) judged only on the
 * attribute instances inside the temporal window. Each file's fixtures live in a tenant of
 * their own; the checks are the suite's "response text contains / does not contain".
 */
import { describe, expect, it } from 'vitest'
import { useBroker } from '../support/use-broker.js'
import {
  DAY,
  IN,
  OUT,
  geo,
  prop,
  valuesFilterVehicles,
  vehicle,
  windowFixtures,
} from './window-fixtures.js'

const broker = useBroker()

const fixtures = (make: () => object[]) => windowFixtures(broker, 'tv', make)

/** One request of a case: its query string, what the answer must and must not contain. */
type Step = [qs: string, has: string[], hasNot?: string[]]
const steps =
  (f: { query(qs: string): Promise<string> }, window: string, ...list: Step[]) =>
  async () => {
    for (const [qs, has, hasNot = []] of list) {
      const text = await f.query(`${qs}&${window}`)
      for (const h of has) expect(text, qs).toContain(h)
      for (const h of hasNot) expect(text, qs).not.toContain(h)
    }
  }

describe('Temporal values filter judged on windowed instances (5744_01)', () => {
  const f = fixtures(valuesFilterVehicles)
  const q = (...list: Step[]) => steps(f, DAY, ...list)
  const [fast, slow, shapes, nowin, multi] = ['fast', 'slow', 'shapes', 'nowin', 'multi'].map(
    (n) => `qp5744-${n}`,
  ) as [string, string, string, string, string]

  it('5744_01_02 returned instances respect the window', q(['q=speed%3E25', [IN], [OUT]]))
  it(
    '5744_01_04 and across attributes',
    q(['q=speed%3E%3D5%3Bheading%3C90', [fast], [slow, multi]]),
  )
  it('5744_01_05 or of comparisons', q(['q=speed%3E25%7Cheading%3E100', [fast, slow], [shapes]]))
  it(
    '5744_01_09 equality against a value range',
    q(['q=speed%3D%3D10..40', [fast, slow], [nowin, shapes]]),
  )
  it(
    '5744_01_10 equality against a value list',
    q(['q=route%3D%3D%22550%22,%22551%22', [fast], [slow, shapes]]),
  )
  it(
    '5744_01_11 relationship object comparison',
    q(['q=ref%3D%3D%22urn:dest:qp1%22', [shapes], [fast]]),
  )
  it('5744_01_12 array value element match', q(['q=tags%3D%3D%22a%22', [shapes], [fast]]))
  it(
    '5744_01_13 a datasetId instance qualifies the entity',
    q(['q=speed%3E50', [multi], [fast, slow]]),
  )
})

describe('Temporal values filter operator and datatype edges (5744_02)', () => {
  const f = fixtures(() => [
    vehicle('qp5744b-typed', {
      speed: [prop(30, IN)],
      route: [prop('550', IN)],
      active: [prop(true, IN)],
      departure: [prop('2026-03-01T06:00:00Z', IN)],
    }),
    vehicle('qp5744b-second', {
      active: [prop(false, IN)],
      departure: [prop('2026-02-01T00:00:00Z', IN)],
    }),
    vehicle('qp5744b-langv', {
      label: [
        { type: 'LanguageProperty', languageMap: { en: 'red', fr: 'rouge' }, observedAt: IN },
      ],
    }),
    vehicle('qp5744b-langother', {
      label: [
        { type: 'LanguageProperty', languageMap: { en: 'black', fr: 'rouge' }, observedAt: IN },
      ],
    }),
    vehicle('qp5744b-relv', {
      ref: [{ type: 'Relationship', object: 'urn:dest:qpA', observedAt: IN }],
    }),
    vehicle('qp5744b-arrv', { tags: [prop(['a', 'b'], IN)] }),
    vehicle('qp5744b-fastest', { speed: [prop(99, IN)] }),
    vehicle('qp5744b-geoin', { location: [geo([17.1001, 48.1001], IN)] }),
    vehicle('qp5744b-geoout', { location: [geo([10.0, 40.0], IN), geo([17.1, 48.1], OUT)] }),
  ])
  const q = (...list: Step[]) => steps(f, DAY, ...list)
  const typed = 'qp5744b-typed'
  const typed2 = 'qp5744b-second'
  const langv = 'qp5744b-langv'
  const langv2 = 'qp5744b-langother'

  it(
    '5744_02_01 equality requires matching datatypes',
    q(['q=speed%3D%3D%2230%22', [], [typed]], ['q=speed%3D%3D30', [typed]]),
  )
  it(
    '5744_02_02 a datatype mismatch satisfies unequal',
    q(['q=speed%21%3D%22thirty%22', [typed], [typed2]]),
  )
  it(
    '5744_02_03 ordering requires matching datatypes',
    q(['q=route%3E100', [], [typed]], ['q=route%3E%22200%22', [typed]]),
  )
  it(
    '5744_02_05 a pattern on a non-string never matches',
    q(['q=speed~%3D%223.*%22', [], [typed]], ['q=route~%3D%225.*%22', [typed]]),
  )
  it(
    '5744_02_06 do-not-match pattern',
    q(['q=route%21~%3D%229.*%22', [typed]], ['q=route%21~%3D%225.*%22', [], [typed]]),
  )
  it(
    '5744_02_07 a language filter selects one language key',
    q(
      ['q=label%5Ben%5D%3D%3D%22red%22', [langv], [langv2]],
      ['q=label%5Bfr%5D%3D%3D%22red%22', [], [langv]],
    ),
  )
  it(
    '5744_02_08 the language wildcard matches any language',
    q(['q=label%5B*%5D%3D%3D%22rouge%22', [langv, langv2]]),
  )
  it(
    '5744_02_09 a value list against an array target',
    q(
      ['q=tags%3D%3D%22b%22,%22z%22', ['qp5744b-arrv']],
      ['q=tags%3D%3D%22x%22,%22z%22', [], ['qp5744b-arrv']],
    ),
  )
  it('5744_02_10 unequal against a range', q(['q=speed%21%3D10..40', ['qp5744b-fastest'], [typed]]))
  it(
    '5744_02_11 date values order temporally',
    q(['q=departure%3E%222026-02-15T00:00:00Z%22', [typed], [typed2]]),
  )
  it(
    '5744_02_12 boolean equality',
    q(['q=active%3D%3Dtrue', [typed], [typed2]], ['q=active%3D%3Dfalse', [typed2], [typed]]),
  )
  it(
    '5744_02_13 parenthesized grouping gates the conjunction',
    q([
      'q=%28speed%3E25%7Croute%3D%3D%22551%22%29%3Bactive%3D%3Dtrue',
      [typed],
      ['qp5744b-fastest'],
    ]),
  )
  it(
    '5744_02_14 the geoquery is judged only on windowed instances',
    q([
      'georel=near%3BmaxDistance%3D%3D1000&geometry=Point&coordinates=%5B17.1,48.1%5D',
      ['qp5744b-geoin'],
      ['qp5744b-geoout'],
    ]),
  )
})

describe('Temporal geoquery judged on windowed instances (5744_04)', () => {
  const f = fixtures(() => [
    vehicle('qg5744-paris', { location: [geo([2.29, 48.85], IN)] }),
    vehicle('qg5744-far', { location: [geo([10.0, 50.0], IN)] }),
    vehicle('qg5744-outw', { location: [geo([2.29, 48.85], '2026-01-05T00:00:00Z')] }),
    vehicle('qg5744-obs', { observationSpace: [geo([2.29, 48.85], IN)] }),
  ])
  const g = (...list: Step[]) => steps(f, DAY, ...list)
  const [paris, far, outw, obs] = ['paris', 'far', 'outw', 'obs'].map((n) => `qg5744-${n}`) as [
    string,
    string,
    string,
    string,
  ]
  const NEAR = 'georel=near%3BmaxDistance%3D%3D2000&geometry=Point&coordinates=[2.29,48.85]'
  const BOX =
    'geometry=Polygon&coordinates=[[[2.0,48.5],[2.6,48.5],[2.6,49.2],[2.0,49.2],[2.0,48.5]]]'

  it('5744_04_01 near with maxDistance selects the close entity', g([NEAR, [paris], [far]]))
  it('5744_04_04 intersects the query polygon', g([`georel=intersects&${BOX}`, [paris], [far]]))
  it(
    '5744_04_05 disjoint inverts the selection',
    g([`georel=disjoint&${BOX}`, [far], [paris, outw]]),
  )
  it(
    '5744_04_06 equals the exact point',
    g(['georel=equals&geometry=Point&coordinates=[2.29,48.85]', [paris], [far]]),
  )
  it(
    '5744_04_07 a non-default geoproperty',
    g([`${NEAR}&geoproperty=observationSpace`, [obs], [paris, far]]),
  )
})

describe('Temporal pagination and count with a values filter (5744_05)', () => {
  const f = fixtures(() => [
    vehicle('qpage5744-one', { speed: [prop(30, IN)] }),
    vehicle('qpage5744-two', { speed: [prop(40, IN)] }),
    vehicle('qpage5744-decoy', { speed: [prop(90, '2026-02-28T23:00:00Z'), prop(5, IN)] }),
  ])
  const get = (qs: string) =>
    broker.request('GET', `/temporal/entities?type=Vehicle&q=speed%3E25&${qs}&${DAY}`, {
      tenant: f.tenant,
    })

  it('5744_05_01 the count reflects only true matches', async () => {
    const r = await get('count=true&limit=1')
    expect(r.status).toBe(200)
    expect(r.headers.get('NGSILD-Results-Count')).toBe('2')
  })
  it('5744_05_02 pages partition the matching set', async () => {
    const [page1, page2] = [await get('limit=1&offset=0'), await get('limit=1&offset=1')]
    expect([page1.status, page2.status]).toEqual([200, 200])
    const both = page1.text + page2.text
    expect(both).toContain('qpage5744-one')
    expect(both).toContain('qpage5744-two')
    expect(both).not.toContain('qpage5744-decoy')
    expect(page1.text).not.toContain('qpage5744-two')
    expect(page2.text).not.toContain('qpage5744-one')
  })
  it('5744_05_03 a page past the end is empty', async () => {
    const r = await get('limit=1&offset=2')
    expect(r.status).toBe(200)
    expect(r.text).not.toContain('qpage5744')
  })
})

describe('Temporal values filter string ordering, unequal and language edges (5744_06)', () => {
  const f = fixtures(() => [
    vehicle('qx5744-mm', { name: [prop('m', IN)] }),
    vehicle('qx5744-zz', { name: [prop('z', IN)] }),
    vehicle('qx5744-num', { name: [prop(5, IN)] }),
    vehicle('qx5744-arr', { tags: [prop(['a', 'b'], IN)] }),
    vehicle('qx5744-lang', {
      label: [
        { type: 'LanguageProperty', languageMap: { en: 'hello', fr: 'bonjour' }, observedAt: IN },
      ],
    }),
  ])
  const q = (...list: Step[]) => steps(f, DAY, ...list)
  const [mid, high, num, arr, lang] = ['mm', 'zz', 'num', 'arr', 'lang'].map(
    (n) => `qx5744-${n}`,
  ) as [string, string, string, string, string]

  it(
    '5744_06_01 string ordering is code-unit comparison',
    q(['q=name%3E%22m%22', [high], [mid, num]]),
  )
  it(
    '5744_06_02 string ordering includes the boundary with >=',
    q(['q=name%3E%3D%22m%22', [mid, high], [num]]),
  )
  it(
    '5744_06_03 ordering above the highest value matches nothing',
    q(['q=name%3E%22z%22', [], ['qx5744']]),
  )
  it('5744_06_04 unequal scalar', q(['q=name%21%3D%22m%22', [high, num], [mid]]))
  it(
    '5744_06_05 unequal against an array is universal',
    q(['q=tags%21%3D%22c%22', [arr]], ['q=tags%21%3D%22a%22', [], [arr]]),
  )
  it('5744_06_06 unequal value list', q(['q=name%21%3D%22m%22,%22z%22', [num], [mid, high]]))
  it(
    '5744_06_07 a language filter on a specific tag',
    q(['q=label%5Ben%5D%3D%3D%22hello%22', [lang], [mid, arr]]),
  )
  it(
    '5744_06_08 the language wildcard',
    q(
      ['q=label%5B%2A%5D%3D%3D%22bonjour%22', [lang]],
      ['q=label%5Ben%5D%3D%3D%22bonjour%22', [], [lang]],
    ),
  )
})
