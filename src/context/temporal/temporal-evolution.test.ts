import { describe, expect, it } from 'vitest'
import { NGSI_LD_NULL, type Entity } from '../../core/ngsi.js'
import { createMemoryTemporal } from '../../store/memory/memory-temporal.js'
import type { ActiveContext } from '../jsonld/index.js'
import { readEvolutions, renderEvolution, type Evolution } from './temporal-evolution.js'
import { parseTemporalParams } from './temporal-params.js'

const V = 'https://example.org/'
const ctx = { compactIri: (iri: string) => iri.replace(V, '') } as unknown as ActiveContext
const T = Date.parse('2026-08-10T00:00:01Z')

const evolution: Evolution = {
  entity: {
    id: 'urn:ngsi-ld:Vehicle:1',
    types: [`${V}Vehicle`],
    attrs: {
      [`${V}depths`]: [{ type: 'ListProperty', valueList: [1.2, 3.4] }],
      [`${V}route`]: [{ type: 'ListRelationship', objectList: ['urn:a', 'urn:b'] }],
    },
  } as unknown as Entity,
  instances: new Map([
    [
      `${V}depths`,
      [{ entityId: 'urn:ngsi-ld:Vehicle:1', attr: `${V}depths`, observedAt: T, value: [1.2, 3.4] }],
    ],
    [
      `${V}route`,
      [
        {
          entityId: 'urn:ngsi-ld:Vehicle:1',
          attr: `${V}route`,
          observedAt: T,
          value: ['urn:a', 'urn:b'],
        },
      ],
    ],
  ]),
}

describe('renderEvolution: list attribute members (4.5.7, 4.5.9)', () => {
  it('uses valueList/objectList in instances', () => {
    const out = renderEvolution(evolution, ctx, parseTemporalParams({}, false))
    expect(out['depths']).toMatchObject([{ type: 'ListProperty', valueList: [1.2, 3.4] }])
    expect(out['route']).toMatchObject([
      { type: 'ListRelationship', objectList: ['urn:a', 'urn:b'] },
    ])
  })

  it('uses valueLists/objectLists in the simplified pairs', () => {
    const params = parseTemporalParams({ options: 'temporalValues' }, false)
    const out = renderEvolution(evolution, ctx, params)
    expect(out['depths']).toEqual({
      type: 'ListProperty',
      valueLists: [[[1.2, 3.4], '2026-08-10T00:00:01Z']],
    })
    expect(out['route']).toEqual({
      type: 'ListRelationship',
      objectLists: [[['urn:a', 'urn:b'], '2026-08-10T00:00:01Z']],
    })
  })
})

describe('renderEvolution: LanguageProperty, JsonProperty and VocabProperty (4.5.9)', () => {
  const obs = (attr: string, value: unknown) => ({
    entityId: 'urn:ngsi-ld:Vehicle:2',
    attr: `${V}${attr}`,
    observedAt: T,
    value: value as never,
  })
  const typed: Evolution = {
    entity: {
      id: 'urn:ngsi-ld:Vehicle:2',
      types: [`${V}Vehicle`],
      attrs: {
        [`${V}street`]: [{ type: 'LanguageProperty', languageMap: { fr: 'Rue' } }],
        [`${V}config`]: [{ type: 'JsonProperty', json: { a: 1 } }],
        [`${V}kind`]: [{ type: 'VocabProperty', vocab: `${V}monument` }],
      },
    } as unknown as Entity,
    instances: new Map([
      [`${V}street`, [obs('street', { fr: 'Rue' })]],
      [`${V}config`, [obs('config', { a: 1 })]],
      [`${V}kind`, [obs('kind', [`${V}monument`, `${V}park`])]],
    ]),
  }

  it('uses languageMap/json/vocab in instances, vocabs compacted', () => {
    const out = renderEvolution(typed, ctx, parseTemporalParams({}, false))
    expect(out['street']).toMatchObject([{ type: 'LanguageProperty', languageMap: { fr: 'Rue' } }])
    expect(out['config']).toMatchObject([{ type: 'JsonProperty', json: { a: 1 } }])
    expect(out['kind']).toMatchObject([{ type: 'VocabProperty', vocab: ['monument', 'park'] }])
  })

  it('wraps the simplified pairs in languageMaps/jsons/vocabs', () => {
    const params = parseTemporalParams({ options: 'temporalValues' }, false)
    const out = renderEvolution(typed, ctx, params)
    const at = '2026-08-10T00:00:01Z'
    expect(out['street']).toEqual({
      type: 'LanguageProperty',
      languageMaps: [[{ languageMap: { fr: 'Rue' } }, at]],
    })
    expect(out['config']).toEqual({ type: 'JsonProperty', jsons: [[{ json: { a: 1 } }, at]] })
    expect(out['kind']).toEqual({
      type: 'VocabProperty',
      vocabs: [[{ vocab: ['monument', 'park'] }, at]],
    })
  })
})

