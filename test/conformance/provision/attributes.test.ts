/**
 * ETSI GS CIM 014 — Provision / EntityAttributes (append, update, partial update, replace,
 * delete), re-stated.
 */
import { describe, expect, it } from 'vitest'
import {
  JSON_CT,
  LD,
  SUITE_NS,
  createJson,
  createLd,
  expectCreated,
  expectEntity,
  expectNoContent,
  expectProblem,
  jsonWithLink,
  newBuildingId,
  newVehicleId,
  retrieve,
  retrieveBody,
  withCtx,
  type Reply,
  useProvisionBroker,
  DIFFERENT_TYPES_BUILDING as differentTypes,
  without,
  withoutSysAttrs,
} from './support.js'

const p = useProvisionBroker()

const DEFAULT_NS = 'https://uri.etsi.org/ngsi-ld/default-context/'
const DS_ODO = 'urn:ngsi-ld:Property:odometer'
const DS_GNSS = 'urn:ngsi-ld:Property:gnss-speed'
const DS_NEW = 'urn:ngsi-ld:Property:radar-speed'
const DS_PARK = 'urn:ngsi-ld:Relationship:parking-77'

const prop = (value: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'Property',
  value,
  ...extra,
})
const rel = (object: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'Relationship',
  object,
  ...extra,
})

const isParked = rel('urn:ngsi-ld:OffStreetParking:central', {
  observedAt: '2019-05-01T08:00:00Z',
  providedBy: rel('urn:ngsi-ld:Person:Alice'),
})
const odometer = prop(60, { source: prop('Odometer'), datasetId: DS_ODO })
const gnss = prop(58.5, { source: prop('GNSS'), datasetId: DS_GNSS })
/** A vehicle whose speed has two instances, none of them the default one. */
const speedTwoDatasets = {
  type: 'Vehicle',
  brandName: prop('Volvo'),
  isParked,
  speed: [odometer, gnss],
}
/** A vehicle whose speed has a default instance and one with a datasetId. */
const defaultSpeed = prop(60, { source: prop('Odometer') })
const twoDatasetAttributes = {
  type: 'Vehicle',
  brandName: prop('Volvo'),
  isParked: { ...isParked, datasetId: DS_PARK },
  speed: [defaultSpeed, gnss],
}
const extraAttr = { extraAttr: prop(23) }

async function createVehicle(entity: Record<string, unknown>): Promise<string> {
  const id = newVehicleId()
  expectCreated(await createLd(p, { id, ...entity }))
  return id
}

function post(path: string, body: unknown, headers: Record<string, string>): Promise<Reply> {
  return p.broker.request('POST', path, { headers, body })
}
function patch(path: string, body: unknown, headers: Record<string, string>): Promise<Reply> {
  return p.broker.request('PATCH', path, { headers, body })
}
const ldHeaders = { 'content-type': LD }
const appendLd = (id: string, fragment: object, query = ''): Promise<Reply> =>
  post(`/entities/${id}/attrs/${query}`, withCtx(p.ctx, fragment), ldHeaders)
const updateLd = (id: string, fragment: object): Promise<Reply> =>
  patch(`/entities/${id}/attrs/`, withCtx(p.ctx, fragment), ldHeaders)
const partialLd = (id: string, attr: string, fragment: object): Promise<Reply> =>
  patch(`/entities/${id}/attrs/${attr}`, withCtx(p.ctx, fragment), ldHeaders)

async function expectStored(id: string, expected: Record<string, unknown>): Promise<void> {
  const body = await retrieveBody(p, id, { accept: LD })
  expectEntity(body, withCtx(p.ctx, { id, ...expected }))
}

