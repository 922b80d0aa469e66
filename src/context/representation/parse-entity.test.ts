import { beforeAll, describe, expect, it } from 'vitest'
import { isAppError } from '../../core/errors.js'
import { DEFAULT_VOCAB, IRI, NGSI_LD } from '../../core/ngsi.js'
import {
  createBundledContextResolver,
  createContextProcessor,
  type ActiveContext,
} from '../jsonld/index.js'
import { parseEntity, parseFragment } from './parse-entity.js'
import { isNullInstance, parseInstanceFragment } from './parse-attribute.js'

const V = (n: string) => DEFAULT_VOCAB + n
let ctx: ActiveContext
let userCtx: ActiveContext

beforeAll(async () => {
  const processor = createContextProcessor({ resolver: createBundledContextResolver() })
  ctx = await processor.activeContext(undefined)
  userCtx = await processor.activeContext({
    ex: 'https://example.org/',
    Color: 'https://example.org/Color',
  })
})

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (e) {
    return isAppError(e) ? e.kind : 'not an AppError'
  }
}

const entity = (extra: Record<string, unknown>) => ({ id: 'urn:ngsi-ld:T:1', type: 'T', ...extra })

describe('parseEntity: normalized input (§4.5)', () => {
  it('expands types and attribute names and keeps members of each kind', () => {
    const input = parseEntity(
      entity({
        type: ['T', 'ex:Other'],
        scope: '/Madrid/Centro',
        temp: {
          type: 'Property',
          value: 21,
          unitCode: 'CEL',
          observedAt: '2024-05-01T10:00:00Z',
          accuracy: { type: 'Property', value: 0.5 },
        },
        owner: { type: 'Relationship', object: 'urn:ngsi-ld:Person:1', objectType: 'Person' },
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [2.29, 48.85] } },
        street: { type: 'LanguageProperty', languageMap: { en: 'Main street', fr: 'Grand-rue' } },
        gender: { type: 'VocabProperty', vocab: 'Male' },
        config: { type: 'JsonProperty', json: { a: { '@id': 'kept as is' } } },
        readings: { type: 'ListProperty', valueList: [1, 2, 3] },
        route: { type: 'ListRelationship', objectList: ['urn:a:1', { object: 'urn:a:2' }] },
      }),
      userCtx,
    )
    expect(input.types).toEqual([V('T'), 'https://example.org/Other'])
    expect(input.scopes).toEqual(['/Madrid/Centro'])
    expect(input.attrs[V('temp')]).toEqual([
      {
        type: 'Property',
        value: 21,
        unitCode: 'CEL',
        observedAt: '2024-05-01T10:00:00Z',
        [V('accuracy')]: { type: 'Property', value: 0.5 },
      },
    ])
    expect(input.attrs[V('owner')]).toEqual([
      { type: 'Relationship', object: 'urn:ngsi-ld:Person:1', objectType: V('Person') },
    ])
    expect(input.attrs[IRI.location]?.[0]?.type).toBe('GeoProperty')
    expect(input.attrs[V('street')]?.[0]?.languageMap).toEqual({
      en: 'Main street',
      fr: 'Grand-rue',
    })
    expect(input.attrs[V('gender')]?.[0]?.vocab).toBe(V('Male'))
    expect(input.attrs[V('config')]?.[0]?.json).toEqual({ a: { '@id': 'kept as is' } })
    expect(input.attrs[V('readings')]?.[0]?.valueList).toEqual([1, 2, 3])
    expect(input.attrs[V('route')]?.[0]?.objectList).toEqual(['urn:a:1', 'urn:a:2'])
  })

  it('reads several instances with distinct datasetIds', () => {
    const input = parseEntity(
      entity({
        name: [
          { type: 'Property', value: 'A' },
          { type: 'Property', value: 'B', datasetId: 'urn:ds:b' },
        ],
      }),
      ctx,
    )
    expect(input.attrs[V('name')]).toHaveLength(2)
    const twoDefaults = entity({
      name: [
        { type: 'Property', value: 'A' },
        { type: 'Property', value: 'B' },
      ],
    })
    expect(kindOf(() => parseEntity(twoDefaults, ctx))).toBe('BadRequestData')
  })
})

