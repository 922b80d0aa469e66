import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  API,
  buildNgsiLdApp,
  expectProblem,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'

const T0 = '2026-03-01T10:00:00.000Z'
const T1 = '2026-03-01T10:00:01.000Z'

const tower = {
  id: 'urn:ngsi-ld:Building:tower',
  type: 'Building',
  name: {
    type: 'LanguageProperty',
    languageMap: { en: 'Tower', fr: 'Tour', '@none': 'Torre' },
  },
  height: {
    type: 'Property',
    value: 300,
    unitCode: 'MTR',
    observedAt: '2026-02-01T00:00:00Z',
    accuracy: { type: 'Property', value: 1 },
  },
  address: { type: 'Property', value: { city: 'Paris', street: 'Champ de Mars', number: 5 } },
  tags: { type: 'Property', value: ['iron', 'landmark'] },
  owner: { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
  category: { type: 'VocabProperty', vocab: 'monument' },
  config: { type: 'JsonProperty', json: { a: { b: 1 } } },
  readings: { type: 'ListProperty', valueList: [1, 2, 3] },
  route: { type: 'ListRelationship', objectList: ['urn:a:1', 'urn:a:2'] },
}
const hut = {
  id: 'urn:ngsi-ld:Building:hut',
  type: 'Building',
  name: { type: 'LanguageProperty', languageMap: { de: 'Hütte' } },
  height: { type: 'Property', value: 3, unitCode: 'FOT' },
  address: { type: 'Property', value: { city: 'Lyon' } },
}

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp()
  await t.send('POST', '/entities', { body: tower })
  t.tick()
  await t.send('POST', '/entities', { body: hut })
})
afterEach(() => t.close())

