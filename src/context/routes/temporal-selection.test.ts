import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import type { Observation } from '../../core/observation.js'
import { createMemoryTemporal } from '../../store/memory/memory-temporal.js'
import { createMemoryEntityStore } from '../../store/memory/memory-store.js'
import type { ActiveContext } from '../jsonld/index.js'
import { parseQ } from '../query/index.js'
import type { EntitySelection } from './entity-selection.js'
import { selectForTemporal } from './temporal-selection.js'

const V = 'https://example.org/'
const ctx = { expandTerm: (t: string) => `${V}${t}` } as unknown as ActiveContext
const NOW = '2026-03-01T12:00:00Z'
const WINDOW = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-02-01T00:00:00Z') }

/** Vehicles 0..n-1, all at speed 0 now; in January vehicle i ran at i km/h. */
async function fleet(n: number) {
  const entities = createMemoryEntityStore()
  const history = createMemoryTemporal()
  const observations: Observation[] = []
  for (let i = 0; i < n; i++) {
    const id = `urn:ngsi-ld:Vehicle:${String(i).padStart(3, '0')}`
    const entity: Entity = {
      id,
      types: [`${V}Vehicle`],
      createdAt: NOW,
      modifiedAt: NOW,
      attrs: { [`${V}speed`]: [{ type: 'Property', value: 0, observedAt: NOW }] },
    }
    await entities.create('t', entity)
    observations.push({
      entityId: id,
      attr: `${V}speed`,
      observedAt: Date.parse('2026-01-10T00:00:00Z'),
      value: i,
    })
  }
  history.append('t', observations)
  return { entities, temporal: history.temporal }
}

const selection = (q?: string): EntitySelection => ({
  selectors: [{ types: [[`${V}Vehicle`]] }],
  ...(q !== undefined && { q: parseQ(q) }),
})
const ids = (entities: Entity[]) => entities.map((e) => Number(e.id.slice(-3)))

describe('selectForTemporal', () => {
  it('pages and counts the entities whose windowed instances match q', async () => {
    // 450 candidates: more than two store batches.
    const stores = await fleet(450)
    const page = { limit: 3, offset: 2, count: true }
    const r = await selectForTemporal(
      stores,
      't',
      selection('speed>=440'),
      undefined,
      page,
      ctx,
      WINDOW,
    )
    expect(ids(r.entities)).toEqual([442, 443, 444])
    expect(r.more).toBe(true)
    expect(r.count).toBe(10)
    const last = await selectForTemporal(
      stores,
      't',
      selection('speed>=440'),
      undefined,
      { limit: 5, offset: 5, count: false },
      ctx,
      WINDOW,
    )
    expect(ids(last.entities)).toEqual([445, 446, 447, 448, 449])
    expect(last.more).toBe(false)
    expect(last.count).toBeUndefined()
  })

  it('never matches on the current state', async () => {
    const stores = await fleet(5)
    const page = { limit: 10, offset: 0, count: true }
    const r = await selectForTemporal(
      stores,
      't',
      selection('speed==0'),
      undefined,
      page,
      ctx,
      WINDOW,
    )
    expect(ids(r.entities)).toEqual([0])
    expect(r.count).toBe(1)
  })

  it('leaves paging and counting to the store without q or geoquery', async () => {
    const stores = await fleet(5)
    const page = { limit: 2, offset: 1, count: true }
    const r = await selectForTemporal(stores, 't', selection(), undefined, page, ctx, WINDOW)
    expect(ids(r.entities)).toEqual([1, 2])
    expect(r.more).toBe(true)
    expect(r.count).toBe(5)
  })

  it('charges every candidate to the budget', async () => {
    const stores = await fleet(20)
    const page = { limit: 1, offset: 0, count: true }
    await expect(
      selectForTemporal(stores, 't', selection('speed>100'), undefined, page, ctx, WINDOW, {
        budget: 10,
      }),
    ).rejects.toMatchObject({ kind: 'TooManyResults' })
  })
})