describe('AppendEntityAttributes', () => {
  it('010_01_01 Append Entity Attributes', async () => {
    const id = await createVehicle(speedTwoDatasets)
    expectNoContent(await appendLd(id, extraAttr))
    await expectStored(id, { ...speedTwoDatasets, ...extraAttr })
  })
  it('010_01_02 Append Entity Attributes With Different Datasetid', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const radar = prop(61, { source: prop('Radar'), datasetId: DS_NEW })
    expectNoContent(await appendLd(id, { speed: radar, ...extraAttr }))
    await expectStored(id, { ...speedTwoDatasets, speed: [odometer, gnss, radar], ...extraAttr })
  })
  it('010_02_01 Append Entity Attributes If The Entity Id Is Not Present', async () => {
    expectProblem(await appendLd('', extraAttr), 400, 'BadRequestData')
  })
  it('010_02_02 Append Entity Attributes If The Entity Id Is Not A Valid URI', async () => {
    expectProblem(await appendLd('notavaliduri', extraAttr), 400, 'BadRequestData')
  })
  it('010_03_01 Append Entity Attributes When The Entity Id Is Not Known To The System', async () => {
    expectProblem(await appendLd(newVehicleId(), extraAttr), 404, 'ResourceNotFound')
  })
  it('010_04_01 Append Entity Attributes And Ignore Existing Multi-attribute Instance', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const r = await appendLd(
      id,
      { speed: prop(61, { source: prop('Odometer'), datasetId: DS_ODO }), ...extraAttr },
      '?options=noOverwrite',
    )
    expect(r.status, r.text).toBe(207)
    const result = r.body as {
      updated: string[]
      notUpdated: { attributeName: string; reason: string }[]
    }
    expect(result.updated).toEqual([`${DEFAULT_NS}extraAttr`])
    expect(result.notUpdated.map((n) => n.attributeName)).toEqual([`${SUITE_NS}speed`])
    for (const n of result.notUpdated) expect(n.reason.length).toBeGreaterThan(0)
    await expectStored(id, { ...speedTwoDatasets, ...extraAttr })
  })
  it('010_04_02 Append Entity Attributes With A New Multi-attribute Instance', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const radar = prop(61, { source: prop('Radar'), datasetId: DS_NEW })
    expectNoContent(await appendLd(id, { speed: radar, ...extraAttr }, '?options=noOverwrite'))
    await expectStored(id, { ...speedTwoDatasets, speed: [odometer, gnss, radar], ...extraAttr })
  })
  it('010_05_01 Append Entity Attributes With Invalid Entity Fragments', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const r = await post(
      `/entities/${id}/attrs/`,
      `{"speed": {"type": "Property",, "value": 1}, "@context": ["${p.ctx}"]}`,
      ldHeaders,
    )
    expectProblem(r, 400, 'InvalidRequest')
  })
  it('010_06_01 Append A LanguageProperty Property', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const street = { type: 'LanguageProperty', languageMap: { fr: 'Rue Neuve', nl: 'Nieuwstraat' } }
    expectNoContent(await appendLd(id, { street }))
    await expectStored(id, { ...speedTwoDatasets, street })
  })
  describe('TP 010_07_01 scope', () => {
    async function scoped(): Promise<string> {
      const id = newBuildingId()
      expectCreated(await createJson(p, { id, type: 'Building', scope: '/Brussels/Parks' }, p.ctx))
      return id
    }
    const appendScope = (id: string, query: string): Promise<Reply> =>
      post(
        `/entities/${id}/attrs/${query}`,
        { scope: '/CityA/DeptB/TeamC' },
        { 'content-type': JSON_CT },
      )
    it('010_07_01 Append Scope To An Entity With Overwrite Enabled', async () => {
      const id = await scoped()
      expectNoContent(await appendScope(id, ''))
      expectEntity(await retrieveBody(p, id, { accept: JSON_CT }), {
        id,
        type: 'Building',
        scope: '/CityA/DeptB/TeamC',
      })
    })
    it('010_07_01 Append Scope To An Entity With Overwrite Disabled', async () => {
      const id = await scoped()
      expectNoContent(await appendScope(id, '?options=noOverwrite'))
      expectEntity(await retrieveBody(p, id, { accept: JSON_CT }), {
        id,
        type: 'Building',
        scope: ['/Brussels/Parks', '/CityA/DeptB/TeamC'],
      })
    })
  })
  const polygon = (x: number): Record<string, unknown> => ({
    type: 'GeoProperty',
    value: { type: 'Point', coordinates: [x, 50.85] },
  })
  it('010_08 Append observationSpace Geospatial Property To An Entity', async () => {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, type: 'Building' }))
    const r = await post(
      `/entities/${id}/attrs/`,
      { observationSpace: polygon(4.35) },
      { 'content-type': JSON_CT },
    )
    expectNoContent(r)
    expectEntity(await retrieveBody(p, id, { accept: JSON_CT }), {
      id,
      type: 'Building',
      observationSpace: polygon(4.35),
    })
  })
  it('010_09 Append operationSpace Geospatial Property To An Entity', async () => {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, type: 'Building' }))
    const r = await post(
      `/entities/${id}/attrs/`,
      { operationSpace: polygon(4.36) },
      { 'content-type': JSON_CT },
    )
    expectNoContent(r)
    expectEntity(await retrieveBody(p, id, { accept: JSON_CT }), {
      id,
      type: 'Building',
      operationSpace: polygon(4.36),
    })
  })
  it('010_10_01 Append A JSON Property', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const jsonProperty = { type: 'JsonProperty', json: { id: 'raw', nested: { a: [1, 2] } } }
    expect((await appendLd(id, { jsonProperty })).status).toBe(204)
    await expectStored(id, { ...speedTwoDatasets, jsonProperty })
  })
  it('010_11_01 Append A VocabProperty Property', async () => {
    const id = await createVehicle({ type: 'Vehicle' })
    const vocabProperty = { type: 'VocabProperty', vocab: 'monument' }
    expect((await appendLd(id, { vocabProperty })).status).toBe(204)
    await expectStored(id, { type: 'Vehicle', vocabProperty })
  })
})

