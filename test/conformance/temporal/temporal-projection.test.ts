/**
 * ETSI GS CIM 014 — projection and ordering on the temporal API: pick / omit on Retrieve
 * (020_21 – 020_23, 5731_01) and Query (021_21, 021_22, 5741_01) Temporal Evolution, the
 * datasetId filter with the simplified representation (021_18), and the ordering rule of
 * clause 5.7.4.4 (5741_01_06). Every case that creates entities works in a tenant of its own.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { type Broker } from '../support/broker.js'
import { LD, problem, problemOf, suiteDiff, useTestContext } from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'
import { AUG_BUS, AUG_VEHICLE, SEP_VEHICLE, instance as p } from './samples.js'

const broker = useBroker()
const ctx = useTestContext(broker)

/** The suite's samples: 2020-08 vehicle, 2020-09 vehicle and 2020-08 bus. */
const SAMPLES = {
  aug: AUG_VEHICLE,
  sep: SEP_VEHICLE,
  bus: AUG_BUS,
}
type Sample = keyof typeof SAMPLES

const COMMON = 'urn:ngsi-ld:Dataset:Common'
const SPEED = 'urn:ngsi-ld:Dataset:Speed'
const FUEL = 'urn:ngsi-ld:Dataset:fuel'
/** The suite's vehicle-temporal-representation-with-multi-attributes-instances sample. */
const MULTI = {
  type: 'Vehicle',
  speed: [
    p(120, '2020-09-01T12:03:00Z'),
    p(80, '2020-09-01T12:05:00Z', COMMON),
    p(90, '2020-09-01T13:05:00Z', COMMON),
    p(60, '2020-09-01T12:05:00Z', SPEED),
    p(62, '2020-09-01T12:15:00Z', SPEED),
  ],
  fuelLevel: [
    p(67, '2020-09-01T12:03:00Z'),
    p(68, '2020-09-01T12:03:30Z'),
    p(53, '2020-09-01T13:05:00Z', COMMON),
    p(40, '2020-09-01T14:07:00Z', FUEL),
  ],
}

const IGNORED = ["root\\[.*\\]\\['instanceId'\\]"]

interface Scenario {
  ids: Record<string, string>
  retrieve(id: string, query: string): ReturnType<Broker['request']>
  query(query: string): ReturnType<Broker['request']>
}

/** A tenant holding the given entities, created through the temporal API. */
async function scenario(entities: Record<string, Record<string, unknown>>): Promise<Scenario> {
  const names = Object.keys(entities)
  // No entities: the default tenant (the suite's cases that create nothing run there).
  const tenant = names.length > 0 ? `tp${randomUUID().slice(0, 8)}` : undefined
  const at = tenant === undefined ? {} : { tenant }
  const ids: Record<string, string> = {}
  for (const name of names) {
    const sample = entities[name]!
    const id = `urn:ngsi-ld:${String(sample['type'])}:${randomUUID()}`
    ids[name] = id
    const body = { id, ...sample, '@context': [ctx.url] }
    const r = await broker.request('POST', '/temporal/entities', { headers: LD, body, ...at })
    expect(r.status).toBe(201)
  }
  const get = (path: string) => broker.request('GET', path, { headers: { link: ctx.link }, ...at })
  return {
    ids,
    retrieve: (id, query) => get(`/temporal/entities/${id}?${query}`),
    query: (query) => get(`/temporal/entities?${query}`),
  }
}

const samples = (...names: Sample[]) =>
  scenario(Object.fromEntries(names.map((n) => [n, SAMPLES[n]])))

function expectProblem(r: { status: number; body: unknown }, status: number, type: string) {
  expect(r.status).toBe(status)
  expect(problemOf(r as never)).toEqual({ type: problem(type), title: true })
}

