/**
 * ETSI GS CIM 014 — Provision / Entities / DeleteEntity, MergeEntity, ReplaceEntity, re-stated.
 */
import { describe, expect, it } from 'vitest'
import {
  JSON_CT,
  LD,
  createJson,
  createLd,
  expectCreated,
  expectEntity,
  expectNoContent,
  expectProblem,
  jsonWithLink,
  newBuildingId,
  retrieve,
  retrieveBody,
  stripIgnored,
  withCtx,
  useProvisionBroker,
  SIMPLE_BUILDING as simple,
  DIFFERENT_TYPES_BUILDING as differentTypes,
  without,
  withoutSysAttrs,
} from './support.js'

const p = useProvisionBroker()

describe('DeleteEntity', () => {
  it('002_01_01 Delete An Entity', async () => {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, ...simple }))
    expectNoContent(await p.broker.request('DELETE', `/entities/${id}`))
    expect((await retrieve(p, id)).status).toBe(404)
  })
  it('002_02_01 Delete An Entity If The Entity Id Is Not A Valid URI', async () => {
    expectProblem(await p.broker.request('DELETE', '/entities/notavaliduri'), 400, 'BadRequestData')
  })
  it('002_03_01 Delete An Entity With An Id Not Known To The System', async () => {
    const r = await p.broker.request('DELETE', `/entities/${newBuildingId()}`)
    expectProblem(r, 404, 'ResourceNotFound')
  })
  it('566_01_01 Type Selector Gates The Entity Delete', async () => {
    const id = newBuildingId()
    expectCreated(await createJson(p, { id, type: 'Building' }))
    expect((await p.broker.request('DELETE', `/entities/${id}?type=Vehicle`)).status).toBe(404)
    expect((await retrieve(p, id, { ctx: null })).status).toBe(200)
    expect((await p.broker.request('DELETE', `/entities/${id}?type=Building`)).status).toBe(204)
    expect((await retrieve(p, id, { ctx: null })).status).toBe(404)
  })
})

function merge(
  id: string,
  fragment: object,
  contentType = LD,
): ReturnType<typeof p.broker.request> {
  return p.broker.request('PATCH', `/entities/${encodeURIComponent(id)}`, {
    headers: contentType === LD ? { 'content-type': LD } : jsonWithLink(p.ctx),
    body: contentType === LD ? withCtx(p.ctx, fragment) : fragment,
  })
}

/** The suite's merge scenario: create, merge (204, empty), retrieve as JSON-LD, compare. */
async function mergeScenario(
  initial: Record<string, unknown>,
  fragment: Record<string, unknown>,
  expected: Record<string, unknown>,
): Promise<void> {
  const id = newBuildingId()
  expectCreated(await createLd(p, { id, ...initial }))
  expectNoContent(await merge(id, { id, ...fragment }))
  const body = await retrieveBody(p, id, { accept: LD })
  expectEntity(body, withCtx(p.ctx, { id, ...expected }))
}

describe('MergeEntity 056_01', () => {
  it('056_01_01 MergeAnEmptyEntity', () => mergeScenario(simple, { type: 'Building' }, simple))
  it('056_01_02 MergeSimpleProperties', () => {
    const second = {
      type: 'Building',
      name: { type: 'Property', value: 'Manneken Pis' },
      subCategory: { type: 'Property', value: 'landmark' },
      airQualityLevel: {
        type: 'Property',
        value: 3,
        unitCode: 'C62',
        observedAt: '2022-05-06T11:00:00.000Z',
      },
      almostFull: { type: 'Property', value: false },
    }
    return mergeScenario(simple, second, second)
  })
  it('056_01_03 MergeSimpleRelationship', () => {
    const locatedAt = { type: 'Relationship', object: 'urn:ngsi-ld:City:Brussels' }
    return mergeScenario(simple, { type: 'Building', locatedAt }, { ...simple, locatedAt })
  })
  it('056_01_04 MergePropertyWithPartialData', () =>
    mergeScenario(
      simple,
      {
        type: 'Building',
        airQualityLevel: { type: 'Property', value: 2, observedAt: '2024-02-02T00:00:00.000Z' },
      },
      {
        ...simple,
        airQualityLevel: {
          type: 'Property',
          value: 2,
          unitCode: 'C62',
          observedAt: '2024-02-02T00:00:00.000Z',
        },
      },
    ))
})