/** The 5.6.x type-selector cases: a Building, PATCH/POST/DELETE with ?type=Vehicle then Building. */
async function createPlainBuilding(extra: Record<string, unknown> = {}): Promise<string> {
  const id = newVehicleId()
  expectCreated(await createJson(p, { id, type: 'Building', name: prop('x'), ...extra }))
  return id
}
const nameValue = async (id: string): Promise<unknown> =>
  ((await retrieveBody(p, id, { ctx: null })).name as { value: unknown }).value

it('563_01_01 Type Selector Gates The Append', async () => {
  const id = await createPlainBuilding()
  const body = { name: prop('y') }
  const h = { 'content-type': JSON_CT }
  expect((await post(`/entities/${id}/attrs/?type=Vehicle`, body, h)).status).toBe(404)
  expect(await nameValue(id)).toBe('x')
  expect((await post(`/entities/${id}/attrs/?type=Building`, body, h)).status).toBe(204)
  expect(await nameValue(id)).toBe('y')
})

const nullMembers: Record<string, Record<string, unknown>> = {
  name: { type: 'Property', value: 'urn:ngsi-ld:null' },
  locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:null' },
  location: { type: 'GeoProperty', value: 'urn:ngsi-ld:null' },
  street: { type: 'LanguageProperty', languageMap: { '@none': 'urn:ngsi-ld:null' } },
}
const nullOf = (attr: string, datasetId?: string): Record<string, unknown> => ({
  ...nullMembers[attr],
  ...(datasetId !== undefined && { datasetId }),
})
const DS1 = 'urn:ngsi-ld:Dataset:first'
const DS2 = 'urn:ngsi-ld:Dataset:second'
function instances(secondDataset: string | undefined): Record<string, Record<string, unknown>[]> {
  const ds = (d: string | undefined): Record<string, string> =>
    d === undefined ? {} : { datasetId: d }
  return {
    name: [prop('Atomium', ds(DS1)), prop('The silver molecule', ds(secondDataset))],
    locatedAt: [
      rel('urn:ngsi-ld:City:Brussels', ds(DS1)),
      rel('urn:ngsi-ld:District:Laeken', ds(secondDataset)),
    ],
    location: [
      { type: 'GeoProperty', value: { type: 'Point', coordinates: [4.34, 50.89] }, ...ds(DS1) },
      {
        type: 'GeoProperty',
        value: { type: 'Point', coordinates: [4.35, 50.9] },
        ...ds(secondDataset),
      },
    ],
    street: [
      { type: 'LanguageProperty', languageMap: { fr: 'Square', en: 'Square' }, ...ds(DS1) },
      {
        type: 'LanguageProperty',
        languageMap: { fr: 'Avenue', en: 'Avenue' },
        ...ds(secondDataset),
      },
    ],
  }
}

/**
 * The null-deletion scenarios shared by Update (011_07..09) and Partial Update (012_05..07):
 * `kind` 'types' deletes an attribute, 'instance' the DS1 instance, 'default' the default one.
 */
async function nullScenario(
  op: 'update' | 'partial',
  kind: 'types' | 'instance' | 'default',
  attr: string,
): Promise<void> {
  let initial: Record<string, unknown>
  let expected: Record<string, unknown>
  let datasetId: string | undefined
  if (kind === 'types') {
    initial = differentTypes
    expected = without(differentTypes, attr)
  } else {
    const all = instances(kind === 'instance' ? DS2 : undefined)
    initial = { type: 'Building', ...all }
    expected = { ...initial, [attr]: all[attr]?.[kind === 'instance' ? 1 : 0] }
    datasetId = kind === 'instance' ? DS1 : undefined
  }
  const id = newVehicleId()
  expectCreated(await createLd(p, { id, ...initial }))
  const r =
    op === 'update'
      ? await updateLd(id, { [attr]: nullOf(attr, datasetId) })
      : await partialLd(id, attr, nullOf(attr, datasetId))
  expectNoContent(r)
  await expectStored(id, expected)
}

