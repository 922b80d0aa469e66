/**
 * The shape of one NGSI-LD operation, independent of Fastify: what it accepts, what it may
 * answer, and a handler from a checked request to a reply. Route groups export lists of these;
 * register-routes.ts turns them into Fastify routes with the shared HTTP rules.
 *
 * @example
 *   const route: NgsiRoute = { method: 'DELETE', url: '/entities/:entityId', summary: 'Delete entity',
 *     params: [], tenant: 'existing', handle: async (req) => ({ status: 204 }) }
 */
import type { Bus } from '../../bus/bus.js'
import type { Logger } from '../../log/logger.js'
import type {
  EntityStore,
  RegistrationStore,
  TemporalStore,
  TenantStore,
} from '../../store/store.js'
import type { QueryParams } from '../http/query-params.js'
import type { ResponseMediaType } from '../http/media-types.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext, ContextProcessor, ContextRegistry } from '../jsonld/index.js'
import type { EntityMapRegistry } from '../entity-maps/entity-map-registry.js'
import type { CSourceNotifications } from '../registrations/csource-notifications.js'
import type { RenderCache } from '../representation/index.js'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface NgsiRequest {
  tenant: string
  /** Path parameters, percent-decoded once, never empty. */
  params: Readonly<Record<string, string>>
  query: QueryParams
  /** The query string as sent (for pagination links). */
  rawQuery: string
  /** Path of the resource including the API prefix, without a trailing slash. */
  path: string
  /** The parsed body without its `@context`. */
  body: unknown
  ctx: ActiveContext
  /** The negotiated response type, for operations that produce a body. */
  accept: ResponseMediaType
  /** Media type of the body (batch operations read a per-entity `@context` under JSON-LD). */
  contentType?: string | undefined
  /** The Prefer header (RFC 7240), e.g. `ngsi-ld=1.5` (§4.3.6.8). */
  prefer?: string | undefined
  /** The NGSILD-EntityMap header: the EntityMap a consumption request names (§5.5.14). */
  entityMap?: string | undefined
}

export interface NgsiReply {
  status: 200 | 201 | 203 | 204 | 206 | 207
  /** Entity-like payload: the writer adds @context (JSON-LD, GeoJSON) or a Link header (JSON). */
  body?: JsonObject | JsonObject[]
  /**
   * The entity payload already serialized (cached renderings), JSON-LD elements with their
   * @context: sent as it is, with the same headers as `body`.
   */
  json?: string
  /** A payload sent as plain application/json, never compacted nor given a context (207). */
  plain?: unknown
  headers?: Record<string, string>
  /** Pagination links (they replace the context link in the Link header). */
  links?: string[]
}

export interface NgsiRoute {
  method: HttpMethod
  /** Relative to the API prefix, e.g. `/entities/:entityId`. */
  url: string
  summary: string
  /** Response media types when the operation answers with a body (Accept is negotiated). */
  produces?: readonly ResponseMediaType[]
  /** Whether the request carries a JSON body (Content-Type rules apply). */
  consumesBody?: boolean
  /**
   * The body's `@context` member is the payload itself (POST /jsonldContexts), not the request's
   * context: it is left in the body, and only a Link header sets the request's context.
   */
  bodyIsContext?: boolean
  /** The URL parameters the operation defines; anything else is InvalidRequest. */
  params: readonly string[]
  /** `create` operations may create the tenant; others require it to exist. */
  tenant: 'create' | 'existing'
  handle(req: NgsiRequest): Promise<NgsiReply>
}

export interface PagingConfig {
  maxLimit: number
  defaultLimit: number
}

/** What the route groups share. */
export interface RouteDeps {
  entities: EntityStore
  tenants: TenantStore
  bus: Bus
  contexts: ContextProcessor
  /** Serialized renderings of shared entity snapshots. */
  renders: RenderCache
  log: Logger
  paging: PagingConfig
  /** The API prefix the plugin is mounted under (`/ngsi-ld/v1`). */
  prefix: string
  /** Prepended to Location headers when set (absolute URLs). */
  baseUrl: string
  now: () => string
  /** History, for the temporal API (absent: the temporal routes are not offered). */
  temporal?: TemporalStore
  /** Most instances per attribute in one temporal answer; beyond it 206 + Content-Range. */
  temporalMaxInstances?: number
  /** The @context storage (/jsonldContexts), when the broker has one. */
  registry?: ContextRegistry
  /** Context source registrations and their subscriptions, when the broker keeps them. */
  registrations?: RegistrationStore
  /** Notifications of registration subscriptions, when registrations and a notifier exist. */
  csourceNotifications?: CSourceNotifications
  /** EntityMaps of paginated queries (§5.5.14); without it entityMap=true is not supported. */
  entityMaps?: EntityMapRegistry
  /** Status of LdContextNotAvailable in per-entity batch errors (as the error handler maps it). */
  ldContextNotAvailableStatus?: 503 | 504
}
