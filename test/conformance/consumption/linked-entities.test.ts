/**
 * ETSI GS CIM 014 linked-entity retrieval (§4.5.23, join=inline|flat, joinLevel, nested pick and
 * omit) re-stated against the built `civitas start`, for Retrieve Entity (018_10..018_14,
 * 018_20, 018_21) and Query Entities (019_13..019_16, 019_20..019_24, 019_33, 5722_01_04).
 * Every case runs in its own tenant: the suite's fixtures reuse fixed ids (City:Paris, …).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { type Reply } from '../support/broker.js'
import {
  createEntity,
  expectMatches,
  expectProblem,
  link,
  qs,
  uniqueTenant,
  useTestContexts,
} from './suite-helpers.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const contexts = useTestContexts(broker)

type Json = Record<string, unknown>
const rel = (object: string) => ({ type: 'Relationship', object })
const prop = (value: unknown) => ({ type: 'Property', value })

const building = (id: string, city: string): Json => ({
  id,
  type: 'Building',
  locatedAt: rel(city),
})
const cityMinimal = (id: string): Json => ({ id, type: 'City' })
const cityRel = (id: string, country: string): Json => ({
  id,
  type: 'City',
  locatedAt: rel(country),
})
const countryMinimal = (id: string): Json => ({ id, type: 'Country' })
const citySimple = (id: string, country: string): Json => ({
  id,
  type: 'City',
  name: prop('Paris'),
  description: prop('Paris is the capital and largest city of France'),
  isInCountry: rel(country),
})
const countrySimple = (id: string): Json => ({
  id,
  type: 'Country',
  name: prop('France'),
  description: prop('France is an European country'),
})
const buildingTypes = (id: string, city: string): Json => ({
  id,
  type: 'Building',
  name: prop('Eiffel Tower'),
  locatedAt: rel(city),
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [-8.5, 41.2] } },
  street: { type: 'LanguageProperty', languageMap: { fr: 'Grand Place', nl: 'Grote Markt' } },
})

async function setup(entities: Json[]): Promise<string> {
  const t = uniqueTenant('join')
  for (const e of entities)
    await createEntity(broker, e, { context: [contexts.compound], tenant: t })
  return t
}

function retrieve(
  t: string,
  id: string,
  params: Record<string, string | undefined>,
): Promise<Reply> {
  return broker.request('GET', `/entities/${id}${qs(params)}`, {
    headers: { link: link(contexts.compound) },
    tenant: t,
  })
}

function query(t: string, params: Record<string, string | undefined>): Promise<Reply> {
  return broker.request('GET', `/entities${qs({ type: 'Building', ...params })}`, {
    headers: { link: link(contexts.compound) },
    tenant: t,
  })
}

function pick(e: Json, keys: string[]): Json {
  return Object.fromEntries(Object.entries(e).filter(([k]) => keys.includes(k)))
}
function omit(e: Json, keys: string[]): Json {
  return Object.fromEntries(Object.entries(e).filter(([k]) => !keys.includes(k)))
}

const B = 'urn:ngsi-ld:Building:018-10'
const PARIS = 'urn:ngsi-ld:City:Paris'
const FRANCE = 'urn:ngsi-ld:Country:France'

describe('TP 018_10/018_11/018_12 one linked level on Retrieve Entity', () => {
  const check = async (join: string, options: string | undefined, expected: unknown) => {
    const t = await setup([building(B, PARIS), cityMinimal(PARIS)])
    const r = await retrieve(t, B, { join, joinLevel: '1', options })
    expect(r.status, r.text).toBe(200)
    expectMatches(expected, r.body)
  }
  it('018_10_01 inline normalized', () =>
    check('inline', undefined, {
      ...building(B, PARIS),
      locatedAt: { ...rel(PARIS), entity: cityMinimal(PARIS) },
    }))
  it('018_10_02 flat normalized', () =>
    check('flat', undefined, [building(B, PARIS), cityMinimal(PARIS)]))
  it('018_10_03 inline simplified', () =>
    check('inline', 'keyValues', { id: B, type: 'Building', locatedAt: cityMinimal(PARIS) }))
  it('018_10_04 flat simplified', () =>
    check('flat', 'keyValues', [{ id: B, type: 'Building', locatedAt: PARIS }, cityMinimal(PARIS)]))

  it('018_11_01 inline with sysAttrs gives the linked entity its createdAt', async () => {
    const t = await setup([building(B, PARIS), cityMinimal(PARIS)])
    const r = await retrieve(t, B, { join: 'inline', joinLevel: '1', options: 'sysAttrs' })
    expect(r.status).toBe(200)
    expect((r.body as { locatedAt: { entity: Json } }).locatedAt.entity).toHaveProperty('createdAt')
  })

  it('018_12_01 flat with sysAttrs gives every entity its createdAt', async () => {
    const t = await setup([building(B, PARIS), cityMinimal(PARIS)])
    const r = await retrieve(t, B, { join: 'flat', joinLevel: '1', options: 'sysAttrs' })
    expect(r.status).toBe(200)
    const body = r.body as Json[]
    expect(body[0]).toHaveProperty('createdAt')
    expect(body[1]).toHaveProperty('createdAt')
  })
})

describe('TP 018_13 two linked levels on Retrieve Entity', () => {
  const check = async (join: string, options: string | undefined, expected: unknown) => {
    const t = await setup([building(B, PARIS), cityRel(PARIS, FRANCE), countryMinimal(FRANCE)])
    const r = await retrieve(t, B, { join, joinLevel: '2', options })
    expect(r.status, r.text).toBe(200)
    expectMatches(expected, r.body)
  }
  it('018_13_01 inline normalized', () =>
    check('inline', undefined, {
      ...building(B, PARIS),
      locatedAt: {
        ...rel(PARIS),
        entity: {
          ...cityRel(PARIS, FRANCE),
          locatedAt: { ...rel(FRANCE), entity: countryMinimal(FRANCE) },
        },
      },
    }))
  it('018_13_02 flat normalized', () =>
    check('flat', undefined, [building(B, PARIS), cityRel(PARIS, FRANCE), countryMinimal(FRANCE)]))
  it('018_13_03 inline simplified', () =>
    check('inline', 'keyValues', {
      id: B,
      type: 'Building',
      locatedAt: { id: PARIS, type: 'City', locatedAt: countryMinimal(FRANCE) },
    }))
  it('018_13_04 flat simplified', () =>
    check('flat', 'keyValues', [
      { id: B, type: 'Building', locatedAt: PARIS },
      { id: PARIS, type: 'City', locatedAt: FRANCE },
      countryMinimal(FRANCE),
    ]))
})

describe('TP 018_14 a linked entity that does not exist', () => {
  const check = async (join: string) => {
    const t = await setup([building(B, PARIS)])
    const r = await retrieve(t, B, { join, joinLevel: '1' })
    expect(r.status, r.text).toBe(200)
    expectMatches(building(B, PARIS), r.body)
  }
  it('018_14_01 inline returns the entity as it is', () => check('inline'))
  it('018_14_02 flat returns the entity alone, not an array', () => check('flat'))
})

describe('TP 018_20/018_21 nested pick and omit on Retrieve Entity', () => {
  const entities = () => [building(B, PARIS), citySimple(PARIS, FRANCE), countrySimple(FRANCE)]
  const check = async (params: Record<string, string>, expected: unknown) => {
    const t = await setup(entities())
    const r = await retrieve(t, B, { joinLevel: '2', local: 'true', ...params })
    expect(r.status, r.text).toBe(200)
    expectMatches(expected, r.body)
  }
  const city = citySimple(PARIS, FRANCE)
  const country = countrySimple(FRANCE)
  it('018_20_01 inline with pick on the linked entity', () =>
    check(
      { join: 'inline', pick: 'id,locatedAt{id,name}' },
      {
        id: B,
        locatedAt: { ...rel(PARIS), entity: pick(city, ['id', 'name']) },
      },
    ))
  it('018_20_02 flat with pick on the linked entity', () =>
    check({ join: 'flat', pick: 'id,locatedAt{id,name}' }, [
      { id: B, locatedAt: rel(PARIS) },
      pick(city, ['id', 'name']),
    ]))
  it('018_20_03 inline with pick on the second level', () =>
    check(
      { join: 'inline', pick: 'id,locatedAt{id,name,isInCountry{id,description}}' },
      {
        id: B,
        locatedAt: {
          ...rel(PARIS),
          entity: {
            ...pick(city, ['id', 'name']),
            isInCountry: { ...rel(FRANCE), entity: pick(country, ['id', 'description']) },
          },
        },
      },
    ))
  it('018_20_04 flat with pick on the second level', () =>
    check({ join: 'flat', pick: 'id,locatedAt{id,name,isInCountry{id,description}}' }, [
      { id: B, locatedAt: rel(PARIS) },
      pick(city, ['id', 'name', 'isInCountry']),
      pick(country, ['id', 'description']),
    ]))
  it('018_21_01 inline with omit on the linked entity', () =>
    check(
      { join: 'inline', omit: 'type,locatedAt{name}' },
      {
        id: B,
        locatedAt: {
          ...rel(PARIS),
          entity: { ...omit(city, ['name']), isInCountry: { ...rel(FRANCE), entity: country } },
        },
      },
    ))
  it('018_21_02 flat with omit on the linked entity', () =>
    check({ join: 'flat', omit: 'type,locatedAt{name}' }, [
      { id: B, locatedAt: rel(PARIS) },
      omit(city, ['name']),
      country,
    ]))
  it('018_21_03 inline with omit on the second level', () =>
    check(
      { join: 'inline', omit: 'type,locatedAt{name,isInCountry{description}}' },
      {
        id: B,
        locatedAt: {
          ...rel(PARIS),
          entity: {
            ...omit(city, ['name']),
            isInCountry: { ...rel(FRANCE), entity: omit(country, ['description']) },
          },
        },
      },
    ))
  it('018_21_04 flat with omit on the second level', () =>
    check({ join: 'flat', omit: 'type,locatedAt{name,isInCountry{description}}' }, [
      { id: B, locatedAt: rel(PARIS) },
      omit(city, ['name']),
      omit(country, ['description']),
    ]))
})

/** Two buildings, each linked to its own city (019_13/019_14/019_15/019_24). */
function twoBuildings(prefix: string): { entities: Json[]; b: string[]; c: string[] } {
  const b = [1, 2].map((i) => `urn:ngsi-ld:Building:${prefix}-${i}`)
  const c = [1, 2].map((i) => `urn:ngsi-ld:City:${prefix}-${i}`)
  return {
    entities: [
      building(b[0]!, c[0]!),
      cityMinimal(c[0]!),
      building(b[1]!, c[1]!),
      cityMinimal(c[1]!),
    ],
    b,
    c,
  }
}

