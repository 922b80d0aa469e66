import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import type { Observation } from '../../core/observation.js'
import type { ActiveContext } from '../jsonld/index.js'
import { parseOrderBy } from '../query/index.js'
import { parseProjectionParams } from '../representation/index.js'
import type { Evolution } from './temporal-evolution.js'
import {
  filterDatasets,
  idOnlyOrdering,
  projectAttributes,
  projectMembers,
} from './temporal-projection.js'

const V = 'https://example.org/'
const ctx = { expandTerm: (t: string) => `${V}${t}` } as unknown as ActiveContext

const obs = (attr: string, observedAt: number, datasetId?: string): Observation => ({
  entityId: 'urn:ngsi-ld:Vehicle:1',
  attr: `${V}${attr}`,
  observedAt,
  value: observedAt,
  ...(datasetId !== undefined && { datasetId }),
})

function evolution(): Evolution {
  return {
    entity: { id: 'urn:ngsi-ld:Vehicle:1', types: [`${V}Vehicle`], attrs: {} } as unknown as Entity,
    instances: new Map([
      [`${V}speed`, [obs('speed', 1), obs('speed', 2, 'urn:ds:a')]],
      [`${V}fuelLevel`, [obs('fuelLevel', 3, 'urn:ds:b')]],
    ]),
  }
}

describe('filterDatasets (4.5.5)', () => {
  it('keeps the instances of the datasetIds, @none for the default one', () => {
    const e = evolution()
    filterDatasets([e], new Set(['@none', 'urn:ds:b']))
    expect(e.instances.get(`${V}speed`)?.map((o) => o.observedAt)).toEqual([1])
    expect(e.instances.get(`${V}fuelLevel`)?.map((o) => o.observedAt)).toEqual([3])
  })

  it('drops the attributes left without instances', () => {
    const e = evolution()
    filterDatasets([e], new Set(['urn:ds:a']))
    expect([...e.instances.keys()]).toEqual([`${V}speed`])
  })

  it('changes nothing without a datasetId', () => {
    const e = evolution()
    filterDatasets([e], undefined)
    expect(e.instances.get(`${V}speed`)).toHaveLength(2)
  })
})

describe('projectAttributes / projectMembers (4.21)', () => {
  it('keeps the picked attributes and the picked members only', () => {
    const p = parseProjectionParams({ pick: 'id,speed' }, ctx)
    const shown = projectAttributes(evolution(), p)
    expect([...shown.instances.keys()]).toEqual([`${V}speed`])
    expect(projectMembers({ id: 'x', type: 'Vehicle', speed: [] }, p.members)).toEqual({
      id: 'x',
      speed: [],
    })
  })

  it('removes the omitted attributes and members', () => {
    const p = parseProjectionParams({ omit: 'type,speed' }, ctx)
    const e = evolution()
    const shown = projectAttributes(e, p)
    expect([...shown.instances.keys()]).toEqual([`${V}fuelLevel`])
    // The evolution read is left whole: whether the entity is answered does not follow pick/omit.
    expect(e.instances.size).toBe(2)
    expect(projectMembers({ id: 'x', type: 'Vehicle' }, p.members)).toEqual({ id: 'x' })
  })

  it('rejects a linked projection (no join on the temporal API)', () => {
    expect(() => parseProjectionParams({ pick: 'owner{name}' }, ctx)).toThrow(/join/)
  })
})

describe('idOnlyOrdering (5.7.4.4)', () => {
  it('accepts id in either direction', () => {
    expect(idOnlyOrdering(parseOrderBy('id;desc', {}))?.keys).toHaveLength(1)
    expect(idOnlyOrdering(undefined)).toBeUndefined()
  })

  it.each(['name', 'createdAt', 'type', 'id,name', 'name.subProperty'])(
    'rejects %s with BadRequestData',
    (orderBy) => {
      expect(() => idOnlyOrdering(parseOrderBy(orderBy, {}))).toThrow(/only be ordered by "id"/)
    },
  )
})
