import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  API,
  CORE,
  buildNgsiLdApp,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'

let t: NgsiLdTestApp

const ids = (res: { json: () => unknown }) => (res.json() as { id: string }[]).map((e) => e.id)

beforeEach(async () => {
  t = await buildNgsiLdApp({ config: { maxLimit: 50, defaultLimit: 2 } })
  const entities = [
    {
      id: 'urn:ngsi-ld:Building:A',
      type: 'Building',
      height: 300,
      scope: '/Paris/Centre',
      location: { type: 'Point', coordinates: [2.2945, 48.8584] },
    },
    {
      id: 'urn:ngsi-ld:Building:B',
      type: ['Building', 'Shop'],
      height: 20,
      name: 'Shop',
      location: { type: 'Point', coordinates: [2.35, 48.86] },
    },
    {
      id: 'urn:ngsi-ld:Building:C',
      type: 'Building',
      height: 45,
      scope: '/Berlin',
      location: { type: 'Point', coordinates: [13.3986, 52.5547] },
    },
    {
      id: 'urn:ngsi-ld:Park:P',
      type: 'Park',
      name: { value: 'Tiergarten', datasetId: 'urn:ds:de' },
    },
  ]
  for (const body of entities)
    expect((await t.send('POST', '/entities', { body })).statusCode).toBe(201)
})
afterEach(() => t.close())

describe('GET /entities (Query Entities, §5.7.2)', () => {
  it('selects by type with the default limit, ordered by id, JSON with the context Link', async () => {
    const res = await t.send('GET', '/entities?type=Building&limit=10')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['link']).toBe(linkTo(CORE))
    expect(ids(res)).toEqual([
      'urn:ngsi-ld:Building:A',
      'urn:ngsi-ld:Building:B',
      'urn:ngsi-ld:Building:C',
    ])
    expect(ids(await t.send('GET', '/entities?type=Building'))).toHaveLength(2)
  })

  it('supports type selections (§4.17), id lists and idPattern', async () => {
    expect(ids(await t.send('GET', '/entities?type=(Building;Shop),Park'))).toEqual([
      'urn:ngsi-ld:Building:B',
      'urn:ngsi-ld:Park:P',
    ])
    expect(
      ids(
        await t.send(
          'GET',
          '/entities?type=Building&id=urn:ngsi-ld:Building:C,urn:ngsi-ld:Building:A',
        ),
      ),
    ).toEqual(['urn:ngsi-ld:Building:A', 'urn:ngsi-ld:Building:C'])
    expect(
      ids(
        await t.send('GET', `/entities?type=Building&idPattern=${encodeURIComponent('.*:[BC]$')}`),
      ),
    ).toEqual(['urn:ngsi-ld:Building:B', 'urn:ngsi-ld:Building:C'])
  })

  it('filters with q, scopeQ, attrs and geoqueries end to end', async () => {
    expect(
      ids(
        await t.send(
          'GET',
          `/entities?type=Building&q=${encodeURIComponent('height>40;height<400')}`,
        ),
      ),
    ).toEqual(['urn:ngsi-ld:Building:A', 'urn:ngsi-ld:Building:C'])
    expect(
      ids(await t.send('GET', `/entities?type=Building&scopeQ=${encodeURIComponent('/Paris/#')}`)),
    ).toEqual(['urn:ngsi-ld:Building:A'])
    expect(ids(await t.send('GET', '/entities?attrs=name'))).toEqual([
      'urn:ngsi-ld:Building:B',
      'urn:ngsi-ld:Park:P',
    ])
    const near = `georel=${encodeURIComponent('near;maxDistance==10000')}&geometry=Point&coordinates=${encodeURIComponent('[2.3522, 48.8566]')}`
    const res = await t.send('GET', `/entities?type=Building&${near}&count=true`)
    expect(ids(res)).toEqual(['urn:ngsi-ld:Building:A', 'urn:ngsi-ld:Building:B'])
    expect(res.headers['ngsild-results-count']).toBe('2')
    const within = `georel=within&geometry=Polygon&coordinates=${encodeURIComponent('[[[13,52],[14,52],[14,53],[13,53],[13,52]]]')}`
    expect(ids(await t.send('GET', `/entities?${within}`))).toEqual(['urn:ngsi-ld:Building:C'])
  })

  it('keeps entities whose instances datasetId removes, with only id and type (019_12_07)', async () => {
    const res = await t.send('GET', '/entities?type=Park&attrs=name&datasetId=urn:ds:other')
    expect(res.json()).toEqual([{ id: 'urn:ngsi-ld:Park:P', type: 'Park' }])
  })

  it('requires a sufficient selector: id alone is 400, local=true alone is fine', async () => {
    expectProblem(await t.send('GET', '/entities?id=urn:ngsi-ld:Building:A'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/entities'), 400, 'BadRequestData')
    expect(ids(await t.send('GET', '/entities?local=true&limit=10'))).toHaveLength(4)
    expect(ids(await t.send('GET', '/entities?type=*&limit=10'))).toHaveLength(4)
  })

  it('pages with limit/offset: count header and prev/next links (§5.5.9)', async () => {
    const first = await t.send('GET', '/entities?type=Building&limit=1&count=true')
    expect(first.headers['ngsild-results-count']).toBe('3')
    expect(first.headers['link']).toBe(
      `<${API}/entities?type=Building&count=true&limit=1&offset=1>;rel="next";type="application/json"`,
    )
    const middle = await t.send('GET', '/entities?type=Building&limit=1&offset=1', {
      headers: { accept: 'application/ld+json' },
    })
    expect(ids(middle)).toEqual(['urn:ngsi-ld:Building:B'])
    expect(middle.headers['link']).toBe(
      `<${API}/entities?type=Building&limit=1&offset=0>;rel="prev";type="application/ld+json", ` +
        `<${API}/entities?type=Building&limit=1&offset=2>;rel="next";type="application/ld+json"`,
    )
    const last = await t.send('GET', '/entities?type=Building&limit=1&offset=2')
    expect(last.headers['link']).toBe(
      `<${API}/entities?type=Building&limit=1&offset=1>;rel="prev";type="application/json"`,
    )
    const onlyCount = await t.send('GET', '/entities?type=Building&limit=0&count=true')
    expect(onlyCount.json()).toEqual([])
    expect(onlyCount.headers['ngsild-results-count']).toBe('3')
  })

  it('rejects limits: above the maximum 403 TooManyResults, negative 400, limit=0 without count 400', async () => {
    expectProblem(await t.send('GET', '/entities?type=Building&limit=51'), 403, 'TooManyResults')
    expectProblem(await t.send('GET', '/entities?type=Building&limit=-1'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/entities?type=Building&offset=-1'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/entities?type=Building&limit=0'), 400, 'BadRequestData')
  })

  it('rejects invalid q, scopeQ, geoquery, type and idPattern with BadRequestData', async () => {
    const queries = [
      'q=height>>1',
      'scopeQ=Paris',
      'georel=near&geometry=Point',
      'georel=inside&geometry=Point&coordinates=%5B1,2%5D',
      'idPattern=(',
    ]
    for (const query of queries) {
      expectProblem(await t.send('GET', `/entities?type=Building&${query}`), 400, 'BadRequestData')
    }
    expectProblem(await t.send('GET', '/entities?type=(a'), 400, 'BadRequestData')
  })

  it('answers JSON-LD arrays with @context per element, and GeoJSON FeatureCollections', async () => {
    const ld = await t.send('GET', '/entities?type=Shop', {
      headers: { accept: 'application/ld+json' },
    })
    expect(ld.headers['content-type']).toBe('application/ld+json')
    expect(ld.json()).toEqual([
      expect.objectContaining({ id: 'urn:ngsi-ld:Building:B', '@context': CORE }),
    ])
    const geo = await t.send('GET', '/entities?type=Shop&options=keyValues', {
      headers: { accept: 'application/geo+json' },
    })
    expect(geo.headers['content-type']).toBe('application/geo+json')
    expect(geo.json()).toEqual({
      type: 'FeatureCollection',
      features: [
        {
          id: 'urn:ngsi-ld:Building:B',
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [2.35, 48.86] },
          properties: {
            type: ['Building', 'Shop'],
            height: 20,
            name: 'Shop',
            location: { type: 'Point', coordinates: [2.35, 48.86] },
          },
        },
      ],
      '@context': CORE,
    })
  })

  it('answers 422 for defined but unsupported parameters and 400 InvalidRequest for unknown ones', async () => {
    expectProblem(
      await t.send('GET', '/entities?type=Building&splitEntities=true'),
      422,
      'OperationNotSupported',
    )
    expectProblem(
      await t.send('GET', '/entities?type=Building&invalidParam=1'),
      400,
      'InvalidRequest',
    )
  })
})

