import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import { RenderCache } from './render-cache.js'

const entity = (value: number): Entity => ({
  id: 'urn:e:1',
  types: ['T'],
  createdAt: 'x',
  modifiedAt: 'x',
  attrs: { a: [{ type: 'Property', value }] },
})

describe('RenderCache', () => {
  it('renders a snapshot once per profile and a new snapshot anew', () => {
    const cache = new RenderCache()
    let renders = 0
    const render = (e: Entity) => () => {
      renders++
      return { id: e.id, a: e.attrs['a']?.[0]?.value }
    }
    const v1 = entity(1)
    expect(cache.json(v1, 'p', render(v1))).toBe('{"id":"urn:e:1","a":1}')
    expect(cache.json(v1, 'p', render(v1))).toBe('{"id":"urn:e:1","a":1}')
    expect(renders).toBe(1)
    cache.json(v1, 'q', render(v1))
    expect(renders).toBe(2)
    // The store replaces the object when the entity changes: the new object renders anew.
    const v2 = entity(2)
    expect(cache.json(v2, 'p', render(v2))).toBe('{"id":"urn:e:1","a":2}')
    expect(renders).toBe(3)
  })

  it('remembers that nothing was left, and keeps few profiles per snapshot', () => {
    const cache = new RenderCache()
    const e = entity(1)
    let renders = 0
    expect(cache.json(e, 'p', () => (renders++, undefined))).toBeNull()
    expect(cache.json(e, 'p', () => (renders++, undefined))).toBeNull()
    expect(renders).toBe(1)
    for (const p of ['a', 'b', 'c', 'd', 'e']) cache.json(e, p, () => (renders++, {}))
    cache.json(e, 'p', () => (renders++, undefined))
    expect(renders).toBe(7)
  })

  it('gives each context object its own stable id', () => {
    const cache = new RenderCache()
    const a = {}
    const b = {}
    expect(cache.contextId(a)).toBe(cache.contextId(a))
    expect(cache.contextId(a)).not.toBe(cache.contextId(b))
  })
})
