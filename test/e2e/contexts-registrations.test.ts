/**
 * The @context storage and context source registrations in the real server: SQLite file, real
 * HTTP. Hosted contexts resolve by their served URL without a fetch; the production defaults
 * refuse remote contexts on loopback addresses (SSRF guard); registrations and stored contexts
 * survive a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type CivitasApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load-config.js'
import { silentLogger } from '../../src/log/logger.js'
import { freePort } from '../helpers/free-port.js'

const LINK_REL = 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
const dataDir = mkdtempSync(join(tmpdir(), 'civitas-ctx-'))
let port: number
let base: string
let app: CivitasApp | undefined
let contextServer: Server
let contextRequests = 0
let contextUrl: string

async function start(): Promise<CivitasApp> {
  const config = loadConfig(
    {},
    {
      dataDir,
      logLevel: 'silent',
      http: { host: '127.0.0.1', port, publicUrl: `http://127.0.0.1:${port}` },
      mqtt: { mode: 'off' },
    },
  )
  const started = await createApp(config, { log: silentLogger })
  await started.start()
  return started
}

beforeAll(async () => {
  port = await freePort()
  base = `http://127.0.0.1:${port}/ngsi-ld/v1`
  contextServer = createServer((_req, res) => {
    contextRequests++
    res.writeHead(200, { 'content-type': 'application/ld+json' })
    res.end(JSON.stringify({ '@context': { Building: 'https://evil.example/Building' } }))
  })
  await new Promise<void>((r) => contextServer.listen(0, '127.0.0.1', r))
  contextUrl = `http://127.0.0.1:${(contextServer.address() as AddressInfo).port}/ctx.jsonld`
  app = await start()
})

afterAll(async () => {
  await app?.stop()
  await new Promise<void>((r) => contextServer.close(() => r()))
  rmSync(dataDir, { recursive: true, force: true })
})

const json = { 'content-type': 'application/json' }
const link = (url: string) => ({ link: `<${url}>; ${LINK_REL}` })

describe('contexts and registrations in the running server', () => {
  let hostedUrl: string

  it('hosts a context and resolves it by its served URL without fetching it', async () => {
    const res = await fetch(`${base}/jsonldContexts`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ '@context': { Building: 'https://hosted.example/Building' } }),
    })
    expect(res.status).toBe(201)
    const location = res.headers.get('location') ?? ''
    expect(location).toMatch(/^\/ngsi-ld\/v1\/jsonldContexts\/[0-9a-f-]{36}$/)
    hostedUrl = `http://127.0.0.1:${port}${location}`
    const list = (await (await fetch(`${base}/jsonldContexts?kind=Hosted`)).json()) as string[]
    expect(list).toContain(hostedUrl)
    const created = await fetch(`${base}/entities`, {
      method: 'POST',
      headers: { ...json, ...link(hostedUrl) },
      body: JSON.stringify({ id: 'urn:ngsi-ld:Building:1', type: 'Building' }),
    })
    expect(created.status).toBe(201)
    const got = await fetch(`${base}/entities/urn:ngsi-ld:Building:1`)
    expect(((await got.json()) as { type: string }).type).toBe('https://hosted.example/Building')
  })

  it('refuses a remote context on a loopback address by default, without a request', async () => {
    const res = await fetch(`${base}/entities?type=Building`, { headers: link(contextUrl) })
    expect(res.status).toBe(503)
    expect(((await res.json()) as { type: string }).type).toBe(
      'https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable',
    )
    expect(contextRequests).toBe(0)
  })

  it('registrations and hosted contexts survive a restart', async () => {
    const csr = await fetch(`${base}/csourceRegistrations`, {
      method: 'POST',
      headers: { ...json, ...link(hostedUrl) },
      body: JSON.stringify({
        id: 'urn:ngsi-ld:ContextSourceRegistration:1',
        type: 'ContextSourceRegistration',
        information: [{ entities: [{ type: 'Building' }] }],
        endpoint: 'http://my.csource.org:1026',
      }),
    })
    expect(csr.status).toBe(201)
    await app?.stop()
    app = await start()
    const found = await fetch(`${base}/csourceRegistrations?type=Building`, {
      headers: link(hostedUrl),
    })
    expect(((await found.json()) as { id: string }[]).map((r) => r.id)).toEqual([
      'urn:ngsi-ld:ContextSourceRegistration:1',
    ])
    const served = await fetch(hostedUrl)
    expect(await served.json()).toEqual({
      '@context': { Building: 'https://hosted.example/Building' },
    })
  })
})
