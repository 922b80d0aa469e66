import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import { evaluateQ } from './evaluate-q.js'
import { linkedDepth, linkedPaths, loadLinked, withoutLinkedTerms } from './load-linked.js'
import { parseQ } from './parse-q.js'

const expand = (t: string) => (t.includes(':') ? t : `urn:v:${t}`)
const entity = (id: string, attrs: Entity['attrs']): Entity => ({
  id,
  types: ['urn:v:T'],
  attrs,
  createdAt: '2026-01-01T00:00:00Z',
  modifiedAt: '2026-01-01T00:00:00Z',
})
const rel = (object: string) => [{ type: 'Relationship' as const, object }]
const num = (value: number) => [{ type: 'Property' as const, value }]

describe('linked q terms', () => {
  it('finds the linked paths and their depth', () => {
    const q = parseQ('a>1;(b{c}==2|d{e{f}}==3)')
    expect(linkedPaths(q).map((p) => p.attr)).toEqual(['b', 'd'])
    expect(linkedDepth(q)).toBe(2)
    expect(linkedDepth(parseQ('a>1'))).toBe(0)
  })

  it('withoutLinkedTerms is a necessary condition of q', () => {
    const q = parseQ('a>1;b{c}==2')
    const e = entity('urn:e', { 'urn:v:a': num(2), 'urn:v:b': rel('urn:x') })
    expect(evaluateQ(withoutLinkedTerms(q), e, expand)).toBe(true)
    expect(evaluateQ(withoutLinkedTerms(q), { ...e, attrs: {} }, expand)).toBe(false)
    expect(evaluateQ(q, e, expand)).toBe(false)
  })

  it('loads the targets hop by hop, each once', async () => {
    const store = new Map<string, Entity>([
      ['urn:city', entity('urn:city', { 'urn:v:in': rel('urn:country') })],
      ['urn:country', entity('urn:country', { 'urn:v:code': num(33) })],
    ])
    const reads: string[] = []
    const read = (id: string) => {
      reads.push(id)
      return Promise.resolve(store.get(id))
    }
    const q = parseQ('at{in{code}}==33')
    const e1 = entity('urn:b1', { 'urn:v:at': rel('urn:city') })
    const e2 = entity('urn:b2', { 'urn:v:at': rel('urn:city') })
    const resolve = await loadLinked([e1, e2], linkedPaths(q), expand, read)
    expect(reads).toEqual(['urn:city', 'urn:country'])
    expect(evaluateQ(q, e1, expand, resolve)).toBe(true)
    expect(evaluateQ(parseQ('at{in{code}}==34'), e2, expand, resolve)).toBe(false)
  })
})
