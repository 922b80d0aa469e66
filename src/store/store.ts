/**
 * Storage ports: what the rest of Civitas may ask of storage. Every call names its tenant.
 * Adapters (sqlite/, memory/, later postgres/) implement these and pass store.contract.ts.
 *
 * @example
 *   const store = await openSqliteStore({ file: 'data/civitas.db' })
 *   await store.entities.create('default', entity)
 */
import type { Device } from '../core/device.js'
import type { AttributeInstance, AttributeType, Entity, GeoJsonGeometry } from '../core/ngsi.js'
import type { Observation, TimeRange } from '../core/observation.js'

/** Geo filter already parsed and validated; distances in metres, coordinates lon,lat. */
export type GeoFilter =
  | {
      georel: 'near'
      geometry: GeoJsonGeometry
      maxDistance?: number
      minDistance?: number
      geoproperty: string
    }
  | {
      georel: 'within' | 'contains' | 'intersects' | 'equals' | 'disjoint' | 'overlaps'
      geometry: GeoJsonGeometry
      geoproperty: string
    }

export interface ValuePredicate {
  /** Expanded attribute IRI. */
  attr: string
  op: '==' | '<' | '<=' | '>' | '>='
  value: number | string
}

export interface EntityQuery {
  ids?: readonly string[]
  /** Regular expression source over entity ids. */
  idPattern?: string
  /** Type selection in disjunctive normal form (expanded IRIs): OR of ANDs. */
  types?: readonly (readonly string[])[]
  /** Entity must have at least one of these attributes (expanded IRIs). */
  anyAttrs?: readonly string[]
  /**
   * Geo filter. Adapters may use it only as an index prefilter (bounding boxes), so callers must
   * also check it exactly inside `filter`; adapters must never drop a true match.
   */
  geo?: GeoFilter
  /**
   * Necessary conditions derived from q, for adapters that can test them inside the database
   * (each: some instance of `attr` has a `value` or `object` comparing so). Adapters may use them
   * to skip candidates early or ignore them; `filter` still decides exactly.
   */
  prefilter?: readonly ValuePredicate[]
  /** Exact predicate (q, scopeQ, exact geo) evaluated on candidate entities. */
  filter?: (e: Entity) => boolean
  limit: number
  offset: number
  count: boolean
}

export interface EntityPage {
  entities: Entity[]
  /** Total matches, when asked for. */
  count?: number
}

/** Result of applying one device message: the entity as it is now and what changed. */
export interface EntityPatch {
  entityId: string
  /** Expanded type IRI used when the entity has to be created. */
  entityType: string
  /** Expanded attribute IRI → the new default instance. Applied only if newer than stored. */
  attrs: Record<string, AttributeInstance>
  /** Attributes set only when the entity is created (e.g. the device's location and name). */
  onCreate?: Record<string, AttributeInstance>
}

export interface DeviceActivity {
  deviceId: string
  /** ISO time of the latest message. */
  at: string
  messages: number
  rejected: number
  lastError?: string
}

export interface IngestBatch {
  tenant: string
  patches: readonly EntityPatch[]
  observations: readonly Observation[]
  activity: readonly DeviceActivity[]
}

/** What one applied patch did to its entity. */
export interface PatchResult {
  tenant: string
  kind: 'created' | 'updated'
  /** Expanded names of attributes whose latest value changed. */
  changed: string[]
  entity: Entity
  previous?: Entity
}

export interface EntityStore {
  get(tenant: string, id: string): Promise<Entity | undefined>
  /** @throws AppError('AlreadyExists') */
  create(tenant: string, entity: Entity): Promise<void>
  /**
   * Atomically read, change and write one entity. `change` returns the new entity, or undefined
   * to leave it as it is. @throws AppError('ResourceNotFound') when absent.
   */
  update(
    tenant: string,
    id: string,
    change: (current: Entity) => Entity | undefined,
  ): Promise<Entity>
  delete(tenant: string, id: string): Promise<Entity | undefined>
  query(tenant: string, query: EntityQuery): Promise<EntityPage>
  /** Expanded type IRIs present in the tenant. */
  types(tenant: string): Promise<string[]>
  /**
   * Per entity type: how many entities it has and which attributes they hold (for the discovery
   * endpoints /types and /attributes). `types` narrows it to those types.
   */
  typeSummaries(tenant: string, types?: readonly string[]): Promise<TypeSummary[]>
  /** Every attribute of the tenant's entities with its instance count and kinds, by name. */
  attributeSummaries(tenant: string): Promise<AttributeSummary[]>
}

/** What the entities of one type hold, ordered by type; attributes by name. */
export interface TypeSummary {
  /** Expanded type IRI. */
  type: string
  entities: number
  attrs: AttributeSummary[]
}

export interface AttributeSummary {
  /** Expanded attribute IRI. */
  attr: string
  /** Attribute instances (all datasetIds) across the type's entities. */
  instances: number
  /** Kinds seen, sorted. */
  kinds: AttributeType[]
}

export interface TemporalQuery {
  entityId: string
  /** Expanded attribute IRIs; all when absent. */
  attrs?: readonly string[]
  range: TimeRange
  /** The last N instances per attribute (newest N, returned oldest first). */
  lastN?: number
  /** Cap on instances per attribute. */
  limit: number
}

export interface TemporalStore {
  /** Observations per attribute, ordered by observedAt ascending. */
  query(tenant: string, q: TemporalQuery): Promise<Map<string, Observation[]>>
  deleteEntity(tenant: string, entityId: string): Promise<void>
}

export interface DeviceStore {
  /** @throws AppError('AlreadyExists') */
  add(device: Device): Promise<void>
  addMany(devices: readonly Device[]): Promise<void>
  get(tenant: string, id: string): Promise<Device | undefined>
  list(tenant: string, opts: { limit: number; offset: number }): Promise<Device[]>
  count(tenant: string): Promise<number>
  setSecretHash(tenant: string, id: string, secretHash: string): Promise<void>
  delete(tenant: string, id: string): Promise<boolean>
  /** Counters are advisory: written in the ingest transaction, never blocking it. */
  recordActivity(
    tenant: string,
    id: string,
    activity: { at: string; messages: number; rejected: number; lastError?: string },
  ): Promise<void>
}

export interface TenantStore {
  list(): Promise<string[]>
  exists(tenant: string): Promise<boolean>
  ensure(tenant: string): Promise<void>
}

export interface MigrationReport {
  applied: string[]
  current: number
}

export interface Store {
  entities: EntityStore
  temporal: TemporalStore
  devices: DeviceStore
  tenants: TenantStore
  /**
   * Durably apply a batch of device measurements (latest state + history) in one transaction.
   * Resolves only after the data is on disk (group commit: many messages per call).
   */
  ingest(batches: readonly IngestBatch[]): Promise<PatchResult[]>
  migrate(): Promise<MigrationReport>
  close(): Promise<void>
}
