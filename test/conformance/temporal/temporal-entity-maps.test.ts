/**
 * EntityMaps on the temporal read API (§5.7.3.4, §5.7.4.4, §5.5.14; Tables 6.18.3.2-2 and
 * 6.19.3.1), against the built `civitas start`, with the default timeproperty and fixtures made
 * through the temporal API. The extension TP 5734_01.robot, which selects by createdAt over
 * fixtures made through the Core API, is re-stated in temporal-system-times.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { uniqueUrn, type Reply } from '../support/broker.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const type = `EmVehicle${Date.now().toString(36)}`
const [one, two] = [uniqueUrn(type), uniqueUrn(type)]
const WINDOW = 'timerel=after&timeAt=2000-01-01T00:00:00Z'

beforeAll(async () => {
  for (const [id, speed] of [
    [one, 30],
    [two, 90],
  ] as const) {
    const r = await broker.request('POST', '/temporal/entities', {
      body: {
        id,
        type,
        speed: [{ type: 'Property', value: speed, observedAt: '2020-01-01T00:00:00Z' }],
      },
    })
    expect(r.status, r.text).toBe(201)
  }
})

function mapHeader(r: Reply): string {
  const value = r.headers.get('NGSILD-EntityMap')
  expect(value, `no NGSILD-EntityMap header: ${r.status} ${r.text}`).not.toBeNull()
  return value ?? ''
}

const ids = (r: Reply) => (r.body as { id: string }[]).map((e) => e.id).sort()

describe('EntityMaps on the temporal API', () => {
  it('a temporal retrieve with entityMap=true makes a map holding the entity', async () => {
    const r = await broker.request('GET', `/temporal/entities/${one}?${WINDOW}&entityMap=true`)
    expect(r.status, r.text).toBe(200)
    const map = await broker.request('GET', `/entityMaps/${mapHeader(r).split('/').pop() ?? ''}`)
    expect(map.status, map.text).toBe(200)
    expect((map.body as { entityMap: unknown }).entityMap).toEqual({ [one]: ['@none'] })
  })

  it('a live map fixes a broader temporal query; the location is echoed', async () => {
    const first = await broker.request(
      'GET',
      `/temporal/entities?type=${type}&id=${one}&${WINDOW}&entityMap=true`,
    )
    expect(first.status, first.text).toBe(201)
    const location = mapHeader(first)
    expect(ids(first)).toEqual([one])
    const broader = await broker.request('GET', `/temporal/entities?type=${type}&${WINDOW}`, {
      headers: { 'NGSILD-EntityMap': location },
    })
    expect(broader.status, broader.text).toBe(200)
    expect(ids(broader)).toEqual([one])
    expect(mapHeader(broader)).toBe(location)
    const without = await broker.request('GET', `/temporal/entities?type=${type}&${WINDOW}`)
    expect(ids(without)).toEqual([one, two].sort())
  })

  it('an unknown map reference makes a new map (201), not echoing the dead one', async () => {
    const r = await broker.request('GET', `/temporal/entities?type=${type}&${WINDOW}`, {
      headers: { 'NGSILD-EntityMap': 'urn:ngsi-ld:entitymap:em5734dead' },
    })
    expect(r.status, r.text).toBe(201)
    expect(mapHeader(r)).not.toContain('em5734dead')
    expect(ids(r)).toEqual([one, two].sort())
  })
})
