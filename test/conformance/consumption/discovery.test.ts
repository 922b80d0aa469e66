/**
 * ETSI GS CIM 014 Discovery (TP/NGSI-LD/ContextInformation/Consumption/Discovery) re-stated
 * against the built `civitas start`: GET /types, /types/{type}, /attributes, /attributes/{attrId}.
 * The official cases compare whole lists, so each runs in its own tenant.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { uniqueUrn, type Reply } from '../support/broker.js'
import {
  buildingSimple,
  createEntity,
  expectMatches,
  expectProblem,
  link,
  NS,
  uniqueTenant,
  vehicleSimple,
  useTestContexts,
} from './suite-helpers.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const contexts = useTestContexts(broker)

function get(tenant: string, path: string, withContext: boolean): Promise<Reply> {
  return broker.request('GET', path, {
    tenant,
    ...(withContext && { headers: { link: link(contexts.compound) } }),
  })
}

/** A tenant holding one building-simple-attributes Building and (optionally) one Vehicle. */
async function tenantWith(vehicle: boolean, buildings = 1): Promise<string> {
  const t = uniqueTenant('disc')
  for (let i = 0; i < buildings; i++)
    await createEntity(broker, buildingSimple(uniqueUrn('Building')), {
      context: contexts.compound,
      as: 'json',
      tenant: t,
    })
  if (vehicle)
    await createEntity(broker, vehicleSimple(uniqueUrn('Vehicle')), {
      context: contexts.compound,
      as: 'json',
      tenant: t,
    })
  return t
}

const BUILDING_ATTRS = ['name', 'subCategory', 'airQualityLevel', 'almostFull']

describe('TP 022_01 retrieve available entity types', () => {
  it('022_01_01 without a context the type list holds full IRIs', async () => {
    const r = await get(await tenantWith(true), '/types', false)
    expect(r.status).toBe(200)
    expectMatches({ type: 'EntityTypeList', typeList: [`${NS}Building`, `${NS}Vehicle`] }, r.body, {
      ignore: ['id'],
    })
  })

  it('022_01_02 with the context the type list holds short names', async () => {
    const r = await get(await tenantWith(true), '/types', true)
    expect(r.status).toBe(200)
    expectMatches({ type: 'EntityTypeList', typeList: ['Building', 'Vehicle'] }, r.body, {
      ignore: ['id'],
    })
  })
})

describe('TP 023_01 retrieve details of available entity types', () => {
  it('023_01_01 without a context the details hold full IRIs', async () => {
    const r = await get(await tenantWith(true), '/types?details=true', false)
    expect(r.status).toBe(200)
    expectMatches(
      [
        {
          id: `${NS}Building`,
          type: 'EntityType',
          typeName: `${NS}Building`,
          attributeNames: BUILDING_ATTRS.map((a) => `${NS}${a}`),
        },
        {
          id: `${NS}Vehicle`,
          type: 'EntityType',
          typeName: `${NS}Vehicle`,
          attributeNames: [`${NS}brandName`, 'isParked'],
        },
      ],
      r.body,
    )
  })

  it('023_01_02 with the context the details hold short names', async () => {
    const r = await get(await tenantWith(true), '/types?details=true', true)
    expect(r.status).toBe(200)
    expectMatches(
      [
        {
          id: `${NS}Building`,
          type: 'EntityType',
          typeName: 'Building',
          attributeNames: BUILDING_ATTRS,
        },
        {
          id: `${NS}Vehicle`,
          type: 'EntityType',
          typeName: 'Vehicle',
          attributeNames: ['brandName', 'isParked'],
        },
      ],
      r.body,
    )
  })
})

describe('TP 024 retrieve entity type information', () => {
  let t: string
  beforeAll(async () => {
    t = await tenantWith(false, 2)
  })

  it('024_01_01 a short type name without the context names no known type: 404', async () => {
    expectProblem(await get(t, '/types/Building', false), 404, 'ResourceNotFound')
  })

  const info = {
    id: `${NS}Building`,
    type: 'EntityTypeInfo',
    typeName: 'Building',
    entityCount: 2,
    attributeDetails: BUILDING_ATTRS.map((a) => ({
      id: `${NS}${a}`,
      type: 'Attribute',
      attributeName: a,
      attributeTypes: ['Property'],
    })),
  }
  it('024_02_01 a short type name with the context', async () => {
    const r = await get(t, '/types/Building', true)
    expect(r.status).toBe(200)
    expectMatches(info, r.body)
  })
  it('024_02_02 an expanded, percent-encoded type name', async () => {
    const r = await get(t, `/types/${encodeURIComponent(`${NS}Building`)}`, true)
    expect(r.status).toBe(200)
    expectMatches(info, r.body)
  })
})

