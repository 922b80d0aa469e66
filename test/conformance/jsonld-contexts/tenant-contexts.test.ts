/**
 * ETSI GS CIM 014 (Antares extension) tenant-private Hosted @contexts
 * (TP/NGSI-LD/jsonldContext/Consumption/ServeContext/5134_01.robot) re-stated against the built
 * `civitas start`: a @context added under one tenant is not served, listed or deleted through
 * another (§5.13.2.4, §5.13.3.4, §5.13.4.4, §5.13.5.4 with §4.14 / §5.5.10).
 */
import { describe, expect, it } from 'vitest'
import { type Reply } from '../support/broker.js'
import { useBroker } from '../support/use-broker.js'

const PRIVATE_TERM = 'TenantPrivateTerm'
const broker = useBroker()

function randomTenant(): string {
  return `tp5134${Math.floor(10000 + Math.random() * 90000)}${Date.now().toString(36)}`
}

/** Adds a Hosted @context under `tenant`; its local id (the Location's last segment). */
async function addAs(tenant: string): Promise<string> {
  const r = await broker.request('POST', '/jsonldContexts', {
    tenant,
    body: { '@context': { [PRIVATE_TERM]: `urn:ngsi-ld:attributes:${PRIVATE_TERM}` } },
  })
  expect(r.status, r.text).toBe(201)
  return decodeURIComponent(r.headers.get('location')?.split('/').pop() ?? '')
}

function serveAs(tenant: string | undefined, id: string, details?: string): Promise<Reply> {
  const query = details === undefined ? '' : `?details=${details}`
  return broker.request('GET', `/jsonldContexts/${encodeURIComponent(id)}${query}`, {
    ...(tenant !== undefined && { tenant }),
  })
}

describe('Hosted @contexts are private to the adding tenant (5134_01.robot)', () => {
  it('5134_01_01 a Hosted @context is not served to another tenant', async () => {
    const [a, b] = [randomTenant(), randomTenant()]
    const id = await addAs(a)
    const other = await serveAs(b, id)
    expect(other.status, other.text).toBe(404)
    expect(other.text).not.toContain(PRIVATE_TERM)
    expect((await serveAs(b, id, 'true')).status).toBe(404)
    // The default tenant (no NGSILD-Tenant, §4.14) is another tenant too.
    expect((await serveAs(undefined, id)).status).toBe(404)
    const own = await serveAs(a, id)
    expect(own.status, own.text).toBe(200)
    expect(own.text).toContain(PRIVATE_TERM)
  })

  it('5134_01_02 a Hosted @context is not listed to another tenant', async () => {
    const [a, b] = [randomTenant(), randomTenant()]
    const id = await addAs(a)
    const detailed = await broker.request('GET', '/jsonldContexts?details=true', { tenant: b })
    expect(detailed.status, detailed.text).toBe(200)
    expect(detailed.text).not.toContain(id)
    const urls = await broker.request('GET', '/jsonldContexts', { tenant: b })
    expect(urls.status, urls.text).toBe(200)
    expect(urls.text).not.toContain(id)
    // The adding tenant lists it.
    const own = await broker.request('GET', '/jsonldContexts', { tenant: a })
    expect(own.text).toContain(id)
  })

  it('5134_01_03 a Hosted @context is not deletable by another tenant', async () => {
    const [a, b] = [randomTenant(), randomTenant()]
    const id = await addAs(a)
    const path = `/jsonldContexts/${encodeURIComponent(id)}`
    expect((await broker.request('DELETE', path, { tenant: b })).status).toBe(404)
    const still = await serveAs(a, id)
    expect(still.status, still.text).toBe(200)
    expect(still.text).toContain(PRIVATE_TERM)
    const deleted = await broker.request('DELETE', path, { tenant: a })
    expect(deleted.status, deleted.text).toBe(204)
    expect((await serveAs(a, id)).status).toBe(404)
  })
})
