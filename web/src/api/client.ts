/**
 * Typed calls to the Civitas API, one function per endpoint the dashboard reads. Each takes an
 * AbortSignal so that leaving a page cancels its requests on a slow link.
 *
 * @example
 *   const { total, items } = await fetchDevices({ limit: 50, offset: 0 }, signal)
 */
import { getJson } from './http.js'
import { fetchAllPages } from './paging.js'
import type { City, DevicePage, DeviceSummary, EntityKV, History } from './types.js'
import { observedTimes } from './entity-events.js'
import {
  cityUrl,
  devicesUrl,
  entitiesUrl,
  entityUrl,
  healthUrl,
  historyUrl,
  normalizedEntityUrl,
} from './urls.js'

/** The city outline rarely changes, so one download per session is enough. */
let cityCache: Promise<City> | undefined

export function fetchCity(): Promise<City> {
  // Not tied to a page's signal: the answer is shared, and a failure clears the cache for a retry.
  cityCache ??= getJson<City>(cityUrl()).catch((err: unknown) => {
    cityCache = undefined
    throw err
  })
  return cityCache
}

export function fetchDevices(
  page: { limit: number; offset: number },
  signal?: AbortSignal,
): Promise<DevicePage> {
  return getJson<DevicePage>(devicesUrl(page), signal)
}

/** Every device, for client-side filtering. Pages through /api/v1/devices until `total`. */
export async function fetchAllDevices(signal?: AbortSignal): Promise<DeviceSummary[]> {
  const limit = 500
  let total = Infinity
  const items = await fetchAllPages<DeviceSummary>(
    async (offset) => {
      if (offset >= total) return []
      const page = await fetchDevices({ limit, offset }, signal)
      total = page.total
      return page.items
    },
    { limit },
  )
  return items
}

export const ENTITY_PAGE_SIZE = 1000

export function fetchAllEntities(
  signal: AbortSignal,
  onPage?: (items: readonly EntityKV[]) => void,
): Promise<EntityKV[]> {
  return fetchAllPages<EntityKV>(
    (offset, limit) => getJson<EntityKV[]>(entitiesUrl({ limit, offset }), signal),
    { limit: ENTITY_PAGE_SIZE, ...(onPage && { onPage: (items) => onPage(items) }) },
  )
}

export function fetchEntity(id: string, signal?: AbortSignal): Promise<EntityKV> {
  return getJson<EntityKV>(entityUrl(id), signal)
}

/** When each attribute of the entity was last observed (see observedTimes). */
export async function fetchObservedTimes(
  id: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  return observedTimes(await getJson<unknown>(normalizedEntityUrl(id), signal))
}

export function fetchHistory(
  q: { entityId: string; attr: string; from: number; to: number; maxPoints: number },
  signal?: AbortSignal,
): Promise<History> {
  return getJson<History>(historyUrl(q), signal)
}

export async function checkHealth(signal?: AbortSignal): Promise<boolean> {
  try {
    const body = await getJson<{ status?: string }>(healthUrl(), signal)
    return body.status === 'ok'
  } catch {
    return false
  }
}
