/**
 * ETSI GS CIM 014 extension TP 459_01: simplified temporal pairs for GeoProperty, ListProperty
 * and ListRelationship (clause 4.5.9).
 */
import { describe, expect, it } from 'vitest'
import { uniqueUrn } from '../support/broker.js'
import { LD, useTestContext } from '../subscription/fixtures.js'
import { useBroker } from '../support/use-broker.js'

const broker = useBroker()
const ctx = useTestContext(broker)

type Json = Record<string, unknown>

describe('Simplified temporal pairs of list attributes', () => {
  it('459_01 simplified temporal pairs for Geo and List attribute types', async () => {
    const id = uniqueUrn('Vehicle')
    const created = await broker.request('POST', '/temporal/entities', {
      headers: LD,
      body: {
        id,
        type: 'Vehicle',
        '@context': [ctx.url],
        location: [
          {
            type: 'GeoProperty',
            value: { type: 'Point', coordinates: [1.0, 2.0] },
            observedAt: '2026-08-10T00:00:01Z',
          },
          {
            type: 'GeoProperty',
            value: { type: 'Point', coordinates: [3.0, 4.0] },
            observedAt: '2026-08-10T00:00:02Z',
          },
        ],
        tyreTreadDepths: {
          type: 'ListProperty',
          valueList: [1.2, 3.4],
          observedAt: '2026-08-10T00:00:01Z',
        },
        route: {
          type: 'ListRelationship',
          objectList: ['urn:ngsi-ld:Road:1', 'urn:ngsi-ld:Road:2'],
          observedAt: '2026-08-10T00:00:01Z',
        },
      },
    })
    expect(created.status).toBe(201)
    const r = await broker.request('GET', `/temporal/entities/${id}?options=temporalValues`, {
      headers: { link: ctx.link },
    })
    expect(r.status).toBe(200)
    const body = r.body as Record<string, Json>
    expect(body['location']?.['type']).toBe('GeoProperty')
    const pairs = body['location']?.['values'] as [Json, string][]
    expect(pairs).toHaveLength(2)
    expect(pairs[0]?.[0]['type']).toBe('Point')
    expect((body['tyreTreadDepths']?.['valueLists'] as unknown[][])[0]?.[0]).toEqual([1.2, 3.4])
    expect((body['route']?.['objectLists'] as unknown[][])[0]?.[0]).toEqual([
      'urn:ngsi-ld:Road:1',
      'urn:ngsi-ld:Road:2',
    ])
    const leaks = (attr: string, member: string) =>
      Object.keys(body[attr] ?? {}).filter((k) => !['type', 'datasetId', member].includes(k))
    expect(leaks('location', 'values')).toEqual([])
    expect(leaks('tyreTreadDepths', 'valueLists')).toEqual([])
    expect(leaks('route', 'objectLists')).toEqual([])
  })
})