describe('TP 019_13/019_24 one linked level on Query Entities (GET and POST)', () => {
  const { entities, b, c } = twoBuildings('019-13')
  const expected = {
    inline: b.map((id, i) => ({
      ...building(id, c[i]!),
      locatedAt: { ...rel(c[i]!), entity: cityMinimal(c[i]!) },
    })),
    flat: [...b.map((id, i) => building(id, c[i]!)), ...c.map(cityMinimal)],
    inlineKv: b.map((id, i) => ({ id, type: 'Building', locatedAt: cityMinimal(c[i]!) })),
    flatKv: [
      ...b.map((id, i) => ({ id, type: 'Building', locatedAt: c[i] })),
      ...c.map(cityMinimal),
    ],
  }
  const get = async (join: string, options: string | undefined, exp: unknown) => {
    const t = await setup(entities)
    const r = await query(t, { join, joinLevel: '1', options })
    expect(r.status, r.text).toBe(200)
    expectMatches(exp, r.body)
  }
  const post = async (join: string, options: string | undefined, exp: unknown) => {
    const t = await setup(entities)
    const r = await broker.request('POST', `/entityOperations/query${qs({ options })}`, {
      body: { type: 'Query', entities: [{ type: 'Building' }], join },
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        link: link(contexts.compound),
      },
      tenant: t,
    })
    expect(r.status, r.text).toBe(200)
    expectMatches(exp, r.body)
  }
  it('019_13_01 inline normalized', () => get('inline', undefined, expected.inline))
  it('019_13_02 flat normalized', () => get('flat', undefined, expected.flat))
  it('019_13_03 inline simplified', () => get('inline', 'keyValues', expected.inlineKv))
  it('019_13_04 flat simplified', () => get('flat', 'keyValues', expected.flatKv))
  it('019_24_01 POST inline normalized', () => post('inline', undefined, expected.inline))
  it('019_24_02 POST flat normalized', () => post('flat', undefined, expected.flat))
  it('019_24_03 POST inline simplified', () => post('inline', 'keyValues', expected.inlineKv))
  it('019_24_04 POST flat simplified', () => post('flat', 'keyValues', expected.flatKv))

  it('019_14_01 inline with sysAttrs gives each linked entity its createdAt', async () => {
    const t = await setup(entities)
    const r = await query(t, { join: 'inline', joinLevel: '1', options: 'sysAttrs' })
    expect(r.status).toBe(200)
    const body = r.body as { locatedAt: { entity: Json } }[]
    expect(body[0]?.locatedAt.entity).toHaveProperty('createdAt')
    expect(body[1]?.locatedAt.entity).toHaveProperty('createdAt')
  })

  it('019_15_01 flat with sysAttrs gives every entity its createdAt', async () => {
    const t = await setup(entities)
    const r = await query(t, { join: 'flat', joinLevel: '1', options: 'sysAttrs' })
    expect(r.status).toBe(200)
    const body = r.body as Json[]
    expect(body).toHaveLength(4)
    for (const e of body) expect(e).toHaveProperty('createdAt')
  })
})

