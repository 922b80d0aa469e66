/**
 * ETSI GS CIM 014 Retrieve Entity (TP/NGSI-LD/ContextInformation/Consumption/Entity/RetrieveEntity)
 * re-stated against the built `civitas start`: GET /entities/{id} with attrs, representations,
 * GeoJSON, @context resolution, languages, pick/omit and the 4.5.x representation rules.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { CORE_CONTEXT, uniqueUrn, type Reply } from '../support/broker.js'
import {
  buildingSimple,
  createEntity,
  expectMatches,
  expectProblem,
  link,
  NS,
  qs,
  useTestContexts,
} from './suite-helpers.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const contexts = useTestContexts(broker)

function retrieve(
  id: string,
  params: Record<string, string | undefined> = {},
  headers: Record<string, string> = {},
): Promise<Reply> {
  return broker.request('GET', `/entities/${id}${qs(params)}`, { headers })
}

/** building-simple-attributes as the core context alone renders it (full IRIs). */
function expandedBuilding(id: string): Record<string, unknown> {
  return {
    id,
    type: `${NS}Building`,
    [`${NS}name`]: { type: 'Property', value: 'Eiffel Tower' },
    [`${NS}subCategory`]: { type: 'Property', value: 'tourism' },
    [`${NS}airQualityLevel`]: {
      type: 'Property',
      value: 4,
      unitCode: 'C62',
      observedAt: '2020-09-09T16:40:00.000Z',
    },
    [`${NS}almostFull`]: { type: 'Property', value: false },
  }
}

function simplifiedExpandedBuilding(id: string): Record<string, unknown> {
  return {
    id,
    type: `${NS}Building`,
    [`${NS}name`]: 'Eiffel Tower',
    [`${NS}subCategory`]: 'tourism',
    [`${NS}airQualityLevel`]: 4,
    [`${NS}almostFull`]: false,
    '@context': [CORE_CONTEXT],
  }
}

describe('TP 018_01 get an entity by id', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
  })

  it('018_01_01 GET /entities/{id} as JSON-LD without a Link returns the entity with full IRIs', async () => {
    const r = await retrieve(id, {}, { accept: 'application/ld+json' })
    expect(r.status).toBe(200)
    expectMatches({ ...expandedBuilding(id), '@context': [CORE_CONTEXT] }, r.body, {
      anyCoreContext: true,
    })
  })

  it('018_01_02 attrs given as full IRIs return only those attributes', async () => {
    const r = await retrieve(
      id,
      { attrs: `${NS}airQualityLevel,${NS}subCategory` },
      { accept: 'application/ld+json' },
    )
    expect(r.status).toBe(200)
    const all = expandedBuilding(id)
    expectMatches(
      {
        id,
        type: all.type,
        [`${NS}airQualityLevel`]: all[`${NS}airQualityLevel`],
        [`${NS}subCategory`]: all[`${NS}subCategory`],
        '@context': [CORE_CONTEXT],
      },
      r.body,
      { anyCoreContext: true },
    )
  })
})

describe('TP 018_02/018_03 retrieve errors', () => {
  it('018_02_01 an entity id that is not a URI answers 400 BadRequestData', async () => {
    const r = await retrieve('thisisaninvaliduri', {}, { accept: 'application/ld+json' })
    expectProblem(r, 400, 'BadRequestData')
  })

  it('018_03_01 an unknown entity id answers 404 ResourceNotFound', async () => {
    const r = await retrieve(uniqueUrn('Building'), {}, { accept: 'application/ld+json' })
    expectProblem(r, 404, 'ResourceNotFound')
  })

  it('018_03_02 attrs naming no attribute of the entity answers 404 ResourceNotFound', async () => {
    const id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
    const r = await retrieve(id, { attrs: 'property_not_found' }, { accept: 'application/ld+json' })
    expectProblem(r, 404, 'ResourceNotFound')
  })
})

