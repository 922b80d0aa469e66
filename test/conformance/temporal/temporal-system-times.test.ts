/**
 * The temporal evolution by system time (timeproperty=createdAt, §4.11) of entities written only
 * through the Core API (§4.5.6, §4.5.7: what the Core API writes is part of the evolution), as
 * the TPs 5734_01 (EntityMaps), 5743_01 (expandValues) and 021_23 (orderBy) set it up: fixtures
 * made with POST /entities, without observedAt. Against the built `civitas start`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueUrn, type Reply } from '../support/broker.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const WINDOW = 'timerel=after&timeAt=2000-01-01T00:00:00Z&timeproperty=createdAt'
const ids = (r: Reply) => (r.body as { id: string }[]).map((e) => e.id)

async function create(body: object): Promise<void> {
  const r = await broker.request('POST', '/entities', { body })
  expect(r.status, r.text).toBe(201)
}

async function remove(id: string): Promise<void> {
  await broker.request('DELETE', `/entities/${id}`)
  await broker.request('DELETE', `/temporal/entities/${id}`)
}

function mapHeader(r: Reply): string {
  const value = r.headers.get('NGSILD-EntityMap')
  expect(value, `no NGSILD-EntityMap header: ${r.status} ${r.text}`).not.toBeNull()
  return value ?? ''
}

describe('EntityMaps (TP 5734) on the temporal API, by createdAt', () => {
  const type = `Em5734${Date.now().toString(36)}`
  const [one, two] = [uniqueUrn(type), uniqueUrn(type)]
  beforeAll(async () => {
    await create({ id: one, type, speed: { type: 'Property', value: 30 } })
    await create({ id: two, type, speed: { type: 'Property', value: 90 } })
  })
  afterAll(async () => {
    await remove(one)
    await remove(two)
  })

  it('5734_01_01 a temporal retrieve with entityMap=true makes a map holding the entity', async () => {
    const r = await broker.request('GET', `/temporal/entities/${one}?${WINDOW}&entityMap=true`)
    expect(r.status, r.text).toBe(200)
    const map = await broker.request('GET', `/entityMaps/${mapHeader(r).split('/').pop() ?? ''}`)
    expect(map.status, map.text).toBe(200)
    expect((map.body as { entityMap: unknown }).entityMap).toEqual({ [one]: ['@none'] })
  })

  it('5734_01_02 a live map fixes a broader temporal query; the location is echoed', async () => {
    const first = await broker.request(
      'GET',
      `/temporal/entities?type=${type}&id=${one}&${WINDOW}&entityMap=true`,
    )
    expect(first.status, first.text).toBe(201)
    const location = mapHeader(first)
    const broader = await broker.request('GET', `/temporal/entities?type=${type}&${WINDOW}`, {
      headers: { 'NGSILD-EntityMap': location },
    })
    expect(broader.status, broader.text).toBe(200)
    expect(ids(broader)).toEqual([one])
    expect(mapHeader(broader)).toBe(location)
  })

  it('5734_01_03 an unknown map reference makes a new map (201), not echoing the dead one', async () => {
    const r = await broker.request('GET', `/temporal/entities?type=${type}&${WINDOW}`, {
      headers: { 'NGSILD-EntityMap': 'urn:ngsi-ld:entitymap:em5734dead' },
    })
    expect(r.status, r.text).toBe(201)
    expect(mapHeader(r)).not.toContain('em5734dead')
    expect(ids(r).sort()).toEqual([one, two].sort())
  })
})

describe('expandValues (TP 5743) on the temporal query, by createdAt', () => {
  const type = `Shop${Date.now().toString(36)}`
  const shop = uniqueUrn(type)
  beforeAll(() =>
    create({ id: shop, type, category: { type: 'VocabProperty', vocab: 'commercial' } }),
  )
  afterAll(() => remove(shop))

  it('5743_01_01 q=category==commercial matches the VocabProperty with expandValues=category', async () => {
    const r = await broker.request(
      'GET',
      `/temporal/entities?type=${type}&q=category%3D%3Dcommercial&expandValues=category&${WINDOW}`,
    )
    expect(r.status, r.text).toBe(200)
    expect(r.text).toContain(shop)
  })
})

describe('Query Temporal Evolution ordered, by createdAt', () => {
  const type = `Building${Date.now().toString(36)}`
  const prefix = uniqueUrn(type)
  const [first, second, third] = [`${prefix}1`, `${prefix}2`, `${prefix}3`]
  beforeAll(async () => {
    // Created out of id order, as the TP does.
    for (const [id, name] of [
      [second, 'B'],
      [first, 'A'],
      [third, 'C'],
    ] as const)
      await create({ id, type, name: { type: 'Property', value: name } })
  })
  afterAll(async () => {
    for (const id of [first, second, third]) await remove(id)
  })

  it('021_23_02 orderBy=id answers the entities by id, each with its created instances', async () => {
    const r = await broker.request(
      'GET',
      `/temporal/entities?type=${type}&orderBy=id&timerel=after&timeAt=1970-01-01T00:00:00Z&timeproperty=createdAt`,
    )
    expect(r.status, r.text).toBe(200)
    expect(ids(r)).toEqual([first, second, third])
    const names = (r.body as { name: { value: string; createdAt: string }[] }[]).map((e) =>
      e.name.map((i) => i.value),
    )
    expect(names).toEqual([['A'], ['B'], ['C']])
  })
})