describe('MergeEntity 056_02 faulty ids', () => {
  const replacement = {
    type: 'Building',
    name: { type: 'Property', value: 'Manneken Pis' },
    locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:Brussels' },
  }
  it('056_02_01 Merge An Existing Entity Giving An Invalid Id', async () => {
    expect((await merge('invalidUri', { id: 'invalidUri', ...replacement }, JSON_CT)).status).toBe(
      400,
    )
  })
  it('056_02_02 Merge An Existing Entity Without Giving An Id', async () => {
    const r = await p.broker.request('PATCH', '/entities/', {
      headers: jsonWithLink(p.ctx),
      body: { id: '', ...replacement },
    })
    expect(r.status).toBe(400)
  })
  it('056_02_03 Merge An Existing Entity Giving A Nonexistent Id', async () => {
    const id = 'urn:ngsi-ld:Building:Nonexistent'
    expect((await merge(id, { id, ...replacement }, JSON_CT)).status).toBe(404)
  })
})

const nullFragments: Record<string, Record<string, unknown>> = {
  name: { type: 'Property', value: 'urn:ngsi-ld:null' },
  locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:null' },
  location: { type: 'GeoProperty', value: 'urn:ngsi-ld:null' },
  street: { type: 'LanguageProperty', languageMap: { '@none': 'urn:ngsi-ld:null' } },
}
const nullFragment = (attr: string, datasetId?: string): Record<string, unknown> => ({
  type: 'Building',
  [attr]: { ...nullFragments[attr], ...(datasetId !== undefined && { datasetId }) },
})

describe('MergeEntity 056_03 NGSI-LD null deletes an attribute', () => {
  it('056_03_01 Delete A Property', () =>
    mergeScenario(differentTypes, nullFragment('name'), without(differentTypes, 'name')))
  it('056_03_02 Delete A Relationship', () =>
    mergeScenario(differentTypes, nullFragment('locatedAt'), without(differentTypes, 'locatedAt')))
  it('056_03_03 Delete A GeoProperty', () =>
    mergeScenario(differentTypes, nullFragment('location'), without(differentTypes, 'location')))
  it('056_03_04 Delete A LanguageProperty', () =>
    mergeScenario(differentTypes, nullFragment('street'), without(differentTypes, 'street')))
})

const DS1 = 'urn:ngsi-ld:Dataset:first'
const DS2 = 'urn:ngsi-ld:Dataset:second'
/** Two instances per attribute kind; `secondDataset` undefined makes the second the default. */
function instances(secondDataset: string | undefined): Record<string, Record<string, unknown>[]> {
  const ds = (d: string | undefined): Record<string, string> =>
    d === undefined ? {} : { datasetId: d }
  return {
    name: [
      { type: 'Property', value: 'Atomium', ...ds(DS1) },
      { type: 'Property', value: 'The silver molecule', ...ds(secondDataset) },
    ],
    locatedAt: [
      { type: 'Relationship', object: 'urn:ngsi-ld:City:Brussels', ...ds(DS1) },
      { type: 'Relationship', object: 'urn:ngsi-ld:District:Laeken', ...ds(secondDataset) },
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
      {
        type: 'LanguageProperty',
        languageMap: { fr: 'Square de l’Atomium', en: 'Atomium Square' },
        ...ds(DS1),
      },
      {
        type: 'LanguageProperty',
        languageMap: { fr: 'Avenue de l’Atomium', en: 'Atomium Avenue' },
        ...ds(secondDataset),
      },
    ],
  }
}
async function deleteInstanceScenario(
  secondDataset: string | undefined,
  attr: string,
  nullDataset: string | undefined,
  remainingIndex: 0 | 1,
): Promise<void> {
  const all = instances(secondDataset)
  const initial = { type: 'Building', ...all }
  const expected = { ...initial, [attr]: all[attr]?.[remainingIndex] }
  await mergeScenario(initial, nullFragment(attr, nullDataset), expected)
}

