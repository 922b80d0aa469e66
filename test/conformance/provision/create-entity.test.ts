/**
 * ETSI GS CIM 014 — Provision / Entities / CreateEntity (POST /entities), re-stated.
 * Fixtures are Civitas's own, with the structure of the suite's data files.
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
  expectProblem,
  newBuildingId,
  newVehicleId,
  retrieve,
  retrieveBody,
  withCtx,
  useProvisionBroker,
  SIMPLE_BUILDING as simpleAttributes,
} from './support.js'

const p = useProvisionBroker()

const fixtures: Record<string, Record<string, unknown>> = {
  minimal: { type: 'Building' },
  simple: simpleAttributes,
  relationshipOfProperty: {
    ...simpleAttributes,
    airQualityLevel: {
      ...simpleAttributes.airQualityLevel,
      hasWeatherObserved: { type: 'Relationship', object: 'urn:ngsi-ld:Sensor:station-12' },
    },
  },
  location: {
    type: 'Building',
    name: { type: 'Property', value: 'Atomium' },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [4.3413, 50.8949] } },
  },
  nonCoreGeo: {
    type: 'Building',
    customLocation: {
      type: 'GeoProperty',
      value: { type: 'Point', coordinates: [4.3517, 50.8503] },
    },
  },
  language: {
    type: 'Building',
    street: { type: 'LanguageProperty', languageMap: { fr: 'Rue Neuve', nl: 'Nieuwstraat' } },
  },
  oneScope: { type: 'Building', scope: '/Brussels/Parks/Cinquantenaire' },
  manyScopes: { type: 'Building', scope: ['/Brussels/Parks/Cinquantenaire', '/CityA/DeptB/TeamC'] },
  observationSpace: {
    type: 'Building',
    observationSpace: {
      type: 'GeoProperty',
      value: {
        type: 'Polygon',
        coordinates: [
          [
            [4.33, 50.84],
            [4.36, 50.84],
            [4.36, 50.86],
            [4.33, 50.86],
            [4.33, 50.84],
          ],
        ],
      },
    },
  },
  operationSpace: {
    type: 'Building',
    operationSpace: {
      type: 'GeoProperty',
      value: {
        type: 'Polygon',
        coordinates: [
          [
            [4.3, 50.8],
            [4.4, 50.8],
            [4.4, 50.9],
            [4.3, 50.9],
            [4.3, 50.8],
          ],
        ],
      },
    },
  },
  jsonObject: {
    type: 'Building',
    jsonProperty: { type: 'JsonProperty', json: { id: 'raw-1', anythingElse: 'kept as is' } },
  },
  jsonArray: {
    type: 'Building',
    jsonProperty: {
      type: 'JsonProperty',
      json: [
        { id: 'raw-1', anythingElse: 'first' },
        { id: 'raw-2', anythingElse: 'second' },
      ],
    },
  },
  vocabString: { type: 'Building', vocabProperty: { type: 'VocabProperty', vocab: 'monument' } },
  vocabArray: {
    type: 'Building',
    vocabProperty: { type: 'VocabProperty', vocab: ['monument', 'sightseeing'] },
  },
}

/** The suite's "Create Entity Scenarios": 201, empty body, Location, then retrieve and compare. */
async function createScenario(fixture: string, contentType: string): Promise<void> {
  const id = newBuildingId()
  const entity = { id, ...fixtures[fixture] }
  const ld = contentType === LD
  const created = ld ? await createLd(p, entity) : await createJson(p, entity)
  expectCreated(created, id)
  const body = await retrieveBody(p, id, { accept: contentType, ctx: ld ? p.ctx : null })
  expectEntity(body, ld ? withCtx(p.ctx, entity) : entity)
}

describe('CreateEntity 001_01', () => {
  it('001_01_01 MinimalEntity', () => createScenario('minimal', JSON_CT))
  it('001_01_02 EntityWithSimpleProperties', () => createScenario('simple', LD))
  it('001_01_03 EntityWithRelationshipsProperties', () =>
    createScenario('relationshipOfProperty', LD))
  it('001_01_04 EntityWithLocationAttribute', () => createScenario('location', LD))
  it('001_01_05 EntityWithNonCoreGeoProperty', () => createScenario('nonCoreGeo', LD))
})

describe('CreateEntity 001_02 invalid requests', () => {
  const post = (body: string): Promise<Awaited<ReturnType<typeof p.broker.request>>> =>
    p.broker.request('POST', '/entities/', { headers: { 'content-type': LD }, body })
  it('001_02_01 InvalidJson', async () => {
    expectProblem(await post('{"id": "urn:ngsi-ld:Building:x", "type": '), 400, 'InvalidRequest')
  })
  it('001_02_02 EmptyJson', async () => {
    expectProblem(await post('[]'), 400, 'InvalidRequest')
  })
  it('001_02_03 EntityWithNoContext', async () => {
    const body = JSON.stringify({ id: newBuildingId(), type: 'Building' })
    expectProblem(await post(body), 400, 'BadRequestData')
  })
  it('001_02_04 EntityWithInvalidType', async () => {
    const body = JSON.stringify({ id: newBuildingId(), type: 'type', '@context': [p.ctx] })
    expectProblem(await post(body), 400, 'BadRequestData')
  })
})

