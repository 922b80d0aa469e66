/**
 * ETSI GS CIM 014 (Antares extension) EntityMap usage on Retrieve Entity
 * (TP/NGSI-LD/ContextInformation/Consumption/Entity/RetrieveEntity/5714_01.robot) re-stated
 * against the built `civitas start`, plus the query side of EntityMaps (§5.7.2.4, §5.5.14):
 * a map made by a query fixes the entities later pages consider, and /entityMaps/{id}
 * retrieve, update and delete (§6.32).
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { uniqueUrn, type Reply } from '../support/broker.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()

async function createVehicle(id: string, speed: number, type = 'Vehicle'): Promise<void> {
  const r = await broker.request('POST', '/entities', {
    body: { id, type, speed: { type: 'Property', value: speed } },
  })
  expect(r.status, r.text).toBe(201)
}

function mapHeader(r: Reply): string {
  const value = r.headers.get('NGSILD-EntityMap')
  expect(value, `no NGSILD-EntityMap header: ${r.status} ${r.text}`).not.toBeNull()
  return value ?? ''
}

/** The suite's "Fetch EntityMap Id From Response": the last segment of the header. */
function mapIdOf(r: Reply): string {
  return mapHeader(r).split('/').pop() ?? ''
}

function mapPath(id: string): string {
  return `/entityMaps/${encodeURIComponent(id)}`
}

describe('EntityMap usage on Retrieve Entity (5.7.1.4, TP 5714_01.robot)', () => {
  let vehicle: string
  beforeEach(async () => {
    vehicle = uniqueUrn('Vehicle')
    await createVehicle(vehicle, 30)
  })

  it('5714_01_01 entityMap=true on retrieve makes a map holding the entity under @none', async () => {
    const r = await broker.request('GET', `/entities/${vehicle}?entityMap=true`)
    expect(r.status, r.text).toBe(200)
    const body = r.body as Record<string, unknown>
    expect(body['id']).toBe(vehicle)
    expect(body).not.toHaveProperty('entityMap')
    const id = mapIdOf(r)
    const map = await broker.request('GET', mapPath(id))
    expect(map.status, map.text).toBe(200)
    const doc = map.body as { id: string; type: string; entityMap: Record<string, unknown> }
    expect(doc.entityMap[vehicle]).toEqual(['@none'])
    expect(doc.type).toBe('EntityMap')
    expect(doc.id).toBe(id)
    expect((await broker.request('DELETE', mapPath(id))).status).toBe(204)
  })

  it('5714_01_02 an unknown EntityMap reference makes a new map and is not echoed', async () => {
    const r = await broker.request('GET', `/entities/${vehicle}`, {
      headers: { 'NGSILD-EntityMap': 'urn:ngsi-ld:entitymap:em5714dead' },
    })
    expect(r.status, r.text).toBe(200)
    expect(mapHeader(r)).not.toContain('em5714dead')
    expect((await broker.request('DELETE', mapPath(mapIdOf(r)))).status).toBe(204)
  })

  it('5714_01_03 a live EntityMap location is echoed unchanged', async () => {
    const first = await broker.request('GET', `/entities/${vehicle}?entityMap=true`)
    expect(first.status, first.text).toBe(200)
    const location = mapHeader(first)
    const again = await broker.request('GET', `/entities/${vehicle}`, {
      headers: { 'NGSILD-EntityMap': location },
    })
    expect(again.status, again.text).toBe(200)
    expect(mapHeader(again)).toBe(location)
    expect((again.body as { id: string }).id).toBe(vehicle)
    expect((await broker.request('DELETE', mapPath(mapIdOf(again)))).status).toBe(204)
  })
})