describe('UpdateEntityAttributes', () => {
  async function updateScenario(
    fragment: Record<string, unknown>,
    expected: Record<string, unknown>,
  ): Promise<void> {
    const id = await createVehicle(twoDatasetAttributes)
    expectNoContent(await updateLd(id, fragment))
    await expectStored(id, expected)
  }
  it('011_01_01 Check That One Can Update Existing Attributes With No datasetId', () => {
    const speed = prop(99, { source: prop('Odometer') })
    return updateScenario({ speed }, { ...twoDatasetAttributes, speed: [speed, gnss] })
  })
  it('011_01_02 Check That One Can Update Existing Attributes With The datasetId', () => {
    const newParked = {
      ...isParked,
      providedBy: rel('urn:ngsi-ld:Person:Carol'),
      datasetId: DS_PARK,
    }
    const speed = prop(99, { source: prop('Odometer'), datasetId: DS_GNSS })
    return updateScenario(
      { isParked: newParked, speed },
      { ...twoDatasetAttributes, isParked: newParked, speed: [defaultSpeed, speed] },
    )
  })
  it('011_01_03 Check That One Can Update Existing Attributes And Append Non-existing Attributes', () => {
    const isParked2 = {
      ...isParked,
      providedBy: rel('urn:ngsi-ld:Person:Carol'),
      datasetId: DS_PARK,
    }
    const speed = prop(99, { source: prop('Odometer'), datasetId: DS_GNSS })
    return updateScenario(
      { isParked2, speed },
      { ...twoDatasetAttributes, isParked2, speed: [defaultSpeed, speed] },
    )
  })
  it('011_01_04 Check That One Can Change The Type Of An Existing Attribute', () => {
    const brandName = rel('urn:ngsi-ld:Brand:volvo')
    return updateScenario({ brandName }, { ...twoDatasetAttributes, brandName })
  })
  it('011_02_01 Update An Attribute If The Entity Id Is Not Present', async () => {
    expectProblem(await updateLd('', { speed: prop(99) }), 400, 'BadRequestData')
  })
  it('011_02_02 Update An Attribute If The Entity Id Is Not A Valid URI', async () => {
    expectProblem(await updateLd('notavaliduri', { speed: prop(99) }), 400, 'BadRequestData')
  })
  it('011_03_01 Update Entity Attributes When The Entity Id Is Not Known To The System', async () => {
    expectProblem(await updateLd(newVehicleId(), { speed: prop(99) }), 404, 'ResourceNotFound')
  })
  it('011_04_01 Update Entity Attributes With Invalid Entity Fragments', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const r = await patch(
      `/entities/${id}/attrs/`,
      `{"speed": {"type": "Property",, "value": 1}}`,
      ldHeaders,
    )
    expectProblem(r, 400, 'InvalidRequest')
  })
  async function scopedBuilding(scope?: string): Promise<string> {
    const id = newVehicleId()
    const entity = { id, type: 'Building', ...(scope !== undefined && { scope }) }
    expectCreated(await createJson(p, entity, p.ctx))
    return id
  }
  const patchScope = (id: string): Promise<Reply> =>
    patch(`/entities/${id}/attrs/`, { scope: '/CityA/DeptB/TeamC' }, { 'content-type': JSON_CT })
  it('011_05_01 Update Scope To An Entity Already Having A Scope', async () => {
    const id = await scopedBuilding('/Brussels/Parks')
    expectNoContent(await patchScope(id))
    expectEntity(await retrieveBody(p, id, { accept: JSON_CT }), {
      id,
      type: 'Building',
      scope: '/CityA/DeptB/TeamC',
    })
  })
  it('011_05_02 Update Scope To An Entity Not Having A Scope', async () => {
    const id = await scopedBuilding()
    expect((await patchScope(id)).status).toBe(207)
    expectEntity(await retrieveBody(p, id, { accept: JSON_CT }), { id, type: 'Building' })
  })
  async function typesScenario(
    type: string | string[],
    expectedTypes: string | string[],
  ): Promise<void> {
    const id = newVehicleId()
    expectCreated(await createJson(p, { id, type: 'Building' }, p.ctx))
    expectNoContent(await updateLd(id, { type }))
    expectEntity(await retrieveBody(p, id, { accept: JSON_CT }), { id, type: expectedTypes })
  }
  it('011_06_01 AppendOneType', () => typesScenario('Vehicle', ['Building', 'Vehicle']))
  it('011_06_02 AppendTwoTypes', () =>
    typesScenario(['Vehicle', 'Car'], ['Building', 'Vehicle', 'Car']))
  it('011_06_03 AppendExistingType', () => typesScenario('Building', 'Building'))
  it('011_06_04 AppendOneTypeAndOneExisting', () =>
    typesScenario(['Vehicle', 'Building'], ['Building', 'Vehicle']))
  it('011_07_01 Delete A Property', () => nullScenario('update', 'types', 'name'))
  it('011_07_02 Delete A Relationship', () => nullScenario('update', 'types', 'locatedAt'))
  it('011_07_03 Delete A GeoProperty', () => nullScenario('update', 'types', 'location'))
  it('011_07_04 Delete A LanguageProperty', () => nullScenario('update', 'types', 'street'))
  it('011_08_01 Delete A Property', () => nullScenario('update', 'instance', 'name'))
  it('011_08_02 Delete A Relationship', () => nullScenario('update', 'instance', 'locatedAt'))
  it('011_08_03 Delete A GeoProperty', () => nullScenario('update', 'instance', 'location'))
  it('011_08_04 Delete A LanguageProperty', () => nullScenario('update', 'instance', 'street'))
  it('011_09_01 Delete A Property', () => nullScenario('update', 'default', 'name'))
  it('011_09_02 Delete A Relationship', () => nullScenario('update', 'default', 'locatedAt'))
  it('011_09_03 Delete A GeoProperty', () => nullScenario('update', 'default', 'location'))
  it('011_09_04 Delete A LanguageProperty', () => nullScenario('update', 'default', 'street'))
})