describe('TP 018_04/018_15 representations', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
  })
  const check = async (
    format: string | undefined,
    options: string | undefined,
    simplified: boolean,
  ) => {
    const r = await retrieve(id, { format, options }, { accept: 'application/ld+json' })
    expect(r.status).toBe(200)
    expectMatches(
      simplified
        ? simplifiedExpandedBuilding(id)
        : { ...expandedBuilding(id), '@context': [CORE_CONTEXT] },
      r.body,
      { anyCoreContext: true },
    )
  }

  it('018_04_01 options=keyValues returns the simplified representation', () =>
    check(undefined, 'keyValues', true))
  it('018_15_01 format=keyValues returns the simplified representation', () =>
    check('keyValues', undefined, true))
  it('018_15_02 format=simplified returns the simplified representation', () =>
    check('simplified', undefined, true))
  it('018_15_03 format=normalized returns the normalized representation', () =>
    check('normalized', undefined, false))
  it('018_15_04 options=keyValues returns the simplified representation', () =>
    check(undefined, 'keyValues', true))
  it('018_15_05 options=simplified returns the simplified representation', () =>
    check(undefined, 'simplified', true))
  it('018_15_06 options=normalized returns the normalized representation', () =>
    check(undefined, 'normalized', false))
  it('018_15_07 format=keyValues wins over options=normalized', () =>
    check('keyValues', 'normalized', true))
})

describe('TP 018_05 GeoJSON retrieval', () => {
  let id: string
  const location = { type: 'Point', coordinates: [13.3986, 52.5547] }
  const observationSpace = { type: 'Point', coordinates: [11.1111, 11.1111] }
  const normalizedProps = () => ({
    type: 'Building',
    name: { type: 'Property', value: 'Eiffel Tower' },
    subCategory: { type: 'Property', value: 'tourism' },
    location: { type: 'GeoProperty', value: location },
    observationSpace: { type: 'GeoProperty', value: observationSpace },
  })
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(
      broker,
      {
        id,
        type: 'Building',
        name: { type: 'Property', value: 'Eiffel Tower' },
        subCategory: { type: 'Property', value: 'tourism' },
        location: { type: 'GeoProperty', value: location },
        observationSpace: { type: 'GeoProperty', value: observationSpace },
      },
      { context: [contexts.compound] },
    )
  })
  const geo = (params: Record<string, string | undefined>) =>
    retrieve(id, params, { accept: 'application/geo+json', link: link(contexts.compound) })

  it('018_05_01 keyValues as GeoJSON is a Feature with simplified properties', async () => {
    const r = await geo({ options: 'keyValues' })
    expect(r.status).toBe(200)
    expectMatches(
      {
        id,
        type: 'Feature',
        geometry: location,
        properties: {
          type: 'Building',
          name: 'Eiffel Tower',
          subCategory: 'tourism',
          location,
          observationSpace,
        },
        '@context': [contexts.compound],
      },
      r.body,
    )
  })

  /** A normalized GeoJSON Feature with `geometry`, as retrieved with `params`. */
  const expectFeature = async (
    params: Record<string, string | undefined>,
    geometry: unknown,
    context: unknown = [contexts.compound],
  ) => {
    const r = await geo(params)
    expect(r.status).toBe(200)
    expectMatches(
      { id, type: 'Feature', geometry, properties: normalizedProps(), '@context': context },
      r.body,
    )
  }

  it('018_05_02 normalized as GeoJSON is a Feature with normalized properties', () =>
    expectFeature({}, location))

  it('018_05_03 geometryProperty=observationSpace takes the geometry from that attribute', () =>
    expectFeature({ geometryProperty: 'observationSpace' }, observationSpace))

  it('018_05_04 a geometryProperty the entity lacks gives a null geometry', () =>
    expectFeature({ geometryProperty: 'operationSpace' }, null, contexts.compound))
})

describe('TP 018_06 @context from the Link header', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    const { id: _drop, type: _type, ...attrs } = buildingSimple(id)
    void _drop
    void _type
    await createEntity(
      broker,
      { id, type: 'Building', ...attrs },
      { context: contexts.compound, as: 'json' },
    )
  })

  it('018_06_01 without a Link the core context alone renders the entity (full IRIs)', async () => {
    const r = await retrieve(id, {}, { accept: 'application/json' })
    expect(r.status).toBe(200)
    expectMatches(expandedBuilding(id), r.body)
  })

  it('018_06_02 with the creation-time context in a Link the entity is compacted', async () => {
    const r = await retrieve(id, {}, { accept: 'application/json', link: link(contexts.compound) })
    expect(r.status).toBe(200)
    expectMatches(buildingSimple(id), r.body)
  })
})