describe('TP 019_16 two linked levels on Query Entities', () => {
  const b = [1, 2].map((i) => `urn:ngsi-ld:Building:019-16-${i}`)
  const c = [1, 2].map((i) => `urn:ngsi-ld:City:019-16-${i}`)
  const k = [1, 2].map((i) => `urn:ngsi-ld:Country:019-16-${i}`)
  const entities = [0, 1].flatMap((i) => [
    building(b[i]!, c[i]!),
    cityRel(c[i]!, k[i]!),
    countryMinimal(k[i]!),
  ])
  const check = async (join: string, options: string | undefined, exp: unknown) => {
    const t = await setup(entities)
    const r = await query(t, { join, joinLevel: '2', options })
    expect(r.status, r.text).toBe(200)
    expectMatches(exp, r.body)
  }
  it('019_16_01 inline normalized', () =>
    check(
      'inline',
      undefined,
      [0, 1].map((i) => ({
        ...building(b[i]!, c[i]!),
        locatedAt: {
          ...rel(c[i]!),
          entity: {
            ...cityRel(c[i]!, k[i]!),
            locatedAt: { ...rel(k[i]!), entity: countryMinimal(k[i]!) },
          },
        },
      })),
    ))
  it('019_16_02 flat normalized', () =>
    check('flat', undefined, [
      ...[0, 1].map((i) => building(b[i]!, c[i]!)),
      ...[0, 1].map((i) => cityRel(c[i]!, k[i]!)),
      ...k.map(countryMinimal),
    ]))
  it('019_16_03 inline simplified', () =>
    check(
      'inline',
      'keyValues',
      [0, 1].map((i) => ({
        id: b[i],
        type: 'Building',
        locatedAt: { id: c[i], type: 'City', locatedAt: countryMinimal(k[i]!) },
      })),
    ))
  it('019_16_04 flat simplified', () =>
    check('flat', 'keyValues', [
      ...[0, 1].map((i) => ({ id: b[i], type: 'Building', locatedAt: c[i] })),
      ...[0, 1].map((i) => ({ id: c[i], type: 'City', locatedAt: k[i] })),
      ...k.map(countryMinimal),
    ]))
})

