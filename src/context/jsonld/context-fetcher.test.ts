/**
 * The guarded @context fetcher against a real HTTP server on 127.0.0.1 (loopback is allowed by
 * configuration here, as the production default forbids it).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAppError } from '../../core/errors.js'
import { createContextFetcher, type ContextFetcherOptions } from './context-fetcher.js'
import { isPrivateAddress } from './private-address.js'
import { createStrictUrlCheck } from './strict-url-check.js'

let server: Server
let base: string
const requests: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/'
    requests.push(path)
    const json = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/ld+json' })
      res.end(body)
    }
    if (path === '/ctx') return json(200, JSON.stringify({ '@context': { a: 'urn:a' } }))
    if (path === '/missing') return json(404, '{}')
    if (path === '/not-json') return json(200, '{ nope')
    if (path === '/big') return json(200, JSON.stringify({ '@context': { a: 'x'.repeat(5000) } }))
    if (path === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"@context":{"a":"')
      res.write('y'.repeat(5000))
      return res.end('"}}')
    }
    if (path === '/slow') return setTimeout(() => json(200, '{"@context":{}}'), 1500)
    const hops = /^\/redirect\/(\d+)$/.exec(path)
    if (hops) {
      const n = Number(hops[1])
      res.writeHead(302, { location: n <= 1 ? '/ctx' : `/redirect/${n - 1}` })
      return res.end()
    }
    if (path === '/redirect-away') {
      res.writeHead(301, { location: 'http://other.invalid/ctx' })
      return res.end()
    }
    res.writeHead(500)
    res.end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

function fetcher(overrides: Partial<ContextFetcherOptions> = {}) {
  return createContextFetcher({
    checkUrl: createStrictUrlCheck({ allowedHosts: ['127.0.0.1'], allowPrivateAddresses: true }),
    timeoutMs: 500,
    maxBytes: 1000,
    maxRedirects: 2,
    allowPrivateAddresses: true,
    ...overrides,
  })
}

async function failure(p: Promise<unknown>): Promise<{ kind: string; message: string }> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`)
  return { kind: err.kind, message: err.message }
}

describe('createContextFetcher', () => {
  it('fetches and parses a JSON-LD context', async () => {
    expect(await fetcher().fetch(`${base}/ctx`)).toEqual({ '@context': { a: 'urn:a' } })
  })

  it('LdContextNotAvailable on a non-2xx answer', async () => {
    expect(await failure(fetcher().fetch(`${base}/missing`))).toMatchObject({
      kind: 'LdContextNotAvailable',
      message: expect.stringContaining('404') as unknown,
    })
  })

  it('BadRequestData when the document is not JSON', async () => {
    expect((await failure(fetcher().fetch(`${base}/not-json`))).kind).toBe('BadRequestData')
  })

  it('cuts off documents beyond the size cap, declared or streamed', async () => {
    for (const path of ['/big', '/big-chunked']) {
      const f = await failure(fetcher().fetch(`${base}${path}`))
      expect(f).toMatchObject({ kind: 'LdContextNotAvailable' })
      expect(f.message).toContain('larger than 1000 bytes')
    }
  })

  it('gives up at the deadline', async () => {
    const started = Date.now()
    const f = await failure(fetcher({ timeoutMs: 200 }).fetch(`${base}/slow`))
    expect(f).toMatchObject({ kind: 'LdContextNotAvailable' })
    expect(f.message).toContain('timed out')
    expect(Date.now() - started).toBeLessThan(1400)
  })

  it('follows redirects up to the limit, and no further', async () => {
    expect(await fetcher().fetch(`${base}/redirect/2`)).toEqual({ '@context': { a: 'urn:a' } })
    const f = await failure(fetcher().fetch(`${base}/redirect/3`))
    expect(f.message).toContain('more than 2 redirects')
  })

  it('checks every redirect hop: a hop to a host off the allow-list is refused', async () => {
    requests.length = 0
    const f = await failure(fetcher().fetch(`${base}/redirect-away`))
    expect(f.kind).toBe('LdContextNotAvailable')
    expect(f.message).toContain('other.invalid is not on the allow-list')
    expect(requests).toEqual(['/redirect-away'])
  })

  it('refuses loopback and private addresses unless configured', async () => {
    requests.length = 0
    const strict = createContextFetcher({
      checkUrl: createStrictUrlCheck({ allowedHosts: [], allowPrivateAddresses: false }),
      timeoutMs: 500,
      maxBytes: 1000,
      maxRedirects: 2,
    })
    for (const url of [`${base}/ctx`, 'http://10.0.0.1/ctx', 'http://[::1]/ctx']) {
      const f = await failure(strict.fetch(url))
      expect(f.kind).toBe('LdContextNotAvailable')
      expect(f.message).toContain('private or loopback')
    }
    // Even with a permissive checkUrl, the fetcher itself will not dial loopback by default.
    const lax = createContextFetcher({
      checkUrl: () => Promise.resolve(),
      timeoutMs: 500,
      maxBytes: 1000,
      maxRedirects: 2,
    })
    expect((await failure(lax.fetch(`${base}/ctx`))).message).toContain('private or loopback')
    const byName = await failure(lax.fetch(`${base.replace('127.0.0.1', 'localhost')}/ctx`))
    expect(byName.kind).toBe('LdContextNotAvailable')
    expect(requests).toEqual([])
  })

  it('refuses other schemes and credentials in the URL', async () => {
    for (const url of ['ftp://127.0.0.1/ctx', 'file:///etc/passwd', `http://u:p@127.0.0.1/ctx`]) {
      expect((await failure(fetcher().fetch(url))).kind).toBe('LdContextNotAvailable')
    }
  })

  it('host allow-list: exact names and *.suffix patterns', async () => {
    const check = createStrictUrlCheck({
      allowedHosts: ['example.org', '*.smartdatamodels.org'],
      allowPrivateAddresses: false,
      resolve: () => Promise.resolve(['93.184.216.34']),
    })
    await check(new URL('https://example.org/ctx'))
    await check(new URL('https://a.smartdatamodels.org/ctx'))
    await expect(check(new URL('https://smartdatamodels.org.evil.com/x'))).rejects.toThrow(
      'allow-list',
    )
    await expect(check(new URL('https://sub.example.org/x'))).rejects.toThrow('allow-list')
    const rebinding = createStrictUrlCheck({
      allowedHosts: [],
      allowPrivateAddresses: false,
      resolve: () => Promise.resolve(['93.184.216.34', '192.168.1.1']),
    })
    await expect(rebinding(new URL('https://mixed.example/x'))).rejects.toThrow('private')
  })
})

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.20.30.40', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.0.10', true],
    ['169.254.169.254', true],
    ['100.64.1.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd12::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['2001:4860:4860::8888', false],
    ['not-an-ip', false],
  ])('%s → %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected)
  })
})
