import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CORE_CONTEXT_URL, DEFAULT_VOCAB } from '../../core/ngsi.js'
import {
  building,
  buildNgsiLdApp,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'
import { createBundledContextResolver, type ContextResolver } from '../jsonld/index.js'

const V = (n: string) => DEFAULT_VOCAB + n
const A = 'urn:ngsi-ld:Building:A'
const B = 'urn:ngsi-ld:Building:B'
const C = 'urn:ngsi-ld:Building:C'
const USER_CTX = 'https://example.org/ctx.jsonld'
const MISSING_CTX = 'https://example.org/missing.jsonld'
const resolver: ContextResolver = {
  // Anything else goes to the bundled resolver, which fails remote URLs with LdContextNotAvailable.
  resolve: (url) =>
    url === USER_CTX
      ? Promise.resolve({ '@context': { Building: 'https://example.org/Building' } })
      : createBundledContextResolver().resolve(url),
}

let t: NgsiLdTestApp
beforeEach(async () => {
  t = await buildNgsiLdApp({ contexts: resolver })
})
afterEach(() => t.close())

const batch = (
  op: string,
  body: unknown,
  opts: { query?: string; headers?: Record<string, string> } = {},
) =>
  t.send('POST', `/entityOperations/${op}${opts.query ?? ''}`, {
    body,
    ...(opts.headers && { headers: opts.headers }),
  })
const stored = (id: string) => t.store.get('default', id)

interface Result {
  success: string[]
  errors: { entityId: string; error: { type: string; title: string; status: number } }[]
}

function expect207(res: Awaited<ReturnType<typeof batch>>): Result {
  expect(res.statusCode, res.body).toBe(207)
  expect(res.headers['content-type']).toBe('application/json')
  expect(res.headers['link']).toBeUndefined()
  return res.json<Result>()
}

describe('POST /entityOperations/create (Batch Create, §5.6.7)', () => {
  it('creates every entity: 201 with the ids, one created event each', async () => {
    const res = await batch('create', [building(A), building(B)])
    expect(res.statusCode).toBe(201)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.json()).toEqual([A, B])
    expect(await stored(B)).toMatchObject({ types: [V('Building')] })
    expect(t.events.map((e) => [e.kind, e.entityId])).toEqual([
      ['created', A],
      ['created', B],
    ])
  })

  it('answers 207 when some fail: existing ids, duplicates in the array (first wins), bad entities', async () => {
    await batch('create', [building(A)])
    const res = await batch('create', [
      building(A),
      building(B),
      building(B),
      { id: C, type: 'type' },
    ])
    const body = expect207(res)
    expect(body.success).toEqual([B])
    expect(body.errors.map((e) => [e.entityId, e.error.status, e.error.type])).toEqual([
      [A, 409, 'https://uri.etsi.org/ngsi-ld/errors/AlreadyExists'],
      [B, 409, 'https://uri.etsi.org/ngsi-ld/errors/AlreadyExists'],
      [C, 400, 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData'],
    ])
    for (const e of body.errors) expect(e.error.title).not.toBe('')
    expect(await stored(C)).toBeUndefined()
  })

  it('reads each element with its own @context under application/ld+json; context failures are per entity', async () => {
    const res = await batch(
      'create',
      [
        { ...building(A), '@context': USER_CTX },
        { ...building(B), '@context': [MISSING_CTX] },
        { ...building(C), '@context': CORE_CONTEXT_URL },
      ],
      { headers: { 'content-type': 'application/ld+json' } },
    )
    const body = expect207(res)
    expect(body.success).toEqual([A, C])
    expect(body.errors).toHaveLength(1)
    expect(body.errors[0]).toMatchObject({
      entityId: B,
      error: { type: 'https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable', status: 503 },
    })
    expect((await stored(A))?.types).toEqual(['https://example.org/Building'])
    expect((await stored(C))?.types).toEqual([V('Building')])
  })

  it('uses the Link context under application/json and rejects a per-element @context there', async () => {
    const res = await batch('create', [building(A), { ...building(B), '@context': USER_CTX }], {
      headers: { link: linkTo(USER_CTX) },
    })
    const body = expect207(res)
    expect(body.success).toEqual([A])
    expect(body.errors[0]).toMatchObject({ entityId: B, error: { status: 400 } })
    expect((await stored(A))?.types).toEqual(['https://example.org/Building'])
  })

  it('rejects a body that is not a non-empty array (400), other media types (415), unknown params', async () => {
    expectProblem(await batch('create', building(A)), 400, 'BadRequestData')
    expectProblem(await batch('create', []), 400, 'BadRequestData')
    expectProblem(await batch('create', '[{"id":'), 400, 'InvalidRequest')
    expectProblem(await batch('create', [building(A)], { query: '?x=1' }), 400, 'InvalidRequest')
    const res = await batch('create', [building(A)], { headers: { 'content-type': 'text/plain' } })
    expect(res.statusCode).toBe(415)
    expect(await stored(A)).toBeUndefined()
    await batch('create', {}, { headers: { 'NGSILD-Tenant': 'untouched' } })
    expect(await t.store.tenants.exists('untouched')).toBe(false)
  })

  it('creates the tenant named by NGSILD-Tenant', async () => {
    const res = await batch('create', [building(A)], { headers: { 'NGSILD-Tenant': 'valmora' } })
    expect(res.statusCode).toBe(201)
    expect(await t.store.get('valmora', A)).toBeDefined()
    expect(await stored(A)).toBeUndefined()
  })
})

describe('POST /entityOperations/upsert (Batch Upsert, §5.6.8)', () => {
  beforeEach(async () => {
    await batch('create', [building(A, { height: 300, color: 'grey' })])
    t.tick()
    t.events.length = 0
  })

  it('replaces existing entities by default and creates the others: 201 lists only the created ids', async () => {
    const res = await batch('upsert', [building(A, { height: 330 }), building(B), building(B)])
    expect(res.statusCode).toBe(201)
    expect(res.json()).toEqual([B])
    const a = (await stored(A))!
    expect(a.attrs[V('height')]?.[0]?.value).toBe(330)
    expect(a.attrs[V('color')]).toBeUndefined()
    expect(a.createdAt).toBe('2026-03-01T10:00:00.000Z')
    expect(t.events.map((e) => [e.kind, e.entityId])).toEqual([
      ['updated', A],
      ['created', B],
      ['updated', B],
    ])
  })

  it('with options=update keeps the attributes not given; 204 when nothing was created', async () => {
    const res = await batch('upsert', [building(A, { height: 330 })], { query: '?options=update' })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    const a = (await stored(A))!
    expect(a.attrs[V('height')]?.[0]?.value).toBe(330)
    expect(a.attrs[V('color')]?.[0]?.value).toBe('grey')
  })

  it('answers 207 for invalid elements and 400 for bad options', async () => {
    const body = expect207(await batch('upsert', [building(B), { id: 'nope', type: 'T' }]))
    expect(body.success).toEqual([B])
    expect(body.errors).toMatchObject([{ entityId: 'nope', error: { status: 400 } }])
    expectProblem(
      await batch('upsert', [building(C)], { query: '?options=append' }),
      400,
      'InvalidRequest',
    )
    expectProblem(
      await batch('upsert', [building(C)], { query: '?options=update,replace' }),
      400,
      'BadRequestData',
    )
    expect(await stored(C)).toBeUndefined()
  })
})

describe('POST /entityOperations/update (Batch Update, §5.6.9)', () => {
  beforeEach(async () => {
    await batch('create', [building(A, { height: 300 }), building(B, { height: 10 })])
    t.tick()
    t.events.length = 0
  })

  it('updates existing entities (attributes not given stay): 204', async () => {
    const res = await batch('update', [
      { id: A, type: 'Building', height: 330, color: 'grey' },
      { id: B, height: 'urn:ngsi-ld:null' },
    ])
    expect(res.statusCode).toBe(204)
    const a = (await stored(A))!
    expect(a.attrs[V('height')]?.[0]?.value).toBe(330)
    expect(a.attrs[V('color')]?.[0]?.value).toBe('grey')
    expect(a.attrs[V('name')]).toBeDefined()
    expect((await stored(B))!.attrs[V('height')]).toBeUndefined()
  })

  it('with noOverwrite: 204 when only new attributes come, 207 naming entities whose attributes exist', async () => {
    let res = await batch('update', [{ id: A, color: 'grey' }], { query: '?options=noOverwrite' })
    expect(res.statusCode).toBe(204)
    res = await batch(
      'update',
      [
        { id: A, height: 1, depth: 5 },
        { id: B, depth: 7 },
      ],
      {
        query: '?options=noOverwrite',
      },
    )
    const body = expect207(res)
    expect(body.success).toEqual([B])
    expect(body.errors).toMatchObject([{ entityId: A, error: { status: 400 } }])
    const a = (await stored(A))!
    expect(a.attrs[V('height')]?.[0]?.value).toBe(300)
    expect(a.attrs[V('depth')]?.[0]?.value).toBe(5)
  })

  it('reports unknown entities and elements without a URI id in errors', async () => {
    const body = expect207(
      await batch('update', [{ id: 'urn:ngsi-ld:Building:404', a: 1 }, { a: 1 }, { id: A, a: 1 }]),
    )
    expect(body.success).toEqual([A])
    expect(body.errors.map((e) => [e.entityId, e.error.status])).toEqual([
      ['urn:ngsi-ld:Building:404', 404],
      ['', 400],
    ])
  })
})

describe('POST /entityOperations/delete (Batch Delete, §5.6.10)', () => {
  beforeEach(async () => {
    await batch('create', [building(A), building(B)])
    t.events.length = 0
  })

  it('deletes every id: 204 and one deleted event each', async () => {
    const res = await batch('delete', [A, B])
    expect(res.statusCode).toBe(204)
    expect(await stored(A)).toBeUndefined()
    expect(t.events.map((e) => [e.kind, e.entityId])).toEqual([
      ['deleted', A],
      ['deleted', B],
    ])
  })

  it('answers 207 for unknown, repeated and malformed ids', async () => {
    const body = expect207(await batch('delete', [A, A, 'urn:ngsi-ld:Building:404', 'nope', 7]))
    expect(body.success).toEqual([A])
    expect(body.errors.map((e) => [e.entityId, e.error.status])).toEqual([
      [A, 404],
      ['urn:ngsi-ld:Building:404', 404],
      ['nope', 400],
      ['', 400],
    ])
    expect(await stored(B)).toBeDefined()
  })

  it('needs an existing tenant', async () => {
    expectProblem(
      await batch('delete', [A], { headers: { 'NGSILD-Tenant': 'nowhere' } }),
      404,
      'NonexistentTenant',
    )
  })
})

describe('POST /entityOperations/merge (Batch Merge, §5.6.20)', () => {
  beforeEach(async () => {
    await batch('create', [
      building(A, { address: { type: 'Property', value: { city: 'Paris', zip: '75007' } } }),
    ])
    t.events.length = 0
  })

  it('merges each entity (object values key by key): 204; unknown entities → 207', async () => {
    let res = await batch('merge', [
      { id: A, address: { type: 'Property', value: { zip: '75015' } }, color: 'grey' },
    ])
    expect(res.statusCode).toBe(204)
    const a = (await stored(A))!
    expect(a.attrs[V('address')]?.[0]?.value).toEqual({ city: 'Paris', zip: '75015' })
    expect(a.attrs[V('color')]?.[0]?.value).toBe('grey')
    res = await batch('merge', [
      { id: B, a: 1 },
      { id: A, type: 'Building' },
    ])
    const body = expect207(res)
    expect(body.success).toEqual([A])
    expect(body.errors).toMatchObject([{ entityId: B, error: { status: 404 } }])
  })
})
