/**
 * ETSI GS CIM 014 Query Entities (TP/NGSI-LD/ContextInformation/Consumption/Entity/QueryEntities)
 * re-stated against the built `civitas start`: GET /entities and POST /entityOperations/query with
 * ids, types, idPattern, attrs, q, scopeQ, geoqueries, representations, count, limit, datasetId,
 * pick/omit and the query-language rules. Each group runs in its own tenant so counts are exact.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { CORE_CONTEXT, uniqueUrn, type Reply } from '../support/broker.js'
import {
  buildingMinimal,
  buildingSimple,
  createEntity,
  expectMatches,
  expectProblem,
  link,
  NS,
  parkingSimple,
  qs,
  uniqueTenant,
  vehicleSimple,
  DEFAULT_NS,
  useTestContexts,
} from './suite-helpers.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const contexts = useTestContexts(broker)

type Params = Record<string, string | undefined>

/** vehicle-simple-attributes' brandName and isParked as the core context alone renders them. */
const expandedVehicle = (id: string) => ({
  id,
  type: `${NS}Vehicle`,
  [`${NS}brandName`]: { type: 'Property', value: 'Mercedes' },
  isParked: {
    type: 'Relationship',
    object: 'urn:ngsi-ld:OffStreetParking:Downtown1',
    observedAt: '2017-07-29T12:00:04Z',
    providedBy: { type: 'Relationship', object: 'urn:ngsi-ld:Person:Bob' },
  },
})

function query(
  tenant: string,
  params: Params,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return broker.request('GET', `/entities${qs(params)}`, { headers, tenant })
}

function postQuery(
  tenant: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  params: Params = {},
): Promise<Reply> {
  return broker.request('POST', `/entityOperations/query${qs(params)}`, {
    body: { type: 'Query', ...body },
    headers: { 'content-type': 'application/json', ...headers },
    tenant,
  })
}

const withLink = () => ({ link: link(contexts.compound) })

async function make(tenant: string, entities: Record<string, unknown>[]): Promise<void> {
  for (const e of entities) await createEntity(broker, e, { context: [contexts.compound], tenant })
}

function count(r: Reply): string | null {
  return r.headers.get('ngsild-results-count')
}

/** The building-minimal entity as JSON without a Link renders it: the type as a full IRI. */
const minimalExpanded = (id: string) => ({ id, type: `${NS}Building` })

describe('TP 019_01 query by ids, types, idPattern, attrs, geoquery and scopes', () => {
  it('019_01_01 ids and a type return exactly those entities', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building'), uniqueUrn('Building')]
    await make(t, ids.map(buildingMinimal))
    const r = await query(t, { id: `${ids[0]},${ids[1]}`, type: `${NS}Building` })
    expect(r.status).toBe(200)
    expectMatches([minimalExpanded(ids[0]!), minimalExpanded(ids[1]!)], r.body)
  })

  it('019_01_02 two types return the entities of both', async () => {
    const t = uniqueTenant()
    const [b, v, p] = [uniqueUrn('Building'), uniqueUrn('Vehicle'), uniqueUrn('OffStreetParking')]
    await make(t, [buildingMinimal(b), vehicleSimple(v), parkingSimple(p)])
    const r = await query(
      t,
      { type: `${NS}Vehicle,${NS}OffStreetParking` },
      { accept: 'application/ld+json' },
    )
    expect(r.status).toBe(200)
    expectMatches(
      [
        { ...expandedVehicle(v), '@context': [CORE_CONTEXT] },
        {
          id: p,
          type: `${NS}OffStreetParking`,
          [`${NS}availableSpotNumber`]: { type: 'Property', value: 121 },
          [`${NS}totalSpotNumber`]: { type: 'Property', value: 200 },
          location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [-8.5, 41.2] } },
          '@context': [CORE_CONTEXT],
        },
      ],
      r.body,
      { anyCoreContext: true },
    )
  })

  it('019_01_03 an idPattern and a type return the matching entities', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building')]
    await make(t, ids.map(buildingMinimal))
    const r = await query(t, { idPattern: 'urn:ngsi-ld:Building:.*', type: `${NS}Building` })
    expect(r.status).toBe(200)
    expectMatches(ids.map(minimalExpanded), r.body)
  })

  it('019_01_04 attrs returns the entities that have them, with only those attributes', async () => {
    const t = uniqueTenant()
    const [a, b] = [uniqueUrn('Building'), uniqueUrn('Building')]
    await make(t, [buildingSimple(a), buildingMinimal(b)])
    const r = await query(t, { attrs: `${NS}airQualityLevel,${NS}subCategory` })
    expect(r.status).toBe(200)
    expectMatches(
      [
        {
          id: a,
          type: `${NS}Building`,
          [`${NS}airQualityLevel`]: {
            type: 'Property',
            value: 4,
            unitCode: 'C62',
            observedAt: '2020-09-09T16:40:00.000Z',
          },
          [`${NS}subCategory`]: { type: 'Property', value: 'tourism' },
        },
      ],
      r.body,
    )
  })

  it('019_01_05 georel=equals on a Point returns the entities located there', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building')]
    const location = {
      type: 'GeoProperty',
      value: { type: 'Point', coordinates: [13.3986, 52.5547] },
    }
    await make(
      t,
      ids.map((id) => ({
        id,
        type: 'Building',
        name: { type: 'Property', value: 'Eiffel Tower' },
        location,
      })),
    )
    const r = await query(
      t,
      {
        type: `${NS}Building`,
        georel: 'equals',
        geometry: 'Point',
        coordinates: '[13.3986, 52.5547]',
      },
      { accept: 'application/ld+json' },
    )
    expect(r.status).toBe(200)
    expectMatches(
      ids.map((id) => ({
        id,
        type: `${NS}Building`,
        [`${NS}name`]: { type: 'Property', value: 'Eiffel Tower' },
        location,
        '@context': [CORE_CONTEXT],
      })),
      r.body,
      { anyCoreContext: true },
    )
  })

  describe('scopes', () => {
    const t = uniqueTenant('scope')
    beforeAll(async () => {
      for (const scope of [
        '/Madrid/Gardens/ParqueNorte',
        ['/Madrid/Gardens/ParqueNorte', '/CompanyA/OrganizationB/UnitC'],
      ]) {
        await createEntity(
          broker,
          { id: uniqueUrn('Building'), type: 'Building', scope },
          { context: contexts.compound, as: 'json', tenant: t },
        )
      }
    })
    const check = async (scopeQ: string, n: number) => {
      const r = await query(t, { scopeQ, type: `${NS}Building` })
      expect(r.status).toBe(200)
      const body = r.body as { type: string }[]
      expect(body).toHaveLength(n)
      for (const e of body) expect(e.type).toBe(`${NS}Building`)
    }
    it('019_01_06 scopeQ full scope, +, #, /#, AND and OR match the expected entities', async () => {
      await check('/Madrid/Gardens/ParqueNorte', 2)
      await check('/Madrid/+/ParqueNorte', 2)
      await check('/CompanyA/#', 1)
      await check('/#', 2)
      await check('/Madrid/Gardens/ParqueNorte;/CompanyA/OrganizationB/UnitC', 1)
      await check('/Madrid/Gardens/ParqueNorte,/CompanyA/OrganizationB/UnitC', 2)
    })
    it('019_34_01 a parenthesised conjunction selects only the entity with both scopes', () =>
      check('(/Madrid/Gardens/ParqueNorte;/CompanyA/OrganizationB/UnitC)', 1))
    it('019_34_02 | is the or operator over a grouped conjunction', () =>
      check(
        '(/Madrid/Gardens/ParqueNorte;/CompanyA/OrganizationB/UnitC)|/Madrid/Gardens/ParqueNorte',
        2,
      ))
    it('019_34_03 | is equivalent to , between plain scopes', () =>
      check('/CompanyA/OrganizationB/UnitC|/Nowhere/AtAll', 1))
    it('019_34_04 a conjunction fails unless every scope matches', () =>
      check('(/Madrid/Gardens/ParqueNorte;/Nowhere/AtAll)', 0))
  })
})

