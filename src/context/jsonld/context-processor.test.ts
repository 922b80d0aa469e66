import jsonld from 'jsonld'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../../core/errors.js'
import { CORE_CONTEXT_URL, DEFAULT_VOCAB, NGSI_LD } from '../../core/ngsi.js'
import type { JsonObject } from './core-context.js'
import { coreContextDocument, coreTermDefinitions, CORE_CONTEXT_URLS } from './core-context.js'
import { createContextProcessor } from './context-processor.js'
import { createBundledContextResolver, type ContextResolver } from './context-resolver.js'
import type { UserContext } from './active-context.js'

const USER_URL = 'https://example.org/ctx.jsonld'
const userContext: JsonObject = {
  almostFull: 'https://example.org/almostFull',
  ex: 'https://example.org/',
  Building: 'https://example.org/Building',
  name: 'https://schema.org/name',
  location: 'https://example.org/notTheCoreLocation',
  tagged: { '@id': 'https://example.org/tagged', '@type': '@vocab' },
  when: { '@id': 'https://example.org/when', '@type': 'https://example.org/DateTime' },
}

function resolverServing(docs: Record<string, unknown>): ContextResolver {
  const bundled = createBundledContextResolver()
  return {
    resolve: (url) => (url in docs ? Promise.resolve(docs[url]) : bundled.resolve(url)),
  }
}

async function expectKind(p: Promise<unknown>, kind: string): Promise<void> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isAppError(err) ? err.kind : err).toBe(kind)
}

