import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB, IRI, type Entity } from '../../core/ngsi.js'
import {
  createBundledContextResolver,
  createContextProcessor,
  type ActiveContext,
} from '../jsonld/index.js'
import { parseLang } from './language.js'
import { parseOutputOptions } from './output-options.js'
import { applyProjection, parseProjectionParams } from './projection.js'
import { renderEntity, toFeature } from './render-entity.js'

const V = (n: string) => DEFAULT_VOCAB + n
const T = '2026-03-01T10:00:00.000Z'
let ctx: ActiveContext

beforeAll(async () => {
  ctx = await createContextProcessor({ resolver: createBundledContextResolver() }).activeContext(
    undefined,
  )
})

const entity: Entity = {
  id: 'urn:ngsi-ld:Building:1',
  types: [V('Building')],
  scopes: ['/Paris'],
  createdAt: T,
  modifiedAt: T,
  attrs: {
    [V('height')]: [
      {
        type: 'Property',
        value: 300,
        unitCode: 'MTR',
        createdAt: T,
        modifiedAt: T,
        [V('accuracy')]: { type: 'Property', value: 1 },
      },
    ],
    [V('tags')]: [{ type: 'Property', value: ['a', 'b'] }],
    [V('address')]: [{ type: 'Property', value: { city: 'Paris' } }],
    [V('owner')]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Person:1' }],
    [IRI.location]: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [2.29, 48.85] } }],
    [V('street')]: [
      {
        type: 'LanguageProperty',
        languageMap: { en: 'Main street', fr: 'Grand-rue', '@none': 'X' },
      },
    ],
    [V('category')]: [{ type: 'VocabProperty', vocab: V('Tower') }],
    [V('config')]: [{ type: 'JsonProperty', json: { k: 1 } }],
    [V('readings')]: [{ type: 'ListProperty', valueList: [1, 2] }],
    [V('route')]: [{ type: 'ListRelationship', objectList: ['urn:a:1'] }],
    [V('name')]: [
      { type: 'Property', value: 'Eiffel Tower' },
      { type: 'Property', value: 'Tour Eiffel', datasetId: 'urn:ds:fr' },
    ],
  },
}

const render = (query: Record<string, string>) =>
  renderEntity(entity, ctx, { ...parseOutputOptions(query) })

