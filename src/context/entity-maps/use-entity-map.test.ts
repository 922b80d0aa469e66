import { describe, expect, it } from 'vitest'
import type { EntitySelection } from '../routes/entity-selection.js'
import { mapIdOf, restrictSelection, selectsNothing, withMapLocation } from './use-entity-map.js'

describe('mapIdOf', () => {
  it('takes the last segment of a resource URI or path, or the id itself', () => {
    expect(mapIdOf('http://h/ngsi-ld/v1/entityMaps/urn:ngsi-ld:EntityMap:1')).toBe(
      'urn:ngsi-ld:EntityMap:1',
    )
    expect(mapIdOf('/ngsi-ld/v1/entityMaps/urn%3Angsi-ld%3AEntityMap%3A2/')).toBe(
      'urn:ngsi-ld:EntityMap:2',
    )
    expect(mapIdOf(' urn:ngsi-ld:entitymap:x ')).toBe('urn:ngsi-ld:entitymap:x')
    expect(mapIdOf('/entityMaps/%E0%A4%A')).toBe('%E0%A4%A')
  })
})

describe('restrictSelection', () => {
  it('narrows each selector to the map, keeping the ids it names', () => {
    const selection: EntitySelection = {
      selectors: [{ types: [['T']] }, { ids: ['urn:a', 'urn:z'], types: [['U']] }],
    }
    expect(restrictSelection(selection, ['urn:a', 'urn:b']).selectors).toEqual([
      { types: [['T']], ids: ['urn:a', 'urn:b'] },
      { ids: ['urn:a'], types: [['U']] },
    ])
  })

  it('treats no selector as every entity', () => {
    expect(restrictSelection({ selectors: [] }, ['urn:a']).selectors).toEqual([{ ids: ['urn:a'] }])
  })

  it('selects nothing when the map names none of the ids asked for', () => {
    const narrowed = restrictSelection({ selectors: [{ ids: ['urn:z'] }] }, ['urn:a'])
    expect(selectsNothing(narrowed)).toBe(true)
    expect(selectsNothing(restrictSelection({ selectors: [] }, []))).toBe(true)
    expect(selectsNothing({ selectors: [] })).toBe(false)
  })
})

describe('withMapLocation', () => {
  it('adds the header, and 201 when a query made the map', () => {
    const use = { selection: { selectors: [] }, location: '/m/1', created: true }
    expect(withMapLocation({ status: 200, headers: { a: 'b' } }, use)).toEqual({
      status: 201,
      headers: { a: 'b', 'NGSILD-EntityMap': '/m/1' },
    })
    expect(withMapLocation({ status: 200 }, { ...use, created: false }).status).toBe(200)
    // A retrieval answers 200 whether or not the map is new (Table 6.5.3.1-3).
    expect(withMapLocation({ status: 200 }, '/m/2')).toEqual({
      status: 200,
      headers: { 'NGSILD-EntityMap': '/m/2' },
    })
    expect(withMapLocation({ status: 200 }, undefined)).toEqual({ status: 200 })
  })
})