describe('TP 025_01/026_01 retrieve available attributes', () => {
  it('025_01_01 without a context the attribute list holds full IRIs', async () => {
    const r = await get(await tenantWith(false), '/attributes', false)
    expect(r.status).toBe(200)
    expectMatches(
      { type: 'AttributeList', attributeList: BUILDING_ATTRS.map((a) => `${NS}${a}`) },
      r.body,
      { ignore: ['id'] },
    )
  })

  it('025_01_02 with the context the attribute list holds short names', async () => {
    const r = await get(await tenantWith(false), '/attributes', true)
    expect(r.status).toBe(200)
    expectMatches({ type: 'AttributeList', attributeList: BUILDING_ATTRS }, r.body, {
      ignore: ['id'],
    })
  })

  it('026_01_01 details without a context hold full IRIs', async () => {
    const r = await get(await tenantWith(false), '/attributes?details=true', false)
    expect(r.status).toBe(200)
    expectMatches(
      BUILDING_ATTRS.map((a) => ({
        id: `${NS}${a}`,
        type: 'Attribute',
        attributeName: `${NS}${a}`,
        typeNames: [`${NS}Building`],
      })),
      r.body,
    )
  })

  it('026_01_02 details with the context hold short names', async () => {
    const r = await get(await tenantWith(false), '/attributes?details=true', true)
    expect(r.status).toBe(200)
    expectMatches(
      BUILDING_ATTRS.map((a) => ({
        id: `${NS}${a}`,
        type: 'Attribute',
        attributeName: a,
        typeNames: ['Building'],
      })),
      r.body,
    )
  })
})

describe('TP 027 retrieve attribute information', () => {
  let t: string
  beforeAll(async () => {
    t = await tenantWith(false)
  })
  const attribute = {
    id: `${NS}airQualityLevel`,
    type: 'Attribute',
    attributeName: 'airQualityLevel',
    attributeCount: 1,
    attributeTypes: ['Property'],
    typeNames: ['Building'],
  }

  it('027_01_01 a short attribute name without the context names no known attribute: 404', async () => {
    expectProblem(await get(t, '/attributes/airQualityLevel', false), 404, 'ResourceNotFound')
  })
  it('027_02_01 a short attribute name with the context', async () => {
    const r = await get(t, '/attributes/airQualityLevel', true)
    expect(r.status).toBe(200)
    expectMatches(attribute, r.body)
  })
  it('027_02_02 an expanded, percent-encoded attribute name', async () => {
    const r = await get(t, `/attributes/${encodeURIComponent(`${NS}airQualityLevel`)}`, true)
    expect(r.status).toBe(200)
    expectMatches(attribute, r.body)
  })
})

describe('TP 5710_01/577_01 discovery edges', () => {
  let t: string
  beforeAll(async () => {
    t = await tenantWith(false)
  })

  it('5710_01_01 an attribute no entity carries is 404 ResourceNotFound', async () => {
    const r = await get(t, `/attributes/noSuchAttribute${Date.now()}`, true)
    expectProblem(r, 404, 'ResourceNotFound')
  })

  it('5710_01_02 entity members and system attributes are not discoverable attributes', async () => {
    const r = await get(t, '/attributes', true)
    expect(r.status).toBe(200)
    const list = (r.body as { attributeList: string[] }).attributeList
    for (const member of ['id', 'type', 'scope', 'createdAt', 'modifiedAt', 'deletedAt']) {
      expect(list).not.toContain(member)
      expect((await get(t, `/attributes/${member}`, true)).status).toBe(404)
    }
  })

  it('5710_01_03 undefined URL parameters on /attributes answer 400 InvalidRequest', async () => {
    for (const path of ['/attributes?limit=5', '/attributes/temperature?details=true']) {
      const r = await get(t, path, false)
      expect(r.status).toBe(400)
      expect((r.body as { type: string }).type).toBe(
        'https://uri.etsi.org/ngsi-ld/errors/InvalidRequest',
      )
    }
  })

  it('577_01_01 an entity type no instance uses is 404 ResourceNotFound', async () => {
    expectProblem(await get(t, `/types/NoSuchType${Date.now()}`, true), 404, 'ResourceNotFound')
  })

  it('577_01_02 an undefined URL parameter on /types/{type} answers 400 InvalidRequest', async () => {
    const r = await get(t, '/types/Building?details=true', false)
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/InvalidRequest',
    )
  })

  it('577_01_03 entity types are scoped to the tenant of the request', async () => {
    const [a, b] = [uniqueTenant('tp577a'), uniqueTenant('tp577b')]
    const typeA = `TenantAType${Date.now()}`
    for (const [tenant, type] of [
      [a, typeA],
      [b, 'Building'],
    ] as const) {
      const r = await broker.request('POST', '/entities', {
        body: { id: uniqueUrn('Building'), type },
        tenant,
      })
      expect(r.status).toBe(201)
    }
    const listA = await broker.request('GET', '/types', { tenant: a })
    expect(listA.status).toBe(200)
    expect((listA.body as { typeList: string[] }).typeList).toContain(typeA)
    const listB = await broker.request('GET', '/types', { tenant: b })
    expect(listB.status).toBe(200)
    expect((listB.body as { typeList: string[] }).typeList).not.toContain(typeA)
    expectProblem(
      await broker.request('GET', `/types/${typeA}`, { tenant: b }),
      404,
      'ResourceNotFound',
    )
  })
})
