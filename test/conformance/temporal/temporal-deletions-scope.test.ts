/**
 * ETSI GS CIM 014 — deletions and the Scope in the temporal evolution: Retrieve Temporal
 * Evolution with timeproperty=deletedAt after a Core API Delete Attribute (020_17 – 020_20,
 * clauses 5.7.3, 4.5.6, 5.2.1), the Scope kept as Property instances after a Core API change
 * (456_01, extension TP) and scopeQ evaluated over the Scope's validity in the window (5744_03,
 * extension TP; clauses 4.18, 5.7.4.4).
 */
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { uniqueUrn } from '../support/broker.js'
import { LD, suiteDiff, useTestContext } from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

const NULL = 'urn:ngsi-ld:null'
const vehicleId = () => uniqueUrn('Vehicle')

/** The suite's vehicle-temporal-representation-different-attributes-types sample. */
const differentTypes = (id: string) => ({
  id,
  type: 'Vehicle',
  isParkedIn: [
    {
      type: 'Relationship',
      object: 'urn:ngsi-ld:OffStreetParking:Commerce',
      observedAt: '2024-12-01T12:00:00Z',
    },
    {
      type: 'Relationship',
      object: 'urn:ngsi-ld:OffStreetParking:Graslin',
      observedAt: '2024-12-05T12:00:00Z',
    },
  ],
  name: [
    {
      type: 'LanguageProperty',
      languageMap: { fr: 'Ma voiture', en: 'My vehicle' },
      observedAt: '2024-12-01T12:00:00Z',
    },
    {
      type: 'LanguageProperty',
      languageMap: { fr: 'Ma jolie voiture', en: 'My pretty vehicle' },
      observedAt: '2024-12-05T12:00:00Z',
    },
  ],
  fuelLevel: [
    { type: 'Property', value: 67, observedAt: '2020-08-01T12:03:00Z' },
    { type: 'Property', value: 53, observedAt: '2020-08-01T13:05:00Z' },
  ],
  '@context': [ctx.url],
})

/** The suite's vehicle-temporal-representation-scope sample. */
const scoped = (id: string) => ({
  id,
  type: 'Vehicle',
  scope: ['/Madrid/Gardens/ParqueNorte', '/CompanyA/OrganizationB/UnitC'],
  fuelLevel: [
    { type: 'Property', value: 67, observedAt: '2020-08-01T12:03:00Z' },
    { type: 'Property', value: 53, observedAt: '2020-08-01T13:05:00Z' },
  ],
  '@context': [ctx.url],
})

/** Creates the temporal entity, deletes `attr` through the Core API, reads deletedAt history. */
async function deleteAndRetrieve(
  body: (id: string) => object,
  attr: string,
  options?: string,
): Promise<{ id: string; body: Record<string, unknown> }> {
  const id = vehicleId()
  const created = await broker.request('POST', '/temporal/entities', {
    headers: LD,
    body: body(id),
  })
  expect(created.status, created.text).toBe(201)
  const deleted = await broker.request('DELETE', `/entities/${id}/attrs/${attr}`, {
    headers: { link: ctx.link },
  })
  expect(deleted.status, deleted.text).toBe(204)
  const got = await broker.request(
    'GET',
    `/temporal/entities/${id}?timeproperty=deletedAt${options ? `&options=${options}` : ''}`,
    { headers: { link: ctx.link } },
  )
  expect(got.status, got.text).toBe(200)
  return { id, body: got.body as Record<string, unknown> }
}

const INSTANCE_ID = /\['instanceId'\]$/
const isDate = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v))

/** 020_17: the normalized evolution holds the one deletion instance of `attr`. */
const deletionInstance = (attr: string, inst: object) => async () => {
  const { id, body } = await deleteAndRetrieve(differentTypes, attr)
  const expected = { id, type: 'Vehicle', [attr]: [{ ...inst, deletedAt: 'x' }] }
  expect(suiteDiff(expected, body, [INSTANCE_ID, /\['deletedAt'\]$/])).toEqual([])
  const deletedAt = (body[attr] as Record<string, unknown>[])[0]?.['deletedAt']
  expect(isDate(deletedAt)).toBe(true)
}

/** 020_18: the simplified evolution holds one [null, deletedAt] pair under `key`. */
const deletionPair = (attr: string, type: string, key: string, value: unknown) => async () => {
  const { id, body } = await deleteAndRetrieve(differentTypes, attr, 'temporalValues')
  const expected = { id, type: 'Vehicle', [attr]: { type, [key]: [[value, 'x']] } }
  const time = new RegExp(`\\['${attr}'\\]\\['${key}'\\]\\[0\\]\\[1\\]$`)
  expect(suiteDiff(expected, body, [INSTANCE_ID, time])).toEqual([])
  const pairs = (body[attr] as Record<string, unknown[][]>)[key]
  expect(isDate(pairs?.[0]?.[1])).toBe(true)
}

