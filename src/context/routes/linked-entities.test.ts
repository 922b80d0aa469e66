import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'
import { joinEntities } from '../representation/join-entities.js'
import { parseJoin } from './linked-entities.js'

describe('parseJoin', () => {
  it('is undefined without join or with join=@none', () => {
    expect(parseJoin(undefined, undefined, undefined, undefined)).toBeUndefined()
    expect(parseJoin('@none', undefined, undefined, undefined)).toBeUndefined()
  })

  it('defaults joinLevel to 1 and keeps the pick and omit trees', () => {
    expect(parseJoin('flat', undefined, 'id,locatedAt{name}', undefined)).toEqual({
      join: 'flat',
      level: 1,
      pick: [{ name: 'id' }, { name: 'locatedAt', children: [{ name: 'name' }] }],
    })
    expect(parseJoin('inline', '2', undefined, undefined)).toEqual({ join: 'inline', level: 2 })
    expect(parseJoin('inline', 3, undefined, undefined)).toEqual({ join: 'inline', level: 3 })
  })

  it.each([
    ['an unknown join', 'deep', undefined, undefined],
    ['joinLevel 0', 'inline', 0, undefined],
    ['a fractional joinLevel', 'inline', '1.5', undefined],
    ['joinLevel without join', undefined, '1', undefined],
    ['a joinLevel above the ceiling', 'inline', '11', undefined],
    ['a pick deeper than joinLevel', 'inline', '1', 'a{b{c}}'],
  ])('rejects %s with BadRequestData', (_name, join, level, pick) => {
    expect(() => parseJoin(join, level, pick, undefined)).toThrow(AppError)
    try {
      parseJoin(join, level, pick, undefined)
    } catch (err) {
      expect((err as AppError).kind).toBe('BadRequestData')
    }
  })
})

describe('parseJoin: containedBy (§4.5.23)', () => {
  it('keeps the entity ids, once each', () => {
    expect(parseJoin('inline', undefined, undefined, undefined, 'urn:a, urn:b,urn:a')).toEqual({
      join: 'inline',
      level: 1,
      containedBy: ['urn:a', 'urn:b'],
    })
  })

  it.each([
    ['without join', undefined, 'urn:a', /needs join=inline or join=flat/],
    ['with join=@none', '@none', 'urn:a', /needs join=inline or join=flat/],
    ['with an empty id', 'flat', 'urn:a,', /is not an entity id/],
    ['with a non-URI', 'flat', 'building', /is not an entity id/],
    ['given twice (an array)', 'flat', ['urn:a', 'urn:b'], /comma-separated list/],
  ])('rejects containedBy %s with BadRequestData', (_name, join, containedBy, message) => {
    let caught: unknown
    try {
      parseJoin(join, undefined, undefined, undefined, containedBy)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).kind).toBe('BadRequestData')
    expect((caught as AppError).message).toMatch(message)
  })
})

describe('joinEntities: containedBy', () => {
  const rel = (object: string) => [{ type: 'Relationship' as const, object }]
  const node = (id: string, attrs: Entity['attrs']): Entity => ({
    id,
    types: ['T'],
    createdAt: '2024-01-01T00:00:00Z',
    modifiedAt: '2024-01-01T00:00:00Z',
    attrs,
  })
  // a → b → c → a: a loop, and a second link from a to c.
  const graph = new Map([
    ['urn:a', node('urn:a', { next: rel('urn:b'), also: rel('urn:c') })],
    ['urn:b', node('urn:b', { next: rel('urn:c') })],
    ['urn:c', node('urn:c', { next: rel('urn:a') })],
  ])
  const render = (e: Readonly<Entity>) => ({
    id: e.id,
    ...Object.fromEntries(Object.entries(e.attrs).map(([k, v]) => [k, { ...v[0] }])),
  })
  const deps = {
    read: (id: string) => Promise.resolve(graph.get(id)),
    compactIri: (iri: string) => iri,
    expandTerm: (term: string) => term,
    render,
    simplified: false,
  }
  const root = () => {
    const entity = graph.get('urn:a')!
    return [{ entity, rendered: render(entity) }]
  }

  it('flat: the listed entities are not retrieved again', async () => {
    const all = await joinEntities(root(), { join: 'flat', level: 3 }, deps)
    expect(all.map((e) => e['id'])).toEqual(['urn:a', 'urn:c', 'urn:b'])
    const some = await joinEntities(
      root(),
      { join: 'flat', level: 3, containedBy: ['urn:c'] },
      deps,
    )
    expect(some.map((e) => e['id'])).toEqual(['urn:a', 'urn:b'])
  })

  it('inline: a Relationship to a listed entity keeps its object and gains no entity', async () => {
    const [a] = await joinEntities(
      root(),
      { join: 'inline', level: 2, containedBy: ['urn:c'] },
      deps,
    )
    expect(a?.['also']).toEqual({ type: 'Relationship', object: 'urn:c' })
    expect(a?.['next']).toMatchObject({
      object: 'urn:b',
      entity: { id: 'urn:b', next: { type: 'Relationship', object: 'urn:c' } },
    })
  })
})
