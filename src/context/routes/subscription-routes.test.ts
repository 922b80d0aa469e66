/**
 * Subscription CRUD (§5.8.1–5.8.5) over in-process HTTP: success paths, every validation rule of
 * §5.2.12 we enforce, tenants, content negotiation, and the SSRF guard on endpoints.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBundledContextResolver, type ContextResolver } from '../jsonld/index.js'
import { CORE, expectProblem, linkTo } from '../../../test/helpers/ngsi-ld-app.js'
import {
  buildSubscriptionApp,
  type SubscriptionTestApp,
} from '../../../test/helpers/subscription-app.js'

/** Table 5.2.12-1: the triggers a subscription without notificationTrigger has. */
const DEFAULT = ['attributeCreated', 'attributeUpdated']

const CTX = 'https://example.org/subscription-context.jsonld'
const resolver: ContextResolver = {
  resolve: (url) =>
    url === CTX
      ? Promise.resolve({ '@context': { name: 'https://smartdatamodels.org/name' } })
      : createBundledContextResolver().resolve(url),
}
const future = () => new Date(Date.now() + 3_600_000).toISOString()

function subscription(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'urn:ngsi-ld:Subscription:1',
    type: 'Subscription',
    entities: [{ type: 'Building' }],
    watchedAttributes: ['name'],
    q: 'floors>2',
    notification: {
      attributes: ['name'],
      format: 'keyValues',
      endpoint: { uri: 'http://127.0.0.1:1/notify', accept: 'application/json' },
    },
    ...extra,
  }
}

let t: SubscriptionTestApp
beforeEach(async () => {
  t = await buildSubscriptionApp({ contexts: resolver })
})
afterEach(async () => {
  await t.close()
})