describe('Retrieve the temporal evolution by deletedAt (020_17)', () => {
  it(
    '020_17_01 a deleted Property is an instance with value urn:ngsi-ld:null and deletedAt',
    deletionInstance('fuelLevel', { type: 'Property', value: NULL }),
  )
  it(
    '020_17_02 a deleted Relationship is an instance with object urn:ngsi-ld:null',
    deletionInstance('isParkedIn', { type: 'Relationship', object: NULL }),
  )
  it(
    '020_17_03 a deleted LanguageProperty is an instance with languageMap {@none: null}',
    deletionInstance('name', { type: 'LanguageProperty', languageMap: { '@none': NULL } }),
  )
})

describe('Retrieve the simplified temporal evolution by deletedAt (020_18)', () => {
  it(
    '020_18_01 a deleted Property as a values pair',
    deletionPair('fuelLevel', 'Property', 'values', NULL),
  )
  it(
    '020_18_02 a deleted Relationship as an objects pair',
    deletionPair('isParkedIn', 'Relationship', 'objects', NULL),
  )
  it(
    '020_18_03 a deleted LanguageProperty as a languageMaps pair',
    deletionPair('name', 'LanguageProperty', 'languageMaps', { languageMap: { '@none': NULL } }),
  )
})

describe('Retrieve the temporal evolution of a deleted Scope (020_19, 020_20)', () => {
  it('020_19_01 the deleted Scope is a Property instance with value [] and deletedAt', async () => {
    const { id, body } = await deleteAndRetrieve(scoped, 'scope')
    const expected = {
      id,
      type: 'Vehicle',
      scope: [{ type: 'Property', value: [], deletedAt: 'x' }],
    }
    expect(suiteDiff(expected, body, [INSTANCE_ID, /\['deletedAt'\]$/])).toEqual([])
    expect(isDate((body['scope'] as Record<string, unknown>[])[0]?.['deletedAt'])).toBe(true)
  })

  it('020_20_01 the deleted Scope in the simplified representation', async () => {
    const { id, body } = await deleteAndRetrieve(scoped, 'scope', 'temporalValues')
    const expected = { id, type: 'Vehicle', scope: { type: 'Property', values: [[[], 'x']] } }
    expect(suiteDiff(expected, body, [INSTANCE_ID, /\['scope'\]\['values'\]\[0\]\[1\]$/])).toEqual(
      [],
    )
    const pairs = (body['scope'] as { values: unknown[][] }).values
    expect(isDate(pairs[0]?.[1])).toBe(true)
  })
})

describe('The Scope after a Core API change (456_01)', () => {
  it('456_01 a Core API Scope update becomes a Property instance whose observedAt is its modifiedAt', async () => {
    const id = vehicleId()
    const created = await broker.request('POST', '/entities', {
      headers: LD,
      body: {
        id,
        type: 'Vehicle',
        '@context': [ctx.url],
        scope: '/Old',
        speed: { type: 'Property', value: 1, observedAt: '2026-08-10T00:00:00Z' },
      },
    })
    expect(created.status, created.text).toBe(201)
    const patched = await broker.request('PATCH', `/entities/${id}`, {
      headers: { 'content-type': 'application/json' },
      body: { type: 'Vehicle', scope: '/New' },
    })
    expect(patched.status, patched.text).toBe(204)
    const got = await broker.request('GET', `/temporal/entities/${id}?options=sysAttrs`, {
      headers: { link: ctx.link },
    })
    expect(got.status, got.text).toBe(200)
    const scope = (got.body as Record<string, unknown>)['scope']
    const instances = (Array.isArray(scope) ? scope : [scope]).filter(
      (i): i is Record<string, unknown> => typeof i === 'object' && i !== null,
    )
    expect(instances.length).toBeGreaterThan(0)
    const isNew = (v: unknown) => v === '/New' || JSON.stringify(v) === '["/New"]'
    const fresh = instances.filter((i) => isNew(i['value']))
    expect(fresh).toHaveLength(1)
    const inst = fresh[0]!
    expect(inst['type']).toBe('Property')
    expect(inst['modifiedAt']).toBeDefined()
    expect(inst['observedAt']).toBe(inst['modifiedAt'])
    const allowed = [
      'type',
      'value',
      'instanceId',
      'createdAt',
      'modifiedAt',
      'deletedAt',
      'observedAt',
    ]
    expect(Object.keys(inst).filter((k) => !allowed.includes(k))).toEqual([])
  })
})

