import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import {
  building,
  buildNgsiLdApp,
  expectProblem,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'

const V = (n: string) => DEFAULT_VOCAB + n
const id = (n: number) => `urn:ngsi-ld:Building:${n}`

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp()
  const entities = [1, 2, 3, 4].map((n) => building(id(n), { height: n * 100, color: 'grey' }))
  entities.push({ id: 'urn:ngsi-ld:Tree:1', type: 'Tree', height: 12 })
  expect((await t.send('POST', '/entityOperations/create', { body: entities })).statusCode).toBe(
    201,
  )
  t.events.length = 0
})
afterEach(() => t.close())

const ids = async () =>
  (await t.store.query('default', { limit: 100, offset: 0, count: false })).entities.map(
    (e) => e.id,
  )

describe('DELETE /entities (Purge Entities, §5.6.21)', () => {
  it('deletes every entity matching type and q: 204, one deleted event each', async () => {
    const res = await t.send('DELETE', '/entities?type=Building&q=height>=300')
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    expect(await ids()).toEqual([id(1), id(2), 'urn:ngsi-ld:Tree:1'])
    expect(t.events.map((e) => [e.kind, e.entityId])).toEqual([
      ['deleted', id(3)],
      ['deleted', id(4)],
    ])
  })

  it('selects by id, idPattern, scopeQ-free local=true and geoquery too', async () => {
    expect(
      (await t.send('DELETE', `/entities?type=Building&id=${id(1)},${id(2)}`)).statusCode,
    ).toBe(204)
    expect(await ids()).toEqual([id(3), id(4), 'urn:ngsi-ld:Tree:1'])
    await t.send('DELETE', '/entities?idPattern=Tree&local=true')
    expect(await ids()).toEqual([id(3), id(4)])
    const near = await t.send(
      'DELETE',
      '/entities?georel=near;maxDistance==10&geometry=Point&coordinates=[2.2945,48.8584]',
    )
    expect(near.statusCode).toBe(204)
    expect(await ids()).toEqual([])
  })

  it('drop= deletes only the named attributes, keep= every other one; entities remain', async () => {
    await t.send('DELETE', `/entities?type=Building&q=height<=200&drop=color,name`)
    let e = (await t.store.get('default', id(1)))!
    expect(Object.keys(e.attrs).sort()).toEqual([
      V('height'),
      'https://uri.etsi.org/ngsi-ld/location',
    ])
    expect(Object.keys((await t.store.get('default', id(3)))!.attrs)).toContain(V('color'))
    // id + keep is enough of a selector (suite 060_05).
    const res = await t.send('DELETE', `/entities?id=${id(3)}&keep=height`)
    expect(res.statusCode).toBe(204)
    e = (await t.store.get('default', id(3)))!
    expect(Object.keys(e.attrs)).toEqual([V('height')])
    expect(t.events.at(-1)).toMatchObject({ kind: 'updated', entityId: id(3) })
  })

  it('answers 400 without a sufficient selector, for keep+drop, bad q, unknown parameters; nothing deleted', async () => {
    for (const [query, kind] of [
      ['', 'BadRequestData'],
      [`?id=${id(1)}`, 'BadRequestData'],
      ['?type=Building&keep=a&drop=b', 'BadRequestData'],
      ['?q=height>>1', 'BadRequestData'],
      ['?attrs=createdAt', 'BadRequestData'],
      ['?type=Building&limit=5', 'InvalidRequest'],
    ] as const) {
      expectProblem(await t.send('DELETE', `/entities${query}`), 400, kind)
    }
    expect(await ids()).toHaveLength(5)
    expect(t.events).toHaveLength(0)
  })

  it('answers 404 NonexistentTenant for an unknown tenant', async () => {
    expectProblem(
      await t.send('DELETE', '/entities?type=Building', {
        headers: { 'NGSILD-Tenant': 'nowhere' },
      }),
      404,
      'NonexistentTenant',
    )
  })
})