it('001_03_01 Create One Valid Entity And One Invalid Entity (existing id → 409)', async () => {
  const id = newBuildingId()
  expectCreated(await createLd(p, { id, type: 'Building' }))
  expectProblem(await createLd(p, { id, type: 'Building' }), 409, 'AlreadyExists')
})

describe('CreateEntity 001_04 .. 001_09 @context from Link header or body', () => {
  const plain = simpleAttributes
  it('001_04_01 JSON content with Link: terms compact with the same context', async () => {
    const id = newBuildingId()
    expectCreated(await createJson(p, { id, ...plain }, p.ctx))
    const body = await retrieveBody(p, id)
    expect(body.almostFull).toBeTruthy()
  })
  it('001_04_02 JSON content with Link: retrieved without context gives the full IRI', async () => {
    const id = newBuildingId()
    expectCreated(await createJson(p, { id, ...plain }, p.ctx))
    const body = await retrieveBody(p, id, { ctx: null })
    expect(body[`${SUITE_NS}almostFull`]).toBeTruthy()
  })
  it('001_05_01 JSON content without Link, retrieved without context: short name', async () => {
    const id = newBuildingId()
    expectCreated(await createJson(p, { id, ...plain }))
    const body = await retrieveBody(p, id, { ctx: null })
    expect(body.almostFull).toBeTruthy()
  })
  it('001_05_02 JSON content without Link, retrieved with context: ngsi-ld: compact IRI', async () => {
    const id = newBuildingId()
    expectCreated(await createJson(p, { id, ...plain }))
    const body = await retrieveBody(p, id, { accept: JSON_CT })
    expect(body['ngsi-ld:default-context/almostFull']).toBeTruthy()
  })
  it('001_06_01 JSON content type with @context in the body → BadRequestData', async () => {
    const r = await p.broker.request('POST', '/entities/', {
      headers: { 'content-type': JSON_CT },
      body: withCtx(p.ctx, { id: newBuildingId(), ...plain }),
    })
    expectProblem(r, 400, 'BadRequestData')
  })
  it('001_07_01 JSON-LD content: @context from the body, retrieved with it', async () => {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, ...plain }))
    expect((await retrieveBody(p, id)).almostFull).toBeTruthy()
  })
  it('001_07_02 JSON-LD content: retrieved without context gives the full IRI', async () => {
    const id = newBuildingId()
    expectCreated(await createLd(p, { id, ...plain }))
    expect((await retrieveBody(p, id, { ctx: null }))[`${SUITE_NS}almostFull`]).toBeTruthy()
  })
  it('001_08_01 JSON-LD content type without @context → BadRequestData', async () => {
    const r = await p.broker.request('POST', '/entities/', {
      headers: { 'content-type': LD },
      body: { id: newBuildingId(), ...plain },
    })
    expectProblem(r, 400, 'BadRequestData')
  })
  it('001_09_01 JSON-LD content type with a Link header → BadRequestData', async () => {
    const r = await p.broker.request('POST', '/entities/', {
      headers: {
        'content-type': LD,
        link: `<${p.ctx}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
      },
      body: withCtx(p.ctx, { id: newBuildingId(), ...plain }),
    })
    expectProblem(r, 400, 'BadRequestData')
  })
})

it('001_10_01 EntityWithLanguageProperty', () => createScenario('language', LD))
it('001_11_01 EntityWithOneScope', () => createScenario('oneScope', JSON_CT))
it('001_11_02 EntityWithManyScopes', () => createScenario('manyScopes', JSON_CT))
it('001_12 Create Entity With observationSpace Geospatial Property', () =>
  createScenario('observationSpace', LD))
it('001_13 Create Entity With operationSpace Geospatial Property', () =>
  createScenario('operationSpace', LD))
it('001_14_01 EntityWithJsonPropertyAsObject', () => createScenario('jsonObject', LD))
it('001_14_02 EntityWithJsonPropertyAsArray', () => createScenario('jsonArray', LD))
it('001_15_01 EntityWithVocabPropertyAsString', () => createScenario('vocabString', LD))
it('001_15_02 EntityWithVocabPropertyAsArray', () => createScenario('vocabArray', LD))

/** POST an application/ld+json entity built from attributes; returns the reply. */
async function createVehicle(
  attrs: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; reply: Awaited<ReturnType<typeof createLd>> }> {
  const id = newVehicleId()
  const reply = await createLd(p, { id, type: 'Vehicle', ...extra, ...attrs })
  return { id, reply }
}

async function expectBadCreate(attrs: Record<string, unknown>): Promise<string> {
  const { id, reply } = await createVehicle(attrs)
  expectProblem(reply, 400, 'BadRequestData')
  return id
}

async function expectNotCreated(id: string): Promise<void> {
  expect((await retrieve(p, id)).status).toBe(404)
}

describe('CreateEntity 402_01 meta-model members', () => {
  it('402_01_01 Property Without Value', () => expectBadCreate({ speed: { type: 'Property' } }))
  it('402_01_02 Relationship Without Object', () =>
    expectBadCreate({ isParked: { type: 'Relationship' } }))
  it('402_01_03 Property With Bare JSON Null Value', () =>
    expectBadCreate({ speed: { type: 'Property', value: null } }))
  it('402_01_04 LanguageProperty Without LanguageMap', () =>
    expectBadCreate({ street: { type: 'LanguageProperty' } }))
})

describe('CreateEntity 404_01 core @context rules', () => {
  it('404_01_01 JSON-LD Keywords Accepted On Input And Aliased On Output', async () => {
    const id = newVehicleId()
    const r = await p.broker.request('POST', '/entities/', {
      headers: { 'content-type': LD },
      body: {
        '@id': id,
        '@type': 'Vehicle',
        speed: { type: 'Property', value: 42 },
        '@context': [p.ctx],
      },
    })
    expect(r.status, r.text).toBe(201)
    const body = await retrieveBody(p, id)
    expect(body).toHaveProperty('id')
    expect(body).toHaveProperty('type')
    expect(body).not.toHaveProperty('@id')
    expect(body).not.toHaveProperty('@type')
  })
  it('404_01_02 A User Context Cannot Redefine A Core Term', async () => {
    const id = newVehicleId()
    const r = await p.broker.request('POST', '/entities/', {
      headers: { 'content-type': LD },
      body: {
        id,
        type: 'Vehicle',
        speed: { type: 'Property', value: 42 },
        '@context': [{ Property: 'https://evil.example/Property' }, p.ctx],
      },
    })
    expect(r.status, r.text).toBe(201)
    const body = await retrieveBody(p, id)
    expect((body.speed as { type: string }).type).toBe('Property')
  })
})

describe('CreateEntity 408_01 temporal property value space', () => {
  it('408_01_01 ObservedAt Is Not A DateTime', () =>
    expectBadCreate({ speed: { type: 'Property', value: 3, observedAt: 'yesterday at noon' } }))
  it('408_01_02 ObservedAt Carries An Offset Instead Of Z', () =>
    expectBadCreate({
      speed: { type: 'Property', value: 3, observedAt: '2021-03-04T10:20:00+01:00' },
    }))
  it('408_01_03 ObservedAt Is Reified', () =>
    expectBadCreate({
      speed: {
        type: 'Property',
        value: 3,
        observedAt: { type: 'Property', value: '2021-03-04T10:20:00Z' },
      },
    }))
})

describe('CreateEntity 418_01 scope grammar', () => {
  async function withScope(scope: unknown): Promise<number> {
    const r = await createJson(p, { id: newBuildingId(), type: 'Building', scope })
    return r.status
  }
  it('418_01_01 A Level Starting With A Digit Is Rejected', async () => {
    expect(await withScope('7level')).toBe(400)
  })
  it('418_01_02 An Empty Level Is Rejected', async () => {
    expect(await withScope('/x//y')).toBe(400)
  })
  it('418_01_03 A Dash Is Not A ScopeLevelChar', async () => {
    expect(await withScope('x-y')).toBe(400)
  })
  it('418_01_04 The NGSI-LD Null Scope Cannot Be Created', async () => {
    expect(await withScope('urn:ngsi-ld:null')).toBe(400)
  })
  it('418_01_05 One Malformed Entry Poisons A Scope Array', async () => {
    expect(await withScope(['/fine', '7level'])).toBe(400)
  })
  it('418_01_06 The Clause Examples Are Accepted', async () => {
    expect(await withScope('/Brussels/Parks/Cinquantenaire')).toBe(201)
  })
})

describe('CreateEntity 451_01 forbidden attribute names and embedded contexts', () => {
  it('451_01_01 Core Non-Reified Term datasetId As Attribute Name', () =>
    expectBadCreate({ datasetId: { type: 'Property', value: 1 } }))
  it('451_01_02 Core Non-Reified Term instanceId As Attribute Name', () =>
    expectBadCreate({ instanceId: { type: 'Property', value: 1 } }))
  it('451_01_03 Core Non-Reified Term observedAt As Attribute Name', () =>
    expectBadCreate({ observedAt: { type: 'Property', value: '2021-01-01T00:00:00Z' } }))
  it('451_01_04 Embedded Context Inside An Attribute', () =>
    expectBadCreate({
      speed: { type: 'Property', value: 1, '@context': { speed: 'https://evil.example/speed' } },
    }))
})

describe('CreateEntity 451_02 entity id value space', () => {
  const codepoints: [string, number][] = [
    ['451_02_01', 0x202e],
    ['451_02_02', 0x200b],
    ['451_02_03', 0xfeff],
    ['451_02_04', 0x2028],
    ['451_02_05', 0x00a0],
    ['451_02_06', 0x003c],
    ['451_02_08', 0xfe0f],
    ['451_02_09', 0xe0100],
    ['451_02_10', 0xfdd0],
    ['451_02_11', 0xfffe],
    ['451_02_12', 0x115f],
    ['451_02_13', 0x3164],
    ['451_02_14', 0xffa0],
    ['451_02_15', 0x2800],
  ]
  async function rejectsCodepoint(cp: number): Promise<void> {
    const id = `urn:ngsi-ld:Vehicle:A${String.fromCodePoint(cp)}B`
    expectProblem(await createLd(p, { id, type: 'Vehicle' }), 400, 'BadRequestData')
  }
  const cp = (id: string): number => codepoints.find(([i]) => i === id)?.[1] ?? 0
  it('451_02_01 Right-To-Left Override In Entity Id', () => rejectsCodepoint(cp('451_02_01')))
  it('451_02_02 Zero Width Space In Entity Id', () => rejectsCodepoint(cp('451_02_02')))
  it('451_02_03 Byte Order Mark In Entity Id', () => rejectsCodepoint(cp('451_02_03')))
  it('451_02_04 Line Separator In Entity Id', () => rejectsCodepoint(cp('451_02_04')))
  it('451_02_05 No-Break Space In Entity Id', () => rejectsCodepoint(cp('451_02_05')))
  it('451_02_06 Markup Delimiter In Entity Id', () => rejectsCodepoint(cp('451_02_06')))
  it('451_02_08 Variation Selector In Entity Id', () => rejectsCodepoint(cp('451_02_08')))
  it('451_02_09 Supplementary Variation Selector In Entity Id', () =>
    rejectsCodepoint(cp('451_02_09')))
  it('451_02_10 Noncharacter In Entity Id', () => rejectsCodepoint(cp('451_02_10')))
  it('451_02_11 Plane-Trailing Noncharacter In Entity Id', () => rejectsCodepoint(cp('451_02_11')))
  it('451_02_12 Hangul Choseong Filler In Entity Id', () => rejectsCodepoint(cp('451_02_12')))
  it('451_02_13 Hangul Filler In Entity Id', () => rejectsCodepoint(cp('451_02_13')))
  it('451_02_14 Halfwidth Hangul Filler In Entity Id', () => rejectsCodepoint(cp('451_02_14')))
  it('451_02_15 Braille Pattern Blank In Entity Id', () => rejectsCodepoint(cp('451_02_15')))
  it('451_02_07 An IRI Relationship Object Is Still Accepted', async () => {
    const { reply } = await createVehicle({
      isParked: {
        type: 'Relationship',
        object: `urn:ngsi-ld:Ciudad:Le${String.fromCodePoint(0xf3)}n`,
      },
    })
    expect(reply.status, reply.text).toBe(201)
  })
})

describe('CreateEntity 452 / 453 attribute member rules', () => {
  const prop = (extra: Record<string, unknown>): Record<string, unknown> => ({
    speed: { type: 'Property', value: 1, ...extra },
  })
  it('452_01_01 Property With A Relationship Object', () =>
    expectBadCreate(prop({ object: 'urn:ngsi-ld:Other:1' })))
  it('452_01_02 Property With A LanguageMap', () =>
    expectBadCreate(prop({ languageMap: { en: 'hi' } })))
  it('452_01_03 Property With A ValueList', () => expectBadCreate(prop({ valueList: [1, 2] })))
  it('452_01_04 Property With An Output-Only previousValue', () =>
    expectBadCreate(prop({ previousValue: 0 })))
  it('452_01_05 Property With entityIdSealed Outside ngsildproof', () =>
    expectBadCreate(prop({ entityIdSealed: true })))
  it('452_01_06 Property With A Legal valueType', async () => {
    const { reply } = await createVehicle(prop({ valueType: 'xsd:double' }))
    expect(reply.status, reply.text).toBe(201)
  })

  it('452_02 Concise Creation Round-Trips To Normalized Types', async () => {
    const { id, reply } = await createVehicle({
      speed: 55,
      location: { type: 'Point', coordinates: [4.35, 50.85] },
      area: { value: { type: 'Point', coordinates: [1.5, 2.5] } },
      brandName: { value: 'Brand', observedAt: '2021-01-01T00:00:00Z' },
      isParked: { object: 'urn:ngsi-ld:OffStreetParking:7' },
    })
    expect(reply.status, reply.text).toBe(201)
    const body = (await retrieveBody(p, id)) as Record<string, Record<string, unknown>>
    expect(body.speed?.type).toBe('Property')
    expect(body.speed?.value).toBe(55)
    expect(body.location?.type).toBe('GeoProperty')
    expect(body.area?.type).toBe('GeoProperty')
    expect(body.brandName?.type).toBe('Property')
    expect(body.brandName?.observedAt).toBe('2021-01-01T00:00:00Z')
    expect(body.isParked?.type).toBe('Relationship')
  })

  it('452_03_01 Ngsildproof With Sealed Members Round-Trips', async () => {
    const proofValue = {
      type: 'DataIntegrityProof',
      created: '2024-02-01T08:00:00Z',
      verificationMethod: 'https://issuer.example/keys/1',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      proofValue: 'zSignatureValue123',
    }
    const id = newVehicleId()
    const r = await createLd(p, {
      id,
      type: 'Vehicle',
      speed: { type: 'Property', value: 55 },
      ngsildproof: {
        type: 'Property',
        entityIdSealed: id,
        entityTypeSealed: 'Vehicle',
        value: proofValue,
      },
    })
    expect(r.status, r.text).toBe(201)
    const proof = (await retrieveBody(p, id)).ngsildproof as Record<string, unknown>
    expect(proof.type).toBe('Property')
    expect(proof.entityIdSealed).toBe(id)
    expect(proof.entityTypeSealed).toBe('Vehicle')
    expect((proof.value as typeof proofValue).proofValue).toBe(proofValue.proofValue)
    expect((proof.value as typeof proofValue).cryptosuite).toBe(proofValue.cryptosuite)
  })
  it('452_03_02 Sealed Members Outside Ngsildproof Are Rejected', async () => {
    const id = newVehicleId()
    const r = await createLd(p, {
      id,
      type: 'Vehicle',
      speed: { type: 'Property', value: 1, entityIdSealed: id },
    })
    expectProblem(r, 400, 'BadRequestData')
    await expectNotCreated(id)
  })
  it('452_03_03 A Non-Object Proof Value Is Rejected', async () => {
    const id = newVehicleId()
    const r1 = await createLd(p, {
      id,
      type: 'Vehicle',
      ngsildproof: { type: 'Property', value: 'not-an-object' },
    })
    expect(r1.status).toBe(400)
    const r2 = await createLd(p, {
      id,
      type: 'Vehicle',
      ngsildproof: {
        type: 'Property',
        value: { type: 'DataIntegrityProof' },
        entityTypeSealed: 42,
      },
    })
    expect(r2.status).toBe(400)
    await expectNotCreated(id)
  })

  const rel = (extra: Record<string, unknown>): Record<string, unknown> => ({
    isParked: { type: 'Relationship', object: 'urn:ngsi-ld:OffStreetParking:7', ...extra },
  })
  it('453_01_01 Relationship With unitCode', () => expectBadCreate(rel({ unitCode: 'MTR' })))
  it('453_01_02 Relationship With A Property Value', () => expectBadCreate(rel({ value: 42 })))
  it('453_01_03 Relationship With A LanguageMap', () =>
    expectBadCreate(rel({ languageMap: { en: 'hi' } })))
  it('453_01_04 Relationship With An Output-Only previousObject', () =>
    expectBadCreate(rel({ previousObject: 'urn:ngsi-ld:Other:0' })))
  it('453_01_05 Relationship With A Legal objectType', async () => {
    const { reply } = await createVehicle(rel({ objectType: 'OffStreetParking' }))
    expect(reply.status, reply.text).toBe(201)
  })
})

describe('CreateEntity 455_01 datasetId rules', () => {
  it('455_01_01 Explicit @none DatasetId Is The Default Instance', async () => {
    const { id, reply } = await createVehicle({
      speed: [
        { type: 'Property', value: 55, datasetId: '@none' },
        { type: 'Property', value: 11, datasetId: 'urn:ngsi-ld:Dataset:gps' },
      ],
    })
    expect(reply.status, reply.text).toBe(201)
    const speed = (await retrieveBody(p, id)).speed
    const instances = (Array.isArray(speed) ? speed : [speed]) as Record<string, unknown>[]
    expect(instances).toHaveLength(2)
    const defaults = instances.filter((i) => !('datasetId' in i))
    expect(defaults).toHaveLength(1)
    expect(defaults[0]?.value).toBe(55)
    expect(instances.filter((i) => i.datasetId === '@none')).toEqual([])
  })
  it('455_01_02 Two Default Instances Are Rejected', () =>
    expectBadCreate({
      speed: [
        { type: 'Property', value: 55 },
        { type: 'Property', value: 11, datasetId: '@none' },
      ],
    }))
  it('455_01_03 Duplicate DatasetId Is Rejected', () =>
    expectBadCreate({
      speed: [
        { type: 'Property', value: 55, datasetId: 'urn:ngsi-ld:Dataset:a' },
        { type: 'Property', value: 11, datasetId: 'urn:ngsi-ld:Dataset:a' },
      ],
    }))
})

describe('CreateEntity 46x value spaces', () => {
  it('461_01_01 UTF-8 Content Round-Trips Byte-Exact', async () => {
    const text = 'Zürich — Øresund – 42 €'
    const { id, reply } = await createVehicle({ brandName: { type: 'Property', value: text } })
    expect(reply.status, reply.text).toBe(201)
    const r = await retrieve(p, id)
    expect((r.body as { brandName: { value: string } }).brandName.value).toBe(text)
    expect(r.text).not.toContain('\uFFFD')
  })
  it('462_01_01 Attribute Name With Invalid Characters Is Rejected', async () => {
    const id = await expectBadCreate({ 'bad name': { type: 'Property', value: 1 } })
    await expectNotCreated(id)
  })
  it('462_01_02 Entity Type Starting With A Digit Is Rejected', async () => {
    const r = await createLd(p, { id: newVehicleId(), type: '7Vehicle' })
    expectProblem(r, 400, 'BadRequestData')
  })
  it('462_01_03 Unicode Letter Names Are Accepted', async () => {
    const id = newVehicleId()
    const r = await createLd(p, {
      id,
      type: 'Ćwiczenie',
      wysokość_2: { type: 'Property', value: 9 },
    })
    expect(r.status, r.text).toBe(201)
    const body = await retrieveBody(p, id)
    expect((body.wysokość_2 as { value: number }).value).toBe(9)
  })
  it('463_01_01 GeometryCollection Value Is Rejected', async () => {
    const id = await expectBadCreate({
      location: {
        type: 'GeoProperty',
        value: {
          type: 'GeometryCollection',
          geometries: [{ type: 'Point', coordinates: [4.3, 50.8] }],
        },
      },
    })
    await expectNotCreated(id)
  })
  it('463_01_02 Point Geometry Round-Trips', async () => {
    const { id, reply } = await createVehicle({
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [4.3, 50.8] } },
    })
    expect(reply.status, reply.text).toBe(201)
    const r = await retrieve(p, id)
    expect((r.body as { location: { value: { type: string } } }).location.value.type).toBe('Point')
    expect(r.text).not.toContain('GeometryCollection')
  })
  it('463_01_03 ObservedAt With A UTC Offset Is Rejected', () =>
    expectBadCreate({
      speed: { type: 'Property', value: 3, observedAt: '2024-06-01T12:00:00+02:00' },
    }))
  it('464_01_01 Script-Injection Characters Round-Trip Verbatim', async () => {
    const text = `<b onclick="x()">'hi'</b> = ; ( )`
    const { id, reply } = await createVehicle({ note: { type: 'Property', value: text } })
    expect(reply.status, reply.text).toBe(201)
    const r = await retrieve(p, id)
    expect((r.body as { note: { value: string } }).note.value).toBe(text)
    expect(r.text).not.toContain('&lt;')
    expect(r.text).not.toContain('\\u003c')
  })
  it('465_01_01 String And Array-Of-Strings Values Round-Trip', async () => {
    const languageMap = { de: 'Schule', en: ['school', 'college'], '@none': 'fallback' }
    const { id, reply } = await createVehicle({
      brandName: { type: 'LanguageProperty', languageMap },
    })
    expect(reply.status, reply.text).toBe(201)
    const r = await retrieve(p, id)
    expect((r.body as { brandName: { languageMap: unknown } }).brandName.languageMap).toEqual(
      languageMap,
    )
    expect(r.text).not.toContain('urn:ngsi-ld:null')
  })
  it('465_01_02 LanguageMap Null Encoding Is Rejected On Create', async () => {
    const id = await expectBadCreate({
      brandName: { type: 'LanguageProperty', languageMap: { '@none': 'urn:ngsi-ld:null' } },
    })
    await expectNotCreated(id)
  })
  it('465_01_03 Non-String LanguageMap Value Is Rejected', () =>
    expectBadCreate({ brandName: { type: 'LanguageProperty', languageMap: { en: 5 } } }))
})

describe('CreateEntity 4522 / 4524 list and JSON properties', () => {
  it('4522_01_02 Non-URI ObjectList Entry Is Rejected', () =>
    expectBadCreate({ route: { type: 'ListRelationship', objectList: ['no uri here'] } }))
  it('4522_01_03 ListProperty With A Value Member Is Rejected', () =>
    expectBadCreate({ tyreTreadDepths: { type: 'ListProperty', valueList: [1.5], value: 2 } }))
  it('4524_01_01 Concise JsonProperty Is Inferred And Json Kept Verbatim', async () => {
    const json = { speed: 9, brandName: 'y', type: 'raw' }
    const { id, reply } = await createVehicle({ tickets: { json } })
    expect(reply.status, reply.text).toBe(201)
    const tickets = (await retrieveBody(p, id)).tickets as Record<string, unknown>
    expect(tickets.type).toBe('JsonProperty')
    expect(tickets.json).toEqual(json)
    expect(tickets).not.toHaveProperty('value')
    expect(tickets).not.toHaveProperty('unitCode')
  })
  it('4524_01_02 JsonProperty With UnitCode Is Rejected', () =>
    expectBadCreate({ tickets: { type: 'JsonProperty', json: { a: 1 }, unitCode: 'MTR' } }))
  it('4524_01_03 JsonProperty With A Value Member Is Rejected', () =>
    expectBadCreate({ tickets: { type: 'JsonProperty', json: { a: 1 }, value: 1 } }))
  it('4524_01_04 Scalar Json Member Is Rejected', () =>
    expectBadCreate({ tickets: { type: 'JsonProperty', json: 5 } }))
})

describe('CreateEntity 471_01 geospatial properties', () => {
  it('471_01_01 String-Encoded Geometry Is Accepted And Normalized', async () => {
    const { id, reply } = await createVehicle({
      location: { type: 'GeoProperty', value: '{"type": "Point", "coordinates": [4.3, 50.8]}' },
    })
    expect(reply.status, reply.text).toBe(201)
    const location = (await retrieveBody(p, id)).location as { value: unknown }
    expect(location.value).toEqual({ type: 'Point', coordinates: [4.3, 50.8] })
  })
  it('471_01_02 Unparseable String Geometry Is Rejected', async () => {
    const id = await expectBadCreate({ location: { type: 'GeoProperty', value: 'nowhere' } })
    await expectNotCreated(id)
  })
  it('471_01_03 Location As A Plain Property Is Rejected', () =>
    expectBadCreate({ location: { type: 'Property', value: 7 } }))
})

describe('CreateEntity 521_01 / 5232_01 null and LanguageProperty rules (JSON content)', () => {
  async function createProbe(probe: unknown): Promise<Awaited<ReturnType<typeof createJson>>> {
    return createJson(p, { id: newBuildingId(), type: 'Building', probe })
  }
  it('521_01_01 A Null Property Value Cannot Be Created', async () => {
    expectProblem(
      await createProbe({ type: 'Property', value: 'urn:ngsi-ld:null' }),
      400,
      'BadRequestData',
    )
  })
  it('521_01_02 A Null Relationship Object Cannot Be Created', async () => {
    expectProblem(
      await createProbe({ type: 'Relationship', object: 'urn:ngsi-ld:null' }),
      400,
      'BadRequestData',
    )
  })
  it('521_01_03 A Null Sub-Attribute Value Cannot Be Created', async () => {
    const probe = {
      type: 'Property',
      value: 1,
      sub: { type: 'Property', value: 'urn:ngsi-ld:null' },
    }
    expectProblem(await createProbe(probe), 400, 'BadRequestData')
  })
  it('5232_01_01 A Conformant LanguageProperty With ValueType LangString Is Created', async () => {
    const r = await createProbe({
      type: 'LanguageProperty',
      languageMap: { en: 'hi', de: ['hallo', 'servus'] },
      valueType: 'langString',
    })
    expect(r.status, r.text).toBe(201)
  })
  it('5232_01_02 A ValueType Other Than LangString Is Rejected', async () => {
    const r = await createProbe({
      type: 'LanguageProperty',
      languageMap: { en: 'x' },
      valueType: 'xsd:string',
    })
    expectProblem(r, 400, 'BadRequestData')
  })
  it('5232_01_03 A Non-String LanguageMap Value Is Rejected', async () => {
    expectProblem(
      await createProbe({ type: 'LanguageProperty', languageMap: { en: 5 } }),
      400,
      'BadRequestData',
    )
  })
  it('5232_01_04 A Mixed-Type Array Value Is Rejected', async () => {
    expectProblem(
      await createProbe({ type: 'LanguageProperty', languageMap: { en: ['a', 5] } }),
      400,
      'BadRequestData',
    )
  })
  it('5232_01_05 An Empty Language Tag Is Rejected', async () => {
    expectProblem(
      await createProbe({ type: 'LanguageProperty', languageMap: { '': 'x' } }),
      400,
      'BadRequestData',
    )
  })
  it('5232_01_06 A LanguageProperty Without LanguageMap Is Rejected', async () => {
    expectProblem(await createProbe({ type: 'LanguageProperty' }), 400, 'BadRequestData')
  })
})

describe('CreateEntity 554_01 NGSI-LD null and JSON validity', () => {
  it('554_01_01 First-Level Null Member Value Rejected On Create', async () => {
    const id = await expectBadCreate({ scope: 'urn:ngsi-ld:null' })
    await expectNotCreated(id)
    const r = await createLd(p, { id: 'urn:ngsi-ld:null', type: 'Vehicle' })
    expect(r.status).toBe(400)
  })
  it('554_01_02 Null Inside Compound Property Value Rejected On Create', async () => {
    const id = await expectBadCreate({
      address: { type: 'Property', value: { country: 'urn:ngsi-ld:null' } },
    })
    const r = await createLd(p, {
      id,
      type: 'Vehicle',
      address: { type: 'Property', value: { geo: { country: 'urn:ngsi-ld:null' } } },
    })
    expect(r.status).toBe(400)
    await expectNotCreated(id)
  })
  it('554_01_03 Null Inside Compound Value Rejected On Partial Update', async () => {
    const { id, reply } = await createVehicle({
      address: { type: 'Property', value: { street: 'Rue Haute', country: 'Belgium' } },
    })
    expect(reply.status, reply.text).toBe(201)
    const r = await p.broker.request('PATCH', `/entities/${id}/attrs/address`, {
      headers: { 'content-type': LD },
      body: withCtx(p.ctx, { value: { country: 'urn:ngsi-ld:null' } }),
    })
    expect(r.status, r.text).toBe(400)
    const after = await retrieve(p, id)
    expect((after.body as { address: { value: { country: string } } }).address.value.country).toBe(
      'Belgium',
    )
    expect(after.text).not.toContain('urn:ngsi-ld:null')
  })
  it('554_01_04 Merge Fragment Null Removes Key Inside Compound Value', async () => {
    const { id, reply } = await createVehicle({
      address: {
        type: 'Property',
        value: { street: 'Rue Haute', city: 'Brussels', country: 'Belgium' },
      },
    })
    expect(reply.status, reply.text).toBe(201)
    const r = await p.broker.request('PATCH', `/entities/${id}`, {
      headers: { 'content-type': LD },
      body: withCtx(p.ctx, {
        address: { type: 'Property', value: { street: 'Rue Neuve', country: 'urn:ngsi-ld:null' } },
      }),
    })
    expect(r.status, r.text).toBe(204)
    const after = await retrieve(p, id)
    const value = (after.body as { address: { value: Record<string, unknown> } }).address.value
    expect(value.street).toBe('Rue Neuve')
    expect(value.city).toBe('Brussels')
    expect(value).not.toHaveProperty('country')
    expect(after.text).not.toContain('urn:ngsi-ld:null')
  })
  it('554_01_05 Payload That Is Not Valid JSON Is InvalidRequest', async () => {
    const r = await p.broker.request('POST', '/entities/', {
      headers: { 'content-type': LD },
      body: '{"id": "urn:ngsi-ld:Vehicle:broken", "type":',
    })
    expectProblem(r, 400, 'InvalidRequest')
  })
})

describe('CreateEntity 555_01 / 557_01 default and per-request @context', () => {
  it('555_01_01 No-Context Input Is Assigned The Core Context', async () => {
    const id = newVehicleId()
    const c = await createJson(p, {
      id,
      type: 'Vehicle',
      temperature: { type: 'Property', value: 21 },
    })
    expect(c.status, c.text).toBe(201)
    const r = await retrieve(p, id, { ctx: null, accept: LD })
    expect(r.status).toBe(200)
    const body = r.body as { '@context': unknown; temperature: { value: number } }
    expect(JSON.stringify(body['@context'])).toContain('ngsi-ld-core-context')
    expect(body.temperature.value).toBe(21)
    expect(r.text).not.toContain('default-context/temperature')
  })
  it('555_01_02 Core Terms Resolve Without Any User Context', async () => {
    const id = newVehicleId()
    const c = await createJson(p, {
      id,
      type: 'Vehicle',
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [4.3, 50.8] } },
    })
    expect(c.status, c.text).toBe(201)
    const r = await retrieve(p, id, { ctx: null, accept: LD })
    expect((r.body as { location: { type: string } }).location.type).toBe('GeoProperty')
    expect(r.text).not.toContain('default-context/location')
  })
  it('557_01_01 Scoped Context In User Context Is Rejected', async () => {
    const id = newVehicleId()
    const r = await p.broker.request('POST', '/entities/', {
      headers: { 'content-type': LD },
      body: {
        id,
        type: 'Vehicle',
        '@context': [
          {
            Vehicle: {
              '@id': 'https://example.org/Vehicle',
              '@context': { speed: 'https://example.org/hidden-speed' },
            },
          },
        ],
      },
    })
    expectProblem(r, 400, 'BadRequestData')
    expect((await retrieve(p, id, { ctx: null })).status).toBe(404)
  })
  it('557_01_02 Query Uses The Context Of Each Request', async () => {
    const id = newVehicleId()
    // a tenant of its own, so the query sees only this test's entity
    const tenant = `t557${Date.now().toString(36)}`
    const created = await p.broker.request('POST', '/entities/', {
      headers: { 'content-type': LD },
      body: withCtx(p.ctx, { id, type: 'Vehicle' }),
      tenant,
    })
    expect(created.status).toBe(201)
    const withLink = await p.broker.request('GET', '/entities?type=Vehicle', {
      headers: {
        link: `<${p.ctx}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
      },
      tenant,
    })
    expect(withLink.status).toBe(200)
    expect((withLink.body as { id: string }[]).map((e) => e.id)).toContain(id)
    const without = await p.broker.request('GET', '/entities?type=Vehicle', { tenant })
    expect(without.status).toBe(200)
    expect((without.body as { id: string }[]).map((e) => e.id)).not.toContain(id)
  })
  it('557_01_03 Unmatched URI Compacts To The Fully Qualified Name', async () => {
    const id = newVehicleId()
    expect((await createLd(p, { id, type: 'Vehicle' })).status).toBe(201)
    expect((await retrieveBody(p, id, { ctx: null })).type).toBe(`${SUITE_NS}Vehicle`)
  })
})