describe('renderEntity', () => {
  it('renders the normalized representation with compacted names', () => {
    expect(render({})).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Paris',
      height: {
        type: 'Property',
        value: 300,
        unitCode: 'MTR',
        accuracy: { type: 'Property', value: 1 },
      },
      tags: { type: 'Property', value: ['a', 'b'] },
      address: { type: 'Property', value: { city: 'Paris' } },
      owner: { type: 'Relationship', object: 'urn:ngsi-ld:Person:1' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [2.29, 48.85] } },
      street: {
        type: 'LanguageProperty',
        languageMap: { en: 'Main street', fr: 'Grand-rue', '@none': 'X' },
      },
      category: { type: 'VocabProperty', vocab: 'Tower' },
      config: { type: 'JsonProperty', json: { k: 1 } },
      readings: { type: 'ListProperty', valueList: [1, 2] },
      route: { type: 'ListRelationship', objectList: ['urn:a:1'] },
      name: [
        { type: 'Property', value: 'Eiffel Tower' },
        { type: 'Property', value: 'Tour Eiffel', datasetId: 'urn:ds:fr' },
      ],
    })
  })

  it('renders the concise representation: no type, bare values where unambiguous', () => {
    expect(render({ format: 'concise' })).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Paris',
      height: { value: 300, unitCode: 'MTR', accuracy: 1 },
      tags: ['a', 'b'],
      address: { value: { city: 'Paris' } },
      owner: { object: 'urn:ngsi-ld:Person:1' },
      location: { value: { type: 'Point', coordinates: [2.29, 48.85] } },
      street: { languageMap: { en: 'Main street', fr: 'Grand-rue', '@none': 'X' } },
      category: { vocab: 'Tower' },
      config: { json: { k: 1 } },
      readings: { valueList: [1, 2] },
      route: { objectList: ['urn:a:1'] },
      name: [{ value: 'Eiffel Tower' }, { value: 'Tour Eiffel', datasetId: 'urn:ds:fr' }],
    })
  })

  it('renders keyValues / simplified, with dataset maps for several instances', () => {
    const expected = {
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      scope: '/Paris',
      height: 300,
      tags: ['a', 'b'],
      address: { city: 'Paris' },
      owner: 'urn:ngsi-ld:Person:1',
      location: { type: 'Point', coordinates: [2.29, 48.85] },
      street: { languageMap: { en: 'Main street', fr: 'Grand-rue', '@none': 'X' } },
      category: { vocab: 'Tower' },
      config: { json: { k: 1 } },
      readings: [1, 2],
      route: ['urn:a:1'],
      name: { dataset: { '@none': 'Eiffel Tower', 'urn:ds:fr': 'Tour Eiffel' } },
    }
    expect(render({ options: 'keyValues' })).toEqual(expected)
    expect(render({ format: 'simplified' })).toEqual(expected)
    expect(render({ format: 'keyValues', options: 'normalized' })).toEqual(expected)
  })

  it('adds createdAt / modifiedAt with sysAttrs on the entity and its instances', () => {
    const out = render({ options: 'sysAttrs' })
    expect(out).toMatchObject({
      createdAt: T,
      modifiedAt: T,
      height: { createdAt: T, modifiedAt: T },
    })
    expect(render({})).not.toHaveProperty('createdAt')
  })

  it('turns LanguageProperties into Properties of the chosen language with lang=', () => {
    const fr = renderEntity(entity, ctx, {
      format: 'normalized',
      sysAttrs: false,
      lang: parseLang('fr'),
    })
    expect(fr['street']).toEqual({ type: 'Property', value: 'Grand-rue', lang: 'fr' })
    const kv = renderEntity(entity, ctx, {
      format: 'simplified',
      sysAttrs: false,
      lang: parseLang('de,en;q=0.5'),
    })
    expect(kv['street']).toBe('Main street')
    const none = renderEntity(entity, ctx, {
      format: 'normalized',
      sysAttrs: false,
      lang: parseLang('de'),
    })
    expect(none['street']).toEqual({ type: 'Property', value: 'X' })
  })

  it('projects attrs, pick and omit, including id/type/scope, and filters datasetIds', () => {
    const picked = parseProjectionParams({ pick: 'id,height' }, ctx)
    expect(
      renderEntity(applyProjection(entity, picked), ctx, {
        format: 'simplified',
        sysAttrs: false,
        members: picked.members,
      }),
    ).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      height: 300,
    })
    const omitted = parseProjectionParams({ omit: 'type,scope,name', datasetId: '@none' }, ctx)
    const out = renderEntity(applyProjection(entity, omitted), ctx, {
      format: 'simplified',
      sysAttrs: false,
      members: omitted.members,
    })
    expect(out).not.toHaveProperty('type')
    expect(out).not.toHaveProperty('name')
    expect(out).toHaveProperty('height')
    const fr = parseProjectionParams({ attrs: 'name', datasetId: 'urn:ds:fr' }, ctx)
    expect(applyProjection(entity, fr).attrs).toEqual({
      [V('name')]: [entity.attrs[V('name')]![1]],
    })
  })

  it('builds a GeoJSON Feature from geometryProperty, null geometry when absent', () => {
    const rendered = renderEntity(entity, ctx, { format: 'simplified', sysAttrs: false })
    const feature = toFeature(rendered, entity, IRI.location)
    expect(feature).toMatchObject({
      id: entity.id,
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [2.29, 48.85] },
    })
    expect(feature['properties']).toMatchObject({ type: 'Building', height: 300 })
    expect(feature['properties']).not.toHaveProperty('id')
    expect(toFeature(rendered, entity, V('nowhere'))['geometry']).toBeNull()
  })

  it.each([{ format: 'xml' }, { options: 'keyValues,concise' }, { options: 'bogus' }])(
    'rejects %o with InvalidRequest',
    (query) => {
      expect(() => parseOutputOptions(query)).toThrow(
        expect.objectContaining({ kind: 'InvalidRequest' }) as Error,
      )
    },
  )
})
