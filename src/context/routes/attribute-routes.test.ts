import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import {
  building,
  buildNgsiLdApp,
  expectProblem,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'

const V = (n: string) => DEFAULT_VOCAB + n
const ID = 'urn:ngsi-ld:Building:1'
const T0 = '2026-03-01T10:00:00.000Z'
const T1 = '2026-03-01T10:00:01.000Z'

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp()
  await t.send('POST', '/entities', {
    body: building(ID, {
      height: {
        type: 'Property',
        value: 300,
        unitCode: 'MTR',
        accuracy: { type: 'Property', value: 1 },
      },
      name: [
        { type: 'Property', value: 'Eiffel Tower' },
        { type: 'Property', value: 'Tour Eiffel', datasetId: 'urn:ds:fr' },
      ],
    }),
  })
  t.tick()
  t.events.length = 0
})
afterEach(() => t.close())

const stored = async () => (await t.store.get('default', ID))!

describe('POST /entities/{id}/attrs (Append Attributes, §5.6.3)', () => {
  it('adds new and replaces existing attributes (createdAt kept): 204 and one event', async () => {
    const res = await t.send('POST', `/entities/${ID}/attrs`, {
      body: { height: 324, color: 'grey' },
    })
    expect(res.statusCode).toBe(204)
    const e = await stored()
    expect(e.attrs[V('height')]).toEqual([
      { type: 'Property', value: 324, createdAt: T0, modifiedAt: T1 },
    ])
    expect(e.attrs[V('color')]).toEqual([
      { type: 'Property', value: 'grey', createdAt: T1, modifiedAt: T1 },
    ])
    expect(e.modifiedAt).toBe(T1)
    expect(t.events).toHaveLength(1)
    expect(t.events[0]).toMatchObject({
      kind: 'updated',
      attrs: [V('height'), V('color')],
      source: 'api',
    })
    expect(t.events[0]!.previous?.attrs[V('height')]?.[0]?.value).toBe(300)
  })

  it('with options=noOverwrite keeps existing ones and answers 207 with expanded names', async () => {
    const res = await t.send('POST', `/entities/${ID}/attrs?options=noOverwrite`, {
      body: { height: 1, color: 'grey' },
    })
    expect(res.statusCode).toBe(207)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['link']).toBeUndefined()
    const body = res.json<{
      updated: string[]
      notUpdated: { attributeName: string; reason: string }[]
    }>()
    expect(body.updated).toEqual([V('color')])
    expect(body.notUpdated).toEqual([
      { attributeName: V('height'), reason: expect.any(String) as string },
    ])
    expect((await stored()).attrs[V('height')]?.[0]?.value).toBe(300)
  })

  it('adds types from the fragment and rejects NGSI-LD Null', async () => {
    expect(
      (await t.send('POST', `/entities/${ID}/attrs`, { body: { type: 'Landmark' } })).statusCode,
    ).toBe(204)
    expect((await stored()).types).toEqual([V('Building'), V('Landmark')])
    expectProblem(
      await t.send('POST', `/entities/${ID}/attrs`, { body: { height: 'urn:ngsi-ld:null' } }),
      400,
      'BadRequestData',
    )
  })

  it('answers 404 for an unknown entity and 400 for an empty id segment', async () => {
    expectProblem(
      await t.send('POST', '/entities/urn:ngsi-ld:Building:404/attrs', { body: { a: 1 } }),
      404,
      'ResourceNotFound',
    )
    expectProblem(
      await t.send('POST', '/entities//attrs/', { body: { a: 1 } }),
      400,
      'BadRequestData',
    )
  })
})

describe('PATCH /entities/{id}/attrs (Update Attributes, §5.6.2 V1.9.1)', () => {
  it('replaces existing instances whole, appends missing ones: 204', async () => {
    const res = await t.send('PATCH', `/entities/${ID}/attrs`, {
      body: { height: { type: 'Property', value: 330 }, color: 'grey' },
    })
    expect(res.statusCode).toBe(204)
    const e = await stored()
    expect(e.attrs[V('height')]).toEqual([
      { type: 'Property', value: 330, createdAt: T0, modifiedAt: T1 },
    ])
    expect(e.attrs[V('color')]?.[0]?.value).toBe('grey')
    expect(t.events[0]).toMatchObject({ kind: 'updated', attrs: [V('height'), V('color')] })
  })

  it('deletes an instance with NGSI-LD Null, by datasetId', async () => {
    const res = await t.send('PATCH', `/entities/${ID}/attrs`, {
      body: { name: { type: 'Property', value: 'urn:ngsi-ld:null', datasetId: 'urn:ds:fr' } },
    })
    expect(res.statusCode).toBe(204)
    expect((await stored()).attrs[V('name')]).toEqual([
      { type: 'Property', value: 'Eiffel Tower', createdAt: T0, modifiedAt: T0 },
    ])
    await t.send('PATCH', `/entities/${ID}/attrs`, { body: { name: 'urn:ngsi-ld:null' } })
    expect((await stored()).attrs[V('name')]).toBeUndefined()
  })

  it('accepts application/merge-patch+json like application/json', async () => {
    const res = await t.send('PATCH', `/entities/${ID}/attrs`, {
      body: { height: 1 },
      headers: { 'content-type': 'application/merge-patch+json' },
    })
    expect(res.statusCode).toBe(204)
  })
})