describe('TP 019_20/019_21 pick and omit with one linked level on Query Entities', () => {
  const b = [1, 2].map((i) => `urn:ngsi-ld:Building:019-20-${i}`)
  const c = [1, 2].map((i) => `urn:ngsi-ld:City:019-20-${i}`)
  const entities = [0, 1].flatMap((i) => [buildingTypes(b[i]!, c[i]!), citySimple(c[i]!, FRANCE)])
  const check = async (params: Record<string, string>, exp: unknown) => {
    const t = await setup(entities)
    const r = await query(t, { joinLevel: '1', local: 'true', ...params })
    expect(r.status, r.text).toBe(200)
    expectMatches(exp, r.body)
  }
  const bs = [0, 1].map((i) => buildingTypes(b[i]!, c[i]!))
  const cs = [0, 1].map((i) => citySimple(c[i]!, FRANCE))
  it('019_20_01 inline with pick on the linking entity', () =>
    check(
      { join: 'inline', pick: 'id,name' },
      bs.map((e) => pick(e, ['id', 'name'])),
    ))
  it('019_20_02 flat with pick on the linking entity', () =>
    check(
      { join: 'flat', pick: 'id,name' },
      bs.map((e) => pick(e, ['id', 'name'])),
    ))
  it('019_20_03 inline with pick on the linked entity', () =>
    check(
      { join: 'inline', pick: 'id,locatedAt{id,name}' },
      [0, 1].map((i) => ({
        id: b[i],
        locatedAt: { ...rel(c[i]!), entity: pick(cs[i]!, ['id', 'name']) },
      })),
    ))
  it('019_20_04 flat with pick on the linked entity', () =>
    check({ join: 'flat', pick: 'id,locatedAt{id,name}' }, [
      ...[0, 1].map((i) => ({ id: b[i], locatedAt: rel(c[i]!) })),
      ...cs.map((e) => pick(e, ['id', 'name'])),
    ]))
  it('019_21_01 inline with omit on the linking entity', () =>
    check(
      { join: 'inline', omit: 'name' },
      [0, 1].map((i) => ({
        ...omit(bs[i]!, ['name']),
        locatedAt: { ...rel(c[i]!), entity: cs[i] },
      })),
    ))
  it('019_21_02 flat with omit on the linking entity', () =>
    check({ join: 'flat', omit: 'name' }, [...bs.map((e) => omit(e, ['name'])), ...cs]))
  it('019_21_03 inline with omit on the linked entity', () =>
    check(
      { join: 'inline', omit: 'name,locatedAt{name}' },
      [0, 1].map((i) => ({
        ...omit(bs[i]!, ['name']),
        locatedAt: { ...rel(c[i]!), entity: omit(cs[i]!, ['name']) },
      })),
    ))
  it('019_21_04 flat with omit on the linked entity', () =>
    check({ join: 'flat', omit: 'name,locatedAt{name}' }, [
      ...bs.map((e) => omit(e, ['name'])),
      ...cs.map((e) => omit(e, ['name'])),
    ]))
})

