/**
 * Renderings are cached against shared entity snapshots: every write, whatever its path (NGSI-LD
 * PATCH, device ingest, delete), must show in the next retrieve and query, in each media type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCivitas, type TestCivitas } from '../helpers/test-app.js'

let civitas: TestCivitas
const api = () => `${civitas.httpUrl}/ngsi-ld/v1`
const id = 'urn:ngsi-ld:ParkingSpot:cache-1'

beforeAll(async () => {
  civitas = await startTestCivitas({ mqtt: { mode: 'off' } })
  const res = await fetch(`${api()}/entities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id,
      type: 'ParkingSpot',
      status: { type: 'Property', value: 'free' },
      occupancy: { type: 'Property', value: 0.1 },
    }),
  })
  expect(res.status).toBe(201)
})
afterAll(() => civitas.stop())

const retrieve = async (accept = 'application/json') => {
  const res = await fetch(`${api()}/entities/${id}`, { headers: { accept } })
  return { res, body: (await res.json()) as Record<string, unknown> }
}
const query = async (q: string, accept = 'application/json') => {
  const res = await fetch(`${api()}/entities?type=ParkingSpot&q=${encodeURIComponent(q)}`, {
    headers: { accept },
  })
  return { res, body: (await res.json()) as Record<string, unknown>[] }
}

describe('cached renderings follow every write', () => {
  it('retrieve and query show an attribute update at once', async () => {
    expect((await retrieve()).body['status']).toEqual({ type: 'Property', value: 'free' })
    expect((await query('status=="free"')).body.map((e) => e['id'])).toEqual([id])
    const patch = await fetch(`${api()}/entities/${id}/attrs`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: { type: 'Property', value: 'occupied' } }),
    })
    expect(patch.status).toBe(204)
    expect((await retrieve()).body['status']).toEqual({ type: 'Property', value: 'occupied' })
    expect((await query('status=="free"')).body).toEqual([])
    const hit = await query('status=="occupied";occupancy<0.5')
    expect(hit.body).toHaveLength(1)
    expect(hit.body[0]?.['status']).toEqual({ type: 'Property', value: 'occupied' })
  })

  it('each media type and output option has its own rendering', async () => {
    const ld = await retrieve('application/ld+json')
    expect(ld.res.headers.get('content-type')).toBe('application/ld+json')
    expect(ld.body['@context']).toBeDefined()
    const plain = await retrieve()
    expect(plain.res.headers.get('content-type')).toBe('application/json')
    expect(plain.body['@context']).toBeUndefined()
    expect(plain.res.headers.get('link')).toContain('ngsi-ld-core-context')
    const ldQuery = await query('occupancy<0.5', 'application/ld+json')
    expect(ldQuery.body[0]?.['@context']).toBeDefined()
    const kv = await fetch(`${api()}/entities/${id}?options=keyValues`)
    expect(((await kv.json()) as Record<string, unknown>)['occupancy']).toBe(0.1)
    const picked = await fetch(`${api()}/entities/${id}?pick=occupancy`)
    expect(Object.keys((await picked.json()) as object)).toEqual(['occupancy'])
  })

  it('a deleted entity is gone from retrieve and query', async () => {
    const del = await fetch(`${api()}/entities/${id}`, { method: 'DELETE' })
    expect(del.status).toBe(204)
    expect((await retrieve()).res.status).toBe(404)
    expect((await query('occupancy<0.5')).body).toEqual([])
  })
})