describe('parseEntity: concise input', () => {
  it('reads value-only members as Properties, geometries as GeoProperties, object as Relationship', () => {
    const input = parseEntity(
      entity({
        temp: 21,
        tags: ['a', 'b'],
        address: { street: 'Main' },
        location: { type: 'Point', coordinates: [2.29, 48.85] },
        area: {
          value: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 0],
              ],
            ],
          },
        },
        owner: { object: 'urn:ngsi-ld:Person:1' },
        label: { languageMap: { en: 'x' } },
        kind: { vocab: 'Big' },
        raw: { json: [1] },
        list: { valueList: [1] },
        links: { objectList: ['urn:a:1'] },
        speed: { value: 3, unitCode: 'KMH' },
      }),
      ctx,
    )
    const kinds = Object.fromEntries(
      Object.entries(input.attrs).map(([k, v]) => [k.replace(DEFAULT_VOCAB, ''), v[0]!.type]),
    )
    expect(kinds).toEqual({
      temp: 'Property',
      tags: 'Property',
      address: 'Property',
      [IRI.location]: 'GeoProperty',
      area: 'GeoProperty',
      owner: 'Relationship',
      label: 'LanguageProperty',
      kind: 'VocabProperty',
      raw: 'JsonProperty',
      list: 'ListProperty',
      links: 'ListRelationship',
      speed: 'Property',
    })
    expect(input.attrs[V('address')]?.[0]?.value).toEqual({ street: 'Main' })
  })
})

describe('parseEntity: validation (§3)', () => {
  it.each<[string, unknown]>([
    ['id not a URI', { id: 'not a uri', type: 'T' }],
    ['missing id', { type: 'T' }],
    ['missing type', { id: 'urn:a:1' }],
    ['type "type"', { id: 'urn:a:1', type: 'type' }],
    ['empty type array', { id: 'urn:a:1', type: [] }],
    ['invalid attribute name', entity({ 'bad name': 1 })],
    ['@-member', entity({ '@id': 'x' })],
    ['JSON null value', entity({ a: null })],
    ['NGSI-LD Null on create', entity({ a: 'urn:ngsi-ld:null' })],
    ['member of another kind', entity({ a: { type: 'Property', value: 1, object: 'urn:a:1' } })],
    ['Property without value', entity({ a: { type: 'Property', unitCode: 'CEL' } })],
    ['Relationship with a non-URI object', entity({ a: { type: 'Relationship', object: 'nope' } })],
    ['unknown attribute type', entity({ a: { type: 'Number', value: 1 } })],
    ['datasetId not a URI', entity({ a: { type: 'Property', value: 1, datasetId: 'x y' } })],
    [
      'observedAt not a DateTime',
      entity({ a: { type: 'Property', value: 1, observedAt: '2024-13-01T00:00:00Z' } }),
    ],
    [
      'GeoProperty not a geometry',
      entity({ location: { type: 'GeoProperty', value: { type: 'Feature' } } }),
    ],
    [
      'GeoProperty in lat,lon order out of range',
      entity({
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [48.85, 200] } },
      }),
    ],
    ['invalid scope', entity({ scope: 'Madrid' })],
    [
      'invalid language tag',
      entity({ a: { type: 'LanguageProperty', languageMap: { 'not a tag': 'x' } } }),
    ],
  ])('rejects %s with BadRequestData', (_label, body) => {
    expect(kindOf(() => parseEntity(body, ctx))).toBe('BadRequestData')
  })

  it('rejects bodies that are not objects with InvalidRequest', () => {
    expect(kindOf(() => parseEntity([], ctx))).toBe('InvalidRequest')
    expect(kindOf(() => parseEntity('x', ctx))).toBe('InvalidRequest')
    expect(kindOf(() => parseEntity(undefined, ctx))).toBe('InvalidRequest')
  })

  it('ignores system attributes given on input', () => {
    const input = parseEntity(
      entity({ createdAt: 'x', a: { type: 'Property', value: 1, modifiedAt: 'y' } }),
      ctx,
    )
    expect(input.attrs[V('a')]).toEqual([{ type: 'Property', value: 1 }])
  })
})