describe('MergeEntity 056_04 NGSI-LD null deletes one instance', () => {
  it('056_04_01 Delete A Property Instance', () => deleteInstanceScenario(DS2, 'name', DS1, 1))
  it('056_04_02 Delete A Relationship Instance', () =>
    deleteInstanceScenario(DS2, 'locatedAt', DS1, 1))
  it('056_04_03 Delete A GeoProperty Instance', () =>
    deleteInstanceScenario(DS2, 'location', DS1, 1))
  it('056_04_04 Delete A LanguageProperty Instance', () =>
    deleteInstanceScenario(DS2, 'street', DS1, 1))
})

describe('MergeEntity 056_05 NGSI-LD null deletes the default instance', () => {
  it('056_05_01 Delete A Property Instance', () =>
    deleteInstanceScenario(undefined, 'name', undefined, 0))
  it('056_05_02 Delete A Relationship Instance', () =>
    deleteInstanceScenario(undefined, 'locatedAt', undefined, 0))
  it('056_05_03 Delete A GeoProperty Instance', () =>
    deleteInstanceScenario(undefined, 'location', undefined, 0))
  it('056_05_04 Delete A LanguageProperty Instance', () =>
    deleteInstanceScenario(undefined, 'street', undefined, 0))
})

describe('ReplaceEntity', () => {
  const replacement = {
    type: 'Building',
    name: { type: 'Property', value: 'Manneken Pis' },
    locatedAt: { type: 'Relationship', object: 'urn:ngsi-ld:City:Brussels' },
  }
  function put(id: string, body: object): ReturnType<typeof p.broker.request> {
    return p.broker.request('PUT', `/entities/${id}`, { headers: jsonWithLink(p.ctx), body })
  }
  it('054_01_01 Replace An Existing Entity (createdAt unchanged)', async () => {
    const id = newBuildingId()
    expectCreated(await createJson(p, { id, ...simple }, p.ctx))
    const before = await retrieveBody(p, id, { query: 'options=sysAttrs' })
    expectNoContent(await put(id, { id, ...replacement }))
    const after = await retrieveBody(p, id, { query: 'options=sysAttrs' })
    expect(withoutSysAttrs(stripIgnored(after))).toEqual({ id, ...replacement })
    expect(after.createdAt).toBeTruthy()
    expect(after.createdAt).toBe(before.createdAt)
  })
  it('054_02_01 Replace An Existing Entity Giving An Invalid Id', async () => {
    expect((await put('invalidUri', { id: 'invalidUri', ...replacement })).status).toBe(400)
  })
  it('054_02_02 Replace An Existing Entity Without Giving An Id', async () => {
    expect((await put('', { id: '', ...replacement })).status).toBe(400)
  })
  it('054_02_03 Replace An Existing Entity Giving A Nonexistent Id', async () => {
    const id = 'urn:ngsi-ld:Building:Nonexistent'
    expect((await put(id, { id, ...replacement })).status).toBe(404)
  })
  it('054_03_01 Replace An Existing Entity Having Scopes', async () => {
    const id = newBuildingId()
    expectCreated(await createJson(p, { id, type: 'Building', scope: '/Brussels/Parks' }, p.ctx))
    const scopes = ['/Brussels/Parks/Cinquantenaire', '/CityA/DeptB/TeamC']
    expectNoContent(await put(id, { id, type: 'Building', scope: scopes }))
    const body = await retrieveBody(p, id, { accept: JSON_CT })
    expectEntity(body, { id, type: 'Building', scope: scopes })
  })
})
