/**
 * ETSI GS CIM 014 — Provision / BatchEntities (create, upsert, update, delete, merge), re-stated.
 */
import { describe, expect, it } from 'vitest'
import {
  JSON_CT,
  LD,
  SUITE_NS,
  canonical,
  createLd,
  expectCreated,
  expectNoContent,
  expectProblem,
  jsonWithLink,
  linkTo,
  newBuildingId,
  newVehicleId,
  retrieve,
  retrieveBody,
  stripIgnored,
  withCtx,
  type Reply,
  useProvisionBroker,
  SIMPLE_BUILDING as simple,
} from './support.js'

const p = useProvisionBroker()

const prop = (value: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'Property',
  value,
  ...extra,
})
const rel = (object: string): Record<string, unknown> => ({ type: 'Relationship', object })

const minimal = { type: 'Building' }
const relationship = { type: 'Building', locatedAt: rel('urn:ngsi-ld:City:Brussels') }
const relationshipOfProperty = {
  ...simple,
  airQualityLevel: {
    ...simple.airQualityLevel,
    hasWeatherObserved: rel('urn:ngsi-ld:Sensor:station-12'),
  },
}

const ops = (
  op: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': LD },
  query = '',
): Promise<Reply> => p.broker.request('POST', `/entityOperations/${op}${query}`, { headers, body })
const ld = (id: string, entity: object): Record<string, unknown> =>
  withCtx(p.ctx, { id, ...entity })

/** GET /entities?id=…&type=Building as JSON-LD with the test context, as the suite's Query Entities. */
async function query(ids: string[]): Promise<Record<string, unknown>[]> {
  const r = await p.broker.request('GET', `/entities?id=${ids.join(',')}&type=Building`, {
    headers: { link: linkTo(p.ctx), accept: LD },
  })
  expect(r.status, r.text).toBe(200)
  return r.body as Record<string, unknown>[]
}
/** The suite's "Check … Resources Set To": entities grouped by id, instanceId ignored. */
async function expectQueried(expected: Record<string, unknown>[]): Promise<void> {
  const got = await query(expected.map((e) => e.id as string))
  expect(canonical(got.map((e) => stripIgnored(e)))).toEqual(
    canonical(expected.map((e) => stripIgnored(e))),
  )
  for (const e of got) expect([p.ctx, [p.ctx]]).toContainEqual(e['@context'])
}
function expectBatchResult(reply: Reply, success: string[], errors: string[]): void {
  expect(reply.status, reply.text).toBe(207)
  const body = reply.body as { success: string[]; errors: { entityId: string; error: unknown }[] }
  expect([...body.success].sort()).toEqual([...success].sort())
  expect(body.errors).toHaveLength(errors.length)
  for (const e of body.errors) {
    expect(errors).toContain(e.entityId)
    expect(e.error).toBeTruthy()
  }
}
const invalidJson = '[{"id": "urn:ngsi-ld:Building:x",, "type": "Building"}]'
const nullValue = (): Record<string, unknown>[] => [
  ld(newBuildingId(), { type: 'Building', name: prop(null) }),
]
function expectFirstError(reply: Reply, type: string): void {
  expect(reply.status, reply.text).toBe(207)
  const error = (reply.body as { errors: { error: { type: string; title: string } }[] }).errors[0]
    ?.error
  expect(error?.type).toBe(`https://uri.etsi.org/ngsi-ld/errors/${type}`)
  expect(error?.title).toBeTruthy()
}

