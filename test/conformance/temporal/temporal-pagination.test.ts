/**
 * ETSI GS CIM 014 — temporal pagination (clause 6.3.10): 020_13, 020_14 (retrieve), 021_15, 021_16
 * (query). The suite assumes a broker whose instance limit (per attribute here) is below the 20
 * instances of its twenty-instance vehicle; this broker runs with CIVITAS_TEMPORAL_MAX_INSTANCES=10. The checks
 * follow the suite's: the Content-Range unit, start, end and size, where "least/most recent"
 * are the oldest/newest observedAt in the returned body.
 */
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { LD, useTestContext } from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'
import { SEP_VEHICLE, instance as p } from './samples.js'

const broker = useBroker({ CIVITAS_TEMPORAL_MAX_INSTANCES: '10' })
const ctx = useTestContext(broker)

const at = (minute: number) => `2020-01-01T01:${String(minute).padStart(2, '0')}:00Z`
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)
/** The suite's pagination/2020-01-vehicule-temporal-representation-twenty-instances sample. */
const TWENTY = {
  type: 'Vehicle',
  speed: range(20).map((i) => p(i, at(i))),
  fuelLevel: range(20).map((i) => p(i, at(i + 2))),
}
const BEFORE = '2019-01-01T01:01:00Z'
const AFTER = '2021-01-01T01:01:00Z'

const tenant = `tp${randomUUID().slice(0, 8)}`
const twentyId = `urn:ngsi-ld:Vehicle:${randomUUID()}`
const septemberId = `urn:ngsi-ld:Vehicle:${randomUUID()}`

beforeAll(async () => {
  for (const [id, sample] of [
    [twentyId, TWENTY],
    [septemberId, SEP_VEHICLE],
  ] as const) {
    const body = { id, ...sample, '@context': [ctx.url] }
    const r = await broker.request('POST', '/temporal/entities', { headers: LD, body, tenant })
    expect(r.status).toBe(201)
  }
})

type Entity = Record<string, unknown>
/** Every observedAt of speed and fuelLevel in the returned entities (either representation). */
function times(entities: Entity[], simplified: boolean): number[] {
  return entities.flatMap((e) =>
    ['speed', 'fuelLevel'].flatMap((a) => {
      const attr = e[a]
      if (simplified)
        return ((attr as { values?: [unknown, string][] })?.values ?? []).map((v) =>
          Date.parse(v[1]),
        )
      return ([attr].flat().filter(Boolean) as { observedAt: string }[]).map((i) =>
        Date.parse(i.observedAt),
      )
    }),
  )
}

interface Case {
  representation?: 'temporalValues'
  timerel?: string
  timeAt?: string
  endTimeAt?: string
  lastN?: number
  /** 'lrt' (least recent), 'mrt' (most recent) or a DateTime. */
  start?: string
  end?: string
  size?: string
}

const check = (url: (query: string) => string, many: boolean) => (c: Case) => async () => {
  const params = new URLSearchParams()
  if (c.representation) params.set('options', c.representation)
  if (c.timerel) params.set('timerel', c.timerel)
  if (c.timeAt) params.set('timeAt', c.timeAt)
  if (c.endTimeAt) params.set('endTimeAt', c.endTimeAt)
  if (c.lastN !== undefined) params.set('lastN', String(c.lastN))
  const r = await broker.request('GET', url(params.toString()), {
    headers: { link: ctx.link },
    tenant,
  })
  expect(r.status).toBe(206)
  const m = /([a-zA-Z-]+) (.*-.*-.*)-(.*-.*-.*)\/(.*)/.exec(r.headers.get('content-range') ?? '')
  expect(m, r.headers.get('content-range') ?? 'no Content-Range').not.toBeNull()
  const [, unit, start, end, size] = m as unknown as [string, string, string, string, string]
  expect(unit).toBe('date-time')
  const entities = (many ? r.body : [r.body]) as Entity[]
  const all = times(entities, c.representation === 'temporalValues')
  const resolve = (want: string) =>
    want === 'lrt' ? Math.min(...all) : want === 'mrt' ? Math.max(...all) : Date.parse(want)
  if (c.start) expect(Date.parse(start)).toBe(resolve(c.start))
  if (c.end) expect(Date.parse(end)).toBe(resolve(c.end))
  if (c.size) expect(size).toBe(c.size)
}

