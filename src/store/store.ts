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
import type { InstanceTime, Observation, ObservedValue, TimeRange } from '../core/observation.js'
import type { DeliveryStatus, Subscription } from '../core/subscription.js'

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
  /**
   * The `filter` is exactly the conjunction of `prefilter` for an entity whose prefilter
   * attributes each have one instance with a plain value (a Property's number or string, a
   * Relationship's object): an adapter that can see this may count such an entity as a match
   * without reading it or calling `filter`.
   */
  prefilterCovers?: boolean
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

/** A Core API change of one entity, as history sees it. */
export interface EntityChange {
  kind: 'created' | 'updated' | 'deleted'
  /** After the change (before it, for a deletion). */
  entity: Entity
  previous?: Entity
}

/**
 * What a change leaves in history. A store given one records its events in the same transaction
 * as the write, so an acknowledged write never lacks its history, nor history its write.
 */
export type HistoryOf = (change: EntityChange) => readonly HistoryEvent[]

/**
 * Serializes an entity in the representation most reads ask for. A store given one keeps the text
 * beside the entity, written with it, so a read of an entity not in memory can be answered
 * without parsing and rendering it (see `EntityStore.readSerialized`).
 */
export interface SnapshotSerializer {
  /**
   * Names the serializer's output: text stored under another id is never served (it was written
   * by another version, which may render differently). A safe integer.
   */
  readonly id: number
  serialize(entity: Readonly<Entity>): string
}

/** The stored serialization of an entity (see SnapshotSerializer). */
export interface SerializedEntity {
  readonly serialized: string
}

export interface EntityStore {
  /** A copy the caller may change. */
  get(tenant: string, id: string): Promise<Entity | undefined>
  /**
   * The stored snapshot itself, shared with other readers: never mutate it. A changed entity is a
   * new object, so readers may cache derived data (renderings) against the object.
   */
  read(tenant: string, id: string): Promise<Readonly<Entity> | undefined>
  /**
   * As `read`, except that an entity the store does not hold in memory may come as the text its
   * SnapshotSerializer wrote: a one-off read of a large store then parses and renders nothing.
   * Stores without a serializer leave it out.
   */
  readSerialized?(
    tenant: string,
    id: string,
  ): Promise<Readonly<Entity> | SerializedEntity | undefined>
  /** @throws AppError('AlreadyExists') */
  create(tenant: string, entity: Entity, history?: HistoryOf): Promise<void>
  /**
   * Atomically read, change and write one entity. `change` returns the new entity, or undefined
   * to leave it as it is. @throws AppError('ResourceNotFound') when absent.
   */
  update(
    tenant: string,
    id: string,
    change: (current: Entity) => Entity | undefined,
    history?: HistoryOf,
  ): Promise<Entity>
  delete(tenant: string, id: string, history?: HistoryOf): Promise<Entity | undefined>
  /** Entities in the page are shared snapshots, as from `read`: never mutate them. */
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
  /**
   * The time that `range`, the order, lastN and the limit apply to; observedAt when absent.
   * Instances without that time (stored before system times were kept) never match.
   */
  timeproperty?: InstanceTime
  /** The last N instances per attribute (newest N, returned oldest first). */
  lastN?: number
  /** Cap on instances per attribute. */
  limit: number
}

/** NGSI-LD aggregation methods (GS CIM 009 §4.5.19). */
export type AggrMethod =
  'totalCount' | 'distinctCount' | 'sum' | 'avg' | 'min' | 'max' | 'stddev' | 'sumsq'

export interface TemporalAggregateQuery {
  entityId: string
  /** Expanded attribute IRIs; all when absent. */
  attrs?: readonly string[]
  range: TimeRange
  methods: readonly AggrMethod[]
  /** Period length in ms; 0 means one period over the whole range (unless periodMonths). */
  periodMs: number
  /** Calendar periods of this many months (UTC), e.g. 1 for P1M, 12 for P1Y; periodMs is 0. */
  periodMonths?: number
  /** Where periods start; default `range.from`, else the attribute's earliest instance. */
  origin?: number
}

