import { describe, expect, it } from 'vitest'
import { IRI, type Entity } from '../../core/ngsi.js'
import type { HistoryEvent } from '../../store/store.js'
import { parseScopeQ } from '../query/index.js'
import { inWindows, scopeTimeline, scopeWindows } from './scope-windows.js'

const h = (hh: number) => Date.UTC(2026, 2, 1) + hh * 3_600_000
const entity = {
  id: 'urn:e:1',
  createdAt: new Date(h(1)).toISOString(),
  attrs: {},
} as unknown as Entity
const set = (value: string[], hh: number): HistoryEvent => ({
  entityId: 'urn:e:1',
  attr: IRI.scope,
  kind: 'Property',
  value,
  observedAt: h(hh),
  modifiedAt: h(20),
})
const removed = (hh: number): HistoryEvent => ({
  entityId: 'urn:e:1',
  attr: IRI.scope,
  kind: 'Property',
  value: [],
  modifiedAt: h(hh),
  deletedAt: h(hh),
})
const window = { from: h(12), to: h(13) }

describe('scope validity over time (4.18)', () => {
  it('a Scope holds from its time until the next change, in time order', () => {
    const timeline = scopeTimeline([set(['/S'], 12.5), set(['/R'], 10), removed(14)], entity)
    expect(timeline).toEqual([
      { from: h(10), to: h(12.5), scopes: ['/R'] },
      { from: h(12.5), to: h(14), scopes: ['/S'] },
      { from: h(14), to: Infinity, scopes: [] },
    ])
    expect(scopeWindows(timeline, parseScopeQ('/R'), window)).toEqual([
      { from: h(12), to: h(12.5) },
    ])
    expect(scopeWindows(timeline, parseScopeQ('/S'), window)).toEqual([
      { from: h(12.5), to: h(13) },
    ])
    expect(scopeWindows(timeline, parseScopeQ('/#'), { from: h(15) })).toEqual([])
  })

  it('a Scope set after the window never matches in it', () => {
    const timeline = scopeTimeline([set(['/Z'], 14)], entity)
    expect(scopeWindows(timeline, parseScopeQ('/Z'), window)).toEqual([])
  })

  it('without Scope history the current Scope holds since the creation', () => {
    const scoped = { ...entity, scopes: ['/A/B'] }
    expect(scopeWindows(scopeTimeline([], scoped), parseScopeQ('/A/#'), window)).toEqual([window])
    expect(scopeTimeline([], entity)).toEqual([])
  })

  it('inWindows is half-open', () => {
    expect(inWindows(h(12), [window])).toBe(true)
    expect(inWindows(h(13), [window])).toBe(false)
  })
})