describe('TP 018_07 language filter', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(
      broker,
      {
        id,
        type: 'Building',
        street: { type: 'LanguageProperty', languageMap: { fr: 'Grand Place', nl: 'Grote Markt' } },
      },
      { context: [contexts.compound] },
    )
  })
  const fr = () => ({
    id,
    type: 'Building',
    street: { type: 'Property', value: 'Grand Place', lang: 'fr' },
    '@context': [contexts.compound],
  })
  const check = async (lang: string, options: string | undefined, expected: unknown) => {
    const r = await retrieve(
      id,
      { lang, options },
      { accept: 'application/ld+json', link: link(contexts.compound) },
    )
    expect(r.status).toBe(200)
    expectMatches(expected, r.body)
  }

  it('018_07_01 lang=fr returns the French value as a Property with lang', () =>
    check('fr', undefined, fr()))
  it('018_07_02 lang=fr-CH,fr returns the French value', () => check('fr-CH,fr', undefined, fr()))
  it('018_07_03 lang=* returns one available language', () => check('*', undefined, fr()))
  it('018_07_04 ranked languages return the best available one', () =>
    check('fr-CH,fr;q=0.9,en;q=0.8,*;q=0.5', undefined, fr()))
  it('018_07_05 lang=fr with keyValues returns the bare French string', () =>
    check('fr', 'keyValues', {
      id,
      type: 'Building',
      street: 'Grand Place',
      '@context': [contexts.compound],
    }))
  it('018_07_06 lang=* with keyValues returns one bare string', () =>
    check('*', 'keyValues', {
      id,
      type: 'Building',
      street: 'Grand Place',
      '@context': [contexts.compound],
    }))
})

describe('TP 018_08/018_09 observationSpace and operationSpace', () => {
  const polygon = {
    type: 'Polygon',
    coordinates: [
      [
        [100.0, 0.0],
        [101.0, 0.0],
        [101.0, 1.0],
        [100.0, 1.0],
        [100.0, 0.0],
      ],
    ],
  }
  const create = async (space: string) => {
    const id = uniqueUrn('Building')
    await createEntity(
      broker,
      {
        id,
        type: 'Building',
        name: { type: 'Property', value: 'Eiffel Tower' },
        [space]: { type: 'GeoProperty', value: polygon },
      },
      { context: [contexts.compound] },
    )
    return id
  }
  const check = async (space: string, options: string | undefined) => {
    const id = await create(space)
    const r = await retrieve(id, { options }, { link: link(contexts.compound) })
    expect(r.status).toBe(200)
    expectMatches(
      options === 'keyValues'
        ? { id, type: 'Building', name: 'Eiffel Tower', [space]: polygon }
        : {
            id,
            type: 'Building',
            name: { type: 'Property', value: 'Eiffel Tower' },
            [space]: { type: 'GeoProperty', value: polygon },
          },
      r.body,
    )
  }
  it('018_08_01 observationSpace in keyValues', () => check('observationSpace', 'keyValues'))
  it('018_08_02 observationSpace normalized', () => check('observationSpace', undefined))
  it('018_09_01 operationSpace in keyValues', () => check('operationSpace', 'keyValues'))
  it('018_09_02 operationSpace normalized', () => check('operationSpace', undefined))
})

describe('TP 018_16 faulty format or options', () => {
  const check = async (format: string | undefined, options: string | undefined) => {
    const r = await retrieve(
      uniqueUrn('Building'),
      { format, options },
      { accept: 'application/ld+json' },
    )
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/InvalidRequest',
    )
  }
  it('018_16_01 an invalid format answers 400 InvalidRequest', () =>
    check('invalidFormat', undefined))
  it('018_16_02 an invalid options answers 400 InvalidRequest', () =>
    check(undefined, 'invalidOptions'))
  it('018_16_03 one invalid options value among valid ones answers 400 InvalidRequest', () =>
    check(undefined, 'keyValues,invalid'))
  it('018_16_04 a valid format with an invalid options answers 400 InvalidRequest', () =>
    check('keyValues', 'invalid'))
})