export interface AggregatePeriod {
  start: number
  end: number
  /** Per method; null when the period has no value for it (e.g. sum of strings). */
  values: Partial<Record<AggrMethod, number | string | null>>
}

/**
 * One method's value per period: a Float64Array (NaN where the period has no value) when every
 * value is a number, as rollups answer; an array when some are strings (text min/max).
 */
export type AggregateColumn = Float64Array | readonly (number | string | null)[]

/**
 * The non-empty periods of one attribute, oldest first, as columns: period i is
 * [start[i], end[i]) with values[m][i]. Columns, not an object per period, because a year of
 * hourly periods is 8,760 of them and building objects was a third of the query time; read them
 * with aggregateValue / aggregatePeriods (aggregate-series.ts).
 */
export interface AggregateSeries {
  length: number
  start: Float64Array
  end: Float64Array
  values: Partial<Record<AggrMethod, AggregateColumn>>
  /** What answered: raw points, or the rollup resolution in ms. */
  source: 'raw' | number
  unitCode?: string
}

/** A selection of history read in batches, for export. */
export interface TemporalScan {
  entityIds: readonly string[]
  attrs?: readonly string[]
  range: TimeRange
  /** The time `range` applies to, as in TemporalQuery; batches are ordered by it. */
  timeproperty?: InstanceTime
}

export interface TemporalStore {
  /**
   * Observations per attribute, ordered by the query's timeproperty ascending, each with the
   * createdAt and modifiedAt the store keeps (absent on instances stored before they were kept).
   */
  query(tenant: string, q: TemporalQuery): Promise<Map<string, Observation[]>>
  /**
   * Aggregates per attribute over periods, from the coarsest rollup that answers exactly, else
   * from raw points; results are the same either way (up to floating-point summation order).
   */
  aggregate(tenant: string, q: TemporalAggregateQuery): Promise<Map<string, AggregateSeries>>
  /**
   * The selection in batches (per series, oldest first), decoded one stored chunk at a time so
   * a large export never sits in memory whole.
   */
  scan(tenant: string, q: TemporalScan): AsyncIterable<Observation[]>
  deleteEntity(tenant: string, entityId: string): Promise<void>
  /**
   * Adds observations to history as ingest does (the tenant is created if needed); durable when
   * the promise resolves; createdAt is the time of the write (any given is ignored). For the
   * temporal write API (§5.6.11, §5.6.12).
   */
  append(tenant: string, observations: readonly Observation[]): Promise<void>
  /**
   * Removes the history of one attribute of an entity: the instances without datasetId, those of
   * `datasetId`, or every datasetId with `all`. False when there was none (§5.6.13).
   */
  deleteAttribute(
    tenant: string,
    entityId: string,
    attr: string,
    which: { datasetId?: string; all?: boolean },
  ): Promise<boolean>
  /**
   * Edits single instances of an entity's history, in order: each replaces the value of one
   * instance (its modifiedAt becomes the time of the edit), or removes it when `value` is
   * absent. Aggregates stay exact. One result per edit:
   * false when there was no such instance (§5.6.14, §5.6.15, and restated instances of §5.6.11).
   */
  editInstances(
    tenant: string,
    entityId: string,
    edits: readonly InstanceEdit[],
  ): Promise<boolean[]>
  /**
   * Records history events (see HistoryEvent); durable when the promise resolves. `deleteEntity`
   * removes an entity's events with its observations, `deleteAttribute` those of the attribute.
   */
  recordEvents(tenant: string, events: readonly HistoryEvent[]): Promise<void>
  /**
   * The events of the entities named (every entity of the tenant when `entityIds` is absent),
   * narrowed to `attrs`; per entity in the order they were recorded.
   */
  events(tenant: string, q: HistoryEventQuery): Promise<HistoryEvent[]>
}