const query = async (qs: string) => {
  const res = await t.send('GET', `/entities?type=Building&${qs}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Record<string, unknown>[]>()
}
const ids = async (qs: string) => (await query(qs)).map((e) => e['id'])

describe('attribute kinds in every representation (§4.5, §4.5.2–4.5.8)', () => {
  it('renders all eight kinds normalized, concise and keyValues on query', async () => {
    const [normalized] = await query('id=urn:ngsi-ld:Building:tower')
    expect(normalized).toMatchObject({
      name: {
        type: 'LanguageProperty',
        languageMap: { en: 'Tower', fr: 'Tour', '@none': 'Torre' },
      },
      owner: { type: 'Relationship', object: 'urn:ngsi-ld:City:Paris' },
      category: { type: 'VocabProperty', vocab: 'monument' },
      config: { type: 'JsonProperty', json: { a: { b: 1 } } },
      readings: { type: 'ListProperty', valueList: [1, 2, 3] },
      route: { type: 'ListRelationship', objectList: ['urn:a:1', 'urn:a:2'] },
    })
    const [concise] = await query('id=urn:ngsi-ld:Building:tower&format=concise')
    expect(concise).toMatchObject({
      name: { languageMap: { en: 'Tower', fr: 'Tour', '@none': 'Torre' } },
      height: {
        value: 300,
        unitCode: 'MTR',
        observedAt: '2026-02-01T00:00:00Z',
        accuracy: 1,
      },
      owner: { object: 'urn:ngsi-ld:City:Paris' },
      category: { vocab: 'monument' },
      config: { json: { a: { b: 1 } } },
      readings: { valueList: [1, 2, 3] },
      route: { objectList: ['urn:a:1', 'urn:a:2'] },
      tags: ['iron', 'landmark'],
    })
    const [keyValues] = await query('id=urn:ngsi-ld:Building:tower&options=keyValues')
    expect(keyValues).toEqual({
      id: 'urn:ngsi-ld:Building:tower',
      type: 'Building',
      name: { languageMap: { en: 'Tower', fr: 'Tour', '@none': 'Torre' } },
      height: 300,
      address: { city: 'Paris', street: 'Champ de Mars', number: 5 },
      tags: ['iron', 'landmark'],
      owner: 'urn:ngsi-ld:City:Paris',
      category: { vocab: 'monument' },
      config: { json: { a: { b: 1 } } },
      readings: [1, 2, 3],
      route: ['urn:a:1', 'urn:a:2'],
    })
  })
})

describe('output options (§6.3, §4.15, §4.21)', () => {
  it('options=sysAttrs adds createdAt/modifiedAt on entity, attribute and sub-attribute level', async () => {
    const [e] = await query('id=urn:ngsi-ld:Building:tower&options=sysAttrs&pick=id,height')
    expect(e).toEqual({
      id: 'urn:ngsi-ld:Building:tower',
      height: {
        type: 'Property',
        value: 300,
        unitCode: 'MTR',
        observedAt: '2026-02-01T00:00:00Z',
        accuracy: { type: 'Property', value: 1, createdAt: T0, modifiedAt: T0 },
        createdAt: T0,
        modifiedAt: T0,
      },
      createdAt: T0,
      modifiedAt: T0,
    })
    const [hutKv] = await query(
      'id=urn:ngsi-ld:Building:hut&options=keyValues,sysAttrs&pick=height',
    )
    expect(hutKv).toEqual({ height: 3, createdAt: T1, modifiedAt: T1 })
  })

  it('format wins over options; two representations or unknown values are InvalidRequest', async () => {
    const [e] = await query(
      'id=urn:ngsi-ld:Building:hut&options=normalized&format=keyValues&pick=height',
    )
    expect(e).toEqual({ height: 3 })
    for (const qs of ['options=keyValues,concise', 'options=pretty', 'format=flat']) {
      expectProblem(await t.send('GET', `/entities?type=Building&${qs}`), 400, 'InvalidRequest')
    }
  })

  it('pick and omit select members; pick with attrs, or one name in both, is BadRequestData', async () => {
    expect(await query('pick=id,height&format=keyValues')).toEqual([
      { id: 'urn:ngsi-ld:Building:hut', height: 3 },
      { id: 'urn:ngsi-ld:Building:tower', height: 300 },
    ])
    const [hutOmit] = await query(
      'id=urn:ngsi-ld:Building:hut&omit=type,name,address&format=keyValues',
    )
    expect(hutOmit).toEqual({ id: 'urn:ngsi-ld:Building:hut', height: 3 })
    for (const qs of [
      'pick=id&attrs=height',
      'omit=id&attrs=height',
      'pick=height&omit=height',
      'pick=a,,b',
      'pick=a{',
    ]) {
      expectProblem(await t.send('GET', `/entities?type=Building&${qs}`), 400, 'BadRequestData')
    }
  })

  it('lang= renders LanguageProperties as Properties with a lang member (or @none text)', async () => {
    const [tw] = await query('id=urn:ngsi-ld:Building:tower&lang=fr&pick=name')
    expect(tw).toEqual({ name: { type: 'Property', value: 'Tour', lang: 'fr' } })
    const [fallback] = await query('id=urn:ngsi-ld:Building:tower&lang=ja&pick=name')
    expect(fallback).toEqual({ name: { type: 'Property', value: 'Torre' } })
    const [weighted] = await query('id=urn:ngsi-ld:Building:tower&lang=it;q=0.5,en;q=0.9&pick=name')
    expect(weighted).toEqual({ name: { type: 'Property', value: 'Tower', lang: 'en' } })
    expect(await query('lang=*&pick=name&format=keyValues')).toEqual([
      { name: 'Hütte' },
      { name: 'Tower' },
    ])
    const [concise] = await query('id=urn:ngsi-ld:Building:tower&lang=fr&pick=name&format=concise')
    expect(concise).toEqual({ name: { value: 'Tour', lang: 'fr' } })
    expectProblem(await t.send('GET', '/entities?type=Building&lang=fr;q=2'), 400, 'BadRequestData')
  })
})

describe('paging, count and scope of a single broker (§5.5.9, §5.7.2)', () => {
  it('limit=0 with count=true gives only the count; above the maximum is TooManyResults', async () => {
    const res = await t.send('GET', '/entities?type=Building&limit=0&count=true')
    expect(res.statusCode).toBe(200)
    expect(res.headers['ngsild-results-count']).toBe('2')
    expect(res.json()).toEqual([])
    expectProblem(await t.send('GET', '/entities?type=Building&limit=1001'), 403, 'TooManyResults')
    expectProblem(await t.send('GET', '/entities?type=Building&offset=-1'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/entities?type=Building&count=yes'), 400, 'BadRequestData')
  })

  it('links to the next page keeping the other parameters first', async () => {
    const res = await t.send('GET', '/entities?type=Building&pick=id&limit=1&count=true')
    expect(res.headers['ngsild-results-count']).toBe('2')
    expect(res.headers['link']).toBe(
      `<${API}/entities?type=Building&pick=id&count=true&limit=1&offset=1>;rel="next";type="application/json"`,
    )
  })

  it('accepts csf (nothing to filter in a single broker) but rejects a malformed one; local=true', async () => {
    expect(await ids('csf=endpoint=="http://example.org"')).toHaveLength(2)
    expectProblem(await t.send('GET', '/entities?type=Building&csf=(((a'), 400, 'BadRequestData')
    const local = await t.send('GET', '/entities?local=true&pick=id')
    expect(local.json()).toHaveLength(2)
    expectProblem(await t.send('GET', '/entities?local=maybe'), 400, 'BadRequestData')
    const post = await t.send('POST', '/entityOperations/query', {
      body: { type: 'Query', entities: [{ type: 'Building' }], csf: ')' },
    })
    expectProblem(post, 400, 'BadRequestData')
  })

  it('filters by idPattern', async () => {
    expect(await ids('idPattern=^urn:ngsi-ld:Building:t')).toEqual(['urn:ngsi-ld:Building:tower'])
    expectProblem(
      await t.send('GET', '/entities?type=Building&idPattern=(['),
      400,
      'BadRequestData',
    )
  })
})

describe('q over attribute paths and values (§4.9)', () => {
  it.each<[string, string[]]>([
    ['address[city]=="Paris"', ['tower']],
    ['address[number]>4', ['tower']],
    ['height.observedAt>=2026-01-01T00:00:00Z', ['tower']],
    ['height.unitCode=="FOT"', ['hut']],
    ['height.accuracy==1', ['tower']],
    ['height==1..100', ['hut']],
    ['height!=1..100', ['tower']],
    ['height==3,300', ['hut', 'tower']],
    ['tags=="iron"', ['tower']],
    ['address[city]~="^L.*"', ['hut']],
    ['address[city]!~="^L"', ['tower']],
    ['owner==urn:ngsi-ld:City:Paris', ['tower']],
    ['name[fr]=="Tour"', ['tower']],
    ['name[*]=="Hütte"', ['hut']],
    // A VocabProperty holds the expanded IRI; the short term needs expandValues (below).
    ['category=="monument"', []],
    ['category=="https://uri.etsi.org/ngsi-ld/default-context/monument"', ['tower']],
    ['!owner', ['hut']],
    ['!owner;height<10', ['hut']],
    ['!name[fr]', ['hut']],
    ['readings==2', ['tower']],
    ['route==urn:ngsi-ld:a:2|route==urn:a:2', ['tower']],
    ['(height>100|address[city]=="Lyon");name', ['hut', 'tower']],
    ['height>100;address[city]=="Lyon"', []],
    ['config', ['tower']],
  ])('%s', async (q, expected) => {
    expect(await ids(`q=${encodeURIComponent(q)}&pick=id`)).toEqual(
      expected.map((n) => `urn:ngsi-ld:Building:${n}`),
    )
  })

  it('expandValues expands the value of the listed attributes, quoted or an unquoted term (§4.9 EXAMPLE 12)', async () => {
    for (const q of ['category==monument', 'category=="monument"', 'category==tower,monument'])
      expect(await ids(`q=${encodeURIComponent(q)}&expandValues=category&pick=id`)).toEqual([
        'urn:ngsi-ld:Building:tower',
      ])
    expect(
      await ids(`q=${encodeURIComponent('category!=monument')}&expandValues=category`),
    ).toEqual([])
  })

  it('an unquoted term outside expandValues is a syntax error (the §4.9 ABNF)', async () => {
    for (const qs of [
      'q=category%3D%3Dmonument',
      'q=category%3D%3Dmonument&expandValues=name',
      'q=category%3Emonument&expandValues=category',
      'q=category%3D%3Da..b&expandValues=category',
    ])
      expectProblem(await t.send('GET', `/entities?type=Building&${qs}`), 400, 'BadRequestData')
  })

  it('rejects linked-entity terms without join (§5.7.2.4: BadRequestData)', async () => {
    const q = encodeURIComponent('owner{City:name}=="Paris"')
    expectProblem(await t.send('GET', `/entities?type=Building&q=${q}`), 400, 'BadRequestData')
  })

  it('rejects malformed q with BadRequestData', async () => {
    for (const q of ['height>>1', 'height==', '(height>1', 'height=="x', 'a[b', '!height>1', '!']) {
      expectProblem(
        await t.send('GET', `/entities?type=Building&q=${encodeURIComponent(q)}`),
        400,
        'BadRequestData',
      )
    }
  })
})

describe('jsonKeys and expandValues on GET and in the POST Query body (§4.9, §5.2.23)', () => {
  const VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/'
  // A compound value whose key is the expanded term of `city` (what JSON-LD makes of it).
  beforeEach(async () => {
    const res = await t.send('POST', '/entities', {
      body: {
        id: 'urn:ngsi-ld:Building:expanded',
        type: 'Building',
        address: { type: 'Property', value: { [`${VOCAB}city`]: 'Paris' } },
      },
    })
    expect(res.statusCode, res.body).toBe(201)
  })
  const postIds = async (body: Record<string, unknown>) => {
    const res = await t.send('POST', '/entityOperations/query', {
      body: { type: 'Query', entities: [{ type: 'Building' }], ...body },
    })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<{ id: string }[]>().map((e) => e.id)
  }
  const q = encodeURIComponent('address[city]=="Paris"')

  it('GET jsonKeys: the trailing path of the listed attributes is matched as written', async () => {
    expect(await ids(`q=${q}&pick=id`)).toEqual([
      'urn:ngsi-ld:Building:expanded',
      'urn:ngsi-ld:Building:tower',
    ])
    expect(await ids(`q=${q}&jsonKeys=address&pick=id`)).toEqual(['urn:ngsi-ld:Building:tower'])
    expect(await ids(`q=${q}&jsonKeys=name&pick=id`)).toHaveLength(2)
  })

  it('GET jsonKeys applies to orderBy trailing paths', async () => {
    // expanded's city is only under the IRI: found without jsonKeys, missing (so last) with it.
    const order = `q=address&orderBy=${encodeURIComponent('address[city];desc')}&pick=id`
    expect((await ids(order))[2]).toBe('urn:ngsi-ld:Building:hut')
    expect(await ids(`${order}&jsonKeys=address`)).toEqual([
      'urn:ngsi-ld:Building:tower',
      'urn:ngsi-ld:Building:hut',
      'urn:ngsi-ld:Building:expanded',
    ])
  })

  it('POST Query: expandValues and jsonKeys members, as a list text or an array', async () => {
    expect(await postIds({ q: 'category==monument', expandValues: 'category' })).toEqual([
      'urn:ngsi-ld:Building:tower',
    ])
    expect(await postIds({ q: 'category==monument', expandValues: ['category'] })).toEqual([
      'urn:ngsi-ld:Building:tower',
    ])
    expect(await postIds({ q: 'address[city]=="Paris"' })).toHaveLength(2)
    expect(await postIds({ q: 'address[city]=="Paris"', jsonKeys: ['address'] })).toEqual([
      'urn:ngsi-ld:Building:tower',
    ])
  })

  it('bad lists are BadRequestData naming the parameter', async () => {
    for (const qs of ['jsonKeys=', 'jsonKeys=a%20b', 'jsonKeys=id', 'expandValues=a,,b']) {
      // Checked with or without a q.
      expectProblem(await t.send('GET', `/entities?type=Building&${qs}`), 400, 'BadRequestData')
      const res = await t.send('GET', `/entities?type=Building&q=${q}&${qs}`)
      expectProblem(res, 400, 'BadRequestData')
      expect(res.json<{ detail: string }>().detail).toMatch(/^(jsonKeys|expandValues): /)
    }
    for (const body of [{ jsonKeys: 5 }, { expandValues: [] }, { jsonKeys: ['a', 1] }]) {
      const res = await t.send('POST', '/entityOperations/query', {
        body: { type: 'Query', entities: [{ type: 'Building' }], q: 'address', ...body },
      })
      expectProblem(res, 400, 'BadRequestData')
    }
  })
})

describe('containedBy (§4.5.23): entities already met are not retrieved again', () => {
  // tower → owner Paris → twin → tower: a loop.
  beforeEach(async () => {
    for (const body of [
      {
        id: 'urn:ngsi-ld:City:Paris',
        type: 'City',
        name: { type: 'Property', value: 'Paris' },
        twin: { type: 'Relationship', object: 'urn:ngsi-ld:City:Rome' },
      },
      {
        id: 'urn:ngsi-ld:City:Rome',
        type: 'City',
        hq: { type: 'Relationship', object: 'urn:ngsi-ld:Building:tower' },
      },
    ]) {
      const res = await t.send('POST', '/entities', { body })
      expect(res.statusCode, res.body).toBe(201)
    }
  })
  const tower = '/entities/urn:ngsi-ld:Building:tower'

  it('retrieve, join=flat: the listed entities are left out', async () => {
    const all = await t.send('GET', `${tower}?join=flat&joinLevel=3&pick=id,owner`)
    expect(all.statusCode, all.body).toBe(200)
    expect(all.json<{ id: string }[]>().map((e) => e.id)).toEqual([
      'urn:ngsi-ld:Building:tower',
      'urn:ngsi-ld:City:Rome',
      'urn:ngsi-ld:City:Paris',
    ])
    const res = await t.send(
      'GET',
      `${tower}?join=flat&joinLevel=3&pick=id,owner&containedBy=urn:ngsi-ld:City:Rome`,
    )
    expect(res.json<{ id: string }[]>().map((e) => e.id)).toEqual([
      'urn:ngsi-ld:Building:tower',
      'urn:ngsi-ld:City:Paris',
    ])
    // Nothing left to link: the single entity, not an array.
    const alone = await t.send('GET', `${tower}?join=flat&containedBy=urn:ngsi-ld:City:Paris`)
    expect(alone.json<{ id: string }>().id).toBe('urn:ngsi-ld:Building:tower')
  })

  it('query, join=inline: a Relationship to a listed entity is not inlined', async () => {
    const res = await t.send(
      'GET',
      '/entities?type=Building&id=urn:ngsi-ld:Building:tower&join=inline&joinLevel=2' +
        '&pick=id,owner&containedBy=urn:ngsi-ld:City:Rome,urn:ngsi-ld:Building:tower',
    )
    expect(res.statusCode, res.body).toBe(200)
    const [got] = res.json<Record<string, { entity?: Record<string, unknown> }>[]>()
    expect(got?.['owner']?.entity).toMatchObject({
      id: 'urn:ngsi-ld:City:Paris',
      twin: { type: 'Relationship', object: 'urn:ngsi-ld:City:Rome' },
    })
    expect(got?.['owner']?.entity?.['twin']).not.toHaveProperty('entity')
  })

  it('containedBy without join, or with an id that is not a URI, is BadRequestData', async () => {
    for (const path of [
      `${tower}?containedBy=urn:ngsi-ld:City:Paris`,
      `${tower}?join=@none&containedBy=urn:ngsi-ld:City:Paris`,
      `${tower}?join=flat&containedBy=Paris`,
      '/entities?type=Building&containedBy=urn:ngsi-ld:City:Paris',
      '/entities?type=Building&join=inline&containedBy=,',
    ])
      expectProblem(await t.send('GET', path), 400, 'BadRequestData')
  })
})
