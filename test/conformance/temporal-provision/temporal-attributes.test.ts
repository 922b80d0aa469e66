/**
 * ETSI GS CIM 014 — Provision / TemporalEntityAttributes (add attributes, delete an attribute,
 * modify and delete an attribute instance of a temporal representation), re-stated.
 */
import { describe, expect, it } from 'vitest'
import {
  FUEL,
  FUEL_DATASET,
  JSON_CT,
  LD,
  SPEED,
  createVehicleHistory,
  deleteTemporal,
  expectEntity,
  expectProblem,
  firstSpeedInstance,
  jsonWithLink,
  linkTo,
  rawRequest,
  retrieveTemporal,
  retrieveTemporalBody,
  temporalProp,
  uniqueUrn,
  type Reply,
  useTemporalBroker,
} from './support.js'

const p = useTemporalBroker()

const ADDED = [
  temporalProp(120, '2020-09-01T12:03:00Z'),
  temporalProp(80, '2020-09-01T12:05:00Z'),
  temporalProp(100, '2020-09-01T12:07:00Z'),
]

function append(id: string, body: unknown): Promise<Reply> {
  return p.broker.request('POST', `/temporal/entities/${id}/attrs`, {
    headers: { 'content-type': LD },
    body,
  })
}

const fragment = (): Record<string, unknown> => ({ added_attribute: ADDED, '@context': [p.ctx] })

describe('014 add attributes to a temporal representation of an entity', () => {
  it('014_01_01 appended instances read back beside the existing history', async () => {
    const id = await createVehicleHistory(p)
    const r = await append(id, fragment())
    expect(r.status, r.text).toBe(204)
    expect(r.text).toBe('')
    const body = await retrieveTemporalBody(p, id)
    expectEntity(body, {
      id,
      type: 'Vehicle',
      speed: SPEED,
      fuelLevel: FUEL,
      added_attribute: ADDED,
    })
    await deleteTemporal(p, id)
  })

  const appendToBadId = async (id: string) => {
    const created = await createVehicleHistory(p)
    expect((await append(id, fragment())).status).toBe(400)
    await deleteTemporal(p, created)
  }
  it('014_02_01 an empty entity id is 400', () => appendToBadId(''))
  it('014_02_02 an invalid entity id is 400', () => appendToBadId('thisIsAninvalidId'))

  it('014_03_01 an unknown entity is 404', async () => {
    expect((await append(uniqueUrn('Vehicle'), fragment())).status).toBe(404)
  })

  const appendInvalid = async (body: string) => {
    const id = await createVehicleHistory(p)
    expectProblem(await append(id, body), 400, 'InvalidRequest')
    await deleteTemporal(p, id)
  }
  it('014_04_01 invalid JSON is InvalidRequest', () =>
    appendInvalid('{"id":"urn:ngsi-ld:Vehicle:8313926113148778",, "type":"Vehicle"}'))
  // The suite names a fragment file it does not ship; an empty document is what the case means.
  it('014_04_02 an empty document is InvalidRequest', () => appendInvalid(''))
})

function deleteAttr(id: string, attr: string, query: string, ctx = true): Promise<Reply> {
  return p.broker.request('DELETE', `/temporal/entities/${id}/attrs/${attr}?${query}`, {
    headers: ctx ? jsonWithLink(p.ctx) : { 'content-type': JSON_CT },
  })
}

