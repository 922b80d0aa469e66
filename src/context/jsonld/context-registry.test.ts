/**
 * The context registry on a real SQLite store: ImplicitlyCreated contexts, usage counters written
 * in bulk and kept across a reopen, invalidation of processed contexts on delete.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isAppError } from '../../core/errors.js'
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js'
import { createContextProcessor } from './context-processor.js'
import { createContextRegistry } from './context-registry.js'
import { uncounted } from './usage-scope.js'

const dir = mkdtempSync(join(tmpdir(), 'civitas-registry-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const history = { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 }
const SERVED = 'https://city.example/ngsi-ld/v1/jsonldContexts/'

function open(file: string) {
  return openSqliteStore({ file: join(dir, file), history, sealIntervalMs: 0 })
}

function registryOn(store: ReturnType<typeof open>) {
  let n = 0
  return createContextRegistry({
    store: store.contexts,
    servedBaseUrl: SERVED,
    cacheTtlMs: 60_000,
    clock: () => new Date('2026-03-01T10:00:00Z'),
    newId: () => `id${++n}`,
  })
}

async function kindOf(p: Promise<unknown>): Promise<string | undefined> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  return isAppError(err) ? err.kind : undefined
}

describe('createContextRegistry', () => {
  it('ImplicitlyCreated contexts: one per distinct @context, served, listed by kind', async () => {
    const store = open('implicit.db')
    const registry = registryOn(store)
    const ctx = ['https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld', { a: 'urn:a' }]
    const first = await registry.addImplicit(ctx)
    const again = await registry.addImplicit(JSON.parse(JSON.stringify(ctx)) as typeof ctx)
    expect(again.localId).toBe(first.localId)
    expect(first).toMatchObject({ kind: 'ImplicitlyCreated', URL: `${SERVED}id1` })
    expect(await registry.serve(first.URL, 'default')).toEqual({ '@context': ctx })
    expect((await registry.list('default', 'ImplicitlyCreated')).map((e) => e.localId)).toEqual([
      'id1',
    ])
    await registry.close()
    await store.close()
  })

  it('resolutions inside uncounted() are not uses', async () => {
    const store = open('uncounted.db')
    const registry = registryOn(store)
    const hosted = await registry.addHosted({ c: 'urn:c' }, 'default')
    await uncounted(() => registry.resolve(hosted.URL))
    expect((await registry.find(hosted.localId, 'default'))?.numberOfHits).toBe(0)
    await registry.resolve(hosted.URL)
    expect((await registry.find(hosted.localId, 'default'))?.numberOfHits).toBe(1)
    await registry.close()
    await store.close()
  })

  it('usage counters are written in bulk and survive a reopen', async () => {
    let store = open('usage.db')
    let registry = registryOn(store)
    const hosted = await registry.addHosted({ b: 'urn:b' }, 'default')
    const processor = createContextProcessor({ resolver: registry })
    for (let i = 0; i < 4; i++) await processor.activeContext(hosted.URL)
    expect((await store.contexts.get('id1'))?.numberOfHits).toBe(0)
    await registry.close()
    expect(await store.contexts.get('id1')).toMatchObject({
      numberOfHits: 4,
      lastUsage: '2026-03-01T10:00:00.000Z',
    })
    await store.close()
    store = open('usage.db')
    registry = registryOn(store)
    expect(await registry.find('id1', 'default')).toMatchObject({ kind: 'Hosted', numberOfHits: 4 })
    await registry.close()
    await store.close()
  })

  it('a deleted context stops resolving even where a processed context was cached', async () => {
    const store = open('invalidate.db')
    const registry = registryOn(store)
    const processor = createContextProcessor({ resolver: registry })
    const hosted = await registry.addHosted({ c: 'urn:c' }, 'default')
    expect((await processor.activeContext(hosted.URL)).expandTerm('c')).toBe('urn:c')
    await registry.delete(hosted.localId, 'default')
    expect(await kindOf(processor.activeContext(hosted.URL))).toBe('LdContextNotAvailable')
    expect(await kindOf(registry.delete(hosted.localId, 'default'))).toBe('ResourceNotFound')
    await registry.close()
    await store.close()
  })

  it('a Hosted context is private to the tenant that added it; implicit ones are shared', async () => {
    const store = open('tenants.db')
    const registry = registryOn(store)
    const hosted = await registry.addHosted({ p: 'urn:p' }, 'acme')
    const implicit = await registry.addImplicit(['urn:x', { q: 'urn:q' }])
    const ids = async (tenant: string) =>
      (await registry.list(tenant)).filter((e) => e.origin === 'stored').map((e) => e.localId)
    expect(await ids('acme')).toEqual([hosted.localId, implicit.localId])
    expect(await ids('default')).toEqual([implicit.localId])
    expect(await registry.find(hosted.localId, 'other')).toBeUndefined()
    expect(await registry.find(hosted.URL, 'other')).toBeUndefined()
    expect(await kindOf(registry.serve(hosted.localId, 'default'))).toBe('ResourceNotFound')
    expect(await kindOf(registry.delete(hosted.localId, 'other'))).toBe('ResourceNotFound')
    expect(await registry.serve(hosted.localId, 'acme')).toEqual({ '@context': { p: 'urn:p' } })
    expect(await registry.serve(implicit.localId, 'other')).toBeDefined()
    // Kept across a reopen.
    await registry.close()
    const again = registryOn(store)
    expect(await again.find(hosted.localId, 'acme')).toMatchObject({ tenant: 'acme' })
    expect(await again.find(hosted.localId, 'default')).toBeUndefined()
    await again.delete(hosted.localId, 'acme')
    await again.close()
    await store.close()
  })

  it('without a fetcher, unknown remote URLs are LdContextNotAvailable', async () => {
    const store = open('offline.db')
    const registry = registryOn(store)
    expect(await kindOf(registry.resolve('https://example.org/ctx.jsonld'))).toBe(
      'LdContextNotAvailable',
    )
    expect(await store.contexts.list()).toEqual([])
    await registry.close()
    await store.close()
  })
})
