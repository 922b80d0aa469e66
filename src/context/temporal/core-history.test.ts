import { describe, expect, it } from 'vitest'
import { IRI, NGSI_LD, NGSI_LD_NULL, type Entity } from '../../core/ngsi.js'
import { coreHistoryEvents } from './core-history.js'

const V = 'https://example.org/'
const T = '2026-03-01T10:00:00Z'
const U = '2026-03-01T11:00:00Z'
const t = Date.parse(T)
const u = Date.parse(U)
const entity = (modifiedAt: string, attrs: Entity['attrs'], scopes?: string[]): Entity => ({
  id: 'urn:e:1',
  types: [`${V}Vehicle`],
  createdAt: T,
  modifiedAt,
  attrs,
  ...(scopes && { scopes }),
})
const before = entity(
  T,
  {
    [`${V}a`]: [
      { type: 'Property', value: 1 },
      { type: 'Property', value: 2, datasetId: 'urn:ds:1' },
    ],
    [`${V}r`]: [{ type: 'Relationship', object: 'urn:x' }],
    [`${V}n`]: [{ type: 'LanguageProperty', languageMap: { en: 'x' } }],
  },
  ['/A'],
)

describe('coreHistoryEvents', () => {
  it('records the Scope of a created entity as an instance observed when it was set', () => {
    expect(
      coreHistoryEvents({ kind: 'created', entity: before }, 0).filter((e) => e.attr === IRI.scope),
    ).toEqual([
      {
        entityId: 'urn:e:1',
        attr: IRI.scope,
        kind: 'Property',
        value: ['/A'],
        observedAt: t,
        modifiedAt: t,
      },
    ])
    expect(coreHistoryEvents({ kind: 'created', entity: entity(T, {}) }, 0)).toEqual([])
  })

  it('records every instance a create wrote, created and modified then, observed if stamped', () => {
    const stamped = entity(T, {
      [`${V}a`]: [{ type: 'Property', value: 1, observedAt: U, createdAt: T, modifiedAt: T }],
      [`${V}r`]: [{ type: 'Relationship', object: 'urn:x', datasetId: 'urn:ds:r' }],
      [`${NGSI_LD}expiresAt`]: [{ type: 'Property', value: '2030-01-01T00:00:00Z' }],
    })
    expect(coreHistoryEvents({ kind: 'created', entity: stamped }, 0)).toEqual([
      {
        entityId: 'urn:e:1',
        attr: `${V}a`,
        kind: 'Property',
        value: 1,
        observedAt: u,
        createdAt: t,
        modifiedAt: t,
      },
      {
        entityId: 'urn:e:1',
        attr: `${V}r`,
        datasetId: 'urn:ds:r',
        kind: 'Relationship',
        value: 'urn:x',
        createdAt: t,
        modifiedAt: t,
      },
    ])
  })

  it('records the instances an update changed or added, not those it left alone', () => {
    const after = entity(
      U,
      {
        ...before.attrs,
        [`${V}a`]: [
          { type: 'Property', value: 1, modifiedAt: U },
          { type: 'Property', value: 3, datasetId: 'urn:ds:1' },
        ],
        [`${V}b`]: [{ type: 'Property', value: true }],
      },
      ['/A'],
    )
    const events = coreHistoryEvents({ kind: 'updated', entity: after, previous: before }, 0)
    expect(events.map((e) => [e.attr, e.datasetId, e.value, e.createdAt, e.modifiedAt])).toEqual([
      [`${V}a`, 'urn:ds:1', 3, u, u],
      [`${V}b`, undefined, true, u, u],
    ])
  })

  it('records each removed instance with the NGSI-LD Null of its kind, and a removed Scope', () => {
    const after = entity(U, { [`${V}a`]: [{ type: 'Property', value: 1 }] })
    const events = coreHistoryEvents({ kind: 'updated', entity: after, previous: before }, 0)
    const deletions = events.filter((e) => e.deletedAt !== undefined)
    expect(deletions.map((e) => [e.attr, e.datasetId, e.kind, e.value, e.deletedAt])).toEqual([
      [`${V}a`, 'urn:ds:1', 'Property', NGSI_LD_NULL, u],
      [`${V}r`, undefined, 'Relationship', NGSI_LD_NULL, u],
      [`${V}n`, undefined, 'LanguageProperty', { '@none': NGSI_LD_NULL }, u],
      [IRI.scope, undefined, 'Property', [], u],
    ])
  })

  it('records a changed Scope only when the set differs', () => {
    const same = entity(U, before.attrs, ['/A'])
    expect(coreHistoryEvents({ kind: 'updated', entity: same, previous: before }, 0)).toEqual([])
    const moved = entity(U, before.attrs, ['/B', '/A'])
    expect(coreHistoryEvents({ kind: 'updated', entity: moved, previous: before }, 0)).toEqual([
      {
        entityId: 'urn:e:1',
        attr: IRI.scope,
        kind: 'Property',
        value: ['/B', '/A'],
        observedAt: u,
        modifiedAt: u,
      },
    ])
  })

  it('records every instance and the Scope of a deleted entity at the time given', () => {
    const events = coreHistoryEvents({ kind: 'deleted', entity: before }, 42)
    expect(events).toHaveLength(5)
    expect(events.every((e) => e.deletedAt === 42 && e.observedAt === undefined)).toBe(true)
  })
})