/**
 * An instance of history that the Core API writes rather than a device measures (§4.5.6, §4.5.7,
 * §4.18): the deletion of an attribute instance or of the Scope (`deletedAt`; the value is the
 * NGSI-LD Null of the attribute's kind, `[]` for the Scope), or a new Scope value. Rare, so the
 * adapters keep them apart from the compressed observations and ingest never pays for them.
 */
export interface HistoryEvent {
  entityId: string
  /** Expanded attribute IRI; `IRI.scope` for the entity's Scope. */
  attr: string
  datasetId?: string
  /** The attribute's type when it happened (a deleted attribute is gone from the entity). */
  kind: AttributeType
  value: ObservedValue
  /** Epoch ms; absent on a deletion. */
  observedAt?: number
  /** Epoch ms when the instance was recorded; absent on deletions and Scope changes. */
  createdAt?: number
  /** Epoch ms of the change. */
  modifiedAt: number
  /** Epoch ms; present on a deletion only. */
  deletedAt?: number
}

export interface HistoryEventQuery {
  entityIds?: readonly string[]
  /** Expanded attribute IRIs; all when absent. */
  attrs?: readonly string[]
}

/** One edit of an entity's history: see TemporalStore.editInstances. */
export interface InstanceEdit {
  attr: string
  at: InstanceKey
  value?: { value: ObservedValue }
}

/**
 * Which instance of an attribute's history: the `nth` (0-based, in arrival order) of `datasetId`
 * (none when absent) observed at `observedAt`.
 */
export interface InstanceKey {
  datasetId?: string
  observedAt: number
  nth: number
}

/**
 * How long history is kept for a tenant, optionally narrowed to an entity type and/or an
 * attribute. The most specific matching policy applies to a series (attribute beats type, type
 * beats tenant-wide, an exact tenant beats `*`).
 */
export interface RetentionPolicy {
  id: string
  /** A tenant name or `*` for every tenant. */
  tenant: string
  /** Expanded type IRI; every type when absent. */
  entityType?: string
  /** Expanded attribute IRI; every attribute when absent. */
  attr?: string
  /** Maximum age in ms of raw points and of each rollup resolution; kept forever when absent. */
  keep: { raw?: number; minute?: number; hour?: number; day?: number }
}

/** What one enforcement run removed. */
export interface RetentionRun {
  id: number
  startedAt: string
  finishedAt: string
  /** Series a policy applied to. */
  series: number
  removedPoints: number
  removedBuckets: number
  /** Bytes of stored history freed inside the database file (its pages are reused). */
  bytesFreed: number
}

