/**
 * What the temporal window-filter files (ETSI extension TPs 5744_*, 5741_01) share: the instants
 * inside and outside their one-day window, attribute and entity builders, and a tenant holding a
 * file's fixtures.
 */
import { randomUUID } from 'node:crypto'
import { beforeAll, expect } from 'vitest'
import type { Broker } from '../support/broker.js'

/** An instant inside DAY, and one outside it. */
export const IN = '2026-03-01T12:00:00Z'
export const OUT = '2026-01-05T00:00:00Z'
export const DAY = 'timerel=between&timeAt=2026-03-01T00:00:00Z&endTimeAt=2026-03-02T00:00:00Z'

export const prop = (value: unknown, observedAt: string, extra: object = {}) => ({
  type: 'Property',
  value,
  observedAt,
  ...extra,
})
export const geo = (coordinates: number[], observedAt: string) => ({
  type: 'GeoProperty',
  value: { type: 'Point', coordinates },
  observedAt,
})
export const vehicle = (id: string, attrs: Record<string, unknown[]>) => ({
  id: `urn:ngsi-ld:Vehicle:${id}`,
  type: 'Vehicle',
  ...attrs,
})

/** TP 5744_01's vehicles: qp5744-fast, -slow, -shapes, -nowin and -multi. */
export const valuesFilterVehicles = () => [
  vehicle('qp5744-fast', {
    speed: [prop(30, IN), prop(90, OUT)],
    heading: [prop(45, IN)],
    route: [prop('550', IN)],
  }),
  vehicle('qp5744-slow', { speed: [prop(10, IN), prop(80, OUT)], heading: [prop(170, IN)] }),
  vehicle('qp5744-shapes', {
    name: [prop('m', IN)],
    ref: [{ type: 'Relationship', object: 'urn:dest:qp1', observedAt: IN }],
    tags: [prop(['a', 'b'], IN)],
  }),
  vehicle('qp5744-nowin', { speed: [prop(99, OUT)] }),
  vehicle('qp5744-multi', {
    speed: [prop(5, IN), prop(60, IN, { datasetId: 'urn:ngsi-ld:Dataset:qp1' })],
  }),
]

export interface Fixtures {
  tenant: string
  /** GET /temporal/entities?type=Vehicle&…, expecting 200; the response text. */
  query(qs: string): Promise<string>
}

/**
 * A tenant of its own (named `prefix`…) holding the fixtures, created in a beforeAll through
 * POST /temporal/entities (JSON, core context).
 */
export function windowFixtures(broker: Broker, prefix: string, make: () => object[]): Fixtures {
  const tenant = `${prefix}${randomUUID().slice(0, 8)}`
  beforeAll(async () => {
    for (const body of make()) {
      const r = await broker.request('POST', '/temporal/entities', {
        headers: { 'content-type': 'application/json' },
        body,
        tenant,
      })
      expect(r.status, r.text).toBe(201)
    }
  })
  return {
    tenant,
    async query(qs) {
      const r = await broker.request('GET', `/temporal/entities?type=Vehicle&${qs}`, { tenant })
      expect(r.status, r.text).toBe(200)
      return r.text
    },
  }
}