describe('CreateBatchOfEntities', () => {
  async function createScenario(entity: Record<string, unknown>): Promise<void> {
    const [a, b] = [newBuildingId(), newBuildingId()]
    const r = await ops('create', [ld(a, entity), ld(b, entity)])
    expect(r.status, r.text).toBe(201)
    expect([...(r.body as string[])].sort()).toEqual([a, b].sort())
    await expectQueried([ld(a, entity), ld(b, entity)])
  }
  it('003_01_01 MinimalEntity', () => createScenario(minimal))
  it('003_01_02 EntityWithSimpleProperties', () => createScenario(simple))
  it('003_01_03 EntityWithSimpleRelationships', () => createScenario(relationship))
  it('003_01_04 EntityWithRelationshipsProperties', () => createScenario(relationshipOfProperty))
  it('003_02_01 Create A Batch Of Two Valid Entities And One Invalid Entity', async () => {
    const existing = newBuildingId()
    expectCreated(await createLd(p, { id: existing, ...minimal }))
    const [a, b] = [newBuildingId(), newBuildingId()]
    const r = await ops('create', [ld(a, minimal), ld(b, minimal), ld(existing, minimal)])
    expectBatchResult(r, [a, b], [existing])
    await expectQueried([ld(a, minimal), ld(b, minimal)])
  })
  it('003_03_01 InvalidJson', async () => {
    expectProblem(await ops('create', invalidJson), 400, 'InvalidRequest')
  })
  it('003_03_02 EmptyJson', async () => {
    expectProblem(await ops('create', '[]'), 400, 'BadRequestData')
  })
  it('003_04_01 JSON content with Link: retrieved with the context, terms compacted', async () => {
    const id = newBuildingId()
    expect((await ops('create', [{ id, ...simple }], jsonWithLink(p.ctx))).status).toBe(201)
    expect((await retrieveBody(p, id)).almostFull).toBeTruthy()
  })
  it('003_04_02 JSON content with Link: retrieved without context, full IRI', async () => {
    const id = newBuildingId()
    expect((await ops('create', [{ id, ...simple }], jsonWithLink(p.ctx))).status).toBe(201)
    expect((await retrieveBody(p, id, { ctx: null }))[`${SUITE_NS}almostFull`]).toBeTruthy()
  })
  it('003_05_01 JSON content without Link, retrieved without context: short name', async () => {
    const id = newBuildingId()
    expect((await ops('create', [{ id, ...simple }], { 'content-type': JSON_CT })).status).toBe(201)
    expect((await retrieveBody(p, id, { ctx: null })).almostFull).toBeTruthy()
  })
  it('003_05_02 JSON content without Link, retrieved with context: ngsi-ld: compact IRI', async () => {
    const id = newBuildingId()
    expect((await ops('create', [{ id, ...simple }], { 'content-type': JSON_CT })).status).toBe(201)
    expect((await retrieveBody(p, id))['ngsi-ld:default-context/almostFull']).toBeTruthy()
  })
  it('003_06_01 JSON content type with @context in an entity → 207 BadRequestData', async () => {
    const r = await ops('create', [ld(newBuildingId(), simple)], { 'content-type': JSON_CT })
    expectFirstError(r, 'BadRequestData')
  })
  it('003_07_01 JSON-LD content, retrieved with the context', async () => {
    const id = newBuildingId()
    expect((await ops('create', [ld(id, simple)])).status).toBe(201)
    expect((await retrieveBody(p, id)).almostFull).toBeTruthy()
  })
  it('003_07_02 JSON-LD content, retrieved without context', async () => {
    const id = newBuildingId()
    expect((await ops('create', [ld(id, simple)])).status).toBe(201)
    expect((await retrieveBody(p, id, { ctx: null }))[`${SUITE_NS}almostFull`]).toBeTruthy()
  })
  it('003_08_01 JSON-LD content type, entity without @context → 207 BadRequestData', async () => {
    const r = await ops('create', [{ id: newBuildingId(), ...simple }])
    expectFirstError(r, 'BadRequestData')
  })
  it('003_09_01 JSON-LD content type with a Link header → 400 BadRequestData', async () => {
    const r = await ops('create', [ld(newBuildingId(), simple)], {
      'content-type': LD,
      link: linkTo(p.ctx),
    })
    expectProblem(r, 400, 'BadRequestData')
  })
  it('003_10_01 Create A Batch Of Three Valid Entities Where Two Have The Same Id', async () => {
    const [a, b] = [newBuildingId(), newBuildingId()]
    const r = await ops('create', [ld(a, minimal), ld(b, minimal), ld(a, minimal)])
    expectBatchResult(r, [a, b], [a])
  })
  it('567_01_01 Null Item Fails The Whole Batch', async () => {
    const id = newVehicleId()
    const r = await ops('create', [{ id, type: 'Vehicle' }, null], { 'content-type': JSON_CT })
    expectProblem(r, 400, 'BadRequestData')
    expect((await retrieve(p, id, { ctx: null })).status).toBe(404)
    expect((await ops('create', [], { 'content-type': JSON_CT })).status).toBe(400)
  })
})

