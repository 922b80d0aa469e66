/**
 * NGSI-LD Subscriptions (GS CIM 009 §5.2.12) as Civitas holds them inside: attribute and type
 * names fully expanded to IRIs, the q text kept as written together with the @context that gives
 * its names a meaning. Rendering back with a request's @context happens only at the API edge.
 *
 * @example
 *   subscriptionStatus(sub, new Date()) // 'active' | 'paused' | 'expired'
 */

export const NOTIFICATION_TRIGGERS = [
  'entityCreated',
  'entityUpdated',
  'entityDeleted',
  'attributeCreated',
  'attributeUpdated',
  'attributeDeleted',
] as const
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number]

/** Without notificationTrigger a subscription fires on these (§5.2.12). */
export const DEFAULT_TRIGGERS: readonly NotificationTrigger[] = [
  'attributeCreated',
  'attributeUpdated',
]

/** A JSON value as stored (the @context a subscription was made with). */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export interface SubscriptionEntitySelector {
  id?: string
  idPattern?: string
  /** Type selection in disjunctive normal form (OR of ANDs), expanded IRIs. */
  types: string[][]
}

export interface KeyValuePair {
  key: string
  value: string
}

export interface NotificationEndpoint {
  uri: string
  accept?: string
  receiverInfo?: KeyValuePair[]
  notifierInfo?: KeyValuePair[]
  /** Milliseconds. */
  timeout?: number
  /** Milliseconds. */
  cooldown?: number
}

export interface NotificationParams {
  /** Expanded attribute names (deprecated form of pick). */
  attributes?: string[]
  /** Expanded attribute names, or the core members id / type / scope. */
  pick?: string[]
  omit?: string[]
  /** As the client wrote it (normalized, concise, keyValues, simplified): echoed verbatim. */
  format?: string
  showChanges?: boolean
  sysAttrs?: boolean
  /** Linked Entity retrieval in notifications (§4.5.23): inline, flat or @none, as given. */
  join?: string
  /** Hops followed by join (default 1). */
  joinLevel?: number
  endpoint: NotificationEndpoint
}

export interface SubscriptionGeoQuery {
  geometry: string
  /** As given: a JSON array or its text. */
  coordinates: JsonValue
  georel: string
  /** Expanded; absent means location. */
  geoproperty?: string
}

export interface Subscription {
  id: string
  subscriptionName?: string
  description?: string
  entities?: SubscriptionEntitySelector[]
  /** Expanded attribute names. */
  watchedAttributes?: string[]
  notificationTrigger?: NotificationTrigger[]
  /** Seconds between periodic notifications. */
  timeInterval?: number
  q?: string
  geoQ?: SubscriptionGeoQuery
  scopeQ?: string
  csf?: string
  lang?: string
  datasetId?: string[]
  isActive?: boolean
  expiresAt?: string
  /** Seconds; at most one notification per window. */
  throttling?: number
  jsonldContext?: string
  /** Attributes whose q values are expanded as IRIs (§4.9): as given, a list text or an array. */
  expandValues?: string | string[]
  /** Attributes whose q trailing paths are plain JSON keys (§4.9): as given. */
  jsonKeys?: string | string[]
  notification: NotificationParams
  /** The @context (as given) that names in q and notifications are read and written with. */
  context?: JsonValue
  createdAt: string
  modifiedAt: string
}

/** What the broker records about deliveries (read-only members of NotificationParams). */
export interface DeliveryStatus {
  timesSent: number
  timesFailed: number
  lastNotification?: string
  lastSuccess?: string
  lastFailure?: string
  status?: 'ok' | 'failed'
}

export type SubscriptionStatus = 'active' | 'paused' | 'expired'

/** §5.2.12: expired once expiresAt has passed, else paused when isActive is false. */
export function subscriptionStatus(sub: Subscription, now: Date): SubscriptionStatus {
  if (sub.expiresAt !== undefined && Date.parse(sub.expiresAt) <= now.getTime()) return 'expired'
  return sub.isActive === false ? 'paused' : 'active'
}

/** One notification ready for a transport: the body and the binding metadata (§7.2). */
export interface NotificationMessage {
  tenant: string
  subscriptionId: string
  endpoint: NotificationEndpoint
  /** The Notification object (§5.3.1). */
  body: { [key: string]: unknown }
  contentType: string
  /** The JSON-LD context Link header value, for application/json and application/geo+json. */
  link?: string
  /** Sent on non-default tenants only. */
  tenantHeader?: string
}

/**
 * The port a transport implements: deliver one message or throw. Errors marked `retry: false`
 * (a refused URL, a bad scheme) are not attempted again.
 *
 * @example
 *   const http: NotificationSender = { schemes: ['http', 'https'], send: (m) => post(m) }
 */
export interface NotificationSender {
  /** URI schemes this sender delivers to. */
  readonly schemes: readonly string[]
  send(message: NotificationMessage, timeoutMs: number): Promise<void>
  close(): Promise<void>
}