describe('parseFragment and partial instances', () => {
  it('allows NGSI-LD Null in PATCH fragments and flags the deletions', () => {
    const fragment = parseFragment(
      { a: 'urn:ngsi-ld:null', b: { type: 'Relationship', object: 'urn:ngsi-ld:null' } },
      ctx,
      {
        entityId: 'urn:a:1',
        allowNull: true,
      },
    )
    expect(isNullInstance(fragment.attrs[V('a')]![0]!)).toBe(true)
    expect(isNullInstance(fragment.attrs[V('b')]![0]!)).toBe(true)
  })

  it('rejects an id other than the entity’s, and empty fragments', () => {
    expect(
      kindOf(() =>
        parseFragment({ id: 'urn:other', a: 1 }, ctx, { entityId: 'urn:a:1', allowNull: false }),
      ),
    ).toBe('BadRequestData')
    expect(kindOf(() => parseFragment({}, ctx, { entityId: 'urn:a:1', allowNull: false }))).toBe(
      'BadRequestData',
    )
  })

  it('reads a partial update fragment without type or value', () => {
    expect(
      parseInstanceFragment('a', { unitCode: 'CEL' }, { ctx, allowNull: true }, 'partial'),
    ).toEqual({ unitCode: 'CEL' })
    expect(parseInstanceFragment('a', { value: 5 }, { ctx, allowNull: true }, 'partial')).toEqual({
      type: 'Property',
      value: 5,
    })
    expect(kindOf(() => parseInstanceFragment('a', 5, { ctx, allowNull: true }, 'partial'))).toBe(
      'BadRequestData',
    )
  })

  it('expands core terms whatever a user context says', () => {
    const input = parseEntity(entity({ location: { type: 'Point', coordinates: [1, 2] } }), userCtx)
    expect(Object.keys(input.attrs)).toEqual([`${NGSI_LD}location`])
  })
})

describe('parseEntity: §4.5–4.7 value spaces (ETSI suite 4xx/5xx extension cases)', () => {
  it.each([
    [
      'a core non-reified term as attribute name',
      entity({ datasetId: { type: 'Property', value: 1 } }),
    ],
    [
      'observedAt with a UTC offset',
      entity({ a: { type: 'Property', value: 1, observedAt: '2024-01-01T10:00:00+02:00' } }),
    ],
    [
      'an output-only previousValue',
      entity({ a: { type: 'Property', value: 1, previousValue: 0 } }),
    ],
    [
      'entityIdSealed outside ngsildproof',
      entity({ a: { type: 'Property', value: 1, entityIdSealed: 'urn:a:1' } }),
    ],
    ['a scalar json member', entity({ a: { type: 'JsonProperty', json: 5 } })],
    ['location declared as a plain Property', entity({ location: { type: 'Property', value: 7 } })],
    [
      'NGSI-LD Null inside a Property value',
      entity({ a: { type: 'Property', value: { b: 'urn:ngsi-ld:null' } } }),
    ],
    ['an id with a zero-width space', { id: 'urn:ngsi-ld:T:a\u200bb', type: 'T' }],
    ['the NGSI-LD Null as id', { id: 'urn:ngsi-ld:null', type: 'T' }],
    [
      'a LanguageProperty valueType other than langString',
      entity({
        a: { type: 'LanguageProperty', languageMap: { en: 'x' }, valueType: 'xsd:string' },
      }),
    ],
    ['both @id and id', { ...entity({}), '@id': 'urn:ngsi-ld:T:2' }],
  ])('rejects %s with BadRequestData', (_label, body) => {
    expect(kindOf(() => parseEntity(body, ctx))).toBe('BadRequestData')
  })

  it('reads @id/@type, datasetId @none, Unicode names, langString and string-encoded geometries', () => {
    const input = parseEntity(
      {
        '@id': 'urn:ngsi-ld:T:1',
        '@type': 'Škola',
        výška: [
          { type: 'Property', value: 1, datasetId: '@none' },
          { type: 'Property', value: 2, datasetId: 'urn:ds:b' },
        ],
        name: { type: 'LanguageProperty', languageMap: { en: 'x' }, valueType: 'langString' },
        location: { type: 'GeoProperty', value: '{"type":"Point","coordinates":[1,2]}' },
      },
      ctx,
    )
    expect(input.id).toBe('urn:ngsi-ld:T:1')
    expect(input.types).toEqual([V('Škola')])
    expect(input.attrs[V('výška')]?.map((i) => i.datasetId)).toEqual([undefined, 'urn:ds:b'])
    expect(input.attrs[IRI.location]?.[0]?.value).toEqual({ type: 'Point', coordinates: [1, 2] })
  })

  it('allows NGSI-LD Null inside a Property value only in merge fragments', () => {
    const body = { a: { type: 'Property', value: { b: 'urn:ngsi-ld:null' } } }
    const opts = { entityId: 'urn:ngsi-ld:T:1', allowNull: true }
    expect(kindOf(() => parseFragment(body, ctx, opts))).toBe('BadRequestData')
    expect(kindOf(() => parseFragment(body, ctx, { ...opts, nestedNull: true }))).toBeUndefined()
  })
})
