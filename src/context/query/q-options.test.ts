import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'
import { evaluateQ } from './evaluate-q.js'
import { parseOrderBy, sortEntities } from './order-by.js'
import { listedAttribute, parseQWithOptions, qNameList } from './q-options.js'
import type { QNode, QTerm } from './q-ast.js'

const expand = (t: string) => `https://example.org/${t}`
const entity = (id: string, attrs: Entity['attrs']): Entity => ({
  id,
  types: [expand('Building')],
  createdAt: '2024-01-01T00:00:00Z',
  modifiedAt: '2024-01-01T00:00:00Z',
  attrs,
})
// One key as written, one expanded by JSON-LD (what a term of the @context becomes).
const building = entity('urn:b', {
  [expand('address')]: [{ type: 'Property', value: { city: 'Paris', [expand('street')]: 'Main' } }],
  [expand('config')]: [{ type: 'JsonProperty', json: { [expand('mode')]: 'x', mode: 'y' } }],
  [expand('category')]: [{ type: 'VocabProperty', vocab: expand('monument') }],
})
const holds = (q: string, options = {}) =>
  evaluateQ(parseQWithOptions(q, options, expand), building, expand)
const term = (node: QNode): QTerm => {
  if (node.kind !== 'term') throw new Error('not a term')
  return node
}

function problem(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
  }
  throw new Error('no AppError')
}

describe('qNameList', () => {
  it('reads a comma-separated text or an array of names', () => {
    expect(qNameList(undefined, 'jsonKeys')).toBeUndefined()
    expect(qNameList('a, b,a', 'jsonKeys')).toEqual(['a', 'b'])
    expect(qNameList(['a', 'b'], 'expandValues')).toEqual(['a', 'b'])
  })

  it.each([
    ['an empty text', ''],
    ['an empty name', 'a,,b'],
    ['a name that is not one', 'a b'],
    ['id, an entity member', 'id'],
    ['an empty array', []],
    ['a non-string element', ['a', 1]],
    ['a number', 5],
  ])('rejects %s with BadRequestData naming the parameter', (_name, raw) => {
    const err = problem(() => qNameList(raw, 'jsonKeys'))
    expect(err.kind).toBe('BadRequestData')
    expect(err.message).toMatch(/^jsonKeys: /)
  })
})

describe('jsonKeys (§4.9): trailing paths of the listed attributes are plain JSON keys', () => {
  it('marks the paths of the listed attributes only, linked ones too', () => {
    expect(
      term(parseQWithOptions('address[city]', { jsonKeys: ['address'] }, expand)).path,
    ).toMatchObject({ attr: 'address', members: ['city'], jsonKeys: true })
    expect(
      term(parseQWithOptions('address[city]', { jsonKeys: ['config'] }, expand)).path.jsonKeys,
    ).toBeUndefined()
    // A name listed as an IRI is the same attribute as its short term.
    expect(
      term(parseQWithOptions('address[city]', { jsonKeys: [expand('address')] }, expand)).path
        .jsonKeys,
    ).toBe(true)
    const linked = term(
      parseQWithOptions('owner{address[city]}', { jsonKeys: ['address'] }, expand),
    )
    expect(linked.path.linked?.path.jsonKeys).toBe(true)
  })

  it('looks a member up as written, never under its expanded term', () => {
    expect(holds('address[street]=="Main"')).toBe(true)
    expect(holds('address[street]=="Main"', { jsonKeys: ['address'] })).toBe(false)
    expect(holds('address[city]=="Paris"', { jsonKeys: ['address'] })).toBe(true)
    expect(holds('address[street]', { jsonKeys: ['address'] })).toBe(false)
  })

  it('takes the keys of a JsonProperty as written, listed or not', () => {
    expect(holds('config[mode]=="y"')).toBe(true)
    expect(holds('config[mode]=="x"')).toBe(false)
  })

  it('applies to orderBy trailing paths', () => {
    const value = (v: Record<string, unknown>) => ({
      [expand('address')]: [{ type: 'Property' as const, value: v }],
    })
    const b = entity('urn:b', value({ n: 1 }))
    const c = entity('urn:c', value({ [expand('n')]: 0 }))
    const order = (jsonKeys?: (attr: string) => boolean) =>
      sortEntities([b, c], parseOrderBy('address[n]', { jsonKeys }), expand).map((e) => e.id)
    // Without jsonKeys c's expanded key is found; with it c has no such key and comes last.
    expect(order()).toEqual(['urn:c', 'urn:b'])
    expect(order(listedAttribute(['address'], expand))).toEqual(['urn:b', 'urn:c'])
  })
})

describe('expandValues (§4.9 EXAMPLE 12)', () => {
  it('expands the compared values of the listed attributes, quoted or unquoted', () => {
    expect(holds('category=="monument"')).toBe(false)
    expect(holds('category=="monument"', { expandValues: ['category'] })).toBe(true)
    expect(holds('category==monument', { expandValues: ['category'] })).toBe(true)
    expect(holds('category==hut,monument', { expandValues: ['category'] })).toBe(true)
    expect(holds('category!=monument', { expandValues: ['category'] })).toBe(false)
  })

  it('takes an unquoted term only for the listed attributes', () => {
    expect(problem(() => parseQWithOptions('category==monument', {}, expand)).kind).toBe(
      'BadRequestData',
    )
    expect(
      problem(() => parseQWithOptions('category==monument', { expandValues: ['name'] }, expand))
        .kind,
    ).toBe('BadRequestData')
  })
})
