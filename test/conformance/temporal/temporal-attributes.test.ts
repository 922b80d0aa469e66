/**
 * ETSI GS CIM 014 — temporal attributes: Add Attributes (014_*), Delete Attribute (015_*),
 * Partial Update / Delete of an Attribute Instance (016_*, 017_*), and 5611_01 (upsert edges);
 * clauses 5.6.11 – 5.6.15.
 */
import { describe, expect, it } from 'vitest'
import { uniqueUrn } from '../support/broker.js'
import { LD, problem, problemOf, suiteDiff, useTestContext } from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const BASE = '/temporal/entities'
const FUEL = 'urn:ngsi-ld:Vehicle:12345-fuel'
const p = (value: unknown, observedAt: string, datasetId?: string) => ({
  type: 'Property',
  value,
  observedAt,
  ...(datasetId !== undefined && { datasetId }),
})
const SPEED = [p(120, '2020-09-01T12:03:00Z'), p(80, '2020-09-01T12:05:00Z')]
const FUEL_LEVEL = [
  p(67, '2020-09-01T12:03:00Z'),
  p(53, '2020-09-01T13:05:00Z'),
  p(40, '2020-09-01T14:07:00Z', FUEL),
]

/** Creates the suite's vehicle-temporal-representation sample and answers its id. */
async function vehicle(): Promise<string> {
  const id = uniqueUrn('Vehicle')
  const r = await broker.request('POST', BASE, {
    headers: LD,
    body: { id, type: 'Vehicle', speed: SPEED, fuelLevel: FUEL_LEVEL, '@context': [ctx.url] },
  })
  expect(r.status).toBe(201)
  return id
}
const retrieve = (id: string, query = '') =>
  broker.request('GET', `${BASE}/${id}${query}`, {
    headers: { link: ctx.link, accept: 'application/ld+json' },
  })
const same = async (id: string, expected: Record<string, unknown>, more: string[] = []) => {
  const got = await retrieve(id)
  expect(
    suiteDiff({ id, type: 'Vehicle', ...expected }, got.body, ['instanceId', '@context', ...more]),
  ).toEqual([])
}
const firstSpeedInstance = async (id: string) =>
  ((await retrieve(id, '?options=sysAttrs')).body as { speed: { instanceId: string }[] }).speed[0]!
    .instanceId

describe('AddAttributes', () => {
  const added = [
    p(120, '2020-09-01T12:03:00Z'),
    p(80, '2020-09-01T12:05:00Z'),
    p(100, '2020-09-01T12:07:00Z'),
  ]
  const append = (id: string, body: unknown) =>
    broker.request('POST', `${BASE}/${id}/attrs`, { headers: LD, body })

  it('014_01_01 adds an attribute to a temporal entity', async () => {
    const id = await vehicle()
    const r = await append(id, { added_attribute: added, '@context': [ctx.url] })
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    await same(id, { speed: SPEED, fuelLevel: FUEL_LEVEL, added_attribute: added })
  })

  it('014_02_01 an empty entity id answers 400', async () => {
    await vehicle()
    const r = await append('', { added_attribute: added, '@context': [ctx.url] })
    expect(r.status).toBe(400)
  })

  it('014_02_02 an invalid entity id answers 400', async () => {
    await vehicle()
    const r = await append('thisIsAninvalidId', { added_attribute: added, '@context': [ctx.url] })
    expect(r.status).toBe(400)
  })

  it('014_03_01 an unknown entity answers 404', async () => {
    const r = await append(uniqueUrn('Vehicle'), { added_attribute: added, '@context': [ctx.url] })
    expect(r.status).toBe(404)
  })

  it('014_04_01 invalid JSON answers 400 InvalidRequest', async () => {
    const id = await vehicle()
    const r = await append(id, '{"added_attribute": [,]}')
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('InvalidRequest'), title: true })
  })

  it('014_04_02 empty content answers 400 InvalidRequest', async () => {
    const id = await vehicle()
    const r = await append(id, '')
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('InvalidRequest'), title: true })
  })
})

