/**
 * NGSI-LD entity operations against a real Civitas (SQLite file, HTTP server): batch writes,
 * merge and replace, discovery counters following API writes and device ingest, and purge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProvisionResult } from '../../src/ingest/device-registry.js'
import { startTestCivitas, type TestCivitas } from '../helpers/test-app.js'

let civ: TestCivitas
beforeAll(async () => {
  civ = await startTestCivitas()
})
afterAll(async () => {
  await civ.stop()
})

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${civ.httpUrl}/ngsi-ld/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    ...(init.body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(init.body),
    }),
  })

const building = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `urn:ngsi-ld:Building:${n}`,
  type: 'Building',
  height: { type: 'Property', value: n * 10, unitCode: 'MTR' },
  ...extra,
})

describe('NGSI-LD entity operations end to end', () => {
  it('batch creates, merges, replaces and purges; discovery follows every write', async () => {
    let r = await api('/entityOperations/create', {
      body: [
        building(1),
        building(2),
        building(3, { owner: { type: 'Relationship', object: 'urn:a:1' } }),
      ],
    })
    expect(r.status).toBe(201)
    expect(await r.json()).toEqual([1, 2, 3].map((n) => `urn:ngsi-ld:Building:${n}`))

    r = await api('/types/Building')
    expect(await r.json()).toMatchObject({
      type: 'EntityTypeInfo',
      entityCount: 3,
      attributeDetails: [
        { attributeName: 'height', attributeTypes: ['Property'] },
        { attributeName: 'owner', attributeTypes: ['Relationship'] },
      ],
    })

    r = await api('/entities/urn:ngsi-ld:Building:1', {
      method: 'PATCH',
      body: { height: { type: 'Property', value: 11 }, color: 'grey' },
    })
    expect(r.status).toBe(204)
    r = await api('/entities/urn:ngsi-ld:Building:1?format=keyValues')
    expect(await r.json()).toEqual({
      id: 'urn:ngsi-ld:Building:1',
      type: 'Building',
      height: 11,
      color: 'grey',
    })

    r = await api('/entities/urn:ngsi-ld:Building:3', { method: 'PUT', body: { type: 'Tower' } })
    expect(r.status).toBe(204)
    // details=true lists names and types (§5.7.8, as ETSI 026_01 checks); counts are per attribute.
    r = await api('/attributes?details=true')
    expect(await r.json()).toEqual([
      expect.objectContaining({ attributeName: 'color', typeNames: ['Building'] }),
      expect.objectContaining({ attributeName: 'height', typeNames: ['Building'] }),
    ])
    r = await api('/attributes/height')
    expect(await r.json()).toMatchObject({ attributeName: 'height', attributeCount: 2 })

    r = await api('/entityOperations/upsert?options=update', {
      body: [building(2, { color: 'red' }), building(4)],
    })
    expect(r.status).toBe(201)
    expect(await r.json()).toEqual(['urn:ngsi-ld:Building:4'])

    r = await api('/entities?type=Building&drop=color', { method: 'DELETE' })
    expect(r.status).toBe(204)
    r = await api('/attributes')
    expect(await r.json()).toMatchObject({ attributeList: ['height'] })
    r = await api('/entities?type=Building', { method: 'DELETE' })
    expect(r.status).toBe(204)
    r = await api('/types')
    expect(await r.json()).toMatchObject({ typeList: ['Tower'] })

    r = await api('/entityOperations/delete', {
      body: ['urn:ngsi-ld:Building:3', 'urn:ngsi-ld:Building:9'],
    })
    expect(r.status).toBe(207)
    expect(await r.json()).toMatchObject({
      success: ['urn:ngsi-ld:Building:3'],
      errors: [{ entityId: 'urn:ngsi-ld:Building:9', error: { status: 404 } }],
    })
    expect(await (await api('/types')).json()).toMatchObject({ typeList: [] })
  })

  it('counts entities and attributes that device ingest creates', async () => {
    let r = await fetch(`${civ.httpUrl}/api/v1/devices`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${civ.app.adminToken}`,
      },
      body: JSON.stringify({ id: 'aq-1', profile: 'generic', location: { lon: 11.3, lat: 46.5 } }),
    })
    expect(r.status).toBe(201)
    const dev = (await r.json()) as ProvisionResult
    const measure = (body: unknown) =>
      fetch(`${civ.httpUrl}/api/v1/devices/aq-1/measurements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${dev.secret}` },
        body: JSON.stringify(body),
      })
    expect((await measure({ observedAt: '2026-05-01T10:00:00Z', no2: 41 })).status).toBe(200)
    expect((await measure({ observedAt: '2026-05-01T10:01:00Z', no2: 42, pm10: 18 })).status).toBe(
      200,
    )
    r = await api(`/attributes/no2`)
    expect(r.status).toBe(200)
    expect(await r.json()).toMatchObject({ attributeCount: 1, attributeTypes: ['Property'] })
    r = await api(`/attributes/pm10`)
    expect(await r.json()).toMatchObject({ attributeCount: 1 })
  })
})
