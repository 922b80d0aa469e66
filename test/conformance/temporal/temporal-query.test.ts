/**
 * ETSI GS CIM 014 — Query Temporal Evolution of Entities (021_*, 5741_01),
 * clause 5.7.4. Every case works in a tenant of its own, so the entities of one case never show
 * up in another's results.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { type Broker } from '../support/broker.js'
import { LD, problem, problemOf, suiteDiff, useTestContext } from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'
import {
  AUG_BUS,
  AUG_VEHICLE,
  MULTI_VEHICLE,
  SEP_VEHICLE,
  instance as p,
  type Instance,
} from './samples.js'

const broker = useBroker()
const ctx = useTestContext(broker)

/** The suite's samples: 2020-08 vehicle, 2020-09 vehicle and 2020-08 bus. */
const SAMPLES = {
  aug: AUG_VEHICLE,
  sep: SEP_VEHICLE,
  bus: AUG_BUS,
  multi: MULTI_VEHICLE,
  oct: {
    type: 'Vehicle',
    speed: [
      p(150, '2020-10-01T12:03:00Z'),
      p(90, '2020-10-01T12:05:00Z'),
      p(127, '2020-10-01T12:07:00Z'),
    ],
    fuelLevel: [
      p(89, '2020-10-01T12:03:00Z'),
      p(78, '2020-10-01T13:05:00Z'),
      p(62, '2020-10-01T14:07:00Z'),
    ],
    location: [
      {
        type: 'GeoProperty',
        value: { type: 'Point', coordinates: [2.35, 42.22] },
        observedAt: '2020-10-01T12:03:00Z',
      },
      {
        type: 'GeoProperty',
        value: { type: 'Point', coordinates: [-8.5, 41.2] },
        observedAt: '2020-10-01T12:05:00Z',
      },
    ],
  },
}
type Sample = keyof typeof SAMPLES

interface Scenario {
  tenant: string | undefined
  ids: Record<Sample, string>
  query(query: string): ReturnType<Broker['request']>
  post(body: unknown): ReturnType<Broker['request']>
}

/** A tenant holding the given samples, created through the temporal API. */
async function scenario(...samples: Sample[]): Promise<Scenario> {
  // No samples: the default tenant (the suite's cases that create nothing run there).
  const tenant = samples.length > 0 ? `tq${randomUUID().slice(0, 8)}` : undefined
  const at = tenant === undefined ? {} : { tenant }
  const ids = {} as Record<Sample, string>
  for (const s of samples) {
    const sample = SAMPLES[s]
    const id = `urn:ngsi-ld:${sample.type}:${randomUUID()}`
    ids[s] = id
    const body = { id, ...sample, '@context': [ctx.url] }
    const r = await broker.request('POST', '/temporal/entities', { headers: LD, body, ...at })
    expect(r.status).toBe(201)
  }
  return {
    tenant,
    ids,
    query: (query) =>
      broker.request('GET', `/temporal/entities?${query}`, {
        headers: { link: ctx.link },
        ...at,
      }),
    post: (body) =>
      broker.request('POST', '/temporal/entityOperations/query', {
        headers: { 'content-type': 'application/json', link: ctx.link },
        body,
        ...at,
      }),
  }
}

type Window = (t: string) => boolean
const after =
  (at: string): Window =>
  (t) =>
    t >= at
const before =
  (at: string): Window =>
  (t) =>
    t < at
const between =
  (from: string, to: string): Window =>
  (t) =>
    t >= from && t < to

/** What the suite expects for a sample: its instances inside the window, per attribute. */
function expected(
  s: Scenario,
  sample: Sample,
  window: Window,
  attrs: readonly ('speed' | 'fuelLevel')[] = ['speed', 'fuelLevel'],
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: s.ids[sample], type: SAMPLES[sample].type }
  for (const a of attrs) {
    const kept = SAMPLES[sample][a].filter((i) => window(i.observedAt))
    if (kept.length > 0) out[a] = kept
  }
  return out
}
const IGNORED = ["root\\[.*\\]\\['instanceId'\\]"]