describe('DeleteAttribute', () => {
  const del = (id: string, attr: string, query: string, link = true) =>
    broker.request('DELETE', `${BASE}/${id}/attrs/${attr}?${query}`, {
      headers: { 'content-type': 'application/json', ...(link && { link: ctx.link }) },
    })

  const deleted = (query: string, fuelLevel: unknown[] | undefined) => async () => {
    const id = await vehicle()
    const r = await del(id, 'fuelLevel', query)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    await same(id, { speed: SPEED, ...(fuelLevel && { fuelLevel }) })
  }
  it(
    '015_01_01 deletes the default instances of an attribute',
    deleted('deleteAll=false', [p(40, '2020-09-01T14:07:00Z', FUEL)]),
  )
  it(
    '015_01_02 deletes the instances of one datasetId',
    deleted(`datasetId=${FUEL}&deleteAll=false`, [
      p(67, '2020-09-01T12:03:00Z'),
      p(53, '2020-09-01T13:05:00Z'),
    ]),
  )
  it('015_01_03 deleteAll deletes every instance', deleted('deleteAll=true', undefined))

  const bad = (entity: (id: string) => string, attr: string) => async () => {
    const id = await vehicle()
    const r = await del(entity(id), attr, 'deleteAll=false', false)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
  }
  it(
    '015_02_01 a missing entity id answers 400',
    bad(() => '', 'speed'),
  )
  it(
    '015_02_02 an invalid entity id answers 400',
    bad(() => 'invalidId', 'speed'),
  )
  it(
    '015_02_03 an invalid attribute name answers 400',
    bad((id) => id, 'invalid(Name'),
  )

  const notFound = (unknownEntity: boolean, attr: string) => async () => {
    const id = await vehicle()
    const r = await del(unknownEntity ? uniqueUrn('Vehicle') : id, attr, 'deleteAll=false')
    expect(r.status).toBe(404)
    expect(problemOf(r)).toEqual({ type: problem('ResourceNotFound'), title: true })
  }
  it('015_03_01 an unknown entity answers 404', notFound(true, 'fuelLevel'))
  it('015_03_02 an attribute the entity lacks answers 404', notFound(false, 'notExistingAttribute'))

  const dotSegment = (name: string) => async () => {
    const id = await vehicle()
    const r = await del(id, name, 'deleteAll=false', false)
    expect(r.status).toBe(400)
    expect(problemOf(r)).toEqual({ type: problem('BadRequestData'), title: true })
    expect((await broker.request('GET', `${BASE}/${id}`)).status).toBe(200)
  }
  it('015_04_02 a doubly encoded ".." attribute name answers 400', dotSegment('%252e%252e'))
})

describe('PartialUpdateAttributeInstance', () => {
  const fragment = p(129, '2020-09-01T12:03:00Z')
  const modify = (id: string, attr: string, instance: string) =>
    broker.request('PATCH', `${BASE}/${id}/attrs/${attr}/${instance}`, {
      headers: { 'content-type': 'application/json', link: ctx.link },
      body: fragment,
    })

  const status =
    (entity: (id: string) => string, attr: string, instance: (i: string) => string, code: number) =>
    async () => {
      const id = await vehicle()
      const valid = await firstSpeedInstance(id)
      expect((await modify(entity(id), attr, instance(valid))).status).toBe(code)
    }
  const self = (x: string) => x
  it(
    '016_02_01 an invalid entity id answers 400',
    status(() => 'invalidId', 'speed', self, 400),
  )
  it(
    '016_02_02 a missing entity id answers 400',
    status(() => '', 'speed', self, 400),
  )
  it(
    '016_02_03 an invalid instance id answers 400',
    status(self, 'speed', () => 'invalidId', 400),
  )
  it(
    '016_02_04 a missing instance id answers 405',
    status(self, 'speed', () => '', 405),
  )
})

describe('DeleteAttributeInstance', () => {
  const remove = (id: string, attr: string, instance: string) =>
    broker.request('DELETE', `${BASE}/${id}/attrs/${attr}/${instance}`, {
      headers: { link: ctx.link },
    })

  const status =
    (entity: (id: string) => string, attr: string, instance: (i: string) => string, code: number) =>
    async () => {
      const id = await vehicle()
      const valid = await firstSpeedInstance(id)
      expect((await remove(entity(id), attr, instance(valid))).status).toBe(code)
    }
  const self = (x: string) => x
  it(
    '017_02_01 an invalid entity id answers 400',
    status(() => 'invalidId', 'speed', self, 400),
  )
  it(
    '017_02_02 a missing entity id answers 400',
    status(() => '', 'speed', self, 400),
  )
  it(
    '017_02_03 an invalid instance id answers 400',
    status(self, 'speed', () => 'invalidId', 400),
  )
  it('017_02_05 a missing attribute name answers 400', status(self, '', self, 400))
})

describe('temporal upsert edges (robot file 5611_01)', () => {
  const json = { 'content-type': 'application/json' }

  it('5611_01_02 a first-level NGSI-LD Null member is refused in temporal input', async () => {
    const id = uniqueUrn('Vehicle')
    const body = {
      id,
      type: 'Vehicle',
      expiresAt: 'urn:ngsi-ld:null',
      speed: [p(1, '2026-01-01T00:00:00Z')],
    }
    const r = await broker.request('POST', BASE, { headers: json, body })
    expect(r.status).toBe(400)
    expect((r.body as { type: string }).type).toBe(problem('BadRequestData'))
    const got = await broker.request(
      'GET',
      `${BASE}/${id}?timerel=before&timeAt=2030-01-01T00:00:00Z`,
    )
    expect(got.status).toBe(404)
  })

  it('5611_01_03 the same marker stays legal in a partial update fragment', async () => {
    const id = uniqueUrn('Vehicle')
    const create = {
      id,
      type: 'Vehicle',
      expiresAt: '2099-01-01T00:00:00Z',
      speed: { type: 'Property', value: 1 },
    }
    expect(
      (await broker.request('POST', '/entities', { headers: json, body: create })).status,
    ).toBe(201)
    const r = await broker.request('PATCH', `/entities/${id}`, {
      headers: json,
      body: { expiresAt: 'urn:ngsi-ld:null' },
    })
    expect(r.status).toBe(204)
    const got = await broker.request('GET', `/entities/${id}`)
    expect(got.status).toBe(200)
    expect(got.body).not.toHaveProperty('expiresAt')
    expect(got.text).not.toContain('urn:ngsi-ld:null')
  })
})