describe('TP 019_02 query via POST', () => {
  it('019_02_01 an entity selector with id and type returns that entity', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building'), uniqueUrn('Building')]
    await make(t, ids.map(buildingMinimal))
    const r = await postQuery(t, { entities: [{ id: ids[0], type: `${NS}Building` }] })
    expect(r.status).toBe(200)
    expectMatches([minimalExpanded(ids[0]!)], r.body)
  })

  it('019_02_02 an entity selector with a type returns the entities of that type', async () => {
    const t = uniqueTenant()
    const [b, v1, v2] = [uniqueUrn('Building'), uniqueUrn('Vehicle'), uniqueUrn('Vehicle')]
    await make(t, [buildingMinimal(b), vehicleSimple(v1), vehicleSimple(v2)])
    const r = await postQuery(
      t,
      { entities: [{ type: `${NS}Vehicle` }] },
      { accept: 'application/ld+json' },
    )
    expect(r.status).toBe(200)
    expect((r.body as { id: string }[]).map((e) => e.id).sort()).toEqual([v1, v2].sort())
    for (const e of r.body as Record<string, unknown>[]) {
      expect(e.type).toBe(`${NS}Vehicle`)
      expect(e[`${NS}brandName`]).toEqual({ type: 'Property', value: 'Mercedes' })
    }
  })

  it('019_02_03 an entity selector with an idPattern returns the matching entities', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building')]
    await make(t, ids.map(buildingMinimal))
    const r = await postQuery(t, {
      entities: [{ idPattern: 'urn:ngsi-ld:Building:.*', type: `${NS}Building` }],
    })
    expect(r.status).toBe(200)
    expectMatches(ids.map(minimalExpanded), r.body)
  })

  it('019_02_04 attrs in the body select entities and project them', async () => {
    const t = uniqueTenant()
    const [b, v] = [uniqueUrn('Building'), uniqueUrn('Vehicle')]
    await make(t, [buildingMinimal(b), vehicleSimple(v)])
    const r = await postQuery(t, { attrs: [`${NS}brandName`, `${DEFAULT_NS}isParked`] })
    expect(r.status).toBe(200)
    expectMatches([expandedVehicle(v)], r.body)
  })

  it('019_02_05 a POST query can answer GeoJSON', async () => {
    const t = uniqueTenant()
    const [v, p] = [uniqueUrn('Vehicle'), uniqueUrn('OffStreetParking')]
    await make(t, [vehicleSimple(v), parkingSimple(p)])
    const r = await postQuery(
      t,
      { entities: [{ type: `${NS}Vehicle,${NS}OffStreetParking` }] },
      { accept: 'application/geo+json', ...withLink() },
    )
    expect(r.status).toBe(200)
    const body = r.body as { type: string; features: { id: string; geometry: unknown }[] }
    expect(body.type).toBe('FeatureCollection')
    const byId = new Map(body.features.map((f) => [f.id, f]))
    expect([...byId.keys()].sort()).toEqual([v, p].sort())
    expect(byId.get(v)?.geometry).toBeNull()
    expect(byId.get(p)?.geometry).toEqual({ type: 'Point', coordinates: [-8.5, 41.2] })
    expect(body).toHaveProperty(['@context'])
  })

  it('019_02_06 two entity selectors with ids return both entities', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building'), uniqueUrn('Building')]
    await make(t, ids.map(buildingMinimal))
    const r = await postQuery(t, {
      entities: [
        { id: ids[0], type: `${NS}Building` },
        { id: ids[1], type: `${NS}Building` },
      ],
    })
    expect(r.status).toBe(200)
    expectMatches([minimalExpanded(ids[0]!), minimalExpanded(ids[1]!)], r.body)
  })
})

describe('TP 019_03 query errors', () => {
  const t = uniqueTenant('err')
  beforeAll(() => make(t, [buildingMinimal(uniqueUrn('Building'))]))

  it('019_03_01 ids that are not URIs answer 400 BadRequestData', async () => {
    expectProblem(
      await query(t, { id: 'thisisaninvaliduri1,thisisaninvaliduri2', type: `${NS}Building` }),
      400,
      'BadRequestData',
    )
  })
  it('019_03_02 an invalid idPattern answers 400 BadRequestData', async () => {
    expectProblem(
      await query(t, { idPattern: 'invalid_entity_id_pattern**', type: `${NS}Building` }),
      400,
      'BadRequestData',
    )
  })
  it('019_03_03 attrs naming id and type answer 400 BadRequestData', async () => {
    expectProblem(await query(t, { attrs: 'id,type' }), 400, 'BadRequestData')
  })
  it('019_03_04 an invalid georel answers 400 BadRequestData', async () => {
    expectProblem(
      await query(
        t,
        {
          type: 'Building',
          geoproperty: 'location',
          georel: 'invalid',
          geometry: 'Point',
          coordinates: '[-8.503,41.202]',
        },
        withLink(),
      ),
      400,
      'BadRequestData',
    )
  })
  it('019_03_05 ids alone are not a sufficient selector: 400 BadRequestData', async () => {
    expectProblem(
      await query(t, { id: 'urn:ngsi-ld:Entity:01,urn:ngsi-ld:Entity:02' }),
      400,
      'BadRequestData',
    )
  })
})

