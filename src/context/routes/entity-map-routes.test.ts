import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  buildNgsiLdApp,
  expectProblem,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp()
  await t.send('POST', '/entities', { body: { id: 'urn:v:1', type: 'Vehicle', speed: 1 } })
  await t.send('POST', '/entities', { body: { id: 'urn:v:2', type: 'Vehicle', speed: 2 } })
})
afterEach(() => t.close())

const location = (headers: Record<string, unknown>) => String(headers['ngsild-entitymap'])

describe('/entityMaps/{id} (§6.32) and their expiry', () => {
  it('answers the map a retrieval made, at the location it gave', async () => {
    const r = await t.send('GET', '/entities/urn:v:1?entityMap=true')
    expect(r.statusCode).toBe(200)
    const loc = location(r.headers)
    expect(loc).toMatch(/^\/ngsi-ld\/v1\/entityMaps\/urn:ngsi-ld:EntityMap:[0-9a-f-]{36}$/)
    const map = await t.send('GET', loc.replace('/ngsi-ld/v1', ''))
    expect(map.statusCode).toBe(200)
    expect(map.json()).toMatchObject({
      type: 'EntityMap',
      expiresAt: '2026-03-01T11:00:00.000Z',
      entityMap: { 'urn:v:1': ['@none'] },
      linkedMaps: {},
    })
  })

  it('forgets a map once expired; naming it then makes a new one', async () => {
    const r = await t.send('GET', '/entities?type=Vehicle&entityMap=true&entityMapLifetime=PT10S')
    expect(r.statusCode).toBe(201)
    const loc = location(r.headers)
    t.tick(10_000)
    expectProblem(await t.send('GET', loc.replace('/ngsi-ld/v1', '')), 404, 'ResourceNotFound')
    const again = await t.send('GET', '/entities?type=Vehicle', {
      headers: { 'NGSILD-EntityMap': loc },
    })
    expect(again.statusCode).toBe(201)
    expect(location(again.headers)).not.toBe(loc)
  })

  it('updates the expiry, rejecting what is not an EntityMap fragment', async () => {
    const r = await t.send('GET', '/entities?type=Vehicle&entityMap=true')
    const path = location(r.headers).replace('/ngsi-ld/v1', '')
    const patched = await t.send('PATCH', path, { body: { expiresAt: '2026-03-01T10:30:00Z' } })
    expect(patched.statusCode).toBe(204)
    expect((await t.send('GET', path)).json<{ expiresAt: string }>().expiresAt).toBe(
      '2026-03-01T10:30:00.000Z',
    )
    expectProblem(await t.send('PATCH', path, { body: '[1]' }), 400, 'BadRequestData')
    expectProblem(
      await t.send('PATCH', path, { body: { expiresAt: 'tomorrow' } }),
      400,
      'BadRequestData',
    )
    expectProblem(
      await t.send('PATCH', '/entityMaps/urn:ngsi-ld:EntityMap:none', { body: {} }),
      404,
      'ResourceNotFound',
    )
  })

  it('checks the entityMap parameters', async () => {
    expectProblem(await t.send('GET', '/entities/urn:v:1?entityMap=maybe'), 400, 'BadRequestData')
    expectProblem(
      await t.send('GET', '/entities?type=Vehicle&entityMap=true&entityMapLifetime=soon'),
      400,
      'BadRequestData',
    )
    // A retrieval that fails makes no map.
    const missing = await t.send('GET', '/entities/urn:v:404?entityMap=true')
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['ngsild-entitymap']).toBeUndefined()
  })

  it('a map keeps the entities of later pages fixed', async () => {
    const first = await t.send('GET', '/entities?type=Vehicle&limit=1&entityMap=true')
    expect(first.statusCode).toBe(201)
    await t.send('POST', '/entities', { body: { id: 'urn:v:0', type: 'Vehicle', speed: 0 } })
    const headers = { 'NGSILD-EntityMap': location(first.headers) }
    const second = await t.send('GET', '/entities?type=Vehicle&limit=1&offset=1', { headers })
    expect(second.statusCode).toBe(200)
    const ids = [...first.json<{ id: string }[]>(), ...second.json<{ id: string }[]>()]
    expect(ids.map((e) => e.id).sort()).toEqual(['urn:v:1', 'urn:v:2'])
    // Ids the map does not hold select nothing.
    const other = await t.send('GET', '/entities?type=Vehicle&id=urn:v:0', { headers })
    expect(other.json()).toEqual([])
  })
})