describe('RetrieveTemporalEvolutionOfEntity with pick and omit', () => {
  const retrieved =
    (pick: string, omit: string, expected: (id: string) => Record<string, unknown>) => async () => {
      const s = await samples('aug')
      const id = s.ids['aug']!
      const query = [pick && `pick=${pick}`, omit && `omit=${omit}`].filter(Boolean).join('&')
      const r = await s.retrieve(id, query)
      expect(r.status).toBe(200)
      expect(suiteDiff(expected(id), r.body, IGNORED)).toEqual([])
    }
  const { speed, fuelLevel } = SAMPLES.aug
  it(
    '020_21_01 pick on attributes',
    retrieved('speed', '', () => ({ speed })),
  )
  it(
    '020_21_02 omit on attributes',
    retrieved('', 'speed', (id) => ({ id, type: 'Vehicle', fuelLevel })),
  )
  it(
    '020_21_03 pick on attributes and core members',
    retrieved('id,speed', '', (id) => ({ id, speed })),
  )
  it(
    '020_21_04 omit on attributes and core members',
    retrieved('', 'type,speed', (id) => ({ id, fuelLevel })),
  )

  const invalid = (query: string) => async () => {
    const s = await samples('aug')
    expectProblem(await s.retrieve(s.ids['aug']!, query), 400, 'BadRequestData')
  }
  it('020_22_01 the same member in pick and omit', invalid('pick=speed&omit=speed'))
  it('020_22_02 pick with attrs', invalid('pick=speed&attrs=fuelLevel'))
  it('02_22_03 omit with attrs', invalid('omit=speed&attrs=fuelLevel'))

  const nothingLeft = (query: string) => async () => {
    const s = await samples('aug')
    expectProblem(await s.retrieve(s.ids['aug']!, query), 404, 'ResourceNotFound')
  }
  it('020_23_01 a pick matching no member', nothingLeft('pick=unknown'))
  it('020_23_02 an omit of every member', nothingLeft('omit=id,type,fuelLevel,speed'))

  it('5731_01_01 a Linked Entity projection is BadRequestData', async () => {
    const r = await broker.request(
      'GET',
      '/temporal/entities/urn:ngsi-ld:Building:5731?pick=owner{name}',
      { headers: { accept: 'application/ld+json' } },
    )
    expect(r.status).toBe(400)
    expect((r.body as { type?: string }).type).toBe(problem('BadRequestData'))
  })
})

describe('QueryTemporalEvolutionOfEntities with pick and omit', () => {
  const ALL = 'timerel=after&timeAt=1970-01-01T00:00:00Z'
  const queried =
    (pick: string, omit: string, shape: (id: string, sample: Sample) => Record<string, unknown>) =>
    async () => {
      const s = await samples('aug', 'sep', 'bus')
      const query = [pick && `pick=${pick}`, omit && `omit=${omit}`].filter(Boolean).join('&')
      const r = await s.query(`type=Bus,Vehicle&${ALL}&${query}`)
      expect(r.status).toBe(200)
      const want = (['aug', 'sep', 'bus'] as const).map((k) => shape(s.ids[k]!, k))
      expect(suiteDiff(want, r.body, IGNORED)).toEqual([])
    }
  const of = (k: Sample) => SAMPLES[k]
  it(
    '021_21_01 pick on attributes',
    queried('speed', '', (_, k) => ({ speed: of(k).speed })),
  )
  it(
    '021_21_02 omit on attributes',
    queried('', 'speed', (id, k) => ({ id, type: of(k).type, fuelLevel: of(k).fuelLevel })),
  )
  it(
    '021_21_03 pick on core members',
    queried('id', '', (id) => ({ id })),
  )
  it(
    '021_21_04 omit on core members',
    queried('', 'type', (id, k) => ({ id, speed: of(k).speed, fuelLevel: of(k).fuelLevel })),
  )
  it(
    '021_21_05 pick on attributes and core members',
    queried('id,speed', '', (id, k) => ({ id, speed: of(k).speed })),
  )
  it(
    '021_21_06 omit on attributes and core members',
    queried('', 'type,speed', (id, k) => ({ id, fuelLevel: of(k).fuelLevel })),
  )

  const invalid = (query: string) => async () => {
    const s = await samples('aug', 'sep', 'bus')
    expectProblem(await s.query(`type=Building,Vehicle&${ALL}&${query}`), 400, 'BadRequestData')
  }
  it('021_22_01 the same member in pick and omit', invalid('pick=speed&omit=speed'))
  it('021_22_02 pick with attrs', invalid('pick=speed&attrs=fuelLevel'))
  it('021_22_03 omit with attrs', invalid('omit=speed&attrs=fuelLevel'))

  const rejected = (query: string) => async () => {
    const r = await broker.request(
      'GET',
      `/temporal/entities?timerel=after&timeAt=2020-01-01T00:00:00Z&${query}`,
      { headers: { accept: 'application/ld+json' } },
    )
    expect(r.status).toBe(400)
    expect((r.body as { type?: string }).type).toBe(problem('BadRequestData'))
  }
  it('5741_01_01 attrs naming only system attributes is too wide', rejected('attrs=createdAt'))
  it(
    '5741_01_02 a Linked Entity projection is BadRequestData',
    rejected('type=Building&pick=owner{name}'),
  )
  it(
    '5741_01_06 an ordering other than id is BadRequestData',
    rejected('type=Building&orderBy=name'),
  )
})

