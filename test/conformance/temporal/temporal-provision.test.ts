/**
 * ETSI GS CIM 014 — temporal provision: Create/Update Temporal Representation of an Entity
 * (007_*, 008_*), Delete Temporal Representation (009_*); clauses 5.6.11, 5.6.16.
 */
import { describe, expect, it } from 'vitest'
import { uniqueUrn } from '../support/broker.js'
import { LD, problem, problemOf, suiteDiff, useTestContext } from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const BASE = '/temporal/entities'
const vehicleId = () => uniqueUrn('Vehicle')
const p = (value: number, observedAt: string, datasetId?: string) => ({
  type: 'Property',
  value,
  observedAt,
  ...(datasetId !== undefined && { datasetId }),
})
const FUEL_DATASET = 'urn:ngsi-ld:Vehicle:12345-fuel'

/** The suite's vehicle-create-temporal-representation sample, without its @context. */
const temporalVehicle = (id: string) => ({
  id,
  type: 'Vehicle',
  speed: [p(120, '2020-09-01T12:03:00Z'), p(80, '2020-09-01T12:05:00Z')],
  fuelLevel: [
    p(67, '2020-09-01T12:03:00Z'),
    p(53, '2020-09-01T13:05:00Z'),
    p(40, '2020-09-01T14:07:00Z', FUEL_DATASET),
  ],
})

const post = (body: unknown, type = 'application/ld+json') =>
  broker.request('POST', `${BASE}/`, { headers: { 'content-type': type }, body })

describe('CreateTemporalRepresentationOfEntity', () => {
  it('007_01_01 creates a temporal representation of an entity', async () => {
    const id = vehicleId()
    const r = await post({ ...temporalVehicle(id), '@context': [ctx.url] })
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    const got = await broker.request('GET', `${BASE}/${id}`, { headers: { link: ctx.link } })
    expect(suiteDiff(temporalVehicle(id), got.body, ['instanceId', '@context'])).toEqual([])
  })

  it('007_01_02 creates a temporal entity with no @context', async () => {
    const id = vehicleId()
    const r = await post(temporalVehicle(id), 'application/json')
    expect(r.status).toBe(201)
    expect(r.text).toBe('')
    const got = await broker.request('GET', `${BASE}/${id}`)
    expect(suiteDiff(temporalVehicle(id), got.body, ['instanceId', '@context'])).toEqual([])
  })

  it('007_02_01 an invalid JSON body answers 400 InvalidRequest', async () => {
    const r = await broker.request('POST', BASE, {
      headers: LD,
      body: `{"id": "${vehicleId()}",, "type": "Vehicle"}`,
    })
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('InvalidRequest'), title: true })
  })

  it('007_02_02 an empty body answers 400 InvalidRequest', async () => {
    const r = await broker.request('POST', BASE, { headers: LD, body: '' })
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('InvalidRequest'), title: true })
  })

  it('007_03_01 a temporal entity without id answers 400', async () => {
    const { id: _id, ...body } = temporalVehicle('x')
    const r = await post({ ...body, '@context': [ctx.url] })
    expect(r.status).toBe(400)
  })

  it('007_03_02 a temporal entity with an invalid id answers 400', async () => {
    const r = await post({ ...temporalVehicle('invalidId'), '@context': [ctx.url] })
    expect(r.status).toBe(400)
  })
})

describe('DeleteTemporalRepresentationOfEntity', () => {
  it('009_01_01 deletes a temporal representation', async () => {
    const id = vehicleId()
    expect((await post({ ...temporalVehicle(id), '@context': [ctx.url] })).status).toBe(201)
    const r = await broker.request('DELETE', `${BASE}/${id}`)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect(
      (await broker.request('GET', `${BASE}/${id}`, { headers: { link: ctx.link } })).status,
    ).toBe(404)
  })

  it('009_02_02 DELETE with an invalid id answers 400 BadRequestData', async () => {
    const r = await broker.request('DELETE', `${BASE}/invalidId`)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  })

  it('009_03_01 DELETE of an unknown temporal entity answers 404 ResourceNotFound', async () => {
    const r = await broker.request('DELETE', `${BASE}/${vehicleId()}`)
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  })
})
