/**
 * ETSI GS CIM 014 — Provision / TemporalEntity (create or update, delete the temporal
 * representation of an entity), re-stated.
 */
import { describe, expect, it } from 'vitest'
import {
  FUEL,
  JSON_CT,
  LD,
  SPEED,
  createVehicleHistory,
  deleteTemporal,
  expectEntity,
  expectProblem,
  retrieveTemporal,
  retrieveTemporalBody,
  temporalProp,
  uniqueUrn,
  upsertTemporal,
  vehicleHistory,
  useTemporalBroker,
} from './support.js'

const p = useTemporalBroker()

describe('5611.01 create or update temporal evolution (upsert)', () => {
  it('5611_01_01 an upsert unions the entity types and accepts a deleted-instance value', async () => {
    const id = uniqueUrn('Vehicle')
    const first = await p.broker.request('POST', '/temporal/entities', {
      headers: { 'content-type': JSON_CT },
      body: { id, type: 'Vehicle', speed: [temporalProp(1, '2026-01-01T00:00:00Z')] },
    })
    expect(first.status, first.text).toBe(201)
    const second = await p.broker.request('POST', '/temporal/entities', {
      headers: { 'content-type': JSON_CT },
      body: {
        id,
        type: ['Vehicle', 'Truck'],
        speed: [temporalProp('urn:ngsi-ld:null', '2026-01-02T00:00:00Z')],
      },
    })
    expect(second.status, second.text).toBe(204)
    const r = await p.broker.request(
      'GET',
      `/temporal/entities/${id}?timerel=before&timeAt=2030-01-01T00:00:00Z`,
    )
    expect(r.status, r.text).toBe(200)
    expect(r.text).toContain('Truck')
    expect(r.text).toContain('Vehicle')
    expect((r.body as { speed: unknown[] }).speed).toHaveLength(2)
    await deleteTemporal(p, id)
  })

  it('5611_01_02 a first-level NGSI-LD Null member in temporal input is BadRequestData', async () => {
    const id = uniqueUrn('Vehicle')
    const r = await p.broker.request('POST', '/temporal/entities', {
      headers: { 'content-type': JSON_CT },
      body: {
        id,
        type: 'Vehicle',
        expiresAt: 'urn:ngsi-ld:null',
        speed: [temporalProp(1, '2026-01-01T00:00:00Z')],
      },
    })
    expectProblem(r, 400, 'BadRequestData')
    const after = await p.broker.request(
      'GET',
      `/temporal/entities/${id}?timerel=before&timeAt=2030-01-01T00:00:00Z`,
    )
    expect(after.status, after.text).toBe(404)
  })
})

describe('007.01 create a temporal representation of an entity', () => {
  it('007_01_01 application/ld+json: 201 with an empty body, the history reads back as sent', async () => {
    const id = uniqueUrn('Vehicle')
    const r = await upsertTemporal(p, vehicleHistory(id))
    expect(r.status, r.text).toBe(201)
    expect(r.text).toBe('')
    const read = await retrieveTemporal(p, id)
    expect(read.status, read.text).toBe(200)
    expectEntity(read.body, vehicleHistory(id))
    await deleteTemporal(p, id)
  })

  it('007_01_02 application/json without a context: the history reads back without one', async () => {
    const id = uniqueUrn('Vehicle')
    const entity = {
      id,
      type: 'Vehicle',
      speed: [...SPEED, temporalProp(100, '2020-09-01T12:07:00Z')],
      fuelLevel: [
        ...FUEL.slice(0, 2),
        { type: 'Property', value: 40, observedAt: '2020-09-01T14:07:00Z' },
      ],
    }
    const r = await p.broker.request('POST', '/temporal/entities/', {
      headers: { 'content-type': JSON_CT },
      body: entity,
    })
    expect(r.status, r.text).toBe(201)
    expect(r.text).toBe('')
    const read = await retrieveTemporal(p, id, { ctx: null })
    expect(read.status, read.text).toBe(200)
    expectEntity(read.body, entity)
    await deleteTemporal(p, id)
  })
})