describe('TP 019_04..019_07 representations, GeoJSON, limit and count', () => {
  it('019_04_01 options=keyValues returns the simplified entities', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building'), uniqueUrn('Building')]
    await make(
      t,
      ids.map((id) => buildingSimple(id)),
    )
    const r = await query(t, {
      id: `${ids[0]},${ids[1]}`,
      type: `${NS}Building`,
      options: 'keyValues',
    })
    expect(r.status).toBe(200)
    expectMatches(
      [ids[0]!, ids[1]!].map((id) => ({
        id,
        type: `${NS}Building`,
        [`${NS}name`]: 'Eiffel Tower',
        [`${NS}subCategory`]: 'tourism',
        [`${NS}airQualityLevel`]: 4,
        [`${NS}almostFull`]: false,
      })),
      r.body,
    )
  })

  it('019_05_01 Accept geo+json returns a FeatureCollection of the entities', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building')]
    const point = { type: 'Point', coordinates: [13.3986, 52.5547] }
    await make(
      t,
      ids.map((id) => ({
        id,
        type: 'Building',
        name: { type: 'Property', value: 'Eiffel Tower' },
        location: { type: 'GeoProperty', value: point },
      })),
    )
    const r = await query(
      t,
      { id: ids.join(','), type: `${NS}Building` },
      { accept: 'application/geo+json', ...withLink() },
    )
    expect(r.status).toBe(200)
    expectMatches(
      {
        type: 'FeatureCollection',
        features: ids.map((id) => ({
          id,
          type: 'Feature',
          geometry: point,
          properties: {
            type: 'Building',
            name: { type: 'Property', value: 'Eiffel Tower' },
            location: { type: 'GeoProperty', value: point },
          },
        })),
        '@context': [contexts.compound],
      },
      r.body,
    )
  })

  it('019_06_01 limit bounds the number of entities returned', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building'), uniqueUrn('Building')]
    await make(t, ids.map(buildingMinimal))
    const r = await query(t, { id: ids.join(','), type: `${NS}Building`, limit: '2' })
    expect(r.status).toBe(200)
    const body = r.body as { type: string }[]
    expect(body).toHaveLength(2)
    for (const e of body) expect(e.type).toBe(`${NS}Building`)
  })

  describe('count', () => {
    const t = uniqueTenant('count')
    beforeAll(() =>
      make(t, [
        buildingSimple(uniqueUrn('Building')),
        buildingSimple(uniqueUrn('Building'), {
          name: { type: 'Property', value: 'Pisa Tower' },
          airQualityLevel: { type: 'Property', value: 6 },
        }),
      ]),
    )
    it('019_07_01 count=true with only a type gives the total in NGSILD-Results-Count', async () => {
      const r = await query(t, { type: 'Building', count: 'true' }, withLink())
      expect(r.status).toBe(200)
      expect(count(r)).toBe('2')
    })
    it('019_07_02 count=true with q gives the number of matches', async () => {
      const r = await query(
        t,
        { type: 'Building', q: 'airQualityLevel==6', count: 'true' },
        withLink(),
      )
      expect(r.status).toBe(200)
      expect(count(r)).toBe('1')
    })
  })
})

describe('TP 019_08 entity type selection language', () => {
  const t = uniqueTenant('types')
  const ids = [uniqueUrn('MultiTypes'), uniqueUrn('MultiTypes'), uniqueUrn('MultiTypes')]
  beforeAll(() =>
    make(t, [
      buildingSimple(ids[0]!),
      { id: ids[1], type: 'Parking', name: { type: 'Property', value: 'P1' } },
      { id: ids[2], type: ['Building', 'TouristDestination'] },
    ]),
  )
  const check = async (type: string, expected: string[]) => {
    const r = await query(t, { type }, withLink())
    expect(r.status).toBe(200)
    expect((r.body as { id: string }[]).map((e) => e.id).sort()).toEqual(expected.sort())
  }
  it('019_08_01 one type', () => check('Building', [ids[0]!, ids[2]!]))
  it('019_08_02 the AND operator', () => check('(Building;TouristDestination)', [ids[2]!]))
  it('019_08_03 the OR operator', () => check('Building,Parking', [...ids]))
  it('019_08_04 another OR', () => check('Parking,TouristDestination', [ids[1]!, ids[2]!]))
  it('019_08_05 two operators', () => check('(Building;Parking),TouristDestination', [ids[2]!]))
})

/** Three buildings for the q tests: Eiffel (4, false), Pisa (6, false, locatedIn Pisa), a third (8, false). */
function qBuildings(): Record<string, unknown>[] {
  return [
    buildingSimple(uniqueUrn('Building')),
    buildingSimple(uniqueUrn('Building'), {
      name: { type: 'Property', value: 'Pisa Tower' },
      airQualityLevel: { type: 'Property', value: 6 },
      locatedIn: { type: 'Relationship', object: 'urn:ngsi-ld:City:Pisa' },
    }),
    buildingSimple(uniqueUrn('Building'), {
      name: { type: 'Property', value: 'Empire State Building' },
      airQualityLevel: { type: 'Property', value: 8 },
    }),
  ]
}

describe('TP 019_09 q', () => {
  const t = uniqueTenant('q')
  beforeAll(() => make(t, qBuildings()))
  const check = async (q: string, n: number) => {
    const r = await query(t, { q, count: 'true' }, withLink())
    expect(r.status, r.text).toBe(200)
    expect(count(r)).toBe(String(n))
  }
  it('019_09_01 name equality', () => check('name=="Eiffel Tower"', 1))
  it('019_09_02 AND of name and boolean', () => check('name=="Pisa Tower";almostFull==false', 1))
  it('019_09_03 AND of name and boolean (again)', () =>
    check('name=="Pisa Tower";almostFull==false', 1))
  it('019_09_04 OR of name and boolean', () => check('name=="Pisa Tower"|almostFull==false', 3))
  it('019_09_05 grouped OR with AND', () =>
    check('(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false', 2))
  it('019_09_06 number equality', () => check('airQualityLevel==4', 1))
  it('019_09_07 number range with two comparisons', () =>
    check('airQualityLevel>=4;airQualityLevel<7', 2))
  it('019_09_08 relationship to an existing object', () =>
    check('locatedIn==urn:ngsi-ld:City:Pisa', 1))
  it('019_09_09 relationship to another object', () =>
    check('locatedIn==urn:ngsi-ld:City:Paris', 0))
  it('019_09_10 OR of two relationship objects', () =>
    check('locatedIn==urn:ngsi-ld:City:Pisa|locatedIn==urn:ngsi-ld:City:Paris', 1))
})

