/**
 * ETSI GS CIM 014 — Provision / PurgeEntities (DELETE /entities), re-stated. Each test runs in a
 * tenant of its own, since a purge may delete every entity it can see.
 */
import { describe, expect, it } from 'vitest'
import {
  LD,
  expectProblem,
  linkTo,
  withCtx,
  type Reply,
  useProvisionBroker,
  SIMPLE_BUILDING as simple,
} from './support.js'

const p = useProvisionBroker()

const prop = (value: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'Property',
  value,
  ...extra,
})
const second = { ...simple, name: prop('Manneken Pis'), almostFull: prop(false) }

let tenantSeq = 0
function newTenant(): string {
  tenantSeq += 1
  return `purge${Date.now().toString(36)}${tenantSeq}`
}

async function create(tenant: string, id: string, entity: object): Promise<void> {
  const r = await p.broker.request('POST', '/entities/', {
    headers: { 'content-type': LD },
    body: withCtx(p.ctx, { id, ...entity }),
    tenant,
  })
  expect(r.status, r.text).toBe(201)
}
function purge(tenant: string, query: string, link = true): Promise<Reply> {
  return p.broker.request('DELETE', `/entities${query === '' ? '' : `?${query}`}`, {
    headers: link ? { link: linkTo(p.ctx) } : {},
    tenant,
  })
}
async function retrieve(tenant: string, id: string): Promise<Reply> {
  return p.broker.request('GET', `/entities/${id}`, { headers: { link: linkTo(p.ctx) }, tenant })
}
async function buildings(tenant: string): Promise<unknown[]> {
  const r = await p.broker.request('GET', '/entities?type=Building', {
    headers: { link: linkTo(p.ctx) },
    tenant,
  })
  expect(r.status, r.text).toBe(200)
  return r.body as unknown[]
}
const ID1 = 'urn:ngsi-ld:Building:060-04-1'
const ID2 = 'urn:ngsi-ld:Building:060-04-2'
async function twoBuildings(secondEntity: object = simple): Promise<string> {
  const tenant = newTenant()
  await create(tenant, ID1, simple)
  await create(tenant, ID2, secondEntity)
  return tenant
}
function expectPurged(r: Reply): void {
  expect(r.status, r.text).toBe(204)
  expect(r.text).toBe('')
}

describe('PurgeEntities', () => {
  it('060_01_01 Purge Entities Without Any Query Parameter', async () => {
    expectProblem(await p.broker.request('DELETE', '/entities'), 400, 'BadRequestData')
  })
  it('060_02_01 Purge Entities With Keep And Drop At The Same Time', async () => {
    const tenant = await twoBuildings()
    expectProblem(
      await purge(tenant, 'type=Building&keep=name&drop=subCategory'),
      400,
      'BadRequestData',
    )
  })
  it('060_03_01 Purge Entities Matching Type', async () => {
    const tenant = await twoBuildings()
    expectPurged(await purge(tenant, 'type=Building'))
    expect(await buildings(tenant)).toEqual([])
  })
  it('060_03_02 Purge Entities Matching Q Query', async () => {
    const tenant = await twoBuildings(second)
    expectPurged(await purge(tenant, `q=${encodeURIComponent('name=="Atomium"')}`))
    expect((await retrieve(tenant, ID1)).status).toBe(404)
    expect((await retrieve(tenant, ID2)).status).toBe(200)
  })
  it('060_03_03 (titled 060_03_02 in its robot file) Purge All Entities In Local Mode', async () => {
    const tenant = await twoBuildings()
    expectPurged(await purge(tenant, 'local=true', false))
    expect(await buildings(tenant)).toEqual([])
  })
  it('060_03_04 (titled 060_03_01 in its robot file) Purge Entities Matching Type And Id', async () => {
    const tenant = await twoBuildings()
    expectPurged(await purge(tenant, `id=${ID1}&type=Building`))
    expect((await retrieve(tenant, ID1)).status).toBe(404)
    expect((await retrieve(tenant, ID2)).status).toBe(200)
  })
  it('060_04_01 Purge Entities Drop Specific Attributes', async () => {
    const tenant = newTenant()
    const id = 'urn:ngsi-ld:Building:060-05-1'
    await create(tenant, id, simple)
    expectPurged(await purge(tenant, 'type=Building&drop=name'))
    const r = await retrieve(tenant, id)
    expect(r.status).toBe(200)
    expect(r.body).not.toHaveProperty('name')
    expect(r.body).toHaveProperty('subCategory')
  })
  it('060_05_01 Purge Entities Keep Only Specific Attributes', async () => {
    const tenant = newTenant()
    const id = 'urn:ngsi-ld:Building:060-06-1'
    await create(tenant, id, simple)
    expectPurged(await purge(tenant, `id=${id}&keep=name`))
    const r = await retrieve(tenant, id)
    expect(r.status).toBe(200)
    expect(r.body).toHaveProperty('name')
    for (const gone of ['subCategory', 'airQualityLevel', 'almostFull'])
      expect(r.body).not.toHaveProperty(gone)
  })
})

describe('PurgeEntities 060_06 too-wide purges are refused', () => {
  const ID = 'urn:ngsi-ld:Building:060-07-1'
  async function refused(query: string): Promise<void> {
    const tenant = newTenant()
    await create(tenant, ID, simple)
    expectProblem(await purge(tenant, query), 400, 'BadRequestData')
    expect((await retrieve(tenant, ID)).status).toBe(200)
  }
  it('060_06_01 Purge Entities With Only An Entity Id', () => refused(`id=${ID}`))
  it('060_06_02 Purge Entities With Only An Id Pattern', () => refused('idPattern=.*'))
  it('060_06_03 Purge Entities With Only System Attributes In Attrs', () =>
    refused('attrs=createdAt'))
  it('060_06_04 Purge Entities With A Query Over Only System Attributes', () =>
    refused(`q=${encodeURIComponent('modifiedAt>"2020-01-01T00:00:00Z"')}`))
  it('060_06_05 Purge Entities With Local Scope Only Is Accepted', async () => {
    const tenant = newTenant()
    await create(tenant, ID, simple)
    expect((await purge(tenant, 'local=true')).status).not.toBe(400)
  })
})

describe('PurgeEntities 5621_01 linked-entity paths are refused', () => {
  const ID = 'urn:ngsi-ld:Building:5621-01-1'
  async function refused(query: string): Promise<void> {
    const tenant = newTenant()
    await create(tenant, ID, simple)
    expectProblem(await purge(tenant, query), 400, 'BadRequestData')
    expect((await retrieve(tenant, ID)).status).toBe(200)
  }
  it('5621_01_01 Purge With Linked Entity Query Is BadRequestData', () =>
    refused(`type=Building&q=${encodeURIComponent('owner{name}=="x"')}`))
  it('5621_01_02 Purge With Linked Entity Projection Is BadRequestData', () =>
    refused(`type=Building&attrs=${encodeURIComponent('owner{name}')}`))
})