describe('UpsertBatchOfEntities', () => {
  async function createMinimal(): Promise<string> {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, ...minimal }))
    return id
  }
  const upsert = (body: unknown, option = 'replace'): Promise<Reply> =>
    ops('upsert', body, undefined, `?options=${option}`)
  async function allNew(entity: Record<string, unknown>): Promise<void> {
    const [a, b] = [newBuildingId(), newBuildingId()]
    const r = await upsert([ld(a, entity), ld(b, entity)])
    expect(r.status, r.text).toBe(201)
    expect([...(r.body as string[])].sort()).toEqual([a, b].sort())
    await expectQueried([ld(a, entity), ld(b, entity)])
  }
  it('004_01_01 EntityWithSimpleProperties', () => allNew(simple))
  it('004_01_02 EntityWithSimpleRelationships', () => allNew(relationship))
  it('004_01_03 EntityWithRelationshipsProperties', () => allNew(relationshipOfProperty))
  async function newAndExisting(entity: Record<string, unknown>): Promise<void> {
    const [a, b] = [await createMinimal(), await createMinimal()]
    const fresh = newBuildingId()
    const r = await upsert([ld(fresh, entity), ld(a, entity), ld(b, entity)])
    expect(r.status, r.text).toBe(201)
    expect(r.body).toEqual([fresh])
    await expectQueried([ld(fresh, entity), ld(a, entity), ld(b, entity)])
  }
  it('004_02_01 EntityWithSimpleProperties', () => newAndExisting(simple))
  it('004_02_02 EntityWithSimpleRelationships', () => newAndExisting(relationship))
  it('004_02_03 EntityWithRelationshipsProperties', () => newAndExisting(relationshipOfProperty))
  async function allExisting(entity: Record<string, unknown>): Promise<void> {
    const [a, b] = [await createMinimal(), await createMinimal()]
    expectNoContent(await upsert([ld(a, entity), ld(b, entity)]))
    await expectQueried([ld(a, entity), ld(b, entity)])
  }
  it('004_03_01 EntityWithSimpleProperties', () => allExisting(simple))
  it('004_03_02 EntityWithSimpleRelationships', () => allExisting(relationship))
  it('004_03_03 EntityWithRelationshipsProperties', () => allExisting(relationshipOfProperty))
  it('004_03_04 EntityWithScope', () => allExisting({ ...minimal, scope: '/Brussels/Parks' }))
  it('004_03_05 EntityWithTypes', () => allExisting({ type: ['Building', 'Vehicle'] }))
  async function updateOption(entity: Record<string, unknown>): Promise<void> {
    const existing = await createMinimal()
    const fresh = newBuildingId()
    const r = await upsert([ld(fresh, entity), ld(existing, entity)], 'update')
    expect(r.status, r.text).toBe(201)
    expect(r.body).toEqual([fresh])
    await expectQueried([ld(fresh, entity), ld(existing, { ...minimal, ...entity })])
  }
  it('004_04_01 EntityWithSimpleProperties', () => updateOption(simple))
  it('004_04_02 EntityWithSimpleRelationships', () => updateOption(relationship))
  it('004_04_03 EntityWithRelationshipsProperties', () => updateOption(relationshipOfProperty))
  it('004_05_01 Upsert A Batch Of Two Valid Entities And One Invalid Entity', async () => {
    const [a, b, c] = [newBuildingId(), newBuildingId(), newBuildingId()]
    const r = await upsert([ld(a, minimal), ld(b, minimal), withCtx(p.ctx, { id: c })])
    expectBatchResult(r, [a, b], [c])
    await expectQueried([ld(a, minimal), ld(b, minimal)])
  })
  it('004_06_01 InvalidJson', async () => {
    expectProblem(await ops('upsert', invalidJson), 400, 'InvalidRequest')
  })
  it('004_06_02 InvalidJsonLd', async () => {
    expectFirstError(await ops('upsert', nullValue()), 'BadRequestData')
  })
  it('004_07_01 Upsert A Batch Of Three Valid Entities Where Two Have The Same Id', async () => {
    const [a, b] = [newBuildingId(), newBuildingId()]
    const r = await upsert([ld(a, minimal), ld(b, minimal), ld(a, minimal)])
    expect(r.status, r.text).toBe(201)
    expect([...(r.body as string[])].sort()).toEqual([a, b].sort())
  })
  it('004_08_01 EntityWithNewTypes', () => allExisting({ type: ['Building', 'Vehicle', 'Car'] }))
  it('466_01_01 Later Duplicate Instance Determines Final State', async () => {
    const id = newVehicleId()
    const r = await upsert([
      ld(id, { type: 'Vehicle', speed: prop(1), old: prop(true) }),
      ld(id, { type: 'Vehicle', speed: prop(2) }),
    ])
    expect([201, 204]).toContain(r.status)
    const body = await retrieveBody(p, id)
    expect((body.speed as { value: number }).value).toBe(2)
    expect(body).not.toHaveProperty('old')
  })
})