describe('TP 018_17/018_18/018_19 pick and omit', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
  })
  const get = (params: Record<string, string | undefined>) =>
    retrieve(id, params, { accept: 'application/json', link: link(contexts.compound) })
  const check = async (pick: string | undefined, omit: string | undefined, keys: string[]) => {
    const r = await get({ pick, omit })
    expect(r.status).toBe(200)
    const all = buildingSimple(id)
    expectMatches(Object.fromEntries(keys.map((k) => [k, all[k]])), r.body)
  }
  const rest = ['subCategory', 'airQualityLevel', 'almostFull']

  it('018_17_01 pick=name keeps only name', () => check('name', undefined, ['name']))
  it('018_17_02 omit=name drops name', () => check(undefined, 'name', ['id', 'type', ...rest]))
  it('018_17_03 pick=id keeps only id', () => check('id', undefined, ['id']))
  it('018_17_04 omit=id drops id', () => check(undefined, 'id', ['type', 'name', ...rest]))
  it('018_17_05 pick=id,name keeps id and name', () => check('id,name', undefined, ['id', 'name']))
  it('018_17_06 omit=type,name drops type and name', () =>
    check(undefined, 'type,name', ['id', ...rest]))

  const bad = async (params: Record<string, string>) => {
    const r = await get(params)
    expectProblem(r, 400, 'BadRequestData')
  }
  it('018_18_01 the same member in pick and omit answers 400 BadRequestData', () =>
    bad({ pick: 'name', omit: 'name' }))
  it('018_18_02 pick with attrs answers 400 BadRequestData', () =>
    bad({ pick: 'name', attrs: 'category' }))
  it('018_18_03 omit with attrs answers 400 BadRequestData', () =>
    bad({ omit: 'name', attrs: 'category' }))
  it('018_18_04 an invalid character in pick answers 400 BadRequestData', () =>
    bad({ pick: 'id;name' }))
  it('018_18_05 an unclosed brace in pick answers 400 BadRequestData', () =>
    bad({ pick: 'id,locatedAt{name' }))
  it('018_18_06 a double brace in pick answers 400 BadRequestData', () =>
    bad({ pick: 'id,locatedAt{{name}' }))
  it('018_18_07 consecutive separators in pick answer 400 BadRequestData', () =>
    bad({ pick: 'id,,name' }))
  it('018_18_08 a nested expression starting with a separator answers 400 BadRequestData', () =>
    bad({ pick: 'id,locatedAt{,name}' }))
  it('018_18_09 an empty nested expression answers 400 BadRequestData', () =>
    bad({ pick: 'id,locatedAt{}' }))

  it('018_19_01 a pick matching no member answers 404 ResourceNotFound', async () => {
    expectProblem(await get({ pick: 'unknown' }), 404, 'ResourceNotFound')
  })
  it('018_19_02 an omit of every member answers 404 ResourceNotFound', async () => {
    expectProblem(
      await get({ omit: 'id,type,name,subCategory,airQualityLevel,almostFull' }),
      404,
      'ResourceNotFound',
    )
  })
})