describe('015 delete an attribute of a temporal representation of an entity', () => {
  const deleteFuel = async (query: string, fuelLeft: unknown[] | undefined) => {
    const id = await createVehicleHistory(p)
    const r = await deleteAttr(id, 'fuelLevel', query)
    expect(r.status, r.text).toBe(204)
    expect(r.text).toBe('')
    const body = await retrieveTemporalBody(p, id)
    expectEntity(body, {
      id,
      type: 'Vehicle',
      speed: SPEED,
      ...(fuelLeft !== undefined && { fuelLevel: fuelLeft }),
    })
    await deleteTemporal(p, id)
  }
  it('015_01_01 without deleteAll or datasetId the default instances go', () =>
    deleteFuel('deleteAll=false', [FUEL[2]]))
  it('015_01_02 with datasetId the instances of that dataset go', () =>
    deleteFuel(`datasetId=${FUEL_DATASET}&deleteAll=false`, FUEL.slice(0, 2)))
  it('015_01_03 with deleteAll every instance goes', () => deleteFuel('deleteAll=true', undefined))

  const deleteBadName = async (entity: (id: string) => string, attr: string) => {
    const id = await createVehicleHistory(p)
    const r = await deleteAttr(entity(id), attr, 'deleteAll=false', false)
    expectProblem(r, 400, 'BadRequestData')
    await deleteTemporal(p, id)
  }
  it('015_02_01 a missing entity id is BadRequestData', () => deleteBadName(() => '', 'speed'))
  it('015_02_02 an invalid entity id is BadRequestData', () =>
    deleteBadName(() => 'invalidId', 'speed'))
  it('015_02_03 an invalid attribute name is BadRequestData', () =>
    deleteBadName((id) => id, 'invalid(Name'))

  const deleteUnknown = async (unknown: boolean, attr: string) => {
    const id = await createVehicleHistory(p)
    const target = unknown ? uniqueUrn('Vehicle') : id
    expectProblem(await deleteAttr(target, attr, 'deleteAll=false'), 404, 'ResourceNotFound')
    await deleteTemporal(p, id)
  }
  it('015_03_01 an unknown entity is ResourceNotFound', () => deleteUnknown(true, 'fuelLevel'))
  it('015_03_02 an attribute the entity does not have is ResourceNotFound', () =>
    deleteUnknown(false, 'notExistingAttribute'))

  const deleteDotSegment = async (attr: string) => {
    const id = await createVehicleHistory(p)
    const r = await rawRequest(
      p.broker,
      'DELETE',
      `/temporal/entities/${id}/attrs/${attr}?deleteAll=false`,
      { 'content-type': JSON_CT },
    )
    expectProblem(r, 400, 'BadRequestData')
    const after = await retrieveTemporal(p, id, { ctx: null })
    expect(after.status, after.text).toBe(200)
    await deleteTemporal(p, id)
  }
  it('015_04_01 a percent-encoded double-dot name is BadRequestData, nothing deleted', () =>
    deleteDotSegment('%2e%2e'))
  it('015_04_02 a doubly encoded double-dot name is BadRequestData, nothing deleted', () =>
    deleteDotSegment('%252e%252e'))
  it('015_04_03 a percent-encoded single-dot name is BadRequestData, nothing deleted', () =>
    deleteDotSegment('%2e'))
})

const INSTANCE_PATCH = temporalProp(129, '2020-09-01T12:03:00Z')

function modifyInstance(id: string, attr: string, instanceId: string): Promise<Reply> {
  return p.broker.request('PATCH', `/temporal/entities/${id}/attrs/${attr}/${instanceId}`, {
    headers: jsonWithLink(p.ctx),
    body: INSTANCE_PATCH,
  })
}

function deleteInstance(id: string, attr: string, instanceId: string): Promise<Reply> {
  return p.broker.request('DELETE', `/temporal/entities/${id}/attrs/${attr}/${instanceId}`, {
    headers: { link: linkTo(p.ctx) },
  })
}

/**
 * Sends `call` about a fresh vehicle history and expects `status`: entity 'self' and inst 'valid'
 * stand for the created entity and its first speed instance, entity 'unknown' for an id of no
 * entity; the history is deleted afterwards.
 */
async function instanceCase(
  call: (id: string, attr: string, instanceId: string) => Promise<Reply>,
  entity: string,
  attr: string,
  inst: string,
  status: number,
): Promise<void> {
  const id = await createVehicleHistory(p)
  const valid = await firstSpeedInstance(p, id)
  const target = entity === 'self' ? id : entity === 'unknown' ? uniqueUrn('Vehicle') : entity
  const r = await call(target, attr, inst === 'valid' ? valid : inst)
  expect(r.status, r.text).toBe(status)
  await deleteTemporal(p, id)
}

