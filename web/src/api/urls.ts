/**
 * URL builders for the Civitas HTTP API and for the dashboard's own hash links. Pure: no fetch,
 * no DOM, so every URL the dashboard requests is checked by a unit test.
 *
 * @example
 *   historyUrl({ entityId: 'urn:ngsi-ld:WeatherObserved:w1', attr: 'temperature', from, to, maxPoints: 640 })
 *   entityHref('urn:ngsi-ld:ParkingSpot:p1') // '#/entity/urn%3Angsi-ld%3AParkingSpot%3Ap1'
 */

export const API_PATHS = {
  city: '/api/v1/city',
  devices: '/api/v1/devices',
  events: '/api/v1/events',
  history: '/api/v1/history',
  entities: '/ngsi-ld/v1/entities',
  health: '/healthz',
} as const

type QueryValue = string | number | boolean | undefined

/** Appends the defined params in the given order; undefined values are left out. */
export function withQuery(path: string, params: Readonly<Record<string, QueryValue>>): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) query.set(key, String(value))
  }
  const search = query.toString()
  return search === '' ? path : `${path}?${search}`
}

export function cityUrl(): string {
  return API_PATHS.city
}

export function devicesUrl(page: { limit: number; offset: number }): string {
  return withQuery(API_PATHS.devices, { limit: page.limit, offset: page.offset })
}

/** One page of the local entities in keyValues form; `count` asks for NGSILD-Results-Count. */
export function entitiesUrl(page: { limit: number; offset: number; count?: boolean }): string {
  return withQuery(API_PATHS.entities, {
    local: true,
    format: 'keyValues',
    limit: page.limit,
    offset: page.offset,
    count: page.count === true ? true : undefined,
  })
}

export function entityUrl(id: string): string {
  return `${API_PATHS.entities}/${encodeURIComponent(id)}?format=keyValues`
}

/** The entity in the normalized form, which alone carries each attribute's observedAt. */
export function normalizedEntityUrl(id: string): string {
  return `${API_PATHS.entities}/${encodeURIComponent(id)}`
}

/** The SSE stream for one entity, or for all entities (server-throttled) when no id is given. */
export function eventsUrl(entityId?: string): string {
  return withQuery(API_PATHS.events, { entityId })
}

export const MIN_POINTS = 10
export const MAX_POINTS = 5000

export function historyUrl(q: {
  entityId: string
  attr: string
  from: Date | number
  to: Date | number
  maxPoints: number
}): string {
  const points = Math.min(MAX_POINTS, Math.max(MIN_POINTS, Math.round(q.maxPoints) || MIN_POINTS))
  return withQuery(API_PATHS.history, {
    entityId: q.entityId,
    attr: q.attr,
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    maxPoints: points,
  })
}

export function healthUrl(): string {
  return API_PATHS.health
}

/** In-app link to the entity page. The id is encoded so colons and slashes survive the hash. */
export function entityHref(id: string): string {
  return `#/entity/${encodeURIComponent(id)}`
}