describe('scopeQ over the Scope validity in the window (5744_03)', () => {
  const tenant = `ts${randomUUID().slice(0, 8)}`
  const tag = randomUUID().slice(0, 6)
  const ids = {
    ab: `urn:ngsi-ld:Vehicle:qs${tag}-ab`,
    xx: `urn:ngsi-ld:Vehicle:qs${tag}-xx`,
    bare: `urn:ngsi-ld:Vehicle:qs${tag}-bare`,
    both: `urn:ngsi-ld:Vehicle:qs${tag}-both`,
    mid: `urn:ngsi-ld:Vehicle:qs${tag}-mid`,
    rep: `urn:ngsi-ld:Vehicle:qs${tag}-rep`,
    late: `urn:ngsi-ld:Vehicle:qs${tag}-late`,
  }
  const window = 'timerel=between&timeAt=2026-03-01T12:00:00Z&endTimeAt=2026-03-01T13:00:00Z'
  const scope = (value: string | string[], at: string) => ({
    type: 'Property',
    value,
    observedAt: `2026-03-01T${at}:00Z`,
  })
  const speed = (value: string, at: string) => ({
    type: 'Property',
    value,
    observedAt: `2026-03-01T${at}:00Z`,
  })

  beforeAll(async () => {
    const bodies = [
      { id: ids.ab, scope: [scope('/A/B', '10:00')], speed: [speed('abval', '12:05')] },
      { id: ids.xx, scope: [scope('/X', '10:00')], speed: [speed('xxval', '12:05')] },
      { id: ids.bare, speed: [speed('bareval', '12:05')] },
      { id: ids.both, scope: [scope(['/A/B', '/C'], '10:00')], speed: [speed('bothval', '12:05')] },
      {
        id: ids.mid,
        scope: [scope('/M', '12:10')],
        speed: [speed('midpre', '12:05'), speed('midpost', '12:15')],
      },
      {
        id: ids.rep,
        scope: [scope('/R', '10:00'), scope('/S', '12:30')],
        speed: [speed('repold', '12:15'), speed('repnew', '12:45')],
      },
      { id: ids.late, scope: [scope('/Z', '14:00')], speed: [speed('lateval', '12:05')] },
    ]
    for (const b of bodies) {
      const r = await broker.request('POST', '/temporal/entities', {
        headers: { 'content-type': 'application/json' },
        body: { type: 'Vehicle', ...b },
        tenant,
      })
      expect(r.status, r.text).toBe(201)
    }
  })

  const query = async (scopeQ: string): Promise<string> => {
    const r = await broker.request(
      'GET',
      `/temporal/entities?type=Vehicle&scopeQ=${scopeQ}&${window}`,
      { tenant },
    )
    expect(r.status, r.text).toBe(200)
    return r.text
  }
  const check = (text: string, has: string[], hasNot: string[]) => {
    for (const s of has) expect(text, s).toContain(s)
    for (const s of hasNot) expect(text, s).not.toContain(s)
  }

  it('5744_03_01 an exact scope selects the entities whose scope holds it', async () => {
    check(await query('/A/B'), [ids.ab, ids.both], [ids.xx, ids.bare, ids.late])
  })
  it('5744_03_02 a scope no entity has selects none', async () => {
    check(await query('/Y'), [], [`qs${tag}`])
  })
  it('5744_03_03 a trailing # matches the subtree', async () => {
    check(await query('/A/%23'), [ids.ab, ids.both], [ids.xx])
  })
  it('5744_03_04 /# matches a scope valid in the window, not an unscoped or later one', async () => {
    check(await query('/%23'), [ids.ab, ids.xx, ids.both, ids.mid, ids.rep], [ids.bare, ids.late])
  })
  it('5744_03_05 | separates alternatives', async () => {
    check(await query('/X%7C/M'), [ids.xx, ids.mid], [ids.ab])
  })
  it('5744_03_06 ; requires both scopes', async () => {
    check(await query('(/A/B%3B/C)'), [ids.both], [ids.ab])
  })
  it('5744_03_07 a scope set mid-window keeps only the instances after it', async () => {
    check(await query('/M'), [ids.mid, 'midpost'], ['midpre'])
  })
  it('5744_03_08 a replaced scope keeps the instances before the replacement', async () => {
    check(await query('/R'), [ids.rep, 'repold'], ['repnew'])
  })
  it('5744_03_09 the replacing scope keeps the instances from its set time', async () => {
    check(await query('/S'), [ids.rep, 'repnew'], ['repold'])
  })
  it('5744_03_10 a scope set only after the window never matches', async () => {
    check(await query('/Z'), [], [`qs${tag}`])
  })
  it('5744_03_11 the scope valid at the window start is shown with the entity', async () => {
    const text = await query('/A/B')
    check(text, ['/A/B'], [])
    const ab = (JSON.parse(text) as Record<string, unknown>[]).find((e) => e['id'] === ids.ab)
    expect(ab?.['scope']).toMatchObject([
      { type: 'Property', value: ['/A/B'], observedAt: '2026-03-01T10:00:00Z' },
    ])
  })
})