describe('016 modify an attribute instance of a temporal representation of an entity', () => {
  it('016_01_01 the instance takes the new value and keeps its instanceId', async () => {
    const id = await createVehicleHistory(p)
    const before = await firstSpeedInstance(p, id)
    const r = await modifyInstance(id, 'speed', before)
    expect(r.status, r.text).toBe(204)
    expect(r.text).toBe('')
    const body = await retrieveTemporalBody(p, id)
    expect((body['speed'] as { instanceId?: unknown }[])[0]?.instanceId).toBe(before)
    expectEntity(body, {
      id,
      type: 'Vehicle',
      speed: [INSTANCE_PATCH, SPEED[1]],
      fuelLevel: FUEL,
    })
    await deleteTemporal(p, id)
  })

  /** entity/inst 'self'/'valid' stand for the created entity and its first speed instance. */
  const modifyWrong = (entity: string, attr: string, inst: string, status: number) =>
    instanceCase(modifyInstance, entity, attr, inst, status)
  it('016_02_01 an invalid entity id is 400', () => modifyWrong('invalidId', 'speed', 'valid', 400))
  it('016_02_02 a missing entity id is 400', () => modifyWrong('', 'speed', 'valid', 400))
  it('016_02_03 an invalid instance id is 400', () =>
    modifyWrong('self', 'speed', 'invalidId', 400))
  it('016_02_04 a missing instance id is 405', () => modifyWrong('self', 'speed', '', 405))
  it('016_02_05 an invalid attribute name is 400', () =>
    modifyWrong('self', 'invalid(Id', 'valid', 400))

  const modifyUnknown = (entity: string, attr: string, inst: string) =>
    instanceCase(modifyInstance, entity, attr, inst, 404)
  it('016_03_01 an unknown entity is 404', () => modifyUnknown('unknown', 'speed', 'valid'))
  it('016_03_02 an unknown attribute is 404', () => modifyUnknown('self', 'speed2', 'valid'))
  it('016_03_03 an unknown instance is 404', () =>
    modifyUnknown('self', 'speed', 'urn:ngsi-ld:01234567890123456789'))
})

describe('017 delete an attribute instance of a temporal representation of an entity', () => {
  it('017_01_01 the instance is gone from the history, the others stay', async () => {
    const id = await createVehicleHistory(p)
    const instanceId = await firstSpeedInstance(p, id)
    const r = await deleteInstance(id, 'speed', instanceId)
    expect(r.status, r.text).toBe(204)
    expect(r.text).toBe('')
    const body = await retrieveTemporalBody(p, id)
    expectEntity(body, { id, type: 'Vehicle', speed: [SPEED[1]], fuelLevel: FUEL })
    await deleteTemporal(p, id)
  })

  const deleteWrong = (entity: string, attr: string, inst: string) =>
    instanceCase(deleteInstance, entity, attr, inst, 400)
  it('017_02_01 an invalid entity id is 400', () => deleteWrong('invalidId', 'speed', 'valid'))
  it('017_02_02 a missing entity id is 400', () => deleteWrong('', 'speed', 'valid'))
  it('017_02_03 an invalid instance id is 400', () => deleteWrong('self', 'speed', 'invalidId'))
  it('017_02_04 an invalid attribute name is 400', () =>
    deleteWrong('self', 'invalid(Name', 'valid'))
  it('017_02_05 a missing attribute name is 400', () => deleteWrong('self', '', 'valid'))

  const deleteUnknownInstance = (entity: string, attr: string, inst: string) =>
    instanceCase(deleteInstance, entity, attr, inst, 404)
  it('017_03_01 an unknown entity is 404', () => deleteUnknownInstance('unknown', 'speed', 'valid'))
  it('017_03_02 an unknown attribute is 404', () =>
    deleteUnknownInstance('self', 'speed2', 'valid'))
  it('017_03_03 an unknown instance is 404', () =>
    deleteUnknownInstance('self', 'speed', 'urn:ngsi-ld:01234567890123456789'))
})