describe('UpdateEntityAttributes 558_01 partial update patch behaviour', () => {
  const h = { 'content-type': JSON_CT }
  async function temperatureVehicle(): Promise<string> {
    const id = newVehicleId()
    const temperature = prop(19, { unitCode: 'CEL', observedAt: '2023-01-02T03:04:05.678Z' })
    expectCreated(await createJson(p, { id, type: 'Vehicle', temperature }))
    return id
  }
  const temperature = async (id: string): Promise<unknown> =>
    (await retrieveBody(p, id, { ctx: null })).temperature
  it('558_01_01 Partial Attribute Update Overwrites Sub-Attributes Only', async () => {
    const id = await temperatureVehicle()
    const r = await patch(
      `/entities/${id}/attrs/temperature`,
      prop(80, { observedAt: '2023-01-02T10:00:00.000Z' }),
      h,
    )
    expect(r.status, r.text).toBe(204)
    const t = (await temperature(id)) as Record<string, unknown>
    expect(t.value).toBe(80)
    expect(t.observedAt).toBe('2023-01-02T10:00:00.000Z')
    expect(t.unitCode).toBe('CEL')
  })
  it('558_01_02 Update Attributes Replaces The Whole Attribute', async () => {
    const id = await temperatureVehicle()
    const r = await patch(
      `/entities/${id}/attrs/`,
      { temperature: prop(80, { observedAt: '2023-01-02T10:00:00.000Z' }) },
      h,
    )
    expect(r.status, r.text).toBe(204)
    const body = await retrieve(p, id, { ctx: null })
    const t = (body.body as { temperature: Record<string, unknown> }).temperature
    expect(t.value).toBe(80)
    expect(t).not.toHaveProperty('unitCode')
    expect(body.text).not.toContain('CEL')
  })
  it('558_01_03 NGSI-LD Null Value Deletes The Attribute', async () => {
    const id = await temperatureVehicle()
    const r = await patch(`/entities/${id}/attrs/`, { temperature: prop('urn:ngsi-ld:null') }, h)
    expect(r.status, r.text).toBe(204)
    const body = await retrieve(p, id, { ctx: null })
    expect(body.status).toBe(200)
    expect(body.body).not.toHaveProperty('temperature')
    expect(body.text).not.toContain('urn:ngsi-ld:null')
  })
  it('558_01_04 DatasetId Cannot Be Deleted Via Null And New DatasetId Adds', async () => {
    const id = await temperatureVehicle()
    const r1 = await patch(
      `/entities/${id}/attrs/temperature`,
      { datasetId: 'urn:ngsi-ld:null' },
      h,
    )
    expectProblem(r1, 400, 'BadRequestData')
    const r2 = await patch(
      `/entities/${id}/attrs/`,
      { temperature: prop(30, { datasetId: 'urn:ngsi-ld:Dataset:extra' }) },
      h,
    )
    expect(r2.status, r2.text).toBe(204)
    const t = (await temperature(id)) as { value: number }[]
    expect(t).toHaveLength(2)
    expect(t.map((i) => i.value).sort((a, b) => a - b)).toEqual([19, 30])
  })
})

it('562_01_01 Type Selector Gates The Update', async () => {
  const id = await createPlainBuilding()
  const body = { name: prop('y') }
  const h = { 'content-type': JSON_CT }
  expect((await patch(`/entities/${id}/attrs/?type=Vehicle`, body, h)).status).toBe(404)
  expect(await nameValue(id)).toBe('x')
  expect((await patch(`/entities/${id}/attrs/?type=Building`, body, h)).status).toBe(204)
  expect(await nameValue(id)).toBe('y')
})