describe('UpdateBatchOfEntities', () => {
  async function twoSimple(): Promise<[string, string]> {
    const [a, b] = [newBuildingId(), newBuildingId()]
    expectCreated(await createLd(p, { id: a, ...simple }))
    expectCreated(await createLd(p, { id: b, ...simple }))
    return [a, b]
  }
  async function updateScenario(
    fragment: Record<string, unknown>,
    expectedStatus: number,
    expectedAdded: Record<string, unknown>,
    query = '',
  ): Promise<void> {
    const [a, b] = await twoSimple()
    const r = await ops('update', [ld(a, fragment), ld(b, fragment)], undefined, query)
    expect(r.status, r.text).toBe(expectedStatus)
    if (expectedStatus === 204) expect(r.text).toBe('')
    await expectQueried([
      ld(a, { ...simple, ...expectedAdded }),
      ld(b, { ...simple, ...expectedAdded }),
    ])
  }
  const locatedAt = { locatedAt: rel('urn:ngsi-ld:City:Brussels') }
  it('005_01_01 EntityWithSimpleProperties', () => updateScenario(simple, 204, {}))
  it('005_01_02 EntityWithSimpleRelationships', () => updateScenario(relationship, 204, locatedAt))
  it('005_01_03 EntityWithRelationshipsProperties', () =>
    updateScenario(relationshipOfProperty, 204, {
      airQualityLevel: relationshipOfProperty.airQualityLevel,
    }))
  it('005_02_01 EntityWithExistingAttributes', () =>
    updateScenario(simple, 207, {}, '?options=noOverwrite'))
  it('005_02_02 EntityWithNewAttribute', () =>
    updateScenario(relationship, 204, locatedAt, '?options=noOverwrite'))
  it('005_02_03 EntityWithNewAndExistingAttribute', () => {
    const location = { type: 'GeoProperty', value: { type: 'Point', coordinates: [4.34, 50.89] } }
    return updateScenario(
      { type: 'Building', name: prop('Atomium'), location },
      207,
      { location },
      '?options=noOverwrite',
    )
  })
  it('005_03_01 Update A Batch Of Non-existing And Existing Entities', async () => {
    const [a, b] = await twoSimple()
    const fresh = newBuildingId()
    const r = await ops('update', [
      ld(a, relationshipOfProperty),
      ld(b, relationshipOfProperty),
      ld(fresh, relationshipOfProperty),
    ])
    expectBatchResult(r, [a, b], [fresh])
    await expectQueried([ld(a, relationshipOfProperty), ld(b, relationshipOfProperty)])
  })
  it('005_04_01 InvalidJson', async () => {
    expectProblem(await ops('update', invalidJson), 400, 'InvalidRequest')
  })
  it('005_04_02 InvalidJsonLd', async () => {
    expectFirstError(await ops('update', nullValue()), 'BadRequestData')
  })
  it('005_05_01 EntityWithNewType', async () => {
    const [a, b] = [newBuildingId(), newBuildingId()]
    expectCreated(await createLd(p, { id: a, ...minimal }))
    expectCreated(await createLd(p, { id: b, ...minimal }))
    expectNoContent(await ops('update', [ld(a, { type: 'Vehicle' }), ld(b, { type: 'Vehicle' })]))
    const types = { type: ['Building', 'Vehicle'] }
    await expectQueried([ld(a, types), ld(b, types)])
  })
})

