/**
 * EntityMaps (GS CIM 009 V1.9.1 §5.2.39, §5.5.14, §5.14): the record of which entities a query
 * matched, so that later pages of it (and retrievals that name the map) consider exactly those
 * entities. Civitas answers from its own store only (registrations are not forwarded to), so
 * every entity of a map is held locally ("@none") and linkedMaps stays empty.
 *
 * Maps are transient by design (they expire), so they live in memory per tenant, bounded in
 * number and size; a restart forgets them, which §5.5.14 covers: an unknown map is recreated.
 *
 * @example
 *   const maps = createEntityMapRegistry({ clock: () => new Date() })
 *   const map = maps.create('default', ['urn:ngsi-ld:Vehicle:1'])
 *   maps.get('default', map.id)?.entityMap // { 'urn:ngsi-ld:Vehicle:1': ['@none'] }
 */
import { randomUUID } from 'node:crypto'
import { AppError } from '../../core/errors.js'
import { isDateTime } from '../representation/values.js'

/** The EntityMap data type (§5.2.39). */
export interface EntityMap {
  id: string
  type: 'EntityMap'
  expiresAt: string
  /** Entity id → the registrations it comes from; "@none" = held locally. */
  entityMap: Record<string, string[]>
  /** Registration id → the EntityMap that source used (none: nothing is forwarded). */
  linkedMaps: Record<string, string>
}

export interface EntityMapRegistry {
  /** A new map of `ids` (all local), living `lifetimeMs` (clamped) or the default lifetime. */
  create(tenant: string, ids: readonly string[], lifetimeMs?: number): EntityMap
  /** The live map, or undefined when unknown or expired (an expired map is dropped). */
  get(tenant: string, id: string): EntityMap | undefined
  /**
   * Update EntityMap (§5.14.2): only expiresAt may change (§5.5.14: other components may only
   * extend the expiry); output-only members are ignored. @throws ResourceNotFound, BadRequestData
   */
  update(tenant: string, id: string, fragment: Record<string, unknown>): void
  /** @throws ResourceNotFound when unknown or expired. */
  delete(tenant: string, id: string): void
}

export interface EntityMapRegistryOptions {
  clock?: () => Date
  newId?: () => string
  /** Lifetime when the request suggests none (default one hour). */
  defaultLifetimeMs?: number
  /** Longest lifetime a request or an update may ask for (default one day). */
  maxLifetimeMs?: number
  /** Live maps kept per tenant; beyond it the one expiring first is dropped (default 1000). */
  maxMapsPerTenant?: number
  /** Most entities one map may hold (default 10 000): beyond it TooComplexQuery. */
  maxEntities?: number
  /** Most entity ids all live maps of a tenant hold together (default 200 000), as for maxMaps. */
  maxEntitiesPerTenant?: number
}

export const DEFAULT_ENTITY_MAP_LIFETIME_MS = 3_600_000
const DEFAULT_MAX_LIFETIME_MS = 86_400_000
const DEFAULT_MAX_MAPS = 1000
const DEFAULT_MAX_TENANT_ENTITIES = 200_000
export const DEFAULT_MAX_MAP_ENTITIES = 10_000

interface Stored {
  map: EntityMap
  expiresAtMs: number
  size: number
}

export function createEntityMapRegistry(opts: EntityMapRegistryOptions = {}): EntityMapRegistry {
  const clock = opts.clock ?? (() => new Date())
  const newId = opts.newId ?? randomUUID
  const defaultLifetime = opts.defaultLifetimeMs ?? DEFAULT_ENTITY_MAP_LIFETIME_MS
  const maxLifetime = opts.maxLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS
  const maxMaps = opts.maxMapsPerTenant ?? DEFAULT_MAX_MAPS
  const maxEntities = opts.maxEntities ?? DEFAULT_MAX_MAP_ENTITIES
  const maxTenantEntities = Math.max(
    opts.maxEntitiesPerTenant ?? DEFAULT_MAX_TENANT_ENTITIES,
    maxEntities,
  )
  const tenants = new Map<string, Map<string, Stored>>()

  const mapsOf = (tenant: string): Map<string, Stored> => {
    let maps = tenants.get(tenant)
    if (!maps) tenants.set(tenant, (maps = new Map<string, Stored>()))
    return maps
  }
  const live = (tenant: string, id: string): Stored | undefined => {
    const maps = tenants.get(tenant)
    const stored = maps?.get(id)
    if (!stored) return undefined
    if (stored.expiresAtMs <= clock().getTime()) {
      maps?.delete(id)
      return undefined
    }
    return stored
  }
  const clamp = (ms: number) => Math.min(Math.max(ms, 1000), maxLifetime)
  /**
   * Drops expired maps, then the ones expiring first, to make room for one more of `size`
   * entities: memory stays bounded however many maps clients ask for.
   */
  const makeRoom = (maps: Map<string, Stored>, size: number) => {
    const now = clock().getTime()
    for (const [id, s] of maps) if (s.expiresAtMs <= now) maps.delete(id)
    let total = 0
    for (const s of maps.values()) total += s.size
    if (maps.size < maxMaps && total + size <= maxTenantEntities) return
    const byExpiry = [...maps].sort((a, b) => a[1].expiresAtMs - b[1].expiresAtMs)
    for (const [id, s] of byExpiry) {
      if (maps.size < maxMaps && total + size <= maxTenantEntities) break
      maps.delete(id)
      total -= s.size
    }
  }
  const notFound = (id: string) => new AppError('ResourceNotFound', `no EntityMap '${id}'`)

  return {
    create(tenant, ids, lifetimeMs) {
      if (ids.length > maxEntities)
        throw new AppError(
          'TooComplexQuery',
          `more than ${maxEntities} entities match: narrow the query to make an EntityMap`,
        )
      const maps = mapsOf(tenant)
      makeRoom(maps, ids.length)
      const expiresAtMs = clock().getTime() + clamp(lifetimeMs ?? defaultLifetime)
      const map: EntityMap = {
        id: `urn:ngsi-ld:EntityMap:${newId()}`,
        type: 'EntityMap',
        expiresAt: new Date(expiresAtMs).toISOString(),
        entityMap: Object.fromEntries(ids.map((id) => [id, ['@none']])),
        linkedMaps: {},
      }
      maps.set(map.id, { map, expiresAtMs, size: ids.length })
      return structuredClone(map)
    },
    get(tenant, id) {
      const stored = live(tenant, id)
      return stored ? structuredClone(stored.map) : undefined
    },
    update(tenant, id, fragment) {
      const stored = live(tenant, id)
      if (!stored) throw notFound(id)
      const expiresAt = fragment['expiresAt']
      if (expiresAt === undefined) return
      if (!isDateTime(expiresAt))
        throw new AppError('BadRequestData', 'expiresAt must be a UTC DateTime')
      const at = Date.parse(expiresAt)
      const now = clock().getTime()
      if (at <= now) throw new AppError('BadRequestData', 'expiresAt must lie in the future')
      stored.expiresAtMs = now + clamp(at - now)
      stored.map.expiresAt = new Date(stored.expiresAtMs).toISOString()
    },
    delete(tenant, id) {
      if (!live(tenant, id)) throw notFound(id)
      tenants.get(tenant)?.delete(id)
    },
  }
}