describe('QueryTemporalEvolutionOfEntities filtered by datasetId (temporalValues)', () => {
  const pairs = (list: { value: number; observedAt: string }[]) =>
    list.map((i) => [i.value, i.observedAt])
  const group = (datasetId: string | undefined, list: (typeof MULTI)['speed']) => ({
    type: 'Property',
    ...(datasetId !== undefined && { datasetId }),
    values: pairs(list.filter((i) => i.datasetId === datasetId)),
  })
  const filtered =
    (attrs: string, datasetId: string, expected: (id: string) => unknown[]) => async () => {
      const s = await scenario({ multi: MULTI })
      const query = [attrs && `attrs=${attrs}`, datasetId && `datasetId=${datasetId}`]
        .filter(Boolean)
        .join('&')
      const r = await s.query(
        `type=Vehicle&timerel=after&timeAt=2020-08-01T12:04:00Z&options=temporalValues&${query}`,
      )
      expect(r.status).toBe(200)
      expect(suiteDiff(expected(s.ids['multi']!), r.body)).toEqual([])
    }
  const { speed, fuelLevel } = MULTI
  it(
    '021_18_01 attrs only',
    filtered('speed', '', (id) => [
      {
        id,
        type: 'Vehicle',
        speed: [group(undefined, speed), group(SPEED, speed), group(COMMON, speed)],
      },
    ]),
  )
  it(
    '021_18_02 datasetId only',
    filtered('', COMMON, (id) => [
      { id, type: 'Vehicle', speed: group(COMMON, speed), fuelLevel: group(COMMON, fuelLevel) },
    ]),
  )
  it(
    '021_18_03 two datasetIds',
    filtered('', `${COMMON},${SPEED}`, (id) => [
      {
        id,
        type: 'Vehicle',
        speed: [group(SPEED, speed), group(COMMON, speed)],
        fuelLevel: group(COMMON, fuelLevel),
      },
    ]),
  )
  it(
    '021_18_04 the default instance',
    filtered('', '@none', (id) => [
      {
        id,
        type: 'Vehicle',
        speed: group(undefined, speed),
        fuelLevel: group(undefined, fuelLevel),
      },
    ]),
  )
  it(
    '021_18_05 attrs and the default instance',
    filtered('speed', '@none', (id) => [{ id, type: 'Vehicle', speed: group(undefined, speed) }]),
  )
  it(
    '021_18_06 attrs and a datasetId',
    filtered('fuelLevel', FUEL, (id) => [
      { id, type: 'Vehicle', fuelLevel: group(FUEL, fuelLevel) },
    ]),
  )
  it(
    '021_18_07 attrs and a datasetId with no match',
    filtered('speed', FUEL, () => []),
  )
})

describe('QueryTemporalEvolutionOfEntities ordered by id (5.7.4.4)', () => {
  it('orders the entities by id, ascending or descending, before the page is cut', async () => {
    const s = await samples('aug', 'sep', 'bus')
    const ids = Object.values(s.ids).sort()
    const window = 'type=Bus,Vehicle&timerel=after&timeAt=1970-01-01T00:00:00Z&pick=id'
    const asc = await s.query(`${window}&orderBy=id`)
    expect(asc.status).toBe(200)
    expect(asc.body).toEqual(ids.map((id) => ({ id })))
    const desc = await s.query(`${window}&orderBy=id;desc&limit=2`)
    expect(desc.status).toBe(200)
    expect(desc.body).toEqual(
      [...ids]
        .reverse()
        .slice(0, 2)
        .map((id) => ({ id })),
    )
  })
})