export interface RetentionStore {
  policies(): Promise<RetentionPolicy[]>
  putPolicy(policy: RetentionPolicy): Promise<void>
  deletePolicy(id: string): Promise<boolean>
  runs(limit: number): Promise<RetentionRun[]>
  /**
   * Removes history older than the policies say, as of `now`, in small slices that yield to the
   * event loop; never touches a point or bucket younger than its policy.
   */
  enforce(now: number): Promise<RetentionRun>
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

export interface StoredSubscription {
  tenant: string
  subscription: Subscription
  delivery: DeliveryStatus
}

/** NGSI-LD subscriptions per tenant, listed in creation order. */
export interface SubscriptionStore {
  /** @throws AppError('AlreadyExists') */
  create(tenant: string, sub: Subscription): Promise<void>
  get(tenant: string, id: string): Promise<StoredSubscription | undefined>
  list(
    tenant: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: StoredSubscription[]; count: number }>
  /** Replaces the document, keeping the delivery status. @throws AppError('ResourceNotFound') */
  replace(tenant: string, sub: Subscription): Promise<void>
  delete(tenant: string, id: string): Promise<boolean>
  /** Every subscription of every tenant (loaded once at start to build the match index). */
  all(): Promise<StoredSubscription[]>
  /** Advisory: a subscription deleted meanwhile is ignored. */
  recordDelivery(tenant: string, id: string, delivery: DeliveryStatus): Promise<void>
}

/** The three kinds of stored @contexts (GS CIM 009 §5.13.1). */
export type StoredContextKind = 'Hosted' | 'Cached' | 'ImplicitlyCreated'

/** One @context in the broker's context storage. */
export interface StoredContext {
  /** Locally unique identifier (a URI path segment). */
  localId: string
  /** The original URL of a Cached context; undefined for Hosted and ImplicitlyCreated ones. */
  url?: string
  kind: StoredContextKind
  createdAt: string
  expiresAt?: string
  lastUsage?: string
  numberOfHits: number
  /** The value of the document's `@context` member. */
  context: unknown
  /**
   * The tenant that added a Hosted context (§4.14: only that tenant sees it); absent for Cached
   * and ImplicitlyCreated contexts, which every tenant sees. A Hosted context stored before
   * contexts had tenants has none and belongs to the default tenant.
   */
  tenant?: string
}

/** Usage counters, written in bulk now and then (never one write per request). */
export interface ContextUsage {
  localId: string
  lastUsage: string
  numberOfHits: number
}

/**
 * Stored @contexts (§5.13), named by URLs; Hosted ones record the tenant that added them.
 *
 * @example
 *   await store.contexts.put({ localId: 'a1', kind: 'Hosted', createdAt, numberOfHits: 0, context: {} })
 *   await store.contexts.findByUrl('https://example.org/ctx.jsonld')
 */
export interface ContextStore {
  get(localId: string): Promise<StoredContext | undefined>
  /** The Cached context downloaded from `url`. */
  findByUrl(url: string): Promise<StoredContext | undefined>
  /** Every stored context, oldest first. */
  list(): Promise<StoredContext[]>
  /** Inserts, or replaces the context with the same localId (a Cached URL names one entry). */
  put(context: StoredContext): Promise<void>
  delete(localId: string): Promise<boolean>
  recordUsage(usage: readonly ContextUsage[]): Promise<void>
}

/** A context source registration or registration subscription, names already expanded. */
export interface RegistrationRecord {
  id: string
  /** The document without id, as the context API validated and expanded it. */
  body: Record<string, unknown>
  createdAt: string
  modifiedAt: string
}

/** One tenant-scoped collection of registration documents. */
export interface RegistrationCollection {
  /** @throws AppError('AlreadyExists') */
  create(tenant: string, record: RegistrationRecord): Promise<void>
  get(tenant: string, id: string): Promise<RegistrationRecord | undefined>
  /**
   * Atomically read, change and write one record. @throws AppError('ResourceNotFound') when
   * absent.
   */
  update(
    tenant: string,
    id: string,
    change: (current: RegistrationRecord) => RegistrationRecord,
  ): Promise<RegistrationRecord>
  delete(tenant: string, id: string): Promise<boolean>
  /** Every record of the tenant, in id order (registrations are few; filtering is the caller's). */
  list(tenant: string): Promise<RegistrationRecord[]>
}

/**
 * Context source registrations (§5.9, §5.10) and registration subscriptions (§5.11).
 *
 * @example
 *   await store.registrations.registrations.create('default', record)
 *   await store.registrations.subscriptions.list('default')
 */
export interface RegistrationStore {
  registrations: RegistrationCollection
  subscriptions: RegistrationCollection
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
  subscriptions: SubscriptionStore
  contexts: ContextStore
  registrations: RegistrationStore
  /**
   * Durably apply a batch of device measurements (latest state + history) in one transaction.
   * Resolves only after the data is on disk (group commit: many messages per call).
   */
  ingest(batches: readonly IngestBatch[]): Promise<PatchResult[]>
  migrate(): Promise<MigrationReport>
  close(): Promise<void>
}