describe('PartialAttributeUpdate', () => {
  it('012_01_01 Check That One Can Partially Update An Attribute', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const providedBy = rel('urn:ngsi-ld:Person:Carol')
    expectNoContent(await partialLd(id, 'isParked', { providedBy }))
    await expectStored(id, { ...speedTwoDatasets, isParked: { ...isParked, providedBy } })
  })
  it('012_01_02 Check That One Can Partially Update An Attribute By Specifying The datasetId', async () => {
    const id = await createVehicle(speedTwoDatasets)
    expectNoContent(await partialLd(id, 'speed', { value: 56, datasetId: DS_ODO }))
    await expectStored(id, { ...speedTwoDatasets, speed: [{ ...odometer, value: 56 }, gnss] })
  })
  it('012_02_01 Make A Partial Attribute Update If The Entity Id Is Not Present', async () => {
    expectProblem(
      await partialLd('', 'speed', { value: 56, datasetId: DS_ODO }),
      400,
      'BadRequestData',
    )
  })
  it('012_02_02 Make A Partial Attribute Update If The Entity Id Is Not A Valid URI', async () => {
    expectProblem(
      await partialLd('notavaliduri', 'speed', { value: 56, datasetId: DS_ODO }),
      400,
      'BadRequestData',
    )
  })
  it('012_02_03 Make A Partial Attribute Update If The Attribute Type Does Not Match', async () => {
    const id = await createVehicle(twoDatasetAttributes)
    const r = await partialLd(id, 'speed', rel('urn:ngsi-ld:Entity:other'))
    expectProblem(r, 400, 'BadRequestData')
  })
  it('012_02_04 Make A Partial Attribute Update If The Entity Fragment Is Empty', async () => {
    const id = await createVehicle(twoDatasetAttributes)
    const r = await patch(`/entities/${id}/attrs/speed`, {}, ldHeaders)
    expectProblem(r, 400, 'BadRequestData')
  })
  it('012_03_01 Partial Update When The Entity Id Is Not Known To The System', async () => {
    const r = await partialLd(newVehicleId(), 'speed', {
      providedBy: rel('urn:ngsi-ld:Person:Carol'),
    })
    expectProblem(r, 404, 'ResourceNotFound')
  })
  it('012_03_02 Partial Update When No Default Instance And No datasetId Specified', async () => {
    const id = await createVehicle(speedTwoDatasets)
    expectProblem(await partialLd(id, 'speed', { value: 56 }), 404, 'ResourceNotFound')
  })
  it('012_03_03 Partial Update When No Instance With The datasetId Specified', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const r = await partialLd(id, 'speed', { value: 56, datasetId: 'urn:ngsi-ld:Property:unknown' })
    expectProblem(r, 404, 'ResourceNotFound')
  })
  it('012_03_04 Partial Update When The Attribute Name Does Not Exist In The Entity', async () => {
    const id = await createVehicle(speedTwoDatasets)
    const r = await partialLd(id, 'isParked2', { providedBy: rel('urn:ngsi-ld:Person:Carol') })
    expectProblem(r, 404, 'ResourceNotFound')
  })
  it('012_04_01 Check That One Can Partially Update A LanguageProperty Property', async () => {
    const source = prop('Survey')
    const initial = {
      type: 'Building',
      street: {
        type: 'LanguageProperty',
        languageMap: { fr: 'Rue Neuve', nl: 'Nieuwstraat' },
        source,
      },
    }
    const id = await createVehicle(initial)
    const providedBy = rel('urn:ngsi-ld:Person:Carol')
    const languageMap = { fr: 'Rue Neuve', es: 'Calle Nueva' }
    expectNoContent(
      await partialLd(id, 'street', { type: 'LanguageProperty', languageMap, providedBy }),
    )
    await expectStored(id, {
      type: 'Building',
      street: { type: 'LanguageProperty', languageMap, providedBy, source },
    })
  })
  it('012_05_01 Delete A Property', () => nullScenario('partial', 'types', 'name'))
  it('012_05_02 Delete A Relationship', () => nullScenario('partial', 'types', 'locatedAt'))
  it('012_05_03 Delete A GeoProperty', () => nullScenario('partial', 'types', 'location'))
  it('012_05_04 Delete A LanguageProperty', () => nullScenario('partial', 'types', 'street'))
  it('012_06_01 Delete A Property', () => nullScenario('partial', 'instance', 'name'))
  it('012_06_02 Delete A Relationship', () => nullScenario('partial', 'instance', 'locatedAt'))
  it('012_06_03 Delete A GeoProperty', () => nullScenario('partial', 'instance', 'location'))
  it('012_06_04 Delete A LanguageProperty', () => nullScenario('partial', 'instance', 'street'))
  it('012_07_01 Delete A Property', () => nullScenario('partial', 'default', 'name'))
  it('012_07_02 Delete A Relationship', () => nullScenario('partial', 'default', 'locatedAt'))
  it('012_07_03 Delete A GeoProperty', () => nullScenario('partial', 'default', 'location'))
  it('012_07_04 Delete A LanguageProperty', () => nullScenario('partial', 'default', 'street'))
  it('012_08_01 Check That You Can Partially Update A JSON Property', async () => {
    const source = prop('Survey')
    const id = await createVehicle({
      type: 'Building',
      jsonProperty: { type: 'JsonProperty', json: { id: 'raw-1', kind: 'first' }, source },
    })
    const providedBy = rel('urn:ngsi-ld:Person:Carol')
    const json = { id: 'raw-2', type: 'other-type', kind: 'second' }
    expect((await partialLd(id, 'jsonProperty', { json, providedBy })).status).toBe(204)
    await expectStored(id, {
      type: 'Building',
      jsonProperty: { type: 'JsonProperty', json, providedBy, source },
    })
  })
  it('012_09_01 Check That You Can Partially Update A VocabProperty Property', async () => {
    const source = prop('Survey')
    const id = await createVehicle({
      type: 'Building',
      vocabProperty: { type: 'VocabProperty', vocab: 'monument', source },
    })
    const providedBy = rel('urn:ngsi-ld:Person:Carol')
    expect(
      (await partialLd(id, 'vocabProperty', { vocab: 'sightseeing', providedBy })).status,
    ).toBe(204)
    await expectStored(id, {
      type: 'Building',
      vocabProperty: { type: 'VocabProperty', vocab: 'sightseeing', providedBy, source },
    })
  })
  it('564_01_01 Scope Cannot Be Partially Updated', async () => {
    const id = await createPlainBuilding({ scope: '/Brussels' })
    const r = await patch(
      `/entities/${id}/attrs/scope`,
      { value: '/Ghent' },
      { 'content-type': JSON_CT },
    )
    expectProblem(r, 400, 'BadRequestData')
    expect((await retrieveBody(p, id, { ctx: null })).scope).toBe('/Brussels')
  })
  it('564_01_02 Type Selector Gates The Partial Update', async () => {
    const id = await createPlainBuilding()
    const h = { 'content-type': JSON_CT }
    expect((await patch(`/entities/${id}/attrs/name?type=Vehicle`, { value: 'y' }, h)).status).toBe(
      404,
    )
    expect(
      (await patch(`/entities/${id}/attrs/name?type=Building`, { value: 'y' }, h)).status,
    ).toBe(204)
    expect(await nameValue(id)).toBe('y')
  })
})