describe('createContextProcessor', () => {
  const processor = createContextProcessor({
    resolver: resolverServing({ [USER_URL]: { '@context': userContext } }),
  })

  it('expands with the core context alone: core terms, @vocab for unknown terms, IRIs unchanged', async () => {
    const ctx = await processor.activeContext(undefined)
    expect(ctx.userContext).toBeUndefined()
    expect(ctx.expandTerm('location')).toBe(`${NGSI_LD}location`)
    expect(ctx.expandTerm('temperature')).toBe(`${DEFAULT_VOCAB}temperature`)
    expect(ctx.expandTerm('https://example.org/x')).toBe('https://example.org/x')
    expect(ctx.expandTerm('urn:ngsi-ld:x')).toBe('urn:ngsi-ld:x')
    expect(ctx.expandTerm('ngsi-ld:default-context/y')).toBe(`${DEFAULT_VOCAB}y`)
    expect(ctx.expandTerm('type')).toBe('@type')
  })

  it('expands user terms and keeps protected core terms whatever the user context says', async () => {
    const ctx = await processor.activeContext(USER_URL)
    expect(ctx.userContext).toBe(USER_URL)
    expect(ctx.expandTerm('almostFull')).toBe('https://example.org/almostFull')
    expect(ctx.expandTerm('ex:thing')).toBe('https://example.org/thing')
    expect(ctx.expandTerm('location')).toBe(`${NGSI_LD}location`)
  })

  it('compacts: exact term, then @vocab suffix, then a compact IRI, else the full IRI', async () => {
    const core = await processor.activeContext(undefined)
    expect(core.compactIri(`${NGSI_LD}location`)).toBe('location')
    expect(core.compactIri(`${DEFAULT_VOCAB}almostFull`)).toBe('almostFull')
    expect(core.compactIri('https://other.org/z')).toBe('https://other.org/z')
    const user = await processor.activeContext(USER_URL)
    expect(user.compactIri(`${DEFAULT_VOCAB}almostFull`)).toBe('ngsi-ld:default-context/almostFull')
    expect(user.compactIri('https://example.org/almostFull')).toBe('almostFull')
    expect(user.compactIri('https://example.org/unnamed')).toBe('ex:unnamed')
  })

  it.each<[string, UserContext | undefined]>([
    ['core only', undefined],
    ['user context URL', USER_URL],
    ['inline object', userContext],
  ])('agrees with jsonld.compact on names and types (%s)', async (_label, user) => {
    const ctx = await processor.activeContext(user)
    const iris = [
      `${NGSI_LD}location`,
      `${DEFAULT_VOCAB}almostFull`,
      'https://example.org/almostFull',
      'https://example.org/Building',
      'https://example.org/unnamed',
      'https://schema.org/name',
      'https://example.org/tagged',
      'https://example.org/when',
      'http://purl.org/dc/terms/description',
      'https://other.org/z',
    ]
    const doc: JsonObject = { '@id': 'urn:ngsi-ld:T:1', '@type': iris }
    for (const iri of iris) {
      doc[iri] = { '@type': `${NGSI_LD}Property`, [`${NGSI_LD}hasValue`]: 1 }
    }
    const local = [
      ...(user === undefined ? [] : [user === USER_URL ? userContext : user]),
      coreTermDefinitions,
    ]
    const reference = await jsonld.compact(doc, local as never)
    for (const iri of iris) {
      const key = ctx.compactIri(iri)
      expect(reference, `property ${iri}`).toHaveProperty([key])
    }
    expect(iris.map((i) => ctx.compactIri(i, 'vocab'))).toEqual(reference['type'])
  })

  it('treats every genuine core URL as the bundled core and never asks the resolver', async () => {
    const asked: string[] = []
    const p = createContextProcessor({
      resolver: {
        resolve: (url) => {
          asked.push(url)
          return Promise.reject(new Error('must not be called'))
        },
      },
    })
    for (const url of CORE_CONTEXT_URLS) {
      const ctx = await p.activeContext([url])
      expect(ctx.expandTerm('location')).toBe(`${NGSI_LD}location`)
    }
    expect(asked).toEqual([])
  })

  it('fails with LdContextNotAvailable for remote URLs the default resolver cannot serve', async () => {
    const p = createContextProcessor({ resolver: createBundledContextResolver() })
    await expectKind(p.activeContext('https://example.org/unknown.jsonld'), 'LdContextNotAvailable')
    await expectKind(
      p.activeContext('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-non-existing.jsonld'),
      'LdContextNotAvailable',
    )
  })

  it('rejects invalid contexts with BadRequestData', async () => {
    const p = createContextProcessor({
      resolver: resolverServing({ 'https://x.org/bad': { nope: 1 } }),
    })
    await expectKind(p.activeContext('not a url'), 'BadRequestData')
    await expectKind(p.activeContext('https://x.org/bad'), 'BadRequestData')
    await expectKind(
      p.activeContext({ a: { '@id': 'https://x.org/a', '@context': {} } }),
      'BadRequestData',
    )
    await expectKind(p.activeContext({ a: { '@id': 42 } }), 'BadRequestData')
    await expectKind(p.activeContext([42] as never), 'BadRequestData')
  })

  it('caches active contexts by key but does not cache failures', async () => {
    let calls = 0
    let available = false
    const p = createContextProcessor({
      resolver: {
        resolve: () => {
          calls++
          return available
            ? Promise.resolve({ '@context': { a: 'https://x.org/a' } })
            : Promise.reject(new Error('down'))
        },
      },
    })
    await expect(p.activeContext('https://x.org/ctx')).rejects.toThrow()
    available = true
    const first = await p.activeContext('https://x.org/ctx')
    const second = await p.activeContext('https://x.org/ctx')
    expect(second).toBe(first)
    expect(calls).toBe(2)
  })

  it('answers a built context synchronously, and nothing for one not built or failed', async () => {
    let available = false
    const p = createContextProcessor({
      resolver: {
        resolve: () =>
          available
            ? Promise.resolve({ '@context': { a: 'https://x.org/a' } })
            : Promise.reject(new Error('down')),
      },
    })
    expect(p.builtContext(undefined)).toBeUndefined()
    const core = await p.activeContext(undefined)
    expect(p.builtContext(undefined)).toBe(core)
    await expect(p.activeContext('https://x.org/ctx')).rejects.toThrow()
    expect(p.builtContext('https://x.org/ctx')).toBeUndefined()
    available = true
    const pending = p.activeContext('https://x.org/ctx')
    // Still building: the caller must await activeContext.
    expect(p.builtContext('https://x.org/ctx')).toBeUndefined()
    const built = await pending
    expect(p.builtContext('https://x.org/ctx')).toBe(built)
  })

  it('serves the bundled core document unchanged for the core URL', async () => {
    const doc = await createBundledContextResolver().resolve(CORE_CONTEXT_URL)
    expect(doc).toBe(coreContextDocument)
    expect(coreContextDocument['@context']['ngsildproof']).toHaveProperty('@context')
  })
})
