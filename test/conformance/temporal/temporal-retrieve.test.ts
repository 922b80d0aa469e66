/**
 * ETSI GS CIM 014 — Retrieve Temporal Evolution of an Entity (020_01 – 020_04, 020_06),
 * clause 5.7.3.
 */
import { describe, expect, it } from 'vitest'
import { uniqueUrn } from '../support/broker.js'
import {
  LD,
  VOCAB,
  problem,
  problemOf,
  suiteDiff,
  useTestContext,
} from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'
import { AUG_VEHICLE } from './samples.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const BASE = '/temporal/entities'
const { speed: SPEED, fuelLevel: FUEL } = AUG_VEHICLE

/** The suite's 2020-08-vehicle-temporal-representation sample. */
async function vehicle(): Promise<string> {
  const id = uniqueUrn('Vehicle')
  const body = { id, type: 'Vehicle', speed: SPEED, fuelLevel: FUEL, '@context': [ctx.url] }
  expect((await broker.request('POST', BASE, { headers: LD, body })).status).toBe(201)
  return id
}
const get = (id: string, query = '', link = true) =>
  broker.request('GET', `${BASE}/${id}${query}`, link ? { headers: { link: ctx.link } } : {})

describe('RetrieveTemporalEvolutionOfEntity', () => {
  it('020_01_01 retrieves the temporal evolution of an entity (no @context: expanded names)', async () => {
    const id = await vehicle()
    const r = await get(id, '', false)
    expect(r.status).toBe(200)
    const expected = {
      id,
      type: `${VOCAB}Vehicle`,
      [`${VOCAB}speed`]: SPEED,
      [`${VOCAB}fuelLevel`]: FUEL,
    }
    expect(suiteDiff(expected, r.body, ["root\\[.*\\]\\['instanceId'\\]"])).toEqual([])
  })

  it('020_02_01 retrieves the temporal evolution using a @context', async () => {
    const id = await vehicle()
    const r = await get(id)
    expect(r.status).toBe(200)
    const expected = { id, type: 'Vehicle', speed: SPEED, fuelLevel: FUEL }
    expect(suiteDiff(expected, r.body, ["root\\[.*\\]\\['instanceId'\\]"])).toEqual([])
  })

  const only = (attrs: string, expected: Record<string, unknown>) => async () => {
    const id = await vehicle()
    const r = await get(id, `?attrs=${attrs}`)
    expect(r.status).toBe(200)
    expect(
      suiteDiff({ id, type: 'Vehicle', ...expected }, r.body, ["root\\[.*\\]\\['instanceId'\\]"]),
    ).toEqual([])
  }
  it('020_03_01 with one attribute', only('fuelLevel', { fuelLevel: FUEL }))
  it('020_03_02 with two attributes', only('fuelLevel,speed', { fuelLevel: FUEL, speed: SPEED }))

  const when = (query: string, expected: Record<string, unknown>) => async () => {
    const id = await vehicle()
    const r = await get(id, query)
    expect(r.status).toBe(200)
    expect(
      suiteDiff({ id, type: 'Vehicle', ...expected }, r.body, ["root\\[.*\\]\\['instanceId'\\]"]),
    ).toEqual([])
  }
  it(
    '020_04_01 timerel after',
    when('?timerel=after&timeAt=2020-08-01T13:03:00Z', { fuelLevel: FUEL.slice(1) }),
  )
  it(
    '020_04_02 timerel before',
    when('?timerel=before&timeAt=2020-08-01T12:05:00Z', {
      fuelLevel: FUEL.slice(0, 1),
      speed: SPEED.slice(0, 1),
    }),
  )
  it(
    '020_04_03 timerel between',
    when('?timerel=between&timeAt=2020-08-01T12:00:00Z&endTimeAt=2020-08-01T13:00:00Z', {
      fuelLevel: FUEL.slice(0, 1),
      speed: SPEED,
    }),
  )

  it('020_07_01 an unknown entity answers 404 ResourceNotFound', async () => {
    const r = await broker.request('GET', `${BASE}/urn:ngsi-ld:Vehicle:unknown${Date.now()}`)
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  })

  it('020_08_01 attributes the entity lacks answer 404 ResourceNotFound', async () => {
    const id = await vehicle()
    const r = await get(id, '?attrs=unknownAttribute')
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  })

  const invalidTemporal = (query: string) => async () => {
    const id = await vehicle()
    const r = await get(id, query, false)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  }
  it('020_09_01 timerel after without timeAt answers 400', invalidTemporal('?timerel=after'))
  it('020_09_02 timerel before without timeAt answers 400', invalidTemporal('?timerel=before'))
  it(
    '020_09_03 timerel between without endTimeAt answers 400',
    invalidTemporal('?timerel=between&timeAt=2020-08-01T12:00:00Z'),
  )

  it('020_10_01 the simplified (temporalValues) representation', async () => {
    const id = await vehicle()
    const r = await get(id, '?options=temporalValues')
    expect(r.status).toBe(200)
    const values = (list: { value: number; observedAt: string }[]) => ({
      type: 'Property',
      values: list.map((x) => [x.value, x.observedAt]),
    })
    const expected = { id, type: 'Vehicle', speed: values(SPEED), fuelLevel: values(FUEL) }
    expect(suiteDiff(expected, r.body, ["root\\[.*\\]\\['instanceId'\\]"])).toEqual([])
  })

  it('020_06_01 an invalid id answers 400 BadRequestData', async () => {
    const r = await broker.request('GET', `${BASE}/invalidUri`)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })
})
