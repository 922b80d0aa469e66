/**
 * ETSI GS CIM 014 extension TPs 5744_01, 5744_02, 5744_04 and 5741_01 on what decides the
 * values filter (q) and geoquery of Query Temporal Evolution of Entities (clause 5.7.4.4 S2/S3):
 * the attribute instances inside the temporal interval, never the entity's current state; plus
 * the q forms those TPs use (negated existence, a Relationship with an ordering operator, a
 * linked-entity term) and the UTC-only observedAt of temporal creation.
 *
 * The TPs' fixtures make the current state (the newest instance) fall inside the window; the
 * cases without an ETSI id move the window into the past, where the current state would answer
 * wrongly, and check the POST query and the count too.
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

const JANUARY = 'timerel=between&timeAt=2026-01-01T00:00:00Z&endTimeAt=2026-02-01T00:00:00Z'

const fixtures = (make: () => object[]) => windowFixtures(broker, 'tw', make)

/** The answer contains every id of `has` and none of `hasNot`. */
function expectIds(text: string, has: string[], hasNot: string[] = []): void {
  for (const id of has) expect(text).toContain(id)
  for (const id of hasNot) expect(text).not.toContain(id)
}

describe('the values filter is judged on the windowed instances (5744_01)', () => {
  const f = fixtures(valuesFilterVehicles)
  const [fast, slow, shapes, nowin, multi] = ['fast', 'slow', 'shapes', 'nowin', 'multi'].map(
    (n) => `qp5744-${n}`,
  ) as [string, string, string, string, string]

  it('5744_01_01 an out-of-window instance never satisfies q', async () => {
    expectIds(await f.query(`q=speed%3E25&${DAY}`), [fast], [slow, nowin])
  })

  it('5744_01_03 an observedAt with an offset is rejected on creation', async () => {
    const r = await broker.request('POST', '/temporal/entities', {
      tenant: f.tenant,
      body: vehicle('qp5744-offset', { speed: [prop(50, '2026-03-01T02:00:00+03:00')] }),
    })
    expect(r.status).toBe(400)
    expect(r.text).toContain('BadRequestData')
  })

  it('5744_01_06 an OR with a regex branch', async () => {
    expectIds(await f.query(`q=speed%3E25%7Cname~%3D%22%5Em%22&${DAY}`), [fast, shapes], [nowin])
  })

  it('5744_01_07 an unequal comparison', async () => {
    expectIds(await f.query(`q=speed%21%3D10&${DAY}`), [fast], [nowin])
  })

  it('5744_01_08 negated existence in a conjunction', async () => {
    expectIds(await f.query(`q=%21heading%3Bspeed%3E25&${DAY}`), [multi], [fast])
  })

  it('an earlier window judges the earlier instances, not the current state', async () => {
    // In January fast ran at 90 and slow at 80; today (the current state) at 30 and 10.
    expectIds(await f.query(`q=speed%3E50&${JANUARY}`), [fast, slow, nowin], [multi])
    expectIds(await f.query(`q=speed%3C50&${JANUARY}`), [], [fast, slow, nowin, multi])
    // heading has no instance in January: its absence is what !heading asks for.
    expectIds(await f.query(`q=%21heading%3Bspeed%3E85&${JANUARY}`), [fast, nowin], [slow])
  })

  it('the count and the pages follow the windowed matches', async () => {
    const r = await broker.request(
      'GET',
      `/temporal/entities?type=Vehicle&q=speed%3E50&${JANUARY}&count=true&limit=2`,
      { tenant: f.tenant },
    )
    expect(r.status).toBe(200)
    expect(r.headers.get('NGSILD-Results-Count')).toBe('3')
    expect((r.body as unknown[]).length).toBe(2)
    expect(r.headers.get('link') ?? '').toContain('rel="next"')
  })

  it('POST temporal/entityOperations/query judges the window as GET does', async () => {
    const r = await broker.request('POST', '/temporal/entityOperations/query', {
      tenant: f.tenant,
      body: {
        type: 'Query',
        entities: [{ type: 'Vehicle' }],
        q: 'speed>50',
        temporalQ: {
          timerel: 'between',
          timeAt: '2026-01-01T00:00:00Z',
          endTimeAt: '2026-02-01T00:00:00Z',
        },
      },
    })
    expect(r.status, r.text).toBe(200)
    expectIds(r.text, [fast, slow, nowin], [multi, shapes])
  })
})

describe('a Relationship with an ordering operator (5744_02)', () => {
  const f = fixtures(() => [
    vehicle('qp5744b-relv', {
      ref: [{ type: 'Relationship', object: 'urn:dest:qpA', observedAt: IN }],
    }),
  ])

  it('5744_02_04 never matches, while equality does', async () => {
    expectIds(await f.query(`q=ref%3E%22urn:a%22&${DAY}`), [], ['qp5744b-relv'])
    expectIds(await f.query(`q=ref%3D%3D%22urn:dest:qpA%22&${DAY}`), ['qp5744b-relv'])
  })
})

describe('the geoquery is judged on the windowed GeoProperty instances (5744_04)', () => {
  const f = fixtures(() => [
    vehicle('qg5744-paris', { location: [geo([2.29, 48.85], IN)] }),
    vehicle('qg5744-far', { location: [geo([10.0, 50.0], IN)] }),
    vehicle('qg5744-outw', { location: [geo([2.29, 48.85], OUT)] }),
    vehicle('qg5744-moved', { location: [geo([2.29, 48.85], OUT), geo([10.0, 50.0], IN)] }),
  ])
  const NEAR = 'georel=near%3BmaxDistance%3D%3D2000&geometry=Point&coordinates=[2.29,48.85]'
  const BOX =
    'geometry=Polygon&coordinates=[[[2.0,48.5],[2.6,48.5],[2.6,49.2],[2.0,49.2],[2.0,48.5]]]'

  it('5744_04_02 an out-of-window geometry never matches', async () => {
    expectIds(await f.query(`${NEAR}&${DAY}`), [], ['qg5744-outw'])
  })

  it('5744_04_03 within a polygon', async () => {
    expectIds(
      await f.query(`georel=within&${BOX}&${DAY}`),
      ['qg5744-paris'],
      ['qg5744-far', 'qg5744-outw'],
    )
  })

  it('an earlier window judges the earlier positions, not the current one', async () => {
    expectIds(
      await f.query(`${NEAR}&${JANUARY}`),
      ['qg5744-outw', 'qg5744-moved'],
      ['qg5744-paris', 'qg5744-far'],
    )
    expectIds(await f.query(`${NEAR}&${DAY}`), ['qg5744-paris'], ['qg5744-moved'])
  })
})

describe('validation of the temporal query (5741_01)', () => {
  it('5741_01_03 a linked-entity filter is BadRequestData', async () => {
    const r = await broker.request(
      'GET',
      `/temporal/entities?timerel=after&timeAt=2020-01-01T00:00:00Z&type=Building&q=${encodeURIComponent('owner{name}=="x"')}`,
      { headers: { accept: 'application/ld+json' } },
    )
    expect(r.status).toBe(400)
    expect((r.body as { type?: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
    )
  })
})