describe('007.02 create a temporal entity from an invalid or empty JSON document', () => {
  it('007_02_01 invalid JSON is InvalidRequest', async () => {
    const r = await p.broker.request('POST', '/temporal/entities', {
      headers: { 'content-type': LD },
      body: '{"id":"urn:ngsi-ld:Vehicle:8313926113148778",, "type":"Vehicle"}',
    })
    expectProblem(r, 400, 'InvalidRequest')
  })

  // The suite names a data file it does not ship; an empty document is what the case means.
  it('007_02_02 an empty document is InvalidRequest', async () => {
    const r = await p.broker.request('POST', '/temporal/entities', {
      headers: { 'content-type': LD },
      body: '',
    })
    expectProblem(r, 400, 'InvalidRequest')
  })
})

describe('007.03 create a temporal entity with a missing or invalid id', () => {
  const createWithId = async (id: string) => {
    const r = await upsertTemporal(p, {
      ...vehicleHistory(id),
      brandName: [{ type: 'Property', value: 'BMW' }],
    })
    expect(r.status, r.text).toBe(400)
  }
  it('007_03_01 a missing (empty) id is 400', () => createWithId(''))
  it('007_03_02 an id that is not a URI is 400', () => createWithId('invalidId'))
})

describe('008.01 update a temporal representation of an entity', () => {
  it('008_01_01 an upsert replaces the instances at the same times and adds the new ones', async () => {
    const id = await createVehicleHistory(p)
    const r = await upsertTemporal(p, {
      id,
      type: 'Vehicle',
      speed: [
        temporalProp(121, '2020-09-01T12:03:00Z'),
        temporalProp(80, '2020-09-01T12:05:00Z'),
        temporalProp(100, '2020-09-01T12:07:00Z'),
      ],
      fuelLevel: [
        temporalProp(67, '2020-09-01T12:03:00Z'),
        temporalProp(53, '2020-09-01T13:05:00Z'),
        temporalProp(40, '2020-09-01T14:07:00Z'),
      ],
    })
    expect(r.status, r.text).toBe(204)
    expect(r.text).toBe('')
    const body = await retrieveTemporalBody(p, id)
    expectEntity(body, {
      id,
      type: 'Vehicle',
      speed: [
        temporalProp(121, '2020-09-01T12:03:00Z'),
        temporalProp(80, '2020-09-01T12:05:00Z'),
        temporalProp(100, '2020-09-01T12:07:00Z'),
      ],
      fuelLevel: [
        temporalProp(67, '2020-09-01T12:03:00Z'),
        temporalProp(53, '2020-09-01T13:05:00Z'),
        temporalProp(40, '2020-09-01T14:07:00Z'),
        FUEL[2],
      ],
    })
    await deleteTemporal(p, id)
  })
})

describe('009 delete the temporal representation of an entity', () => {
  it('009_01_01 delete answers 204 with an empty body, then the entity is gone', async () => {
    const id = await createVehicleHistory(p)
    const r = await deleteTemporal(p, id)
    expect(r.status, r.text).toBe(204)
    expect(r.text).toBe('')
    const after = await retrieveTemporal(p, id)
    expect(after.status, after.text).toBe(404)
  })

  it('009_02_01 without an entity id the resource does not allow DELETE (405)', async () => {
    const r = await deleteTemporal(p, '')
    expect(r.status, r.text).toBe(405)
  })

  it('009_02_02 an invalid entity id is BadRequestData', async () => {
    expectProblem(await deleteTemporal(p, 'invalidId'), 400, 'BadRequestData')
  })

  it('009_03_01 an unknown entity id is ResourceNotFound', async () => {
    expectProblem(await deleteTemporal(p, uniqueUrn('Vehicle')), 404, 'ResourceNotFound')
  })
})