describe('TP 019_10/019_11 geoqueries', () => {
  describe('points', () => {
    const t = uniqueTenant('geo')
    beforeAll(() =>
      make(
        t,
        [
          [13.3986, 52.5547],
          [13.4, 52.47],
          [13.58, 52.36],
        ].map((coordinates) => ({
          id: uniqueUrn('Building'),
          type: 'Building',
          location: { type: 'GeoProperty', value: { type: 'Point', coordinates } },
        })),
      ),
    )
    const berlin =
      '[[[13.1616211,52.5438124],[13.597641,52.4840224],[13.5948944,52.3402782],[13.142395,52.386428],[13.1616211,52.5438124]]]'
    const check = async (georel: string, geometry: string, coordinates: string, n: number) => {
      const r = await query(
        t,
        { type: 'Building', georel, geometry, coordinates, count: 'true' },
        withLink(),
      )
      expect(r.status, r.text).toBe(200)
      expect(count(r)).toBe(String(n))
    }
    it('019_10_01 equals a Point', () => check('equals', 'Point', '[13.3986, 52.5547]', 1))
    it('019_10_02 near with maxDistance', () =>
      check('near;maxDistance==15000', 'Point', '[13.388930, 52.534473]', 2))
    it('019_10_03 near with minDistance', () =>
      check('near;minDistance==15000', 'Point', '[13.388930, 52.534473]', 1))
    it('019_10_04 within a Polygon', () => check('within', 'Polygon', berlin, 2))
    it('019_10_05 disjoint from a Polygon', () => check('disjoint', 'Polygon', berlin, 1))
    it('019_10_06 disjoint from a Point', () => check('disjoint', 'Point', '[13.3986, 52.5547]', 2))
    it('019_10_07 contains a Point', () => check('contains', 'Point', '[13.3986, 52.5547]', 1))
    it('019_10_08 intersects a Point', () => check('intersects', 'Point', '[13.3986, 52.5547]', 1))
  })

  describe('polygons', () => {
    const t = uniqueTenant('poly')
    const first = [
      [
        [13.2865906, 52.5648645],
        [13.2879639, 52.5648645],
        [13.2797241, 52.4988679],
        [13.477478, 52.4712703],
        [13.5049438, 52.5373084],
        [13.2865906, 52.5648645],
      ],
    ]
    const second = [
      [
        [13.33, 52.45],
        [13.37, 52.45],
        [13.37, 52.475],
        [13.33, 52.475],
        [13.33, 52.45],
      ],
    ]
    beforeAll(() =>
      make(
        t,
        [first, second].map((coordinates) => ({
          id: uniqueUrn('Building'),
          type: 'Building',
          location: { type: 'GeoProperty', value: { type: 'Polygon', coordinates } },
        })),
      ),
    )
    const check = async (georel: string, geometry: string, coordinates: string, n: number) => {
      const r = await query(
        t,
        { type: 'Building', georel, geometry, coordinates, count: 'true' },
        withLink(),
      )
      expect(r.status, r.text).toBe(200)
      expect(count(r)).toBe(String(n))
    }
    const p2 =
      '[[[13.3456421,52.4794848],[13.3641815,52.4428773],[13.4177399,52.4730023],[13.3459854,52.479903],[13.3456421,52.4794848]]]'
    const p4 =
      '[[[13.1369019,52.5198225],[13.1365585,52.5200314],[13.131752,52.4980907],[13.1832504,52.5026887],[13.1369019,52.5198225]]]'
    it('019_11_01 equals a Polygon', () => check('equals', 'Polygon', JSON.stringify(first), 1))
    it('019_11_02 intersects a Polygon', () => check('intersects', 'Polygon', p2, 1))
    it('019_11_03 contains a Polygon (with a repeated vertex)', () =>
      check(
        'contains',
        'Polygon',
        '[[[13.3844376,52.5356966],[13.3844376,52.5356966],[13.381691,52.5123012],[13.4235764,52.5100027],[13.4331894,52.5273425],[13.3844376,52.5356966]]]',
        1,
      ))
    it('019_11_04 contains a Polygon no entity contains', () => check('contains', 'Polygon', p4, 0))
    it('019_11_05 disjoint from a Polygon', () => check('disjoint', 'Polygon', p4, 2))
    it('019_11_06 within a Polygon', () =>
      check(
        'within',
        'Polygon',
        '[[[13.3023834,52.4903066],[13.3027267,52.4905156],[13.2745743,52.465632],[13.3343124,52.4185447],[13.4311295,52.47107],[13.3023834,52.4903066]]]',
        1,
      ))
    it('019_11_07 overlaps a Polygon', () => check('overlaps', 'Polygon', p2, 1))
    it('019_11_08 contains a Point', () => check('contains', 'Point', '[13.3442688,52.4650045]', 1))
  })
})

describe('TP 019_12 datasetId filter', () => {
  const t = uniqueTenant('ds')
  const id = uniqueUrn('Building')
  const fr = 'urn:ngsi-ld:Dataset:french-name'
  const de = 'urn:ngsi-ld:Dataset:german-name'
  const es = 'urn:ngsi-ld:Dataset:spanish-name'
  const names = {
    none: { type: 'Property', value: 'Eiffel Tower' },
    fr: { type: 'Property', value: 'Tour Eiffel', datasetId: fr },
    de: { type: 'Property', value: 'Eiffelturm', datasetId: de },
  }
  const quality = {
    none: { type: 'Property', value: 4 },
    es: { type: 'Property', value: 5, datasetId: es },
  }
  beforeAll(() =>
    make(t, [
      {
        id,
        type: 'Building',
        name: [names.none, names.fr, names.de],
        airQualityLevel: [quality.none, quality.es],
      },
    ]),
  )
  const check = async (
    attrs: string | undefined,
    datasetId: string | undefined,
    expected: Record<string, unknown>,
  ) => {
    const r = await query(
      t,
      { attrs, datasetId, type: 'Building' },
      { accept: 'application/ld+json', ...withLink() },
    )
    expect(r.status, r.text).toBe(200)
    expectMatches(
      { id, type: 'Building', ...expected, '@context': [contexts.compound] },
      (r.body as unknown[])[0],
    )
  }
  it('019_12_01 attrs only', () =>
    check('name', undefined, { name: [names.none, names.fr, names.de] }))
  it('019_12_02 one datasetId', () => check(undefined, fr, { name: names.fr }))
  it('019_12_03 two datasetIds', () =>
    check(undefined, `${fr},${es}`, { name: names.fr, airQualityLevel: quality.es }))
  it('019_12_04 the default instances (@none)', () =>
    check(undefined, '@none', { name: names.none, airQualityLevel: quality.none }))
  it('019_12_05 attrs and the default instance', () => check('name', '@none', { name: names.none }))
  it('019_12_06 attrs and a datasetId', () => check('name', de, { name: names.de }))
  it('019_12_07 attrs and a datasetId with no match leave only id and type', () =>
    check('name', es, {}))
})