describe('PATCH /entities/{id}/attrs/{attrId} (Partial Attribute Update, §5.6.4)', () => {
  it('overwrites the given members of the default instance and keeps the others', async () => {
    const res = await t.send('PATCH', `/entities/${ID}/attrs/height`, { body: { value: 310 } })
    expect(res.statusCode).toBe(204)
    const [inst] = (await stored()).attrs[V('height')]!
    expect(inst).toMatchObject({
      type: 'Property',
      value: 310,
      unitCode: 'MTR',
      createdAt: T0,
      modifiedAt: T1,
    })
    expect(inst).toHaveProperty([V('accuracy')])
    expect(t.events[0]).toMatchObject({ kind: 'updated', attrs: [V('height')] })
  })

  it('targets the instance of the fragment’s datasetId; 404 for a missing instance or attribute', async () => {
    await t.send('PATCH', `/entities/${ID}/attrs/name`, {
      body: { value: 'La Tour', datasetId: 'urn:ds:fr' },
    })
    expect((await stored()).attrs[V('name')]?.[1]?.value).toBe('La Tour')
    expectProblem(
      await t.send('PATCH', `/entities/${ID}/attrs/name`, {
        body: { value: 'x', datasetId: 'urn:ds:none' },
      }),
      404,
      'ResourceNotFound',
    )
    expectProblem(
      await t.send('PATCH', `/entities/${ID}/attrs/color`, { body: { value: 'x' } }),
      404,
      'ResourceNotFound',
    )
    await t.send('PATCH', `/entities/${ID}/attrs/name`, { body: { value: 'urn:ngsi-ld:null' } })
    expectProblem(
      await t.send('PATCH', `/entities/${ID}/attrs/name`, { body: { value: 'x' } }),
      404,
      'ResourceNotFound',
    )
  })

  it('removes a sub-attribute given as NGSI-LD Null', async () => {
    await t.send('PATCH', `/entities/${ID}/attrs/height`, {
      body: { accuracy: 'urn:ngsi-ld:null' },
    })
    expect((await stored()).attrs[V('height')]?.[0]).not.toHaveProperty([V('accuracy')])
  })
})

describe('DELETE /entities/{id}/attrs/{attrId} (Delete Attribute, §5.6.5)', () => {
  it('deletes the default instance, a datasetId instance, or all with deleteAll', async () => {
    expect(
      (await t.send('DELETE', `/entities/${ID}/attrs/name?datasetId=urn:ds:fr`)).statusCode,
    ).toBe(204)
    expect((await stored()).attrs[V('name')]).toHaveLength(1)
    expectProblem(
      await t.send('DELETE', `/entities/${ID}/attrs/name?datasetId=urn:ds:fr`),
      404,
      'ResourceNotFound',
    )
    expect((await t.send('DELETE', `/entities/${ID}/attrs/height`)).statusCode).toBe(204)
    expect((await stored()).attrs[V('height')]).toBeUndefined()
    await t.send('POST', `/entities/${ID}/attrs`, {
      body: { name: { value: 'again', datasetId: 'urn:ds:x' } },
    })
    expect((await t.send('DELETE', `/entities/${ID}/attrs/name?deleteAll=true`)).statusCode).toBe(
      204,
    )
    expect((await stored()).attrs[V('name')]).toBeUndefined()
    expect(t.events.filter((e) => e.kind === 'updated')).toHaveLength(4)
  })

  it('answers 404 for a missing attribute, 400 for bad parameters, 405 without an attribute id', async () => {
    expectProblem(await t.send('DELETE', `/entities/${ID}/attrs/nothing`), 404, 'ResourceNotFound')
    expectProblem(
      await t.send('DELETE', `/entities/${ID}/attrs/name?deleteAll=yes`),
      400,
      'BadRequestData',
    )
    expectProblem(await t.send('DELETE', `/entities/${ID}/attrs/name?foo=1`), 400, 'InvalidRequest')
    const res = await t.send('DELETE', `/entities/${ID}/attrs/`)
    expectProblem(res, 405, 'https://civitas.city/problems/MethodNotAllowed')
    expect(res.headers['allow']).toBe('POST, PATCH')
  })
})