describe('QueryTemporalEvolutionOfEntities', () => {
  const byTimerel = (query: string, window: Window) => async () => {
    const s = await scenario('aug', 'sep', 'bus')
    const r = await s.query(`type=Vehicle&${query}`)
    expect(r.status).toBe(200)
    const want = [expected(s, 'aug', window), expected(s, 'sep', window)]
    expect(suiteDiff(want, r.body, IGNORED)).toEqual([])
  }
  it(
    '021_01_01 timerel after',
    byTimerel('timerel=after&timeAt=2020-08-01T12:04:00Z', after('2020-08-01T12:04:00Z')),
  )
  it(
    '021_01_02 timerel before',
    byTimerel('timerel=before&timeAt=2020-09-01T13:06:00Z', before('2020-09-01T13:06:00Z')),
  )
  it(
    '021_01_03 timerel between',
    byTimerel(
      'timerel=between&timeAt=2020-08-01T12:04:00Z&endTimeAt=2020-09-01T13:06:00Z',
      between('2020-08-01T12:04:00Z', '2020-09-01T13:06:00Z'),
    ),
  )

  const viaPost =
    (types: string[], temporalQ: Record<string, string>, window: Window) => async () => {
      const s = await scenario('aug', 'sep', 'bus')
      const r = await s.post({
        type: 'Query',
        entities: types.map((type) => ({ type })),
        temporalQ,
      })
      expect(r.status).toBe(200)
      // The suite's expectations hold only the entities with instances inside the window.
      const want = (['aug', 'sep', 'bus'] as const)
        .filter((k) => types.includes(SAMPLES[k].type))
        .map((k) => expected(s, k, window))
        .filter((e) => Object.keys(e).length > 2)
      expect(suiteDiff(want, r.body, IGNORED)).toEqual([])
    }
  const AUG2 = '2020-08-02T12:05:00Z'
  it(
    '021_13_01 entityOperations query, after',
    viaPost(['Vehicle'], { timerel: 'after', timeAt: AUG2 }, after(AUG2)),
  )
  it(
    '021_13_02 entityOperations query, before',
    viaPost(['Vehicle'], { timerel: 'before', timeAt: AUG2 }, before(AUG2)),
  )
  it(
    '021_13_03 entityOperations query, between',
    viaPost(
      ['Vehicle'],
      { timerel: 'between', timeAt: AUG2, endTimeAt: '2020-09-01T13:06:00Z' },
      between(AUG2, '2020-09-01T13:06:00Z'),
    ),
  )
  it(
    '021_13_04 entityOperations query, after, two types',
    viaPost(['Vehicle', 'Bus'], { timerel: 'after', timeAt: AUG2 }, after(AUG2)),
  )

  const NOON = '2020-08-01T12:00:00Z'
  const postQuery =
    (
      temporalQ: Record<string, unknown>,
      status: number,
      has?: string,
      hasNot?: string,
      extra = {},
    ) =>
    async () => {
      const s = await scenario('aug')
      const r = await s.post({
        type: 'Query',
        entities: [{ type: 'Vehicle' }],
        temporalQ: { timerel: 'after', timeAt: NOON, ...temporalQ },
        ...extra,
      })
      expect(r.status, r.text).toBe(status)
      if (has !== undefined) expect(r.text).toContain(has)
      if (hasNot !== undefined) expect(r.text).not.toContain(hasNot)
    }
  it(
    '021_27_01 lastN in the JSON TemporalQuery is honoured',
    postQuery({ lastN: 1 }, 200, '2020-08-01T12:07:00Z', '2020-08-01T12:03:00Z'),
  )
  it('021_27_02 lastN zero is rejected', postQuery({ lastN: 0 }, 400, 'BadRequestData'))
  it('021_27_03 a fractional lastN is rejected', postQuery({ lastN: 2.5 }, 400, 'BadRequestData'))
  it(
    '021_27_04 timerel is limited to before, after, between',
    postQuery({ timerel: 'during' }, 400, 'BadRequestData'),
  )
  it(
    '021_27_05 between requires endTimeAt',
    postQuery({ timerel: 'between' }, 400, 'BadRequestData'),
  )
  it(
    '021_27_06 timeproperty is limited to the four temporal property names',
    postQuery({ timeproperty: 'expiresAt' }, 400, 'BadRequestData'),
  )
  it(
    '021_27_07 aggrMethods as a string array is honoured',
    postQuery({ aggrMethods: ['avg'] }, 200, 'avg', 'instanceId'),
  )
  it(
    '021_27_08 aggrMethods as a comma separated string is honoured',
    postQuery({ aggrMethods: 'avg,max' }, 200, 'avg', 'instanceId'),
  )
  it(
    '021_27_09 an invalid aggrPeriodDuration is rejected',
    postQuery({ aggrMethods: ['avg'], aggrPeriodDuration: 'bogus' }, 400, 'aggrPeriodDuration'),
  )
  it(
    '5244_01_01 a conformant aggrParams yields aggregated values',
    postQuery({}, 200, 'avg', 'instanceId', {
      aggrParams: { aggrMethods: ['avg'], aggrPeriodDuration: 'PT0S' },
    }),
  )
  it(
    '5244_01_02 an unknown aggregation method is rejected',
    postQuery({}, 400, 'aggrMethods', undefined, { aggrParams: { aggrMethods: ['bogus'] } }),
  )
  it(
    '5244_01_03 an invalid aggrPeriodDuration is rejected',
    postQuery({}, 400, 'aggrPeriodDuration', undefined, {
      aggrParams: { aggrMethods: ['avg'], aggrPeriodDuration: 'bogus' },
    }),
  )

  const ALL = after('2020-07-01T12:05:00Z')
  const WINDOW = 'timerel=after&timeAt=2020-07-01T12:05:00Z'

  it('021_02_01 the temporal evolution of certain attributes (attrs)', async () => {
    const s = await scenario('aug', 'sep')
    const r = await s.query(`type=Vehicle&attrs=speed&${WINDOW}`)
    expect(r.status).toBe(200)
    const want = [expected(s, 'aug', ALL, ['speed']), expected(s, 'sep', ALL, ['speed'])]
    expect(suiteDiff(want, r.body, IGNORED)).toEqual([])
  })

  it('021_04_01 query using a context (terms compacted with the Link @context)', async () => {
    const s = await scenario('aug', 'sep')
    const r = await s.query(`type=Vehicle&${WINDOW}`)
    expect(r.status).toBe(200)
    const want = [expected(s, 'aug', ALL), expected(s, 'sep', ALL)]
    expect(suiteDiff(want, r.body, IGNORED)).toEqual([])
  })

  it('021_05_01 entities matching the given type', async () => {
    const s = await scenario('aug', 'bus')
    const r = await s.query(`type=Bus&${WINDOW}`)
    expect(r.status).toBe(200)
    expect(suiteDiff([expected(s, 'bus', ALL)], r.body, IGNORED)).toEqual([])
  })

  it('021_06_01 entities matching the given identifier', async () => {
    const s = await scenario('aug', 'sep')
    const r = await s.query(`type=Vehicle&id=${s.ids.aug}&${WINDOW}`)
    expect(r.status).toBe(200)
    expect(suiteDiff([expected(s, 'aug', ALL)], r.body, IGNORED)).toEqual([])
  })

  it('021_07_01 entities matching the given id pattern', async () => {
    const s = await scenario('aug', 'sep')
    const r = await s.query(`type=Vehicle&idPattern=urn:ngsi-ld:Vehicle:.*&${WINDOW}`)
    expect(r.status).toBe(200)
    const want = [expected(s, 'aug', ALL), expected(s, 'sep', ALL)]
    expect(suiteDiff(want, r.body, IGNORED)).toEqual([])
  })

  it('021_08_01 entities matching an NGSI-LD query (all their instances)', async () => {
    const s = await scenario('aug', 'sep')
    const r = await s.query(`type=Vehicle&q=speed%3E90&${WINDOW}`)
    expect(r.status).toBe(200)
    const want = [expected(s, 'aug', ALL), expected(s, 'sep', ALL)]
    expect(suiteDiff(want, r.body, IGNORED)).toEqual([])
  })

  it('021_03_01 the last N instances of entities attributes (lastN)', async () => {
    const s = await scenario('multi', 'sep')
    const r = await s.query(`type=Vehicle&lastN=4&${WINDOW}`)
    expect(r.status).toBe(200)
    const last4 = (sample: 'multi' | 'sep') => ({
      id: s.ids[sample],
      type: 'Vehicle',
      speed: SAMPLES[sample].speed.slice(-4),
      fuelLevel: SAMPLES[sample].fuelLevel.slice(-4),
    })
    expect(suiteDiff([last4('multi'), last4('sep')], r.body, IGNORED)).toEqual([])
  })

  it('021_09_02 entities matching a geo-query (within a polygon)', async () => {
    const s = await scenario('aug', 'oct')
    const polygon =
      '[[[-13.503,47.202],[6.541,52.961],[20.37,44.653],[9.46,32.57],[-13.503,32.57],[-13.503,47.202]]]'
    const r = await s.query(
      `type=Vehicle&georel=within&geometry=Polygon&coordinates=${encodeURIComponent(polygon)}` +
        `&geoproperty=location&${WINDOW}`,
    )
    expect(r.status).toBe(200)
    const { type, speed, fuelLevel, location } = SAMPLES.oct
    const want = [{ id: s.ids.oct, type, speed, fuelLevel, location }]
    expect(suiteDiff(want, r.body, IGNORED)).toEqual([])
  })

  const limited = (limit: number) => async () => {
    const s = await scenario('aug', 'sep')
    const third = `urn:ngsi-ld:Vehicle:${randomUUID()}`
    const body = { id: third, ...SAMPLES.sep, '@context': [ctx.url] }
    const created = await broker.request('POST', '/temporal/entities', {
      headers: LD,
      body,
      ...(s.tenant !== undefined && { tenant: s.tenant }),
    })
    expect(created.status).toBe(201)
    const r = await s.query(`type=Bus,Vehicle&limit=${limit}&${WINDOW}`)
    expect(r.status).toBe(200)
    const vehicles = (r.body as { type: string }[]).filter((e) => e.type === 'Vehicle')
    expect(vehicles).toHaveLength(limit)
  }
  it('021_11_01 a limit to the number of entities (some)', limited(2))
  it('021_11_02 a limit to the number of entities (all)', limited(3))

  it('021_12_01 a query without type, attrs, q, geoQ or local answers 400', async () => {
    const s = await scenario('aug')
    const r = await s.query(WINDOW)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('021_24 entity ids alone are not a minimal parameter: 400', async () => {
    const s = await scenario()
    const r = await s.query(`id=urn:ngsi-ld:Entity:01,urn:ngsi-ld:Entity:02&${WINDOW}`)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  const simplified = (query: string, window: Window) => async () => {
    const s = await scenario('aug', 'sep', 'bus')
    const r = await s.query(`type=Vehicle&options=temporalValues&${query}`)
    expect(r.status).toBe(200)
    const values = (sample: Sample) => {
      const full = expected(s, sample, window)
      const out: Record<string, unknown> = { id: full['id'], type: full['type'] }
      for (const a of ['speed', 'fuelLevel'])
        if (full[a])
          out[a] = {
            type: 'Property',
            values: (full[a] as Instance[]).map((i) => [i.value, i.observedAt]),
          }
      return out
    }
    expect(suiteDiff([values('aug'), values('sep')], r.body)).toEqual([])
  }
  it(
    '021_14_01 simplified representation, timerel after',
    simplified('timerel=after&timeAt=2020-08-01T12:04:00Z', after('2020-08-01T12:04:00Z')),
  )
  it(
    '021_14_02 simplified representation, timerel before',
    simplified('timerel=before&timeAt=2020-09-01T13:06:00Z', before('2020-09-01T13:06:00Z')),
  )
  it(
    '021_14_02 simplified representation, timerel between (the TP reuses the id)',
    simplified(
      'timerel=between&timeAt=2020-08-01T12:04:00Z&endTimeAt=2020-09-01T13:06:00Z',
      between('2020-08-01T12:04:00Z', '2020-09-01T13:06:00Z'),
    ),
  )

  const format = (query: string) => async () => {
    const s = await scenario('aug', 'sep')
    const r = await s.query(`type=Vehicle&timerel=after&timeAt=2020-01-01T12:03:00Z&${query}`)
    expect(r.status).toBe(200)
    const values = (sample: Sample) => ({
      id: s.ids[sample],
      type: 'Vehicle',
      speed: {
        type: 'Property',
        values: SAMPLES[sample].speed.map((i) => [i.value, i.observedAt]),
      },
      fuelLevel: {
        type: 'Property',
        values: SAMPLES[sample].fuelLevel.map((i) => [i.value, i.observedAt]),
      },
    })
    expect(suiteDiff([values('aug'), values('sep')], r.body)).toEqual([])
  }
  it('021_19_01 format=temporalValues alone', format('format=temporalValues'))
  it(
    '021_19_02 format takes precedence over options',
    format('format=temporalValues&options=aggregatedValues&aggrMethods=sum'),
  )
  it('021_19_03 options=temporalValues alone', format('options=temporalValues'))

  const badOptions = (query: string) => async () => {
    const s = await scenario()
    const r = await s.query(`type=Vehicle&timerel=after&timeAt=2020-01-01T12:03:00Z&${query}`)
    expect(r.status).toBe(400)
    expect((r.body as { type?: string }).type).toBe(problem('InvalidRequest'))
  }
  it('021_20_01 an invalid format answers 400 InvalidRequest', badOptions('format=invalidFormat'))
  it(
    '021_20_02 an invalid options answers 400 InvalidRequest',
    badOptions('options=invalidOptions'),
  )
  it(
    '021_20_03 one invalid options value answers 400 InvalidRequest',
    badOptions('options=temporalValues,invalidOptions'),
  )
  it(
    '021_20_04 an invalid options value next to a format answers 400 InvalidRequest',
    badOptions('format=temporalValues&options=aggregatedValues,invalidOptions'),
  )

  const bounds =
    (timerel: string, timeAt: string, end: string | undefined, want: string[] | 400) =>
    async () => {
      const s = await scenario('aug')
      const r = await s.query(
        `id=${s.ids.aug}&attrs=speed&timerel=${timerel}&timeAt=${timeAt}` +
          (end ? `&endTimeAt=${end}` : ''),
      )
      if (want === 400) {
        expect(r.status).toBe(400)
        return
      }
      expect(r.status).toBe(200)
      const [entity] = r.body as { speed?: Instance[] | Instance }[]
      const speed = entity?.speed === undefined ? [] : [entity.speed].flat()
      expect(speed.map((i) => i.observedAt).sort()).toEqual(want)
    }
  const AT = '2020-08-01T12:05:00Z'
  const LATER = ['2020-08-01T12:05:00Z', '2020-08-01T12:07:00Z']
  it(
    '021_26_01 after includes the instance at exactly timeAt',
    bounds('after', AT, undefined, LATER),
  )
  it(
    '021_26_02 after bound holds for a fraction spelling',
    bounds('after', '2020-08-01T12:05:00.000Z', undefined, LATER),
  )
  it(
    '021_26_03 before excludes the instance at exactly timeAt',
    bounds('before', AT, undefined, ['2020-08-01T12:03:00Z']),
  )
  it(
    '021_26_04 before bound holds for a fraction spelling',
    bounds('before', '2020-08-01T12:05:00.000Z', undefined, ['2020-08-01T12:03:00Z']),
  )
  it(
    '021_26_05 between is lower-inclusive and upper-exclusive',
    bounds('between', '2020-08-01T12:03:00Z', AT, ['2020-08-01T12:03:00Z']),
  )
  it(
    '021_26_06 between bounds hold for fraction spellings',
    bounds('between', '2020-08-01T12:03:00.000Z', '2020-08-01T12:05:00.000Z', [
      '2020-08-01T12:03:00Z',
    ]),
  )
  it('021_26_07 an unknown timerel is rejected', bounds('during', AT, undefined, 400))
  it('021_26_08 between without endTimeAt is rejected', bounds('between', AT, undefined, 400))
  it('021_26_09 a Date is not a DateTime', bounds('after', '2020-08-01', undefined, 400))

  const tooWide = (query: string) => async () => {
    const s = await scenario()
    const r = await s.query(`timerel=after&timeAt=2020-01-01T00:00:00Z&${query}`)
    expect(r.status).toBe(400)
    expect((r.body as { type?: string }).type).toBe(problem('BadRequestData'))
  }
  it('5741_01_04 an invalid id URI is BadRequestData', tooWide('type=Building&id=not%20a%20uri'))
  it('5741_01_05 an invalid csf is BadRequestData', tooWide('type=Building&csf=))bad(('))
})