describe('TP 415_01 language filter matching rules', () => {
  let plain: string
  let regional: string
  beforeAll(async () => {
    plain = uniqueUrn('Building')
    regional = uniqueUrn('Building')
    await createEntity(
      broker,
      {
        id: plain,
        type: 'Building',
        street: { type: 'LanguageProperty', languageMap: { fr: 'Grand Place', nl: 'Grote Markt' } },
      },
      { context: [contexts.compound] },
    )
    await createEntity(
      broker,
      {
        id: regional,
        type: 'Building',
        street: {
          type: 'LanguageProperty',
          languageMap: { de: 'Hauptplatz', 'en-US': 'Main Square' },
        },
      },
      { context: [contexts.compound] },
    )
  })
  const street = async (id: string, lang: string) => {
    const r = await retrieve(
      id,
      { lang },
      { accept: 'application/ld+json', link: link(contexts.compound) },
    )
    expect(r.status).toBe(200)
    const s = (r.body as { street: Record<string, unknown> }).street
    expect(s.type).toBe('Property')
    expect(s).not.toHaveProperty('languageMap')
    return s
  }
  it('415_01_01 q-values outrank list position', async () => {
    expect(await street(plain, 'fr;q=0.2,nl;q=0.9')).toMatchObject({
      lang: 'nl',
      value: 'Grote Markt',
    })
  })
  it('415_01_02 language tags compare case-insensitively', async () => {
    expect(await street(plain, 'FR')).toMatchObject({ lang: 'fr', value: 'Grand Place' })
  })
  it('415_01_03 a longer range truncates onto a shorter tag', async () => {
    expect(await street(plain, 'nl-BE')).toMatchObject({ lang: 'nl', value: 'Grote Markt' })
  })
  it('415_01_04 a shorter range matches a longer tag', async () => {
    expect(await street(regional, 'en')).toMatchObject({ lang: 'en-US', value: 'Main Square' })
  })
  it('415_01_05 no matching language falls back to any supported one, named in lang', async () => {
    const s = await street(plain, 'pt')
    expect(s.lang).toBeTruthy()
  })
})

describe('TP 421_01 pick or-operator spellings', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
  })
  const picked = (pick: string) => retrieve(id, { pick }, { link: link(contexts.compound) })

  it('421_01_01 pipe and comma pick the same attributes', async () => {
    const comma = await picked('name,airQualityLevel')
    const pipe = await picked('name|airQualityLevel')
    expect(comma.status).toBe(200)
    expect(pipe.status).toBe(200)
    expect(pipe.body).toEqual(comma.body)
    expect(pipe.body).not.toHaveProperty('subCategory')
    expect(pipe.body).toHaveProperty('name')
  })

  it('421_01_02 an empty projection member answers 400', async () => {
    expect((await picked('name||airQualityLevel')).status).toBe(400)
  })
})