describe('renderEvolution: one simplified attribute per datasetId (4.5.9, 4.5.5)', () => {
  const at = (n: number) => T + n * 60_000
  const obs = (value: number, n: number, datasetId?: string) => ({
    entityId: 'urn:ngsi-ld:Vehicle:3',
    attr: `${V}speed`,
    observedAt: at(n),
    value,
    ...(datasetId !== undefined && { datasetId }),
  })
  const evolutionOf = (list: ReturnType<typeof obs>[]): Evolution => ({
    entity: {
      id: 'urn:ngsi-ld:Vehicle:3',
      types: [`${V}Vehicle`],
      attrs: { [`${V}speed`]: [{ type: 'Property', value: 1 }] },
    } as unknown as Entity,
    instances: new Map([[`${V}speed`, list]]),
  })
  const params = parseTemporalParams({ options: 'temporalValues' }, false)
  const iso = (n: number) => new Date(at(n)).toISOString().replace('.000Z', 'Z')

  it('splits the pairs per datasetId, the default instance first', () => {
    const out = renderEvolution(
      evolutionOf([
        obs(60, 0, 'urn:ds:a'),
        obs(120, 1),
        obs(62, 2, 'urn:ds:a'),
        obs(80, 3, 'urn:ds:b'),
      ]),
      ctx,
      params,
    )
    expect(out['speed']).toEqual([
      { type: 'Property', values: [[120, iso(1)]] },
      {
        type: 'Property',
        datasetId: 'urn:ds:a',
        values: [
          [60, iso(0)],
          [62, iso(2)],
        ],
      },
      { type: 'Property', datasetId: 'urn:ds:b', values: [[80, iso(3)]] },
    ])
  })

  it('gives one object when there is one datasetId', () => {
    const out = renderEvolution(evolutionOf([obs(80, 3, 'urn:ds:b')]), ctx, params)
    expect(out['speed']).toEqual({
      type: 'Property',
      datasetId: 'urn:ds:b',
      values: [[80, iso(3)]],
    })
  })

  it('keeps an emptied attribute as an empty pair list', () => {
    const out = renderEvolution(evolutionOf([]), ctx, params)
    expect(out['speed']).toEqual({ type: 'Property', values: [] })
  })
})

