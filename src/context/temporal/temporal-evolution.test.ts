import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import type { ActiveContext } from '../jsonld/index.js'
import { renderEvolution, type Evolution } from './temporal-evolution.js'
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