describe('TP 019_17/019_18 pick and omit on queries', () => {
  const t = uniqueTenant('pick')
  const b1 = uniqueUrn('Building')
  const v = uniqueUrn('Vehicle')
  const b3 = uniqueUrn('Building')
  const entities = [
    buildingSimple(b1),
    vehicleSimple(v),
    buildingSimple(b3, {
      name: { type: 'Property', value: 'Empire State Building' },
      airQualityLevel: { type: 'Property', value: 8 },
    }),
  ]
  beforeAll(() => make(t, entities))
  const project = (keep: (k: string) => boolean) =>
    entities.map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => keep(k))))
  const check = async (
    pick: string | undefined,
    omit: string | undefined,
    keep: (k: string) => boolean,
  ) => {
    const r = await query(t, { type: 'Building,Vehicle', pick, omit }, withLink())
    expect(r.status, r.text).toBe(200)
    expectMatches(
      project(keep).filter((e) => Object.keys(e).length > 0),
      (r.body as Record<string, unknown>[]).filter((e) => Object.keys(e).length > 0),
    )
  }
  it('019_17_01 pick on an attribute', () => check('name', undefined, (k) => k === 'name'))
  it('019_17_02 omit on an attribute', () => check(undefined, 'name', (k) => k !== 'name'))
  it('019_17_03 pick on id', () => check('id', undefined, (k) => k === 'id'))
  it('019_17_04 omit on id', () => check(undefined, 'id', (k) => k !== 'id'))
  it('019_17_05 pick on id and an attribute', () =>
    check('id,name', undefined, (k) => k === 'id' || k === 'name'))
  it('019_17_06 omit on type and an attribute', () =>
    check(undefined, 'type,name', (k) => k !== 'type' && k !== 'name'))

  const bad = async (params: Params) => {
    expectProblem(
      await query(t, { type: 'Building,Vehicle', ...params }, withLink()),
      400,
      'BadRequestData',
    )
  }
  it('019_18_01 the same member in pick and omit', () => bad({ pick: 'name', omit: 'name' }))
  it('019_18_02 pick with attrs', () => bad({ pick: 'name', attrs: 'category' }))
  it('019_18_03 omit with attrs', () => bad({ omit: 'name', attrs: 'category' }))
  it('019_18_04 an invalid character', () => bad({ pick: 'id;name' }))
  it('019_18_05 an unclosed brace', () => bad({ pick: 'id,locatedAt{name' }))
  it('019_18_06 a double brace', () => bad({ pick: 'id,locatedAt{{name}' }))
  it('019_18_07 consecutive separators', () => bad({ pick: 'id,,name' }))
  it('019_18_08 a nested expression starting with a separator', () =>
    bad({ pick: 'id,locatedAt{,name}' }))
  it('019_18_09 an empty nested expression', () => bad({ pick: 'id,locatedAt{}' }))
})

describe('TP 019_25/019_26 local and type=*', () => {
  it('019_25 local=true alone returns all local entities', async () => {
    const t = uniqueTenant()
    const ids = [uniqueUrn('Building'), uniqueUrn('Building')]
    await make(t, ids.map(buildingMinimal))
    const r = await query(t, { local: 'true' })
    expect(r.status).toBe(200)
    expectMatches(ids.map(minimalExpanded), r.body)
  })

  const t = uniqueTenant('star')
  const [b, v] = [uniqueUrn('Building'), uniqueUrn('Vehicle')]
  beforeAll(() =>
    make(t, [
      buildingSimple(b),
      { id: v, type: 'Vehicle', brandName: { type: 'Property', value: 'Mercedes' } },
    ]),
  )
  it('019_26_01 type=* returns every type', async () => {
    const r = await query(t, { type: '*' }, withLink())
    expect(r.status).toBe(200)
    const ids = (r.body as { id: string }[]).map((e) => e.id)
    expect(ids).toContain(b)
    expect(ids).toContain(v)
  })
  it('019_26_02 type=* with local=false answers 400 BadRequestData', async () => {
    const r = await query(t, { type: '*', local: 'false' }, withLink())
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
    )
  })
})

describe('TP 019_27 geometryProperty and local ordering', () => {
  const t = uniqueTenant('gp')
  beforeAll(() => make(t, [buildingSimple(uniqueUrn('Building'))]))
  it('019_27_01 geometryProperty with a JSON Accept answers 400 BadRequestData', async () => {
    expectProblem(
      await query(
        t,
        { type: 'Building', geometryProperty: 'location' },
        { accept: 'application/json', ...withLink() },
      ),
      400,
      'BadRequestData',
    )
  })
  it('019_27_02 geometryProperty with a GeoJSON Accept is accepted', async () => {
    const r = await query(
      t,
      { type: 'Building', geometryProperty: 'location' },
      { accept: 'application/geo+json', ...withLink() },
    )
    expect(r.status).toBe(200)
  })
})