describe('readEvolutions: history events (deletions and the Scope)', () => {
  const SCOPE = 'https://uri.etsi.org/ngsi-ld/scope'
  const id = 'urn:ngsi-ld:Vehicle:2'
  const at = (hh: string) => Date.parse(`2026-03-01T${hh}:00:00Z`)
  const entity = {
    id,
    types: [`${V}Vehicle`],
    createdAt: '2026-03-01T00:00:00Z',
    modifiedAt: '2026-03-01T00:00:00Z',
    attrs: {},
  } as Entity
  const setup = async () => {
    const { temporal } = createMemoryTemporal()
    await temporal.append('default', [
      { entityId: id, attr: `${V}parkedIn`, observedAt: at('09'), value: 'urn:p:1' },
      { entityId: id, attr: `${V}parkedIn`, observedAt: at('11'), value: 'urn:p:2' },
    ])
    await temporal.recordEvents('default', [
      {
        entityId: id,
        attr: SCOPE,
        kind: 'Property',
        value: ['/A'],
        observedAt: at('08'),
        modifiedAt: at('08'),
      },
      {
        entityId: id,
        attr: SCOPE,
        kind: 'Property',
        value: ['/B'],
        observedAt: at('12'),
        modifiedAt: at('12'),
      },
      {
        entityId: id,
        attr: `${V}parkedIn`,
        kind: 'Relationship',
        value: NGSI_LD_NULL,
        modifiedAt: at('13'),
        deletedAt: at('13'),
      },
    ])
    return temporal
  }
  const read = async (raw: Record<string, string>) => {
    const params = parseTemporalParams(raw, false)
    const [evo] = await readEvolutions(await setup(), 'default', [entity], undefined, params, 100)
    return { evo: evo!, out: renderEvolution(evo!, ctx, params) }
  }

  it('under deletedAt answers only the deletions, with deletedAt and no observedAt', async () => {
    const { out } = await read({ timeproperty: 'deletedAt' })
    expect(Object.keys(out).sort()).toEqual(['id', 'parkedIn', 'type'])
    expect(out['parkedIn']).toEqual([
      {
        type: 'Relationship',
        object: NGSI_LD_NULL,
        instanceId: expect.stringMatching(/^urn:ngsi-ld:Instance:/) as unknown,
        deletedAt: '2026-03-01T13:00:00Z',
      },
    ])
    const before = await read({
      timeproperty: 'deletedAt',
      timerel: 'before',
      timeAt: '2026-03-01T13:00:00Z',
    })
    expect(before.out['parkedIn']).toBeUndefined()
  })

  it('under observedAt keeps a deleted attribute its kind and adds the Scope instances', async () => {
    const { out } = await read({ options: 'sysAttrs' })
    expect((out['parkedIn'] as { type: string }[]).map((i) => i.type)).toEqual([
      'Relationship',
      'Relationship',
    ])
    expect(out[SCOPE]).toMatchObject([
      {
        type: 'Property',
        value: ['/A'],
        observedAt: '2026-03-01T08:00:00Z',
        modifiedAt: '2026-03-01T08:00:00Z',
      },
      { type: 'Property', value: ['/B'], observedAt: '2026-03-01T12:00:00Z' },
    ])
  })

  it('includes the Scope valid at the window start', async () => {
    const { out } = await read({ timerel: 'after', timeAt: '2026-03-01T10:00:00Z' })
    expect((out[SCOPE] as { value: unknown }[]).map((i) => i.value)).toEqual([['/A'], ['/B']])
    const late = await read({ timerel: 'after', timeAt: '2026-03-01T12:30:00Z' })
    expect((late.out[SCOPE] as { value: unknown }[]).map((i) => i.value)).toEqual([['/B']])
  })

  it('applies lastN to observations and events together', async () => {
    const { out } = await read({ lastN: '1', timerel: 'before', timeAt: '2026-03-01T12:30:00Z' })
    expect((out[SCOPE] as { value: unknown }[]).map((i) => i.value)).toEqual([['/B']])
    expect((out['parkedIn'] as { object: unknown }[]).map((i) => i.object)).toEqual(['urn:p:2'])
  })
})

describe('renderEvolution: entity system members (6.3.11)', () => {
  const evolution: Evolution = {
    entity: {
      id: 'urn:ngsi-ld:Vehicle:9',
      types: [`${V}Vehicle`],
      createdAt: '2026-08-01T00:00:00Z',
      modifiedAt: '2026-08-02T00:00:00Z',
      attrs: {
        'https://uri.etsi.org/ngsi-ld/expiresAt': [
          { type: 'Property', value: '2100-01-01T00:00:00Z' },
        ],
      },
    },
    instances: new Map(),
  }

  it('shows createdAt, modifiedAt and expiresAt only with sysAttrs', () => {
    const plain = renderEvolution(evolution, ctx, parseTemporalParams({}, false))
    expect(plain).toEqual({ id: 'urn:ngsi-ld:Vehicle:9', type: 'Vehicle' })
    const sys = renderEvolution(evolution, ctx, parseTemporalParams({ options: 'sysAttrs' }, false))
    expect(sys).toEqual({
      id: 'urn:ngsi-ld:Vehicle:9',
      type: 'Vehicle',
      createdAt: '2026-08-01T00:00:00Z',
      modifiedAt: '2026-08-02T00:00:00Z',
      expiresAt: '2100-01-01T00:00:00Z',
    })
  })
})