describe('create and retrieve', () => {
  it('answers 201 with Location, no body, and echoes the subscription with status', async () => {
    const res = await t.send('POST', '/subscriptions', { body: subscription() })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['location']).toBe('/ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:1')
    expect(res.body).toBe('')
    const got = await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1')
    expect(got.statusCode).toBe(200)
    expect(got.headers['content-type']).toBe('application/json')
    expect(got.headers['link']).toBe(linkTo(CORE))
    expect(got.json()).toEqual({
      ...subscription(),
      notificationTrigger: DEFAULT,
      status: 'active',
    })
  })

  it('generates an id when none is given', async () => {
    const { id: _id, ...body } = subscription()
    const res = await t.send('POST', '/subscriptions', { body })
    expect(res.headers['location']).toMatch(
      /^\/ngsi-ld\/v1\/subscriptions\/urn:ngsi-ld:Subscription:[0-9a-f-]{36}$/,
    )
  })

  it('stores expanded names and compacts them with the context of each request', async () => {
    await t
      .send('POST', '/subscriptions', {
        body: subscription({ '@context': [CTX] }),
        headers: { 'content-type': 'application/ld+json' },
      })
      .then((r) => expect(r.statusCode, r.body).toBe(201))
    const stored = await t.store.get('default', 'urn:ngsi-ld:Subscription:1')
    expect(stored?.subscription.watchedAttributes).toEqual(['https://smartdatamodels.org/name'])
    expect(stored?.subscription.entities?.[0]?.types).toEqual([
      ['https://uri.etsi.org/ngsi-ld/default-context/Building'],
    ])
    // Without the context the attribute has no short name: it comes back as a full IRI.
    const core = await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1')
    expect(core.json<{ watchedAttributes: string[] }>().watchedAttributes).toEqual([
      'https://smartdatamodels.org/name',
    ])
    const withCtx = await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1', {
      headers: { link: linkTo(CTX), accept: 'application/ld+json' },
    })
    expect(withCtx.headers['content-type']).toBe('application/ld+json')
    expect(withCtx.json()).toMatchObject({ watchedAttributes: ['name'], '@context': CTX })
  })

  it('keeps format, isActive, expiresAt, throttling, receiverInfo as given', async () => {
    const expiresAt = future()
    const body = subscription({
      isActive: false,
      expiresAt,
      throttling: 1.5,
      notificationTrigger: ['entityCreated', 'attributeDeleted'],
      notification: {
        format: 'concise',
        showChanges: true,
        sysAttrs: true,
        endpoint: {
          uri: 'http://127.0.0.1:1/n',
          receiverInfo: [{ key: 'X-Auth', value: 'abc' }],
          notifierInfo: [{ key: 'MQTT-QoS', value: '1' }],
        },
      },
    })
    await t.send('POST', '/subscriptions', { body })
    const got = (await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1')).json<
      Record<string, unknown>
    >()
    expect(got).toEqual({ ...body, status: 'paused' })
  })

  it('reports expired once expiresAt has passed', async () => {
    await t.send('POST', '/subscriptions', {
      body: subscription({ expiresAt: new Date(Date.now() + 1000).toISOString() }),
    })
    t.tick(5000)
    const got = (await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1')).json<
      Record<string, unknown>
    >()
    expect(got).toMatchObject({ status: 'expired' })
  })

  it('accepts geoQ and scopeQ and renders them back', async () => {
    const geoQ = { geometry: 'Point', coordinates: [2.29, 48.85], georel: 'near;maxDistance==500' }
    await t.send('POST', '/subscriptions', { body: subscription({ geoQ, scopeQ: '/Paris/#' }) })
    const got = (await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1')).json<
      Record<string, unknown>
    >()
    expect(got).toMatchObject({ geoQ, scopeQ: '/Paris/#' })
  })

  it('jsonldContext: kept as given; one that cannot be had is LdContextNotAvailable', async () => {
    const ok = await t.send('POST', '/subscriptions', {
      body: subscription({ jsonldContext: CTX }),
    })
    expect(ok.statusCode, ok.body).toBe(201)
    const got = (await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1')).json<
      Record<string, unknown>
    >()
    expect(got).toMatchObject({ jsonldContext: CTX })
    const missing = subscription({
      id: 'urn:ngsi-ld:Subscription:2',
      jsonldContext: 'https://example.org/missing.jsonld',
    })
    expectProblem(
      await t.send('POST', '/subscriptions', { body: missing }),
      503,
      'LdContextNotAvailable',
    )
    expect((await t.store.all()).length).toBe(1)
  })

  it('expandValues and jsonKeys (§5.2.12): echoed as given; expandValues lets q take an unquoted term', async () => {
    const extra = {
      q: 'category==shop;address[city]=="Paris"',
      expandValues: 'category',
      jsonKeys: ['address'],
    }
    const res = await t.send('POST', '/subscriptions', { body: subscription(extra) })
    expect(res.statusCode, res.body).toBe(201)
    const got = await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1')
    expect(got.json()).toEqual({
      ...subscription(extra),
      notificationTrigger: DEFAULT,
      status: 'active',
    })
    const patched = await t.send('PATCH', '/subscriptions/urn:ngsi-ld:Subscription:1', {
      body: { expandValues: null },
    })
    // Without expandValues the stored q no longer parses: the patch is refused.
    expectProblem(patched, 400, 'BadRequestData')
  })

  it('409 AlreadyExists on a duplicate id, keeping the first', async () => {
    await t.send('POST', '/subscriptions', { body: subscription() })
    const res = await t.send('POST', '/subscriptions', { body: subscription({ q: 'a==1' }) })
    expectProblem(res, 409, 'AlreadyExists')
    const got = (await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1')).json<
      Record<string, unknown>
    >()
    expect(got).toMatchObject({ q: 'floors>2' })
  })

  it('404 for an unknown id, 400 for an id that is not a URI', async () => {
    expectProblem(
      await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:x'),
      404,
      'ResourceNotFound',
    )
    expectProblem(await t.send('GET', '/subscriptions/not-a-uri'), 400, 'BadRequestData')
  })

  it('406 for GeoJSON, 415 for other content types', async () => {
    const r1 = await t.send('GET', '/subscriptions/urn:ngsi-ld:Subscription:1', {
      headers: { accept: 'application/geo+json' },
    })
    expect(r1.statusCode).toBe(406)
    const r2 = await t.send('POST', '/subscriptions', {
      body: JSON.stringify(subscription()),
      headers: { 'content-type': 'text/plain' },
    })
    expect(r2.statusCode).toBe(415)
  })
})

describe('validation (400 and nothing stored)', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing type', { type: undefined }, 'BadRequestData'],
    ['wrong type', { type: 'Subscriptions' }, 'BadRequestData'],
    ['id not a URI', { id: 'abc' }, 'BadRequestData'],
    [
      'neither entities nor watchedAttributes',
      { entities: undefined, watchedAttributes: undefined },
      'BadRequestData',
    ],
    ['empty entities', { entities: [] }, 'BadRequestData'],
    ['entity selector without type', { entities: [{ id: 'urn:a:1' }] }, 'BadRequestData'],
    ['bad idPattern', { entities: [{ type: 'B', idPattern: '(' }] }, 'BadRequestData'],
    ['empty watchedAttributes', { watchedAttributes: [] }, 'BadRequestData'],
    ['unknown trigger', { notificationTrigger: ['entityChanged'] }, 'BadRequestData'],
    ['bad q', { q: 'floors>>2' }, 'BadRequestData'],
    ['bad scopeQ', { scopeQ: 'Paris' }, 'BadRequestData'],
    [
      'bad geoQ',
      { geoQ: { geometry: 'Point', coordinates: [1], georel: 'near;maxDistance==5' } },
      'BadRequestData',
    ],
    ['geoQ without georel', { geoQ: { geometry: 'Point', coordinates: [1, 2] } }, 'BadRequestData'],
    ['throttling 0', { throttling: 0 }, 'BadRequestData'],
    ['throttling negative', { throttling: -5 }, 'BadRequestData'],
    ['timeInterval with watchedAttributes', { timeInterval: 10 }, 'BadRequestData'],
    [
      'timeInterval with throttling',
      { watchedAttributes: undefined, timeInterval: 10, throttling: 5 },
      'BadRequestData',
    ],
    ['expiresAt in the past', { expiresAt: '2000-01-01T00:00:00Z' }, 'BadRequestData'],
    ['expiresAt not a DateTime', { expiresAt: 'tomorrow' }, 'BadRequestData'],
    ['isActive not boolean', { isActive: 'yes' }, 'BadRequestData'],
    ['missing notification', { notification: undefined }, 'BadRequestData'],
    ['endpoint missing', { notification: { format: 'keyValues' } }, 'BadRequestData'],
    [
      'endpoint uri not http/mqtt',
      { notification: { endpoint: { uri: 'ftp://x/y' } } },
      'BadRequestData',
    ],
    ['endpoint uri relative', { notification: { endpoint: { uri: '/notify' } } }, 'BadRequestData'],
    [
      'mqtt endpoint without topic',
      { notification: { endpoint: { uri: 'mqtt://127.0.0.1:1883' } } },
      'BadRequestData',
    ],
    [
      'bad accept',
      { notification: { endpoint: { uri: 'http://a.b/c', accept: 'text/xml' } } },
      'BadRequestData',
    ],
    [
      'bad format',
      { notification: { format: 'xml', endpoint: { uri: 'http://a.b/c' } } },
      'BadRequestData',
    ],
    [
      'pick with attributes',
      { notification: { attributes: ['a'], pick: ['b'], endpoint: { uri: 'http://a.b/c' } } },
      'BadRequestData',
    ],
    [
      'omit with attributes',
      { notification: { attributes: ['a'], omit: ['b'], endpoint: { uri: 'http://a.b/c' } } },
      'BadRequestData',
    ],
    [
      'pick and omit the same',
      { notification: { pick: ['a'], omit: ['a'], endpoint: { uri: 'http://a.b/c' } } },
      'BadRequestData',
    ],
    [
      'showChanges with keyValues',
      {
        notification: { format: 'keyValues', showChanges: true, endpoint: { uri: 'http://a.b/c' } },
      },
      'BadRequestData',
    ],
    [
      'bad MQTT-QoS',
      {
        notification: {
          endpoint: { uri: 'mqtt://a.b/t', notifierInfo: [{ key: 'MQTT-QoS', value: '3' }] },
        },
      },
      'BadRequestData',
    ],
    [
      'bad MQTT-Version',
      {
        notification: {
          endpoint: {
            uri: 'mqtt://a.b/t',
            notifierInfo: [{ key: 'MQTT-Version', value: 'mqtt4' }],
          },
        },
      },
      'BadRequestData',
    ],
    [
      'receiverInfo with a line break',
      {
        notification: {
          endpoint: { uri: 'http://a.b/c', receiverInfo: [{ key: 'X', value: 'a\r\nB: c' }] },
        },
      },
      'BadRequestData',
    ],
    ['jsonldContext not a URI', { jsonldContext: 'ctx' }, 'BadRequestData'],
    ['expandValues not a list of names', { expandValues: 5 }, 'BadRequestData'],
    ['expandValues empty', { expandValues: [] }, 'BadRequestData'],
    ['jsonKeys with a bad name', { jsonKeys: 'address,a b' }, 'BadRequestData'],
    [
      'an unquoted q value whose attribute is not in expandValues',
      { q: 'category==shop', expandValues: 'name' },
      'BadRequestData',
    ],
    ['unknown member', { colour: 'red' }, 'BadRequestData'],
    [
      'temporalQ',
      { temporalQ: { timerel: 'after', timeAt: '2020-01-01T00:00:00Z' } },
      'BadRequestData',
    ],
  ]
  it.each(cases)('%s', async (_name, change, kind) => {
    const body = subscription(change)
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete body[k]
    expectProblem(await t.send('POST', '/subscriptions', { body }), 400, kind)
    expect((await t.store.all()).length).toBe(0)
  })

  it('a JSON body that is not an object is InvalidRequest; bad JSON too', async () => {
    expectProblem(
      await t.send('POST', '/subscriptions', { body: [subscription()] }),
      400,
      'InvalidRequest',
    )
    expectProblem(
      await t.send('POST', '/subscriptions', { body: '{"type":' }),
      400,
      'InvalidRequest',
    )
  })

  it('{} is BadRequestData', async () => {
    expectProblem(await t.send('POST', '/subscriptions', { body: {} }), 400, 'BadRequestData')
  })

  it('unknown URL parameters are InvalidRequest', async () => {
    expectProblem(
      await t.send('POST', '/subscriptions?invalidParams=x', { body: subscription() }),
      400,
      'InvalidRequest',
    )
  })
})

describe('SSRF guard on endpoints', () => {
  it('refuses loopback endpoints when private callbacks are not allowed', async () => {
    const strict = await buildSubscriptionApp({ allowPrivate: false })
    try {
      for (const uri of [
        'http://127.0.0.1:9/n',
        'http://[::1]/n',
        'http://169.254.169.254/',
        'mqtt://10.0.0.1/t',
      ]) {
        const body = subscription({ notification: { endpoint: { uri } } })
        expectProblem(await strict.send('POST', '/subscriptions', { body }), 400, 'BadRequestData')
      }
      expect((await strict.store.all()).length).toBe(0)
      const ok = subscription({ notification: { endpoint: { uri: 'http://8.8.8.8/n' } } })
      expect((await strict.send('POST', '/subscriptions', { body: ok })).statusCode).toBe(201)
      const patch = { notification: { endpoint: { uri: 'http://127.0.0.1/n' } } }
      const res = await strict.send('PATCH', '/subscriptions/urn:ngsi-ld:Subscription:1', {
        body: patch,
      })
      expectProblem(res, 400, 'BadRequestData')
    } finally {
      await strict.close()
    }
  })
})

describe('query subscriptions', () => {
  beforeEach(async () => {
    for (const n of [1, 2, 3])
      await t.send('POST', '/subscriptions', {
        body: subscription({ id: `urn:ngsi-ld:Subscription:${n}` }),
      })
  })

  it('lists in creation order with pagination links and a count', async () => {
    const res = await t.send('GET', '/subscriptions?limit=1&offset=1&count=true')
    expect(res.statusCode).toBe(200)
    expect(res.json<{ id: string }[]>().map((s) => s.id)).toEqual(['urn:ngsi-ld:Subscription:2'])
    expect(res.headers['ngsild-results-count']).toBe('3')
    expect(String(res.headers['link']).replace(/\s/g, '')).toBe(
      '</ngsi-ld/v1/subscriptions?count=true&limit=1&offset=0>;rel="prev";type="application/json",' +
        '</ngsi-ld/v1/subscriptions?count=true&limit=1&offset=2>;rel="next";type="application/json"',
    )
  })

  it('no next link on the last page; negative limit is BadRequestData; too large TooManyResults', async () => {
    const last = await t.send('GET', '/subscriptions?limit=2&offset=2')
    expect(String(last.headers['link'])).not.toContain('next')
    expectProblem(await t.send('GET', '/subscriptions?limit=-1'), 400, 'BadRequestData')
    expectProblem(await t.send('GET', '/subscriptions?limit=5000'), 403, 'TooManyResults')
  })

  it('tenants see only their own; unknown tenants are NonexistentTenant', async () => {
    const headers = { 'NGSILD-Tenant': 'valmora' }
    expectProblem(await t.send('GET', '/subscriptions', { headers }), 404, 'NonexistentTenant')
    const created = await t.send('POST', '/subscriptions', { body: subscription(), headers })
    expect(created.statusCode).toBe(201)
    expect(created.headers['ngsild-tenant']).toBe('valmora')
    const list = await t.send('GET', '/subscriptions', { headers })
    expect(list.json<unknown[]>()).toHaveLength(1)
    expect((await t.send('GET', '/subscriptions')).json<unknown[]>()).toHaveLength(3)
  })
})

describe('update and delete', () => {
  const path = '/subscriptions/urn:ngsi-ld:Subscription:1'
  beforeEach(async () => {
    await t.send('POST', '/subscriptions', { body: subscription() })
  })

  it('PATCH replaces the given top-level members and keeps the rest', async () => {
    const res = await t.send('PATCH', path, { body: { q: 'floors>5', isActive: false } })
    expect(res.statusCode, res.body).toBe(204)
    const got = (await t.send('GET', path)).json<Record<string, unknown>>()
    expect(got).toEqual({
      ...subscription(),
      q: 'floors>5',
      isActive: false,
      notificationTrigger: DEFAULT,
      status: 'paused',
    })
  })

  it('PATCH with null removes an optional member, but not a mandatory one', async () => {
    expect((await t.send('PATCH', path, { body: { q: null } })).statusCode).toBe(204)
    expect((await t.send('GET', path)).json()).not.toHaveProperty('q')
    expectProblem(
      await t.send('PATCH', path, { body: { notification: null } }),
      400,
      'BadRequestData',
    )
  })

  it('PATCH notification without endpoint, past expiresAt, or timeInterval next to watchedAttributes → 400', async () => {
    for (const body of [
      { notification: { format: 'normalized' } },
      { expiresAt: '2001-01-01T00:00:00Z' },
      { timeInterval: 5 },
      { entities: null, watchedAttributes: null },
    ]) {
      expectProblem(await t.send('PATCH', path, { body }), 400, 'BadRequestData')
    }
    expect((await t.send('GET', path)).json()).toEqual({
      ...subscription(),
      notificationTrigger: DEFAULT,
      status: 'active',
    })
  })

  it('PATCH on an unknown subscription is 404; on the collection 405', async () => {
    expectProblem(
      await t.send('PATCH', '/subscriptions/urn:ngsi-ld:Subscription:9', { body: { q: 'a==1' } }),
      404,
      'ResourceNotFound',
    )
    const res = await t.send('PATCH', '/subscriptions/', { body: { q: 'a==1' } })
    expect(res.statusCode).toBe(405)
  })

  it('a new future expiresAt makes an expired subscription active again', async () => {
    await t.send('PATCH', path, { body: { expiresAt: new Date(Date.now() + 1000).toISOString() } })
    t.tick(2000)
    expect((await t.send('GET', path)).json()).toMatchObject({ status: 'expired' })
    await t.send('PATCH', path, {
      body: { expiresAt: new Date(Date.now() + 60_000).toISOString() },
    })
    expect((await t.send('GET', path)).json()).toMatchObject({ status: 'active' })
  })

  it('DELETE answers 204, then 404', async () => {
    expect((await t.send('DELETE', path)).statusCode).toBe(204)
    expectProblem(await t.send('DELETE', path), 404, 'ResourceNotFound')
    expectProblem(await t.send('GET', path), 404, 'ResourceNotFound')
    expect(t.subs.size).toBe(0)
  })
})