describe('TP 019_22/019_23 pick and omit with two linked levels on Query Entities', () => {
  const b = [1, 2].map((i) => `urn:ngsi-ld:Building:019-22-${i}`)
  const c = [1, 2].map((i) => `urn:ngsi-ld:City:019-22-${i}`)
  const k = [1, 2].map((i) => `urn:ngsi-ld:Country:019-22-${i}`)
  const cs = [0, 1].map((i) => citySimple(c[i]!, k[i]!))
  const ks = k.map(countrySimple)
  const entities = [0, 1].flatMap((i) => [building(b[i]!, c[i]!), cs[i]!, ks[i]!])
  const check = async (params: Record<string, string>, exp: unknown) => {
    const t = await setup(entities)
    const r = await query(t, { joinLevel: '2', local: 'true', ...params })
    expect(r.status, r.text).toBe(200)
    expectMatches(exp, r.body)
  }
  it('019_22_01 inline with pick on the linked entity', () =>
    check(
      { join: 'inline', pick: 'id,locatedAt{id,name}' },
      [0, 1].map((i) => ({
        id: b[i],
        locatedAt: { ...rel(c[i]!), entity: pick(cs[i]!, ['id', 'name']) },
      })),
    ))
  it('019_22_02 flat with pick on the linked entity', () =>
    check({ join: 'flat', pick: 'id,locatedAt{id,name}' }, [
      ...[0, 1].map((i) => ({ id: b[i], locatedAt: rel(c[i]!) })),
      ...cs.map((e) => pick(e, ['id', 'name'])),
    ]))
  it('019_22_03 inline with pick on the second level', () =>
    check(
      { join: 'inline', pick: 'id,locatedAt{id,name,isInCountry{id,description}}' },
      [0, 1].map((i) => ({
        id: b[i],
        locatedAt: {
          ...rel(c[i]!),
          entity: {
            ...pick(cs[i]!, ['id', 'name']),
            isInCountry: { ...rel(k[i]!), entity: pick(ks[i]!, ['id', 'description']) },
          },
        },
      })),
    ))
  it('019_22_04 flat with pick on the second level', () =>
    check({ join: 'flat', pick: 'id,locatedAt{id,name,isInCountry{id,description}}' }, [
      ...[0, 1].map((i) => ({ id: b[i], locatedAt: rel(c[i]!) })),
      ...cs.map((e) => pick(e, ['id', 'name', 'isInCountry'])),
      ...ks.map((e) => pick(e, ['id', 'description'])),
    ]))
  it('019_23_01 inline with omit on the linked entity', () =>
    check(
      { join: 'inline', omit: 'type,locatedAt{name}' },
      [0, 1].map((i) => ({
        id: b[i],
        locatedAt: {
          ...rel(c[i]!),
          entity: { ...omit(cs[i]!, ['name']), isInCountry: { ...rel(k[i]!), entity: ks[i] } },
        },
      })),
    ))
  it('019_23_02 flat with omit on the linked entity', () =>
    check({ join: 'flat', omit: 'type,locatedAt{name}' }, [
      ...[0, 1].map((i) => ({ id: b[i], locatedAt: rel(c[i]!) })),
      ...cs.map((e) => omit(e, ['name'])),
      ...ks,
    ]))
  it('019_23_03 inline with omit on the second level', () =>
    check(
      { join: 'inline', omit: 'type,locatedAt{name,isInCountry{description}}' },
      [0, 1].map((i) => ({
        id: b[i],
        locatedAt: {
          ...rel(c[i]!),
          entity: {
            ...omit(cs[i]!, ['name']),
            isInCountry: { ...rel(k[i]!), entity: omit(ks[i]!, ['description']) },
          },
        },
      })),
    ))
  it('019_23_04 flat with omit on the second level', () =>
    check({ join: 'flat', omit: 'type,locatedAt{name,isInCountry{description}}' }, [
      ...[0, 1].map((i) => ({ id: b[i], locatedAt: rel(c[i]!) })),
      ...cs.map((e) => omit(e, ['name'])),
      ...ks.map((e) => omit(e, ['description'])),
    ]))
})