describe('TP 019_28 value lists, ranges and !~=', () => {
  const t = uniqueTenant('ql')
  beforeAll(() =>
    make(t, [
      buildingSimple(uniqueUrn('Building')),
      buildingSimple(uniqueUrn('Building'), {
        name: { type: 'Property', value: 'Pisa Tower' },
        airQualityLevel: { type: 'Property', value: 6 },
      }),
    ]),
  )
  const check = async (q: string, status: number, n?: number) => {
    const r = await query(t, { type: 'Building', q, count: 'true' }, withLink())
    expect(r.status, r.text).toBe(status)
    if (n !== undefined) expect(count(r)).toBe(String(n))
  }
  it('019_28_01 a range with == matches the closed interval', () =>
    check('airQualityLevel==4..5', 200, 1))
  it('019_28_02 a range with != matches outside the interval', () =>
    check('airQualityLevel!=4..5', 200, 1))
  it('019_28_03 a value list with == matches any listed value', () =>
    check('name=="Eiffel Tower","Pisa Tower"', 200, 2))
  it('019_28_04 a value list with != excludes every listed value', () =>
    check('name!="Eiffel Tower","Big Ben"', 200, 1))
  it('019_28_05 !~= excludes the pattern', () => check('name!~="^Eiffel"', 200, 1))
  it('019_28_06 a range with an ordering operator answers 400', () =>
    check('airQualityLevel>4..5', 400))
})

describe('TP 019_32/5233_01 the Query and EntitySelector data types', () => {
  const t = uniqueTenant('qdt')
  const slow = uniqueUrn('Vehicle')
  const fast = uniqueUrn('Vehicle')
  beforeAll(async () => {
    for (const [id, speed] of [
      [slow, 80],
      [fast, 120],
    ] as const) {
      const r = await broker.request('POST', '/entities', {
        body: {
          id,
          type: 'Vehicle',
          speed: { type: 'Property', value: speed },
          brand: { type: 'Property', value: 'Mercedes' },
        },
        tenant: t,
      })
      expect(r.status).toBe(201)
    }
  })
  const post = async (
    body: Record<string, unknown>,
    status: number,
    has?: string,
    hasNot?: string,
  ) => {
    const r = await broker.request('POST', '/entityOperations/query', {
      body,
      headers: { 'content-type': 'application/json' },
      tenant: t,
    })
    expect(r.status, r.text).toBe(status)
    if (has !== undefined) expect(r.text).toContain(has)
    if (hasNot !== undefined) expect(r.text).not.toContain(hasNot)
  }
  const vehicles = [{ type: 'Vehicle' }]
  it('019_32_01 body q filters like the query parameter', () =>
    post({ type: 'Query', entities: vehicles, q: 'speed>100' }, 200, fast, slow))
  it('019_32_02 body pick projects the entities', () =>
    post({ type: 'Query', entities: vehicles, pick: ['speed'] }, 200, 'speed', 'brand'))
  it('019_32_03 body omit removes members', () =>
    post({ type: 'Query', entities: vehicles, omit: ['speed'] }, 200, 'brand', 'speed'))
  it('019_32_04 an empty entities array answers 400', () =>
    post({ type: 'Query', entities: [] }, 400))
  it('019_32_05 an empty attrs array answers 400', () =>
    post({ type: 'Query', entities: vehicles, attrs: [] }, 400))
  it('019_32_06 a non-string q answers 400', () =>
    post({ type: 'Query', entities: vehicles, q: 42 }, 400))
  it('019_32_08 temporalQ on a non-temporal query answers 400', () =>
    post(
      {
        type: 'Query',
        entities: vehicles,
        temporalQ: { timerel: 'after', timeAt: '2020-01-01T00:00:00Z' },
      },
      400,
    ))
  it('019_32_09 a body type other than Query answers 400', () =>
    post({ type: 'NotQuery', entities: vehicles }, 400))

  const selector = (s: Record<string, unknown>) => ({ type: 'Query', entities: [s] })
  it('5233_01_01 an id array selects all named entities', () =>
    post(selector({ type: 'Vehicle', id: [slow, fast] }), 200, slow))
  it('5233_01_02 id takes precedence over idPattern', () =>
    post(selector({ type: 'Vehicle', id: slow, idPattern: `^${fast}$` }), 200, slow))
  it('5233_01_03 a selector without type answers 400', () => post(selector({ id: slow }), 400))
  it('5233_01_04 a non-URI id answers 400', () =>
    post(selector({ type: 'Vehicle', id: 'not a uri' }), 400))
  it('5233_01_05 a mixed-type id array answers 400', () =>
    post(selector({ type: 'Vehicle', id: [slow, 5] }), 400))
  it('5233_01_06 an idPattern alone still filters', () =>
    post(selector({ type: 'Vehicle', idPattern: `^${fast}$` }), 200, fast, slow))
})

describe('TP 019_30 geoquery grammar and semantics', () => {
  const t = uniqueTenant('geo30')
  beforeAll(() =>
    make(t, [
      {
        id: uniqueUrn('Building'),
        type: 'Building',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [2, 2] } },
        observationSpace: {
          type: 'GeoProperty',
          value: { type: 'Point', coordinates: [8.01, 40] },
        },
      },
      {
        id: uniqueUrn('Building'),
        type: 'Building',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [5, 5] } },
      },
      {
        id: uniqueUrn('Building'),
        type: 'Building',
        location: {
          type: 'GeoProperty',
          value: {
            type: 'LineString',
            coordinates: [
              [1, 85],
              [0, 85.6],
            ],
          },
        },
      },
      {
        id: uniqueUrn('Building'),
        type: 'Building',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [10, 60.009] } },
      },
    ]),
  )
  const check = async (
    georel: string,
    geometry: string,
    coordinates: string,
    status: number,
    n?: number,
    geoproperty?: string,
  ) => {
    const r = await query(
      t,
      { type: 'Building', georel, geometry, coordinates, geoproperty, count: 'true' },
      withLink(),
    )
    expect(r.status, r.text).toBe(status)
    if (n !== undefined) expect(count(r)).toBe(String(n))
  }
  const holed = '[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]'
  it('019_30_01 a zero maxDistance answers 400', () =>
    check('near;maxDistance==0', 'Point', '[8,40]', 400))
  it('019_30_02 a negative maxDistance answers 400', () =>
    check('near;maxDistance==-100', 'Point', '[8,40]', 400))
  it('019_30_03 two distance modifiers answer 400', () =>
    check('near;maxDistance==5;minDistance==1', 'Point', '[8,40]', 400))
  it('019_30_04 near without a distance answers 400', () => check('near', 'Point', '[8,40]', 400))
  it('019_30_05 an unknown georel answers 400', () => check('touches', 'Point', '[8,40]', 400))
  it('019_30_06 within a polygon hole excludes the point inside the hole', () =>
    check('within', 'Polygon', holed, 200, 1))
  it('019_30_07 geoproperty targets another GeoProperty', () =>
    check('near;maxDistance==2000', 'Point', '[8,40]', 200, 1, 'observationSpace'))
  it('019_30_08 the default geoproperty is location', () =>
    check('near;maxDistance==2000', 'Point', '[8,40]', 200, 0))
  it('019_30_09 near measures from the closest point of a LineString', () =>
    check('near;maxDistance==2000', 'LineString', '[[0,60],[10,60]]', 200, 1))
  it('019_30_10 a LineString 110 km away does not match', () =>
    check('near;maxDistance==2000', 'LineString', '[[0,61],[10,61]]', 200, 0))
  it('019_30_11 closest-point distance is metric at high latitude', () =>
    check('near;maxDistance==20000', 'Point', '[0,85]', 200, 1))
  it('019_30_12 high-latitude negative control', () =>
    check('near;maxDistance==5000', 'Point', '[0,85]', 200, 0))
  it('019_30_13 maxDistance inf answers 400', () =>
    check('near;maxDistance==inf', 'Point', '[8,40]', 400))
  it('019_30_14 an overflowing maxDistance answers 400', () =>
    check('near;maxDistance==1e400', 'Point', '[8,40]', 400))
})