describe('ReplaceEntityAttribute', () => {
  const multiInstances = {
    type: 'Vehicle',
    scope: '/Brussels/Centre',
    isParked,
    speed: [defaultSpeed, gnss],
  }
  const put = (id: string, attr: string, body: unknown): Promise<Reply> =>
    p.broker.request('PUT', `/entities/${id}/attrs/${attr}`, { headers: jsonWithLink(p.ctx), body })
  const sys = (id: string): Promise<Record<string, unknown>> =>
    retrieveBody(p, id, { query: 'options=sysAttrs' })
  async function replaceScenario(
    attr: string,
    replacement: Record<string, unknown>,
    expected: Record<string, unknown>,
    createdAtOf: (e: Record<string, unknown>) => unknown,
  ): Promise<void> {
    const id = await createVehicle(multiInstances)
    const createdAt = createdAtOf(await sys(id))
    expectNoContent(await put(id, attr, replacement))
    const after = await sys(id)
    expectEntity(withoutSysAttrs(after), { id, ...expected })
    expect(createdAt).toBeTruthy()
    expect(createdAtOf(after)).toBe(createdAt)
  }
  const parkedCreatedAt = (e: Record<string, unknown>): unknown =>
    (e.isParked as { createdAt?: unknown }).createdAt
  const speed0CreatedAt = (e: Record<string, unknown>): unknown =>
    (e.speed as { createdAt?: unknown }[])[0]?.createdAt
  it('055_01_01 Replace Entity Attribute', () => {
    const replacement = rel('urn:ngsi-ld:OffStreetParking:north', {
      observedAt: '2019-05-01T15:00:00Z',
      providedBy: rel('urn:ngsi-ld:Person:Alice'),
    })
    return replaceScenario(
      'isParked',
      replacement,
      { ...multiInstances, isParked: replacement },
      parkedCreatedAt,
    )
  })
  it('055_01_02 Replace Entity Attribute Giving A New Attribute Type', () => {
    const replacement = prop(true)
    return replaceScenario(
      'isParked',
      replacement,
      { ...multiInstances, isParked: replacement },
      parkedCreatedAt,
    )
  })
  it('055_02_01 Replace Entity Attribute Giving No datasetId', () => {
    const replacement = prop(80, { source: prop('Odometer'), observedAt: '2019-05-01T11:00:00Z' })
    return replaceScenario(
      'speed',
      replacement,
      { ...multiInstances, speed: [replacement, gnss] },
      speed0CreatedAt,
    )
  })
  it('055_02_02 Replace Entity Attribute Giving A datasetId', () => {
    const replacement = prop(70, {
      source: prop('GNSS'),
      observedAt: '2019-05-01T11:00:00Z',
      datasetId: DS_GNSS,
    })
    return replaceScenario(
      'speed',
      replacement,
      { ...multiInstances, speed: [defaultSpeed, replacement] },
      speed0CreatedAt,
    )
  })
  const anyReplacement = rel('urn:ngsi-ld:OffStreetParking:north')
  it('055_03_01 Replace Entity Attribute Giving An Invalid Entity ID', async () => {
    expect((await put('invalidUri', 'isParked', anyReplacement)).status).toBe(400)
  })
  it('055_03_02 Replace Entity Attribute Giving A Nonexistent Entity ID', async () => {
    expect((await put('urn:ngsi-ld:Vehicle:Nonexistent', 'isParked', anyReplacement)).status).toBe(
      404,
    )
  })
  it('055_03_03 Replace Entity Attribute Giving An Invalid Attribute Name', async () => {
    const id = await createVehicle(multiInstances)
    expect((await put(id, '@invalid', anyReplacement)).status).toBe(400)
  })
  it('055_03_04 Replace Entity Attribute Giving A Nonexistent Attribute Name', async () => {
    const id = await createVehicle(multiInstances)
    expect((await put(id, 'brandName', anyReplacement)).status).toBe(404)
  })
  it('055_03_05 Replace Entity Attribute Giving A Scope Attribute', async () => {
    const id = await createVehicle(multiInstances)
    expect((await put(id, 'scope', { scope: '/Ghent' })).status).toBe(400)
  })
})