describe('POST /entityOperations/query (§6.23)', () => {
  it('queries with a Query body: entities, attrs, q, geoQ', async () => {
    const res = await t.send('POST', '/entityOperations/query?count=true', {
      body: {
        type: 'Query',
        entities: [{ type: 'Building' }, { id: 'urn:ngsi-ld:Park:P', type: 'Park' }],
        q: 'height<100|name',
        geoQ: {
          georel: 'near;maxDistance==2000000',
          geometry: 'Point',
          coordinates: [2.35, 48.86],
        },
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['ngsild-results-count']).toBe('2')
    expect(ids(res)).toEqual(['urn:ngsi-ld:Building:B', 'urn:ngsi-ld:Building:C'])
  })

  it('projects attrs and honours format', async () => {
    const res = await t.send('POST', '/entityOperations/query?format=keyValues', {
      body: { type: 'Query', entities: [{ type: 'Park' }], attrs: ['name'] },
    })
    expect(res.json()).toEqual([
      { id: 'urn:ngsi-ld:Park:P', type: 'Park', name: { dataset: { 'urn:ds:de': 'Tiergarten' } } },
    ])
  })

  it('rejects a body that is not a Query and a query without any selector', async () => {
    expectProblem(
      await t.send('POST', '/entityOperations/query', {
        body: { type: 'Nope', entities: [{ type: 'Building' }] },
      }),
      400,
      'BadRequestData',
    )
    expectProblem(
      await t.send('POST', '/entityOperations/query', { body: { type: 'Query' } }),
      400,
      'BadRequestData',
    )
    expectProblem(
      await t.send('POST', '/entityOperations/query', {
        body: { type: 'Query', entities: [{ id: 'x' }] },
      }),
      400,
      'BadRequestData',
    )
    expectProblem(
      await t.send('POST', '/entityOperations/query', { body: '[' }),
      400,
      'InvalidRequest',
    )
  })
})