describe('TP 4516_01/4517_01/454_01 GeoJSON and simplified representation rules', () => {
  const gps = 'urn:ngsi-ld:Dataset:gps'
  /** Creates a Vehicle with `attrs` under the compound context; its id. */
  const vehicle = async (attrs: Record<string, unknown>): Promise<string> => {
    const id = uniqueUrn('Vehicle')
    await createEntity(broker, { id, type: 'Vehicle', ...attrs }, { context: [contexts.compound] })
    return id
  }

  it('4516_01_01 the Feature takes the default location instance and keeps id out of properties', async () => {
    const id = await vehicle({
      location: [
        { type: 'GeoProperty', value: { type: 'Point', coordinates: [9, 9] }, datasetId: gps },
        { type: 'GeoProperty', value: { type: 'Point', coordinates: [1, 2] } },
      ],
      speed: { type: 'Property', value: 5 },
    })
    const r = await retrieve(
      id,
      {},
      { accept: 'application/geo+json', link: link(contexts.compound) },
    )
    expect(r.status).toBe(200)
    const body = r.body as {
      type: string
      id: string
      geometry: unknown
      properties: Record<string, unknown>
    }
    expect(body.type).toBe('Feature')
    expect(body.id).toBe(id)
    expect(body.geometry).toEqual({ type: 'Point', coordinates: [1, 2] })
    expect(body.properties.type).toBe('Vehicle')
    expect(body.properties).not.toHaveProperty('id')
    expect(body.properties).toHaveProperty('speed')
  })

  it('4516_01_02 a non-geometry or missing GeoProperty gives a null geometry', async () => {
    const id = await vehicle({ speed: { type: 'Property', value: 5 } })
    const headers = { accept: 'application/geo+json', link: link(contexts.compound) }
    const bySpeed = await retrieve(id, { geometryProperty: 'speed' }, headers)
    expect(bySpeed.status).toBe(200)
    expect((bySpeed.body as { geometry: unknown }).geometry).toBeNull()
    const byDefault = await retrieve(id, {}, headers)
    expect((byDefault.body as { geometry: unknown }).geometry).toBeNull()
  })

  it('4516_01_03 a query answers a FeatureCollection without per-Feature @context', async () => {
    const id = await vehicle({
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [1, 2] } },
    })
    const r = await broker.request('GET', `/entities${qs({ type: 'Vehicle', id })}`, {
      headers: { accept: 'application/geo+json', link: link(contexts.compound) },
    })
    expect(r.status).toBe(200)
    const body = r.body as { type: string; features: Record<string, unknown>[] }
    expect(body.type).toBe('FeatureCollection')
    expect(body.features).toHaveLength(1)
    expect(body.features[0]?.type).toBe('Feature')
    expect(body.features[0]).not.toHaveProperty('@context')
  })

  it('4517_01 simplified GeoJSON uses the dataset map and the default geometry', async () => {
    const id = await vehicle({
      location: [
        { type: 'GeoProperty', value: { type: 'Point', coordinates: [9, 9] }, datasetId: gps },
        { type: 'GeoProperty', value: { type: 'Point', coordinates: [3, 4] } },
      ],
      speed: { type: 'Property', value: 5 },
    })
    const r = await retrieve(
      id,
      { options: 'keyValues' },
      { accept: 'application/geo+json', link: link(contexts.compound) },
    )
    expect(r.status).toBe(200)
    const body = r.body as { type: string; geometry: unknown; properties: Record<string, unknown> }
    expect(body.type).toBe('Feature')
    expect(body.geometry).toEqual({ type: 'Point', coordinates: [3, 4] })
    expect(body.properties.speed).toBe(5)
    const loc = body.properties.location as { dataset: Record<string, unknown> }
    expect(Object.keys(loc).sort()).toEqual(['dataset'])
    expect(Object.keys(loc.dataset).sort()).toEqual(['@none', gps])
    const reified = Object.entries(body.properties).filter(
      ([, v]) => typeof v === 'object' && v !== null && 'type' in v && 'value' in v,
    )
    expect(reified).toEqual([])
  })

  it('454_01 keyValues renders each attribute type in its simplified form', async () => {
    const id = await vehicle({
      speed: [
        { type: 'Property', value: 55 },
        { type: 'Property', value: 11, datasetId: gps },
      ],
      brandName: { type: 'LanguageProperty', languageMap: { en: 'hi' } },
      street: { type: 'JsonProperty', json: { a: 1 } },
      category: { type: 'VocabProperty', vocab: 'non-commercial' },
      tyreTreadDepths: { type: 'ListProperty', valueList: [1.2, 3.4] },
      isParked: { type: 'Relationship', object: 'urn:ngsi-ld:OffStreetParking:1' },
      route: {
        type: 'ListRelationship',
        objectList: ['urn:ngsi-ld:Road:1', 'urn:ngsi-ld:Road:2'],
      },
    })
    const r = await retrieve(id, { options: 'keyValues' }, { link: link(contexts.compound) })
    expect(r.status).toBe(200)
    const body = r.body as Record<string, unknown>
    expect(body.brandName).toEqual({ languageMap: { en: 'hi' } })
    expect(body.street).toEqual({ json: { a: 1 } })
    expect(body.category).toEqual({ vocab: 'non-commercial' })
    expect(body.tyreTreadDepths).toEqual([1.2, 3.4])
    expect(body.isParked).toBe('urn:ngsi-ld:OffStreetParking:1')
    expect(body.route).toEqual(['urn:ngsi-ld:Road:1', 'urn:ngsi-ld:Road:2'])
    expect(body.speed).toEqual({ dataset: { '@none': 55, [gps]: 11 } })
    const reified = Object.entries(body).filter(
      ([, v]) => typeof v === 'object' && v !== null && 'type' in v && 'value' in v,
    )
    expect(reified).toEqual([])
  })
})