describe('DeleteEntityAttribute', () => {
  const DS_GPS = 'urn:ngsi-ld:Dataset:gps'
  const plain = prop(55)
  const gps = prop(54.5, { datasetId: DS_GPS })
  const speedOnly = { type: 'Vehicle', speed: [plain, gps] }
  const del = (
    id: string,
    attr: string,
    query = '',
    headers: Record<string, string> = {},
  ): Promise<Reply> =>
    p.broker.request('DELETE', `/entities/${id}/attrs/${attr}${query}`, { headers })
  async function deleteScenario(query: string, expected: Record<string, unknown>): Promise<void> {
    const id = await createVehicle(speedOnly)
    expectNoContent(await del(id, 'speed', query, jsonWithLink(p.ctx)))
    const body = await retrieveBody(p, id, { accept: LD })
    expectEntity(body, { id, ...expected })
  }
  it('013_01_01 Delete An Attribute With The Default Instance', () =>
    deleteScenario('?deleteAll=false', { type: 'Vehicle', speed: gps }))
  it('013_01_02 Delete An Attribute With A Specific datasetId', () =>
    deleteScenario(`?datasetId=${DS_GPS}&deleteAll=false`, { type: 'Vehicle', speed: plain }))
  it('013_01_03 Delete All Attribute Instances', () =>
    deleteScenario('?deleteAll=true', { type: 'Vehicle' }))
  it('013_02_01 Delete An Attribute If The Entity Id Is Not Present', async () => {
    expect((await del('', 'speed', '?deleteAll=false')).status).toBe(400)
  })
  it('013_02_02 Delete An Attribute If The Entity Id Is Not A Valid URI', async () => {
    expect((await del('notAValidUri', 'speed', '?deleteAll=false')).status).toBe(400)
  })
  it('013_02_03 Delete An Attribute If The Attribute Name Is Not Present', async () => {
    const id = await createVehicle(twoDatasetAttributes)
    expect((await del(id, '', '?deleteAll=false')).status).toBe(405)
  })
  it('013_03_01 Delete An Attribute When The Entity Id Is Not Known To The System', async () => {
    expect(
      (await del(newVehicleId(), 'speed', `?datasetId=${DS_GNSS}&deleteAll=false`)).status,
    ).toBe(404)
  })
  it('013_03_02 Delete An Attribute When The Entity Does Not Contain The Target Attribute Id', async () => {
    const id = await createVehicle(twoDatasetAttributes)
    expect((await del(id, 'notFound', '?deleteAll=false')).status).toBe(404)
  })
  it('013_03_03 Delete An Attribute When The Entity Does Not Contain The Target Attribute With Same datasetId', async () => {
    const id = await createVehicle(twoDatasetAttributes)
    expect(
      (await del(id, 'speed', '?datasetId=urn:ngsi-ld:Property:notFound&deleteAll=false')).status,
    ).toBe(404)
  })
  it('013_04 Delete Scope From An Entity', async () => {
    const id = newVehicleId()
    expectCreated(await createJson(p, { id, type: 'Building', scope: '/Brussels/Parks' }))
    expectNoContent(await del(id, 'scope', '?deleteAll=false'))
    expectEntity(await retrieveBody(p, id, { ctx: null, accept: JSON_CT }), {
      id,
      type: 'Building',
    })
  })
  const space = { type: 'GeoProperty', value: { type: 'Point', coordinates: [4.35, 50.85] } }
  it('013_05 Delete An observationSpace Geospatial Property From An Entity', async () => {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, type: 'Building', observationSpace: space }))
    expectNoContent(await del(id, 'observationSpace', '?deleteAll=false'))
    expectEntity(await retrieveBody(p, id), { id, type: 'Building' })
  })
  it('013_06 Delete An operationSpace Geospatial Property From An Entity', async () => {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, type: 'Building', operationSpace: space }))
    expectNoContent(await del(id, 'operationSpace', '?deleteAll=false'))
    expectEntity(await retrieveBody(p, id), { id, type: 'Building' })
  })
  it('013_07_01 Delete A VocabProperty Property From An Entity', async () => {
    const id = newBuildingId()
    expectCreated(
      await createLd(p, {
        id,
        type: 'Building',
        vocabProperty: { type: 'VocabProperty', vocab: 'monument' },
      }),
    )
    expect((await del(id, 'vocabProperty', '?deleteAll=false')).status).toBe(204)
    expectEntity(await retrieveBody(p, id, { ctx: null, accept: JSON_CT }), {
      id,
      type: 'Building',
    })
  })
  it('565_01_01 Type Selector Gates The Delete And Scope Is Deletable', async () => {
    const id = await createPlainBuilding({ scope: '/Brussels' })
    expect((await del(id, 'name', '?type=Vehicle')).status).toBe(404)
    expect(await nameValue(id)).toBe('x')
    expect((await del(id, 'name', '?type=Building')).status).toBe(204)
    expect((await del(id, 'scope')).status).toBe(204)
    const body = await retrieveBody(p, id, { ctx: null })
    expect(body).not.toHaveProperty('scope')
    expect(body).not.toHaveProperty('name')
  })
})