describe('DeleteBatchOfEntities', () => {
  async function createSimple(): Promise<string> {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, ...simple }))
    return id
  }
  it('006_01_01 Delete A Batch Of Entities', async () => {
    const ids = [await createSimple(), await createSimple()]
    expectNoContent(await ops('delete', ids))
    expect(await query(ids)).toEqual([])
  })
  it('006_02_01 Delete A Batch Of Non-existing And Existing Entities', async () => {
    const existing = await createSimple()
    const fresh = newBuildingId()
    expectBatchResult(await ops('delete', [existing, fresh]), [existing], [fresh])
    expect(await query([existing])).toEqual([])
  })
  it('006_03_01 InvalidJson', async () => {
    expectProblem(await ops('delete', '["urn:ngsi-ld:Building:x",, ]'), 400, 'InvalidRequest')
  })
  it('006_03_02 EmptyJson', async () => {
    expectProblem(await ops('delete', '[]'), 400, 'BadRequestData')
  })
  it('006_04_01 Delete A Batch Of Existing Entities With The Same Id', async () => {
    const id = await createSimple()
    expectBatchResult(await ops('delete', [id, id]), [id], [id])
  })
})

describe('MergeBatchOfEntities', () => {
  async function twoSimple(): Promise<[string, string]> {
    const [a, b] = [newBuildingId(), newBuildingId()]
    expectCreated(await createLd(p, { id: a, ...simple }))
    expectCreated(await createLd(p, { id: b, ...simple }))
    return [a, b]
  }
  async function mergeScenario(
    fragment: Record<string, unknown>,
    expected: Record<string, unknown>,
  ): Promise<void> {
    const [a, b] = await twoSimple()
    expectNoContent(await ops('merge', [ld(a, fragment), ld(b, fragment)]))
    await expectQueried([ld(a, expected), ld(b, expected)])
  }
  it('057_01_01 MergeAnEmptyEntity', () => mergeScenario(minimal, simple))
  it('057_01_02 MergeSimpleProperties', () => {
    const second = {
      type: 'Building',
      name: prop('Manneken Pis'),
      subCategory: prop('landmark'),
      airQualityLevel: prop(3, { unitCode: 'C62', observedAt: '2022-05-06T11:00:00.000Z' }),
      almostFull: prop(false),
    }
    return mergeScenario(second, second)
  })
  it('057_01_03 MergeSimpleRelationship', () =>
    mergeScenario(relationship, { ...simple, ...relationship }))
  it('057_01_04 MergePropertyWithPartialData', () =>
    mergeScenario(
      { type: 'Building', airQualityLevel: prop(2, { observedAt: '2024-02-02T00:00:00.000Z' }) },
      {
        ...simple,
        airQualityLevel: prop(2, { unitCode: 'C62', observedAt: '2024-02-02T00:00:00.000Z' }),
      },
    ))
  it('057_02_01 Merge A Batch Should Succeed For Existing Entities And Fail For Non Existing One', async () => {
    const [a, b] = await twoSimple()
    const fresh = newBuildingId()
    const r = await ops('merge', [
      ld(a, relationshipOfProperty),
      ld(b, relationshipOfProperty),
      ld(fresh, relationshipOfProperty),
    ])
    expectBatchResult(r, [a, b], [fresh])
    await expectQueried([ld(a, relationshipOfProperty), ld(b, relationshipOfProperty)])
  })
  it('057_03_01 InvalidJson', async () => {
    expectProblem(await ops('merge', invalidJson), 400, 'InvalidRequest')
  })
  it('057_03_02 InvalidJsonLd', async () => {
    expectFirstError(await ops('merge', nullValue()), 'BadRequestData')
  })
  it('5620_01_01 Null Item In Batch Merge Array Is BadRequestData', async () => {
    expectProblem(await ops('merge', [ld(newBuildingId(), minimal), null]), 400, 'BadRequestData')
  })
  it('5620_01_02 Empty Batch Merge Array Is BadRequestData', async () => {
    expectProblem(await ops('merge', '[]'), 400, 'BadRequestData')
  })
  it('5620_01_03 Merge Null Deletes The Attribute', async () => {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, ...simple }))
    expectNoContent(
      await ops('merge', [ld(id, { type: 'Building', subCategory: 'urn:ngsi-ld:null' })]),
    )
    const r = await retrieve(p, id)
    expect(r.status).toBe(200)
    expect(r.text).not.toContain('subCategory')
    expect(r.text).not.toContain('urn:ngsi-ld:null')
    expect(r.text).toContain('airQualityLevel')
  })
})