describe('TP 019_32_07/019_33/5722_01_04 join validation', () => {
  let t: string
  beforeAll(async () => {
    t = await setup([building('urn:ngsi-ld:Building:019-33', PARIS)])
  })
  const bad = async (params: Record<string, string | undefined>) =>
    expectProblem(await query(t, params), 400, 'BadRequestData')

  it('019_32_07 joinLevel 0 in a Query body answers 400', async () => {
    const r = await broker.request('POST', '/entityOperations/query', {
      body: { type: 'Query', entities: [{ type: 'Vehicle' }], join: 'inline', joinLevel: 0 },
      tenant: t,
    })
    expect(r.status, r.text).toBe(400)
  })
  const twoHops = 'locatedAt{owner{name}}'
  const elevenHops = 'a{a{a{a{a{a{a{a{a{a{a{name}}}}}}}}}}}'
  it('019_33_01 a pick nested deeper than joinLevel answers 400', () =>
    bad({ pick: twoHops, join: 'inline', joinLevel: '1' }))
  it('019_33_02 an omit nested deeper than joinLevel answers 400', () =>
    bad({ omit: twoHops, join: 'inline', joinLevel: '1' }))
  it('019_33_03 a nested pick without join answers 400', () => bad({ pick: twoHops }))
  it('019_33_04 a pick nested past the joinLevel ceiling answers 400', () =>
    bad({ pick: elevenHops, join: 'inline', joinLevel: '10' }))
  it('019_33_05 an omit nested past the joinLevel ceiling answers 400', () =>
    bad({ omit: elevenHops, join: 'inline', joinLevel: '10' }))
  it('5722_01_04 a linked q deeper than joinLevel answers 400', () =>
    bad({ q: 'owner{works{name}}=="x"', join: 'inline', joinLevel: '1' }))
})
