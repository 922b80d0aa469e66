import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import { parseOrderBy, sortEntities } from './order-by.js'

const expand = (t: string) => `https://example.org/${t}`
const entity = (
  id: string,
  attrs: Record<string, unknown>,
  createdAt = '2024-01-01T00:00:00Z',
): Entity => ({
  id,
  types: ['https://example.org/Building'],
  createdAt,
  modifiedAt: createdAt,
  attrs: Object.fromEntries(
    Object.entries(attrs).map(([k, v]) => [expand(k), [{ type: 'Property', value: v }]]),
  ),
})
const ids = (es: Entity[]) => es.map((e) => e.id)

describe('orderBy (§4.23)', () => {
  const a = entity('urn:a', { name: 'b', rank: 5 }, '2024-01-02T00:00:00Z')
  const b = entity('urn:b', { name: 'a', rank: 'x' }, '2024-01-01T00:00:00Z')
  const c = entity('urn:c', { name: 'c' }, '2024-01-03T00:00:00Z')

  it('orders by attribute, entity members and direction', () => {
    expect(ids(sortEntities([a, b, c], parseOrderBy('name', {}), expand))).toEqual([
      'urn:b',
      'urn:a',
      'urn:c',
    ])
    expect(ids(sortEntities([a, b, c], parseOrderBy('name;desc', {}), expand))).toEqual([
      'urn:c',
      'urn:a',
      'urn:b',
    ])
    expect(ids(sortEntities([c, b, a], parseOrderBy('id', {}), expand))).toEqual([
      'urn:a',
      'urn:b',
      'urn:c',
    ])
    expect(ids(sortEntities([a, b, c], parseOrderBy('createdAt', {}), expand))).toEqual([
      'urn:b',
      'urn:a',
      'urn:c',
    ])
  })

  it('puts numbers before strings and missing values last, in both directions', () => {
    expect(ids(sortEntities([c, b, a], parseOrderBy('rank', {}), expand))).toEqual([
      'urn:a',
      'urn:b',
      'urn:c',
    ])
    expect(ids(sortEntities([c, b, a], parseOrderBy('rank;desc', {}), expand))).toEqual([
      'urn:b',
      'urn:a',
      'urn:c',
    ])
  })

  it('rejects bad directions, distance without orderFrom and invalid collations', () => {
    expect(() => parseOrderBy('name;up', {})).toThrow(/not asc, desc/)
    expect(() => parseOrderBy('location;dist-asc', {})).toThrow(/orderFrom/)
    expect(() => parseOrderBy('name', { collation: '!!nope' })).toThrow(/collation/)
  })
})
