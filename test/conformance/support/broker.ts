/**
 * The conformance tests' view of Civitas: the built `civitas start` running as a child process
 * on free ports with an empty database, driven over HTTP only, as the ETSI suite drives a
 * broker. A local HTTP server stands in for the remote @context documents the suite links to,
 * because this machine has no internet: the broker reaches it through its guarded fetcher.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../helpers/free-port.js'
import { serverEnv, startServerProcess, type ServerProcess } from '../../helpers/server-process.js'

export const CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld'

export interface Reply {
  status: number
  headers: Headers
  /** Parsed JSON when the body is JSON, the raw text otherwise, undefined when empty. */
  body: unknown
  text: string
}

export interface RequestOptions {
  headers?: Record<string, string>
  /** JSON-serialised unless a string (sent as is, for malformed-input cases). */
  body?: unknown
  tenant?: string
}

export interface Broker {
  /** e.g. http://127.0.0.1:PORT */
  url: string
  /** e.g. http://127.0.0.1:PORT/ngsi-ld/v1 */
  api: string
  /** Base URL of the local server that hosts test @context documents (see serveContext). */
  contextBase: string
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>
  /** Hosts a JSON-LD document at contextBase + path, for Link headers and @context arrays. */
  serveContext(path: string, document: unknown): string
  output(): string
  stop(): Promise<void>
}

export async function startBroker(extraEnv: Record<string, string> = {}): Promise<Broker> {
  const contexts = new Map<string, string>()
  const contextServer: Server = createServer((req, res) => {
    const doc = contexts.get(req.url ?? '')
    res.statusCode = doc === undefined ? 404 : 200
    res.setHeader('content-type', 'application/ld+json')
    res.end(doc ?? '')
  })
  await new Promise<void>((r) => contextServer.listen(0, '127.0.0.1', r))
  const addr = contextServer.address()
  const contextBase = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`

  const dataDir = mkdtempSync(join(tmpdir(), 'civitas-conformance-'))
  const env = serverEnv(dataDir, await freePort(), await freePort(), {
    CIVITAS_CONTEXT_FETCH: 'true',
    CIVITAS_CONTEXT_ALLOWED_HOSTS: '127.0.0.1',
    CIVITAS_CONTEXT_ALLOW_PRIVATE: 'true',
    CIVITAS_ALLOW_PRIVATE_CALLBACKS: 'true',
    ...extraEnv,
  })
  let server: ServerProcess
  try {
    server = await startServerProcess('start', env)
  } catch (error) {
    contextServer.close()
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  const api = `${server.httpUrl}/ngsi-ld/v1`

  return {
    url: server.httpUrl,
    api,
    contextBase,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers }
      let body: string | undefined
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          headers['content-type'] = 'application/json'
      }
      if (options.tenant !== undefined) headers['NGSILD-Tenant'] = options.tenant
      const url = path.startsWith('http') ? path : `${api}${path}`
      const res = await fetch(url, { method, headers, ...(body !== undefined && { body }) })
      const text = await res.text()
      let parsed: unknown = text === '' ? undefined : text
      if (text !== '' && /json/.test(res.headers.get('content-type') ?? '')) {
        try {
          parsed = JSON.parse(text)
        } catch {
          // leave the raw text: a test that expects JSON fails on it with a readable message
        }
      }
      return { status: res.status, headers: res.headers, body: parsed, text }
    },
    serveContext(path, document) {
      contexts.set(path, JSON.stringify(document))
      return `${contextBase}${path}`
    },
    output: () => server.output(),
    async stop() {
      await server.terminate()
      await new Promise<void>((r) => contextServer.close(() => r()))
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A Link header value pointing at a context document. */
export function linkTo(contextUrl: string): string {
  return `<${contextUrl}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`
}

/** An id no other test uses, so tests can share one broker. */
export function uniqueUrn(type: string): string {
  return `urn:ngsi-ld:${type}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
}
