import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import type { AttributeInstance, Entity } from '../../core/ngsi.js'
import type { Observation } from '../../core/observation.js'
import type { TemporalStore } from '../../store/store.js'
import { createMemoryTemporal } from '../../store/memory/memory-temporal.js'
import { parseGeoQuery, parseQ } from '../query/index.js'
import { matchesInWindow, ScanBudget, type WindowFilter } from './window-filter.js'

const V = 'https://example.org/'
const expand = (t: string) => `${V}${t}`
const ID = 'urn:ngsi-ld:Vehicle:1'
const at = (iso: string) => Date.parse(iso)
const WINDOW = { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-02T00:00:00Z') }
const IN = '2026-03-01T12:00:00Z'
const LATER = '2026-03-01T18:00:00Z'
const OUT = '2026-01-05T00:00:00Z'

/** The core `location` GeoProperty, the default geoproperty. */
const LOCATION = 'https://uri.etsi.org/ngsi-ld/location'
const iri = (name: string) => (name === 'location' ? LOCATION : `${V}${name}`)

const obs = (attr: string, iso: string, value: unknown, extra: Partial<Observation> = {}) =>
  ({ entityId: ID, attr: iri(attr), observedAt: at(iso), value, ...extra }) as Observation

/** The current state only gives the attribute kinds; its values must never decide. */
function entity(attrs: Record<string, AttributeInstance['type']>): Entity {
  return {
    id: ID,
    types: [`${V}Vehicle`],
    createdAt: OUT,
    modifiedAt: OUT,
    attrs: Object.fromEntries(
      Object.entries(attrs).map(([name, type]) => [
        iri(name),
        [{ type, value: 'CURRENT', object: 'urn:current' }],
      ]),
    ),
  }
}

function history(observations: Observation[]): TemporalStore {
  const memory = createMemoryTemporal()
  memory.append('t', observations)
  return memory.temporal
}

const judge = (
  temporal: TemporalStore,
  e: Entity,
  filter: Omit<WindowFilter, 'expand'>,
  budget = new ScanBudget(1_000_000),
) => matchesInWindow(temporal, 't', e, { ...filter, expand }, WINDOW, budget)

describe('matchesInWindow: q on the instances inside the interval (§5.7.4.4 S2)', () => {
  const vehicle = entity({ speed: 'Property', heading: 'Property', ref: 'Relationship' })
  const temporal = history([
    obs('speed', OUT, 90),
    obs('speed', IN, 30),
    obs('speed', LATER, 12, { datasetId: 'urn:ngsi-ld:Dataset:b', unitCode: 'KMH' }),
    obs('heading', OUT, 170),
    obs('ref', IN, 'urn:dest:1'),
    obs('gone', IN, 'urn:ngsi-ld:null'),
  ])
  const cases: [string, boolean][] = [
    ['speed>25', true],
    ['speed>50', false], // 90 is outside the window
    ['speed==12', true], // a datasetId instance counts like any other
    ['speed==30;speed==12', true], // each term on some instance
    ['speed.unitCode=="KMH"', true],
    ['speed.observedAt>=2026-03-01T18:00:00Z', true],
    ['speed.observedAt<2026-03-01T00:00:00Z', false],
    ['heading', false], // only outside the window
    ['heading<200', false],
    ['!heading', true],
    ['!heading;speed>25', true],
    ['!speed', false],
    ['speed!=30', true], // 12 differs
    ['ref=="urn:dest:1"', true],
    ['ref>"urn:a"', false], // a Relationship never orders (§4.9)
    ['ref=="urn:current"', false], // the current state does not count
    ['gone', false], // a deleted instance is no instance
    ['speed>100|heading', false],
    ['(speed<20|heading);ref', true],
  ]
  it.each(cases)('%s → %s', async (q, expected) => {
    expect(await judge(temporal, vehicle, { q: parseQ(q) })).toBe(expected)
  })
})

describe('matchesInWindow: the geoquery on the GeoProperty instances inside the interval (S3)', () => {
  const point = (coordinates: number[]) => ({ type: 'Point', coordinates })
  const near = parseGeoQuery(
    { georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: '[2.29,48.85]' },
    expand,
  )
  const temporal = history([
    obs('location', OUT, point([2.29, 48.85])),
    obs('location', IN, point([10, 50])),
  ])

  it('judges only the windowed positions', async () => {
    expect(await judge(temporal, entity({ location: 'GeoProperty' }), { geo: near })).toBe(false)
    const moved = history([
      obs('location', OUT, point([10, 50])),
      obs('location', IN, point([2.29, 48.85])),
    ])
    expect(await judge(moved, entity({ location: 'GeoProperty' }), { geo: near })).toBe(true)
  })

  it('reads a geometry of an attribute the entity no longer has as a GeoProperty', async () => {
    const moved = history([obs('location', IN, point([2.29, 48.85]))])
    expect(await judge(moved, entity({}), { geo: near })).toBe(true)
  })

  it('needs q and the geoquery together', async () => {
    const both = history([obs('location', IN, point([2.29, 48.85])), obs('speed', IN, 5)])
    const e = entity({ location: 'GeoProperty', speed: 'Property' })
    expect(await judge(both, e, { geo: near, q: parseQ('speed<10') })).toBe(true)
    expect(await judge(both, e, { geo: near, q: parseQ('speed>10') })).toBe(false)
  })
})

describe('matchesInWindow: bounded work', () => {
  const many = Array.from({ length: 50 }, (_, i) =>
    obs('speed', `2026-03-01T10:${String(i).padStart(2, '0')}:00Z`, i),
  )

  /** Counts the batches the scan hands out, to see where reading stops. */
  function counting(observations: Observation[]) {
    const inner = history(observations)
    const seen = { batches: 0, attrs: [] as (readonly string[] | undefined)[] }
    const temporal: TemporalStore = {
      ...inner,
      async *scan(tenant, q) {
        seen.attrs.push(q.attrs)
        // One instance per batch, as a long history comes chunk by chunk.
        for await (const batch of inner.scan(tenant, q))
          for (const o of batch) {
            seen.batches++
            yield [o]
          }
      },
    }
    return { temporal, seen }
  }

  it('reads only the attributes the filter names and stops once the outcome is known', async () => {
    const { temporal, seen } = counting([...many, obs('heading', IN, 1)])
    expect(await judge(temporal, entity({ speed: 'Property' }), { q: parseQ('speed==3') })).toBe(
      true,
    )
    expect(seen.attrs).toEqual([[`${V}speed`]])
    expect(seen.batches).toBe(4)
  })

  it('reads on while an instance still to come could change the outcome', async () => {
    const e = entity({ speed: 'Property' })
    // A heading later in the window would undo the match: all of it is read.
    const open = counting(many)
    expect(await judge(open.temporal, e, { q: parseQ('speed==3;!heading') })).toBe(true)
    expect(open.seen.batches).toBe(50)
    // Here nothing can: the OR is met whatever comes.
    const shut = counting(many)
    expect(await judge(shut.temporal, e, { q: parseQ('speed==3|!heading') })).toBe(true)
    expect(shut.seen.batches).toBe(4)
    // Nor here: the first heading decides against it.
    const against = counting([obs('heading', IN, 1), ...many])
    expect(await judge(against.temporal, e, { q: parseQ('!heading;speed==3') })).toBe(false)
    expect(against.seen.batches).toBe(1)
  })

  it('judges a large chunk a slice at a time, stopping inside it', async () => {
    const burst = Array.from({ length: 5000 }, (_, i) =>
      obs('speed', new Date(at('2026-03-01T01:00:00Z') + i * 1000).toISOString(), i),
    )
    const temporal = history(burst) // the memory store hands out one batch per attribute
    const e = entity({ speed: 'Property' })
    // The match is in the first slice: the rest of the batch is never examined.
    expect(await judge(temporal, e, { q: parseQ('speed==3') }, new ScanBudget(1100))).toBe(true)
    await expect(
      judge(temporal, e, { q: parseQ('speed==4999') }, new ScanBudget(1100)),
    ).rejects.toMatchObject({ kind: 'TooManyResults' })
  })

  it('answers TooManyResults once the request has examined its budget', async () => {
    const temporal = history(many)
    const e = entity({ speed: 'Property' })
    const budget = new ScanBudget(60)
    expect(await judge(temporal, e, { q: parseQ('speed>100') }, budget)).toBe(false)
    const error = await judge(temporal, e, { q: parseQ('speed>100') }, budget).catch(
      (err: unknown) => err,
    )
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).kind).toBe('TooManyResults')
  })
})
