/**
 * The /jsonldContexts API (GS CIM 009 §5.13, §6.29, §6.30) and @context resolution through the
 * context registry: Hosted contexts usable by their URL, remote contexts fetched from a real
 * local HTTP server (loopback allowed by configuration here) and kept as Cached, the bundled core
 * and Smart Data Models contexts offline.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import { createMemoryContextStore } from '../../store/memory/memory-context-store.js'
import type { ContextStore } from '../../store/store.js'
import {
  API,
  CORE,
  building,
  buildNgsiLdApp,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'
import {
  createContextFetcher,
  createContextRegistry,
  createStrictUrlCheck,
  type ContextRegistry,
} from '../jsonld/index.js'

const SERVED = 'http://civitas.test/ngsi-ld/v1/jsonldContexts/'
const CORE_V16 = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld'
const PARKING_SDM =
  'https://raw.githubusercontent.com/smart-data-models/dataModel.Parking/master/context.jsonld'

/** A context server on 127.0.0.1 whose documents and availability tests change. */
let server: Server
let remote: string
const docs = new Map<string, unknown>()
const hits = new Map<string, number>()
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/'
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const doc = docs.get(path)
    if (doc === undefined) {
      res.writeHead(404)
      res.end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/ld+json' })
    res.end(typeof doc === 'string' ? doc : JSON.stringify(doc))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  remote = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

let now = Date.parse('2026-03-01T10:00:00.000Z')
let ids = 0
function registryOn(store: ContextStore, fetchRemote = true): ContextRegistry {
  return createContextRegistry({
    store,
    ...(fetchRemote && {
      fetcher: createContextFetcher({
        checkUrl: createStrictUrlCheck({
          allowedHosts: ['127.0.0.1'],
          allowPrivateAddresses: true,
        }),
        timeoutMs: 1000,
        maxBytes: 100_000,
        maxRedirects: 2,
        allowPrivateAddresses: true,
      }),
    }),
    servedBaseUrl: SERVED,
    cacheTtlMs: 3_600_000,
    clock: () => new Date(now),
    newId: () => `ctx${++ids}`,
    flushIntervalMs: 60_000,
  })
}

let t: NgsiLdTestApp
let store: ContextStore
let registry: ContextRegistry
beforeEach(async () => {
  ids = 0
  docs.clear()
  hits.clear()
  docs.set('/building.jsonld', {
    '@context': { Building: 'https://example.org/Building', name: 'https://schema.org/name' },
  })
  store = createMemoryContextStore()
  registry = registryOn(store)
  t = await buildNgsiLdApp({ plugin: { registry } })
})
afterEach(() => t.close())

const hosted = { '@context': { Building: 'https://hosted.example/Building' } }

/** Stored contexts other than those Civitas ships. */
async function clientContexts(): Promise<unknown[]> {
  const res = await t.send('GET', '/jsonldContexts?details=true')
  return res.json<Record<string, unknown>[]>().filter((e) => e['extraInfo'] === undefined)
}

async function addHosted(body: unknown = hosted): Promise<string> {
  const res = await t.send('POST', '/jsonldContexts', { body })
  expect(res.statusCode, res.body).toBe(201)
  return res.headers['location'] as string
}

describe('POST /jsonldContexts (Add @context, §5.13.2)', () => {
  it('201, empty body, Location with the local id; the context is served back as given', async () => {
    const res = await t.send('POST', '/jsonldContexts', {
      body: { ...hosted, ignored: 'members outside @context are discarded' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.body).toBe('')
    expect(res.headers['location']).toBe(`${API}/jsonldContexts/ctx1`)
    const served = await t.send('GET', '/jsonldContexts/ctx1')
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('application/json')
    expect(served.json()).toEqual(hosted)
  })

  it('accepts application/ld+json, whose @context is the payload', async () => {
    const res = await t.send('POST', '/jsonldContexts', {
      body: hosted,
      headers: { 'content-type': 'application/ld+json' },
    })
    expect(res.statusCode).toBe(201)
  })

  it('a list of URLs: each URL is downloaded once and kept as Cached (050_04)', async () => {
    await addHosted({ '@context': [`${remote}/building.jsonld`, CORE] })
    const cached = await t.send('GET', '/jsonldContexts?kind=Cached')
    expect(cached.json()).toContain(`${remote}/building.jsonld`)
    expect(hits.get('/building.jsonld')).toBe(1)
  })

  it.each([
    ['no @context member', { Building: 'https://x.org/B' }],
    ['an array body', [hosted]],
  ])(
    'InvalidRequest for %s (not an @context document at all), and nothing is stored',
    async (_label, body) => {
      expectProblem(await t.send('POST', '/jsonldContexts', { body }), 400, 'InvalidRequest')
      expect(await clientContexts()).toEqual([])
    },
  )

  it.each([
    ['@context neither object nor array', { '@context': 42 }],
    ['an empty @context array', { '@context': [] }],
    ['an invalid term definition', { '@context': { a: { '@id': 42 } } }],
    ['a scoped context', { '@context': { a: { '@id': 'urn:a', '@context': {} } } }],
  ])('BadRequestData for %s, and nothing is stored', async (_label, body) => {
    expectProblem(await t.send('POST', '/jsonldContexts', { body }), 400, 'BadRequestData')
    expect(await clientContexts()).toEqual([])
  })

  it('InvalidRequest for a body that is not JSON', async () => {
    const res = await t.send('POST', '/jsonldContexts', { body: '{"@context": ' })
    expectProblem(res, 400, 'InvalidRequest')
  })

  it('LdContextNotAvailable when a listed URL cannot be had', async () => {
    const res = await t.send('POST', '/jsonldContexts', {
      body: { '@context': [`${remote}/missing.jsonld`] },
    })
    expectProblem(res, 503, 'LdContextNotAvailable')
  })

  it('415 for another Content-Type, before the body is read; 400 for unknown parameters', async () => {
    const res = await t.send('POST', '/jsonldContexts', {
      body: 'not even json',
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.statusCode).toBe(415)
    expect(res.body).toBe('')
    const unknown = await t.send('POST', '/jsonldContexts?foo=1', { body: hosted })
    expectProblem(unknown, 400, 'InvalidRequest')
  })
})

describe('Hosted contexts in requests', () => {
  it('a Hosted context is usable by its URL in Link headers, and its uses are counted', async () => {
    await addHosted()
    const url = `${SERVED}ctx1`
    const created = await t.send('POST', '/entities', {
      body: building(),
      headers: { link: linkTo(url) },
    })
    expect(created.statusCode, created.body).toBe(201)
    const stored = await t.store.get('default', 'urn:ngsi-ld:Building:1')
    expect(stored?.types).toEqual(['https://hosted.example/Building'])
    const got = await t.send('GET', '/entities/urn:ngsi-ld:Building:1', {
      headers: { link: linkTo(url) },
    })
    expect(got.json()).toMatchObject({ type: 'Building' })
    const details = await t.send('GET', '/jsonldContexts/ctx1?details=true')
    expect(details.json()).toEqual({
      URL: url,
      localId: 'ctx1',
      kind: 'Hosted',
      createdAt: '2026-03-01T10:00:00.000Z',
      lastUsage: '2026-03-01T10:00:00.000Z',
      numberOfHits: 2,
    })
  })

  it('after DELETE the URL no longer resolves: LdContextNotAvailable', async () => {
    await addHosted()
    const url = `${SERVED}ctx1`
    const ok = await t.send('GET', '/entities?type=Building', { headers: { link: linkTo(url) } })
    expect(ok.statusCode).toBe(200)
    expect((await t.send('DELETE', '/jsonldContexts/ctx1')).statusCode).toBe(204)
    const gone = await t.send('GET', '/entities?type=Building', { headers: { link: linkTo(url) } })
    expectProblem(gone, 503, 'LdContextNotAvailable')
  })
})

describe('GET /jsonldContexts (List @contexts, §5.13.3)', () => {
  it('URLs by default: Hosted at the served URL, the core and bundled contexts included', async () => {
    await addHosted()
    const res = await t.send('GET', '/jsonldContexts')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    const urls = res.json<string[]>()
    expect(urls).toEqual(expect.arrayContaining([`${SERVED}ctx1`, CORE, CORE_V16]))
    expect(urls).toContain(`${SERVED}smart-data-models-Parking`)
  })

  it('details=true gives metadata objects; kind filters', async () => {
    await addHosted()
    const res = await t.send('GET', '/jsonldContexts?details=true&kind=Hosted')
    const list = res.json<Record<string, unknown>[]>()
    expect(list.every((e) => e['kind'] === 'Hosted')).toBe(true)
    expect(list).toContainEqual({
      URL: `${SERVED}ctx1`,
      localId: 'ctx1',
      kind: 'Hosted',
      createdAt: '2026-03-01T10:00:00.000Z',
      numberOfHits: 0,
    })
    const cached = await t.send('GET', '/jsonldContexts?kind=Cached')
    expect(cached.json()).toContain(CORE_V16)
    expect(cached.json()).not.toContain(`${SERVED}ctx1`)
    const implicit = await t.send('GET', '/jsonldContexts?kind=ImplicitlyCreated')
    expect(implicit.json()).toEqual([])
  })

  it('BadRequestData for an invalid details or kind value (052_04); 406 when JSON is not acceptable', async () => {
    expectProblem(await t.send('GET', '/jsonldContexts?details=yes'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/jsonldContexts?kind=Remote'), 400, 'BadRequestData')
    const xml = await t.send('GET', '/jsonldContexts', { headers: { accept: 'application/xml' } })
    expect(xml.statusCode).toBe(406)
  })
})

describe('GET /jsonldContexts/{contextId} (Serve @context, §5.13.4)', () => {
  it('ResourceNotFound for an unknown id, with or without details', async () => {
    expectProblem(await t.send('GET', '/jsonldContexts/nope'), 404, 'ResourceNotFound')
    expectProblem(await t.send('GET', '/jsonldContexts/nope?details=true'), 404, 'ResourceNotFound')
  })

  it('a Cached context: OperationNotSupported without details, metadata with; addressed by its encoded URL', async () => {
    const url = `${remote}/building.jsonld`
    await t.send('GET', '/entities?type=Building', { headers: { link: linkTo(url) } })
    const encoded = encodeURIComponent(url)
    expectProblem(await t.send('GET', `/jsonldContexts/${encoded}`), 422, 'OperationNotSupported')
    const details = await t.send('GET', `/jsonldContexts/${encoded}?details=true`)
    expect(details.statusCode).toBe(200)
    expect(details.json()).toMatchObject({
      URL: url,
      kind: 'Cached',
      createdAt: '2026-03-01T10:00:00.000Z',
      expiresAt: '2026-03-01T11:00:00.000Z',
    })
  })

  it('the core context (suite: v1.6 URL) is Cached: details 200, content 422', async () => {
    const encoded = encodeURIComponent(CORE_V16)
    const details = await t.send('GET', `/jsonldContexts/${encoded}?details=true`)
    expect(details.json()).toMatchObject({ URL: CORE_V16, kind: 'Cached' })
    expectProblem(await t.send('GET', `/jsonldContexts/${encoded}`), 422, 'OperationNotSupported')
  })

  it('406 for an Accept it cannot satisfy, decided before the lookup', async () => {
    const res = await t.send('GET', '/jsonldContexts/nope', { headers: { accept: 'text/html' } })
    expect(res.statusCode).toBe(406)
  })
})

describe('DELETE /jsonldContexts/{contextId} (Delete and Reload @context, §5.13.5)', () => {
  it('removes a Hosted context: 204, then 404; unknown → 404', async () => {
    await addHosted()
    const res = await t.send('DELETE', '/jsonldContexts/ctx1')
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    expectProblem(await t.send('GET', '/jsonldContexts/ctx1'), 404, 'ResourceNotFound')
    expectProblem(await t.send('DELETE', '/jsonldContexts/ctx1'), 404, 'ResourceNotFound')
  })

  it('BadRequestData: reload not a boolean, reload of a non-Cached or unknown context, empty id', async () => {
    await addHosted()
    expectProblem(
      await t.send('DELETE', '/jsonldContexts/ctx1?reload=maybe'),
      400,
      'BadRequestData',
    )
    expectProblem(await t.send('DELETE', '/jsonldContexts/ctx1?reload=true'), 400, 'BadRequestData')
    expectProblem(await t.send('DELETE', '/jsonldContexts/nope?reload=true'), 400, 'BadRequestData')
    expectProblem(await t.send('DELETE', '/jsonldContexts/'), 400, 'BadRequestData')
    expect((await t.send('GET', '/jsonldContexts/ctx1')).statusCode).toBe(200)
  })

  it('the core context cannot be deleted (051_08) but reloads from the bundled copy (051_09)', async () => {
    const encoded = encodeURIComponent(CORE_V16)
    expectProblem(await t.send('DELETE', `/jsonldContexts/${encoded}`), 400, 'BadRequestData')
    expect((await t.send('DELETE', `/jsonldContexts/${encoded}?reload=true`)).statusCode).toBe(204)
  })

  it('reload=true re-downloads a Cached context and applies the new version', async () => {
    const url = `${remote}/building.jsonld`
    const type = async () => {
      await t.send('DELETE', '/entities/urn:ngsi-ld:Building:1')
      await t.send('POST', '/entities', { body: building(), headers: { link: linkTo(url) } })
      return (await t.store.get('default', 'urn:ngsi-ld:Building:1'))?.types
    }
    expect(await type()).toEqual(['https://example.org/Building'])
    docs.set('/building.jsonld', { '@context': { Building: 'https://v2.example/Building' } })
    expect(await type()).toEqual(['https://example.org/Building'])
    const res = await t.send('DELETE', `/jsonldContexts/${encodeURIComponent(url)}?reload=true`)
    expect(res.statusCode).toBe(204)
    expect(await type()).toEqual(['https://v2.example/Building'])
    expect(hits.get('/building.jsonld')).toBe(2)
  })

  it('a failed reload is LdContextNotAvailable and keeps the old copy', async () => {
    const url = `${remote}/building.jsonld`
    await t.send('GET', '/entities?type=Building', { headers: { link: linkTo(url) } })
    docs.delete('/building.jsonld')
    const res = await t.send('DELETE', `/jsonldContexts/${encodeURIComponent(url)}?reload=true`)
    expectProblem(res, 503, 'LdContextNotAvailable')
    const details = await t.send('GET', `/jsonldContexts/${encodeURIComponent(url)}?details=true`)
    expect(details.statusCode).toBe(200)
  })

  it('a Cached context can be deleted by its encoded URL; the next use downloads it again', async () => {
    const url = `${remote}/building.jsonld`
    await t.send('GET', '/entities?type=Building', { headers: { link: linkTo(url) } })
    const res = await t.send('DELETE', `/jsonldContexts/${encodeURIComponent(url)}`)
    expect(res.statusCode).toBe(204)
    await t.send('GET', '/entities?type=Building', { headers: { link: linkTo(url) } })
    expect(hits.get('/building.jsonld')).toBe(2)
  })
})

describe('remote @contexts (guarded fetch, cache)', () => {
  it('downloaded once, kept as Cached in the store, reused after a restart without fetching', async () => {
    const url = `${remote}/building.jsonld`
    for (let i = 0; i < 3; i++) {
      const res = await t.send('GET', '/entities?type=Building', { headers: { link: linkTo(url) } })
      expect(res.statusCode).toBe(200)
    }
    expect(hits.get('/building.jsonld')).toBe(1)
    await registry.flush()
    const saved = await store.findByUrl(url)
    expect(saved).toMatchObject({ kind: 'Cached', numberOfHits: 3 })
    // A new registry on the same store: no download.
    const again = registryOn(store)
    expect(await again.resolve(url)).toEqual(docs.get('/building.jsonld'))
    expect(hits.get('/building.jsonld')).toBe(1)
  })

  it('an expired Cached context is downloaded again; if the source is down the old copy serves', async () => {
    const url = `${remote}/building.jsonld`
    await registry.resolve(url)
    now += 2 * 3_600_000
    await registry.resolve(url)
    expect(hits.get('/building.jsonld')).toBe(2)
    now += 2 * 3_600_000
    docs.delete('/building.jsonld')
    expect(await registry.resolve(url)).toEqual({
      '@context': { Building: 'https://example.org/Building', name: 'https://schema.org/name' },
    })
  })

  it('fetched but invalid → BadRequestData; unreachable → LdContextNotAvailable (503 or 504 by config)', async () => {
    docs.set('/bad.jsonld', { notAContext: true })
    const bad = await t.send('GET', '/entities?type=Building', {
      headers: { link: linkTo(`${remote}/bad.jsonld`) },
    })
    expectProblem(bad, 400, 'BadRequestData')
    const missing = await t.send('GET', '/entities?type=Building', {
      headers: { link: linkTo(`${remote}/missing.jsonld`) },
    })
    expectProblem(missing, 503, 'LdContextNotAvailable')
    const t504 = await buildNgsiLdApp({
      plugin: { registry: registryOn(createMemoryContextStore()) },
      config: { ldContextNotAvailableStatus: 504 },
    })
    const res = await t504.send('GET', '/entities?type=Building', {
      headers: { link: linkTo(`${remote}/missing.jsonld`) },
    })
    expectProblem(res, 504, 'LdContextNotAvailable')
    await t504.close()
  })

  it('hosts off the allow-list are refused without a request', async () => {
    const res = await t.send('GET', '/entities?type=Building', {
      headers: { link: linkTo('https://elsewhere.example/ctx.jsonld') },
    })
    expectProblem(res, 503, 'LdContextNotAvailable')
  })

  it('a look-alike of the core URL is an ordinary remote URL and fails (043_01)', async () => {
    const res = await t.send('GET', '/entities?type=Building', {
      headers: {
        link: linkTo('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-non-existing.jsonld'),
      },
    })
    expectProblem(res, 503, 'LdContextNotAvailable')
  })
})

describe('bundled Smart Data Models contexts (offline)', () => {
  it('resolve by their public URLs with remote fetching off, and are served by the broker', async () => {
    const offline = await buildNgsiLdApp({
      plugin: { registry: registryOn(createMemoryContextStore(), false) },
    })
    const res = await offline.send('POST', '/entities', {
      body: {
        id: 'urn:ngsi-ld:ParkingSpot:1',
        type: 'ParkingSpot',
        category: { type: 'Property', value: ['onStreet'] },
      },
      headers: { link: linkTo(PARKING_SDM) },
    })
    expect(res.statusCode, res.body).toBe(201)
    const stored = await offline.store.get('default', 'urn:ngsi-ld:ParkingSpot:1')
    expect(stored?.types).toEqual(['https://smartdatamodels.org/dataModel.Parking/ParkingSpot'])
    expect(Object.keys(stored?.attrs ?? {})).toEqual([
      'https://smartdatamodels.org/dataModel.Parking/category',
    ])
    const served = await offline.send('GET', '/jsonldContexts/smart-data-models-Parking')
    expect(served.json<{ '@context': Record<string, unknown> }>()['@context']).toHaveProperty(
      'ParkingSpot',
    )
    expectProblem(
      await offline.send('DELETE', '/jsonldContexts/smart-data-models-Parking'),
      400,
      'BadRequestData',
    )
    // The served URL works in Link headers too.
    const viaServed = await offline.send('GET', '/entities?type=ParkingSpot', {
      headers: { link: linkTo(`${SERVED}smart-data-models-Parking`) },
    })
    expect(viaServed.json()).toHaveLength(1)
    const unknownRemote = await offline.send('GET', '/entities?type=X', {
      headers: { link: linkTo('https://example.org/ctx.jsonld') },
    })
    expectProblem(unknownRemote, 503, 'LdContextNotAvailable')
    await offline.close()
  })

  it('terms the SDM context does not define still expand with the core @vocab', async () => {
    const res = await t.send('POST', '/entities', {
      body: {
        id: 'urn:ngsi-ld:ParkingSpot:2',
        type: 'ParkingSpot',
        notInSdm: { type: 'Property', value: 1 },
      },
      headers: { link: linkTo(PARKING_SDM) },
    })
    expect(res.statusCode).toBe(201)
    const stored = await t.store.get('default', 'urn:ngsi-ld:ParkingSpot:2')
    expect(Object.keys(stored?.attrs ?? {})).toEqual([`${DEFAULT_VOCAB}notInSdm`])
    expect(hits.size).toBe(0)
  })
})