describe('EntityMaps on Query Entities (5.7.2.4, 5.5.14) and /entityMaps (6.32)', () => {
  it('a map made by a query fixes the entities of later pages', async () => {
    const type = `Fleet${Date.now().toString(36)}`
    const ids = [uniqueUrn(type), uniqueUrn(type), uniqueUrn(type)]
    for (const [i, id] of ids.entries()) await createVehicle(id, 10 * i, type)

    const first = await broker.request('GET', `/entities?type=${type}&limit=2&entityMap=true`)
    expect(first.status, first.text).toBe(201)
    const location = mapHeader(first)
    expect((first.body as unknown[]).length).toBe(2)

    // An entity created after the map is not part of the query any more.
    const late = uniqueUrn(type)
    await createVehicle(late, 99, type)
    const headers = { 'NGSILD-EntityMap': location }
    const second = await broker.request('GET', `/entities?type=${type}&limit=2&offset=2`, {
      headers,
    })
    expect(second.status, second.text).toBe(200)
    expect(mapHeader(second)).toBe(location)
    const seen = [...(first.body as { id: string }[]), ...(second.body as { id: string }[])]
    expect(seen.map((e) => e.id).sort()).toEqual([...ids].sort())

    // Without the map the late entity is found.
    const all = await broker.request('GET', `/entities?type=${type}&limit=10`)
    expect((all.body as unknown[]).length).toBe(4)

    // The map's filters still apply: a narrower query over it sees the intersection.
    const narrowed = await broker.request('GET', `/entities?type=${type}&q=speed>5`, { headers })
    expect((narrowed.body as { id: string }[]).map((e) => e.id).sort()).toEqual(
      [ids[1], ids[2]].sort(),
    )
  })

  it('an EntityMap is retrieved, its expiry updated, and deleted', async () => {
    const id = uniqueUrn('Vehicle')
    await createVehicle(id, 1)
    const r = await broker.request('GET', `/entities?id=${id}&type=Vehicle&entityMap=true`)
    expect(r.status, r.text).toBe(201)
    const mapId = mapIdOf(r)
    const later = new Date(Date.now() + 7_200_000).toISOString()
    const patched = await broker.request('PATCH', mapPath(mapId), {
      body: { expiresAt: later, entityMap: { 'urn:ngsi-ld:Other:1': ['@none'] } },
    })
    expect(patched.status, patched.text).toBe(204)
    const map = await broker.request('GET', mapPath(mapId))
    const doc = map.body as { expiresAt: string; entityMap: Record<string, unknown> }
    expect(Date.parse(doc.expiresAt)).toBe(Date.parse(later))
    // entityMap is output-only (§5.14.2.4): the update leaves it alone.
    expect(Object.keys(doc.entityMap)).toEqual([id])
    expect((await broker.request('DELETE', mapPath(mapId))).status).toBe(204)
    expect((await broker.request('GET', mapPath(mapId))).status).toBe(404)
    expect((await broker.request('DELETE', mapPath(mapId))).status).toBe(404)
  })

  it('GET and POST /entityMaps make a map of a query (5.14.4, 6.34)', async () => {
    const type = `Lot${Date.now().toString(36)}`
    const ids = [uniqueUrn(type), uniqueUrn(type)]
    for (const id of ids) await createVehicle(id, 5, type)
    const viaGet = await broker.request('GET', `/entityMaps?type=${type}&limit=1`)
    expect(viaGet.status, viaGet.text).toBe(201)
    const doc = viaGet.body as { id: string; type: string; entityMap: Record<string, unknown> }
    expect(doc.type).toBe('EntityMap')
    // Pagination is ignored: the map holds every match.
    expect(Object.keys(doc.entityMap).sort()).toEqual([...ids].sort())
    expect(mapHeader(viaGet).split('/').pop()).toBe(doc.id)
    const viaPost = await broker.request('POST', '/entityMaps?entityMapLifetime=PT1M', {
      body: { type: 'Query', entities: [{ id: ids[0], type }] },
    })
    expect(viaPost.status, viaPost.text).toBe(201)
    const posted = viaPost.body as { expiresAt: string; entityMap: Record<string, unknown> }
    expect(Object.keys(posted.entityMap)).toEqual([ids[0]])
    expect(Date.parse(posted.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000)
    // A query too wide is still BadRequestData.
    const wide = await broker.request('GET', '/entityMaps')
    expect(wide.status, wide.text).toBe(400)
  })

  it('EntityMaps are per tenant', async () => {
    const tenant = `emaps${Date.now().toString(36)}`
    const id = uniqueUrn('Vehicle')
    const made = await broker.request('POST', '/entities', {
      tenant,
      body: { id, type: 'Vehicle', speed: { type: 'Property', value: 3 } },
    })
    expect(made.status, made.text).toBe(201)
    const r = await broker.request('GET', `/entities/${id}?entityMap=true`, { tenant })
    const mapId = mapIdOf(r)
    expect((await broker.request('GET', mapPath(mapId), { tenant })).status).toBe(200)
    expect((await broker.request('GET', mapPath(mapId))).status).toBe(404)
  })
})