describe('TP 5711_01 retrieve selectors', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(broker, buildingSimple(id), { context: [contexts.compound] })
  })

  it('5711_01_01 a type selector the entity does not match answers 404, a matching one 200', async () => {
    const headers = { accept: 'application/json', link: link(contexts.compound) }
    expectProblem(await retrieve(id, { type: 'Vehicle' }, headers), 404, 'ResourceNotFound')
    expect((await retrieve(id, { type: 'Building' }, headers)).status).toBe(200)
  })

  it('5711_01_02 geometryProperty without a GeoJSON Accept answers 400 BadRequestData', async () => {
    const r = await retrieve(
      id,
      { geometryProperty: 'location' },
      { accept: 'application/ld+json' },
    )
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
    )
    const geo = await retrieve(
      id,
      { geometryProperty: 'location' },
      { accept: 'application/geo+json' },
    )
    expect(geo.status).toBe(200)
  })

  it('5711_01_03 a linked-entity projection without join answers 400 BadRequestData', async () => {
    const r = await retrieve(id, { pick: 'owner{name}' }, { accept: 'application/ld+json' })
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
    )
  })
})

describe('TP 436_08 backwards-compatible payloads (Prefer: ngsi-ld=<version>)', () => {
  let id: string
  beforeAll(async () => {
    id = uniqueUrn('Building')
    await createEntity(
      broker,
      { id, type: 'Building', vocabProperty: { type: 'VocabProperty', vocab: 'Building' } },
      { context: [contexts.compound] },
    )
  })
  const withPrefer = (prefer: string) => retrieve(id, {}, { link: link(contexts.compound), prefer })

  it('436_08_01 preferring 1.5 reformats a VocabProperty as a Property (203)', async () => {
    const r = await withPrefer('ngsi-ld=1.5')
    expect(r.status).toBe(203)
    expect(r.headers.get('preference-applied')).toBe('ngsi-ld=1.5')
    expect((r.body as { vocabProperty: { type: string } }).vocabProperty.type).toBe('Property')
  })

  it('436_08_02 preferring 1.9 leaves the payload untouched (200)', async () => {
    const r = await withPrefer('ngsi-ld=1.9')
    expect(r.status).toBe(200)
    expect(r.headers.get('preference-applied')).toBe('ngsi-ld=1.9')
    expect((r.body as { vocabProperty: { type: string } }).vocabProperty.type).toBe('VocabProperty')
  })
})

describe('TP 6311_01 expiresAt only with sysAttrs', () => {
  const id = uniqueUrn('Vehicle')
  beforeAll(async () => {
    const r = await broker.request('POST', '/entities/', {
      body: {
        id,
        type: 'Vehicle',
        expiresAt: '2100-01-01T00:00:00Z',
        speed: {
          type: 'Property',
          value: 7,
          observedAt: '2026-08-13T00:00:00Z',
          expiresAt: '2100-01-01T00:00:00Z',
        },
      },
    })
    expect(r.status, r.text).toBe(201)
  })

  it('6311_01_01 a plain retrieve shows no expiresAt', async () => {
    const r = await retrieve(id)
    expect(r.status).toBe(200)
    expect(r.text).not.toContain('expiresAt')
    expect(r.text).toContain('speed')
  })

  it('6311_01_02 options=sysAttrs shows expiresAt on the entity and the attribute', async () => {
    const r = await retrieve(id, { options: 'sysAttrs' })
    expect(r.status).toBe(200)
    const body = r.body as { expiresAt: string; speed: { expiresAt: string } }
    expect(body.expiresAt).toBe('2100-01-01T00:00:00Z')
    expect(body.speed.expiresAt).toBe('2100-01-01T00:00:00Z')
    expect(r.text).toContain('createdAt')
  })

  it('6311_01_03 the temporal evolution follows the same sysAttrs gate', async () => {
    const window = { timerel: 'after', timeAt: '2020-01-01T00:00:00Z' }
    const plain = await broker.request('GET', `/temporal/entities/${id}${qs(window)}`)
    expect([200, 206]).toContain(plain.status)
    expect(plain.text).not.toContain('expiresAt')
    const sys = await broker.request(
      'GET',
      `/temporal/entities/${id}${qs({ ...window, options: 'sysAttrs' })}`,
    )
    expect([200, 206]).toContain(sys.status)
    expect(sys.text).toContain('expiresAt')
    expect((sys.body as { expiresAt: string }).expiresAt).toBe('2100-01-01T00:00:00Z')
  })
})