/** The cases the suite runs both on retrieve (020_13) and on query (021_15). */
const BOTH = {
  lastNBefore: {
    lastN: 20,
    size: '20',
    timerel: 'before',
    timeAt: AFTER,
    start: AFTER,
    end: 'lrt',
  },
  lastNBetween: {
    lastN: 20,
    timerel: 'between',
    timeAt: BEFORE,
    endTimeAt: AFTER,
    start: AFTER,
    end: 'lrt',
  },
  lastNAfter: { lastN: 20, size: '20', timerel: 'after', timeAt: BEFORE, start: 'mrt', end: 'lrt' },
  before: { timerel: 'before', size: '*', timeAt: AFTER, end: 'mrt' },
  between: { timerel: 'between', timeAt: BEFORE, endTimeAt: AFTER, start: BEFORE, end: 'mrt' },
  after: { timerel: 'after', timeAt: BEFORE, start: BEFORE, end: 'mrt' },
  valuesAfter: {
    representation: 'temporalValues',
    timerel: 'after',
    timeAt: BEFORE,
    start: BEFORE,
    end: 'mrt',
  },
  valuesLastNBetween: {
    representation: 'temporalValues',
    lastN: 20,
    timerel: 'between',
    timeAt: BEFORE,
    endTimeAt: AFTER,
    start: AFTER,
    end: 'lrt',
  },
} satisfies Record<string, Case>

describe('Temporal pagination on retrieve', () => {
  const t = check((q) => `/temporal/entities/${twentyId}?${q}`, false)
  it(
    '020_13_01 an entity with 20 instances on two attributes',
    t({ size: '*', start: 'lrt', end: 'mrt' }),
  )
  it('020_13_02 with lastN', t({ lastN: 20, size: '20', start: 'mrt', end: 'lrt' }))
  it('020_13_03 with lastN and timerel before', t(BOTH.lastNBefore))
  it('020_13_04 with lastN and timerel between', t(BOTH.lastNBetween))
  it('020_13_05 with lastN and timerel after', t(BOTH.lastNAfter))
  it('020_13_06 with timerel before', t(BOTH.before))
  it('020_13_07 with timerel between', t(BOTH.between))
  it('020_13_08 with timerel after', t(BOTH.after))
  it('020_13_09 temporalValues with timerel after', t(BOTH.valuesAfter))
  it('020_13_10 temporalValues, lastN and timerel between', t(BOTH.valuesLastNBetween))
})

describe('Temporal pagination on query', () => {
  const t = check((q) => `/temporal/entities?type=Vehicle&${q}`, true)
  it('021_15_01 lastN and timerel before', t(BOTH.lastNBefore))
  it('021_15_02 lastN and timerel between', t(BOTH.lastNBetween))
  it('021_15_03 lastN and timerel after', t(BOTH.lastNAfter))
  it('021_15_04 timerel before', t(BOTH.before))
  it('021_15_05 timerel between', t(BOTH.between))
  it('021_15_06 timerel after', t(BOTH.after))
  it('021_15_07 temporalValues and timerel after', t(BOTH.valuesAfter))
  it('021_15_08 temporalValues, lastN and timerel between', t(BOTH.valuesLastNBetween))

  it('021_16_01 pagination on the POST query', async () => {
    const r = await broker.request('POST', '/temporal/entityOperations/query', {
      headers: { 'content-type': 'application/json', link: ctx.link },
      body: {
        type: 'Query',
        entities: [{ type: 'Vehicle' }],
        temporalQ: { timerel: 'before', timeAt: '2020-08-02T12:05:00Z' },
      },
      tenant,
    })
    expect(r.status).toBe(206)
    expect(r.headers.get('content-range')).toMatch(/^date-time /)
  })
})

describe('Temporal pagination cuts the time range before the second attribute', () => {
  const day = (d: number, minute: number) =>
    `2020-01-0${d}T01:${String(minute).padStart(2, '0')}:00Z`
  /** The suite's pagination/…-sixty-instances sample: 59 speeds on day 1, 59 fuel levels on day 2. */
  const SIXTY = {
    type: 'Vehicle',
    speed: range(59).map((i) => p(i, day(1, i))),
    fuelLevel: range(59).map((i) => p(i, day(2, i))),
  }
  const id = `urn:ngsi-ld:Vehicle:${randomUUID()}`
  beforeAll(async () => {
    const body = { id, ...SIXTY, '@context': [ctx.url] }
    const r = await broker.request('POST', '/temporal/entities', { headers: LD, body, tenant })
    expect(r.status).toBe(201)
  })
  const empty = (query: string, attr: string) => async () => {
    const r = await broker.request('GET', `/temporal/entities/${id}?${query}`, {
      headers: { link: ctx.link },
      tenant,
    })
    expect((r.body as Record<string, unknown>)[attr]).toEqual([])
  }
  it(
    '020_14_01 60 instances of unsynchronized attributes: the later attribute is empty',
    empty(`timerel=after&timeAt=${BEFORE}`, 'fuelLevel'),
  )
  it(
    '020_14_02 with lastN: the earlier attribute is empty',
    empty(`lastN=100&timerel=before&timeAt=${AFTER}`, 'speed'),
  )
})