describe('TP 019_31 pagination links', () => {
  const t = uniqueTenant('page')
  const pattern = 'urn:ngsi-ld:Building:01931.*'
  beforeAll(() =>
    make(
      t,
      ['A', 'B', 'C'].map((s) => buildingSimple(`urn:ngsi-ld:Building:01931${s}`)),
    ),
  )
  const page = (limit: string, offset: string) =>
    query(t, { type: 'Building', idPattern: pattern, limit, offset, count: 'true' }, withLink())
  const expectPage = (r: Reply, n: number) => {
    expect(r.status).toBe(200)
    expect(count(r)).toBe('3')
    expect(r.body).toHaveLength(n)
  }
  it('019_31_05 limit=0 with count gives the total and no entities', async () => {
    const r = await page('0', '0')
    expectPage(r, 0)
  })
})

describe('TP 5722_01 query validation edges', () => {
  const t = uniqueTenant('v5722')
  beforeAll(() => make(t, [buildingMinimal(uniqueUrn('Building'))]))
  const bad = async (params: Params) => {
    const r = await query(t, params, { accept: 'application/ld+json' })
    expect(r.status, r.text).toBe(400)
    expect((r.body as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
    )
  }
  it('5722_01_01 attrs naming only system attributes are too wide', () =>
    bad({ attrs: 'createdAt' }))
  it('5722_01_02 a q on system attributes only is too wide', () =>
    bad({ q: 'modifiedAt>"2020-01-01T00:00:00Z"' }))
  it('5722_01_03 a linked q without join answers 400', () =>
    bad({ type: 'Building', q: 'owner{name}=="x"' }))
  it('5722_01_05 an invalid csf answers 400', () => bad({ type: 'Building', csf: '))bad((' }))
})

describe('TP 019_19/019_27_03 orderBy', () => {
  const t = uniqueTenant('order')
  const ids = [1, 2, 3].map((i) => `urn:ngsi-ld:Building:${i}`)
  const asc = [...ids]
  const desc = [...ids].reverse()
  const created = [ids[1]!, ids[0]!, ids[2]!]
  beforeAll(async () => {
    // created in the order 2, 1, 3; names and their subProperty ascend with the id
    for (const i of [1, 0, 2]) {
      await make(t, [
        {
          id: ids[i],
          type: 'Building',
          name: {
            type: 'Property',
            value: `${'ABC'[i]} Building`,
            subProperty: { type: 'Property', value: i + 1 },
          },
        },
      ])
      await new Promise((r) => setTimeout(r, 5))
    }
  })
  const check = async (orderBy: string, expected: string[]) => {
    const r = await query(t, { type: 'Building', orderBy }, withLink())
    expect(r.status, r.text).toBe(200)
    expect((r.body as { id: string }[]).map((e) => e.id)).toEqual(expected)
  }
  it('019_19_01 orderBy an attribute', () => check('name', asc))
  it('019_19_02 orderBy id', () => check('id', asc))
  it('019_19_03 orderBy createdAt', () => check('createdAt', created))
  it('019_19_04 orderBy the createdAt of an attribute', () => check('name.createdAt', created))
  it('019_19_05 orderBy a sub-property', () => check('name.subProperty', asc))
  it('019_19_06 orderBy ascending', () => check('name;asc', asc))
  it('019_19_07 orderBy descending', () => check('name;desc', desc))
  it('019_19_08 orderBy several members', () => check('type,name', asc))
  it('019_19_09 a complex orderBy', () => check('type;asc,name.subProperty;desc,name;asc', desc))
  it('019_27_03 orderBy under local execution is accepted, with or without local=true', async () => {
    expect((await query(t, { type: 'Building', orderBy: 'name' }, withLink())).status).toBe(200)
    expect(
      (await query(t, { type: 'Building', orderBy: 'name', local: 'true' }, withLink())).status,
    ).toBe(200)
  })
})

describe('TP 423_01/4233_01 distance, mixed types, subitems and collation', () => {
  const t = uniqueTenant('o423')
  const prefix = 'urn:ngsi-ld:Building:42301'
  beforeAll(async () => {
    const point = (coordinates: number[]) => ({
      type: 'GeoProperty',
      value: { type: 'Point', coordinates },
    })
    for (const e of [
      {
        id: `${prefix}near`,
        location: point([8.01, 40.01]),
        rankProbe: prop(5),
        address: prop({ city: 'Amsterdam' }),
      },
      {
        id: `${prefix}mid`,
        location: point([9, 41]),
        rankProbe: prop('abc'),
        address: prop({ city: 'Berlin' }),
      },
      { id: `${prefix}far`, location: point([10, 45]), address: prop({ city: 'Zurich' }) },
    ]) {
      const r = await broker.request('POST', '/entities', {
        body: { type: 'Building', ...e },
        headers: withLink(),
        tenant: t,
      })
      expect(r.status, r.text).toBe(201)
    }
    for (const [id, name] of [
      ['coll4233A', 'A'],
      ['coll4233b', 'b'],
      ['coll4233acc', 'á'],
    ] as const) {
      const r = await broker.request('POST', '/entities', {
        body: { id: `urn:ngsi-ld:Vehicle:${id}`, type: 'Vehicle', name: prop(name) },
        tenant: t,
      })
      expect(r.status).toBe(201)
    }
  })
  function prop(value: unknown) {
    return { type: 'Property', value }
  }
  const ordered = async (orderBy: string, extra: Params = {}) => {
    const r = await query(
      t,
      { type: 'Building', idPattern: `${prefix}.*`, orderBy, ...extra },
      withLink(),
    )
    expect(r.status, r.text).toBe(200)
    return (r.body as { id: string }[]).map((e) => e.id)
  }
  it('423_01_01 dist-asc and dist-desc order by the distance to orderFrom', async () => {
    expect(await ordered('location;dist-asc', { orderFrom: '[8,40]' })).toEqual(
      ['near', 'mid', 'far'].map((s) => `${prefix}${s}`),
    )
    expect(await ordered('location;dist-desc', { orderFrom: '[8,40]' })).toEqual(
      ['far', 'mid', 'near'].map((s) => `${prefix}${s}`),
    )
  })
  it('423_01_02 distance ordering without orderFrom answers 400', async () => {
    const r = await query(
      t,
      { type: 'Building', idPattern: `${prefix}.*`, orderBy: 'location;dist-asc' },
      withLink(),
    )
    expect(r.status).toBe(400)
  })
  it('423_01_03 numbers come before strings, missing values last', async () => {
    expect(await ordered('rankProbe')).toEqual(['near', 'mid', 'far'].map((s) => `${prefix}${s}`))
  })
  it('423_01_04 a trailing [subitem] path orders by the compound member', async () => {
    expect((await ordered('address[city];desc'))[0]).toBe(`${prefix}far`)
  })
  const names = async (extra: Params) => {
    const r = await query(t, { type: 'Vehicle', idPattern: 'coll4233', orderBy: 'name', ...extra })
    expect(r.status, r.text).toBe(200)
    return (r.body as { name: { value: string } }[]).map((e) => e.name.value)
  }
  it('4233_01_01 collation=und ranks accents with their base letter; code points otherwise', async () => {
    expect(await names({})).toEqual(['A', 'b', 'á'])
    expect(await names({ collation: 'und' })).toEqual(['A', 'á', 'b'])
  })
  it('4233_01_02 an invalid collation tag answers 400 BadRequestData', async () => {
    const r = await query(t, { type: 'Vehicle', orderBy: 'name', collation: '!!nope' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('BadRequestData')
  })
})

describe('TP 5243_01 OrderingParams in a Query body', () => {
  const t = uniqueTenant('o5243')
  const near = 'urn:ngsi-ld:Vehicle:52430-near'
  const far = 'urn:ngsi-ld:Vehicle:52430-far'
  beforeAll(async () => {
    for (const [id, coordinates] of [
      [near, [8.01, 40.01]],
      [far, [10, 45]],
    ] as const) {
      const r = await broker.request('POST', '/entities', {
        body: {
          id,
          type: 'Vehicle',
          location: { type: 'GeoProperty', value: { type: 'Point', coordinates } },
        },
        tenant: t,
      })
      expect(r.status).toBe(201)
    }
  })
  const post = (ordering: Record<string, unknown>) =>
    broker.request('POST', '/entityOperations/query', {
      body: { type: 'Query', entities: [{ type: 'Vehicle' }], ordering },
      headers: { 'content-type': 'application/json' },
      tenant: t,
    })
  it('5243_01_01 dist-asc with coordinates orders the nearest first', async () => {
    const r = await post({
      orderBy: ['location;dist-asc'],
      coordinates: [8, 40],
      geometry: 'Point',
    })
    expect(r.status, r.text).toBe(200)
    expect(r.text.indexOf('52430-near')).toBeLessThan(r.text.indexOf('52430-far'))
  })
  it('5243_01_02 distance ordering without coordinates answers 400', async () => {
    expect((await post({ orderBy: ['location;dist-asc'] })).status).toBe(400)
  })
  it('5243_01_03 non-array coordinates answer 400', async () => {
    expect((await post({ orderBy: ['location;dist-asc'], coordinates: '8,40' })).status).toBe(400)
  })
  it('5243_01_04 a non-string geometry answers 400', async () => {
    expect((await post({ orderBy: ['id;asc'], geometry: 5 })).status).toBe(400)
  })
})

describe('TP 019_29 query-language attribute paths', () => {
  const t = uniqueTenant('q29')
  beforeAll(() =>
    make(t, [
      {
        id: 'urn:ngsi-ld:Building:qlFeatures019x29',
        type: 'Building',
        address: { type: 'Property', value: { city: 'Berlin', street: 'Main' } },
        color: { type: 'LanguageProperty', languageMap: { en: 'red', fr: 'rouge' } },
        managedBy: { type: 'Relationship', object: 'urn:ngsi-ld:Building:qlTarget019x29' },
        category: { type: 'VocabProperty', vocab: 'commercial' },
      },
      {
        id: 'urn:ngsi-ld:Building:qlTarget019x29',
        type: 'Building',
        name: { type: 'Property', value: 'Pisa Tower' },
      },
    ]),
  )
  const check = async (q: string, n: number, extra: Params = {}) => {
    const r = await query(t, { type: 'Building', q, count: 'true', ...extra }, withLink())
    expect(r.status, r.text).toBe(200)
    expect(count(r)).toBe(String(n))
  }
  it('019_29_01 a trailing path matches a member of a compound value', () =>
    check('address[city]=="Berlin"', 1))
  it('019_29_02 an undefined member is non-existent', () => check('address[postcode]=="Berlin"', 0))
  it('019_29_03 existence through a trailing path', () => check('address[city]', 1))
  it('019_29_04 a language filter matches the addressed language', () =>
    check('color[en]=="red"', 1))
  it("019_29_05 a language filter does not match another language's value", () =>
    check('color[en]=="rouge"', 0))
  it('019_29_06 [*] matches any language', () => check('color[*]=="rouge"', 1))
  it('019_29_07 [*] with != needs no match in any language', () => check('color[*]!="red"', 0))
  const joined = { join: 'inline', joinLevel: '1' }
  it('019_29_08 a linked-entity subquery follows the Relationship', () =>
    check('managedBy{name}=="Pisa Tower"', 1, joined))
  it('019_29_09 a matching entity type hint keeps the match', () =>
    check('managedBy{Building:name}=="Pisa Tower"', 1, joined))
  it('019_29_10 a non-matching entity type hint excludes the target', () =>
    check('managedBy{Vehicle:name}=="Pisa Tower"', 0, joined))
  it('019_29_11 an ordering operator on a Relationship never matches', () =>
    check('managedBy>"urn:a"', 0))
  it('019_29_12 expandValues expands the unquoted query value to the vocab IRI', () =>
    check('category==commercial', 1, { expandValues: 'category' }))
})
