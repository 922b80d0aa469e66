/**
 * Context source registrations (GS CIM 009 §5.9 Register/Update/Delete, §5.10 Retrieve/Query,
 * HTTP binding §6.8–6.9): stored per tenant with names expanded; queries filter by entities,
 * attributes, q/csf on registration properties, geoquery and temporal query, with pagination.
 * Requests are not forwarded to the registered sources.
 */
import { randomUUID } from 'node:crypto'
import { AppError } from '../../core/errors.js'
import type { RegistrationCollection, RegistrationRecord } from '../../store/store.js'
import { paginationLinks } from '../http/link-header.js'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import type { QueryParams } from '../http/query-params.js'
import {
  REGISTRATION_QUERY_PARAMS,
  matchesRegistration,
  overlapsExclusive,
  parseRegistration,
  parseRegistrationQuery,
  patchRegistration,
  renderRegistration,
} from '../registrations/index.js'
import type { CSourceNotifications } from '../registrations/index.js'
import { isUri } from '../representation/index.js'
import { pageOf } from './entity-selection.js'
import { pathSegment } from './route-helpers.js'
import type { NgsiReply, NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'

const BASE = '/csourceRegistrations'

export function registrationRoutes(deps: RouteDeps): NgsiRoute[] {
  const store = deps.registrations?.registrations
  if (!store) return []
  const registrations: RegistrationCollection = store
  const nowMs = () => Date.parse(deps.now())

  /** An exclusive registration already holding what `body` claims (§4.3.6.3) → Conflict. */
  async function checkConflicts(tenant: string, id: string, body: Record<string, unknown>) {
    if (body['mode'] !== 'exclusive' && body['mode'] !== 'redirect') return
    for (const other of await registrations.list(tenant)) {
      if (other.id !== id && overlapsExclusive(other.body, body)) {
        throw new AppError(
          'Conflict',
          `exclusive registration ${other.id} already covers these entities and attributes`,
        )
      }
    }
    await checkLocalEntities(tenant, body)
  }

  /**
   * §5.9.2.4: a redirect registration may not name an Entity the broker holds, nor an exclusive
   * one an Entity that already has any of its Attributes (both → Conflict).
   */
  async function checkLocalEntities(tenant: string, body: Record<string, unknown>) {
    for (const info of body['information'] as Record<string, unknown>[]) {
      const attrs = [
        ...((info['propertyNames'] as string[] | undefined) ?? []),
        ...((info['relationshipNames'] as string[] | undefined) ?? []),
      ]
      for (const e of (info['entities'] as Record<string, unknown>[] | undefined) ?? []) {
        if (typeof e['id'] !== 'string') continue
        const entity = await deps.entities.get(tenant, e['id'])
        const types = [e['type']].flat() as string[]
        if (!entity || !types.some((t) => entity.types.includes(t))) continue
        const held =
          body['mode'] === 'redirect'
            ? attrs.length === 0 || attrs.some((a) => entity.attrs[a]?.length)
            : attrs.some((a) => entity.attrs[a]?.length)
        if (held)
          throw new AppError(
            'Conflict',
            `entity ${entity.id} already exists here with what this ${String(body['mode'])} registration claims`,
          )
      }
    }
  }

  return [
    {
      method: 'POST',
      url: BASE,
      summary: 'Register context source',
      consumesBody: true,
      params: [],
      tenant: 'create',
      async handle(req) {
        const now = nowMs()
        const parsed = parseRegistration(req.body, req.ctx, now)
        const id = parsed.id ?? `urn:ngsi-ld:ContextSourceRegistration:${randomUUID()}`
        await checkConflicts(req.tenant, id, parsed.body)
        await deps.tenants.ensure(req.tenant)
        const at = new Date(now).toISOString()
        const record = { id, body: parsed.body, createdAt: at, modifiedAt: at }
        await registrations.create(req.tenant, record)
        notifyLater(deps, (n) => n.registrationChanged(req.tenant, undefined, record, req.ctx))
        return {
          status: 201,
          headers: {
            location: `${deps.baseUrl}${deps.prefix}${BASE}/${pathSegment(id)}`,
          },
        }
      },
    },
    {
      method: 'GET',
      url: BASE,
      summary: 'Query context source registrations',
      produces: JSON_RESPONSE_TYPES,
      params: [...REGISTRATION_QUERY_PARAMS, 'limit', 'offset', 'count', 'options'],
      tenant: 'existing',
      async handle(req) {
        const sysAttrs = parseOptions(req.query)
        const query = parseRegistrationQuery(req.query, req.ctx)
        const page = pageOf(req.query, deps.paging)
        const now = nowMs()
        const matches = (await registrations.list(req.tenant)).filter(
          (r) => !isExpired(r, now) && matchesRegistration(r, query, req.ctx),
        )
        return listReply(req, matches, page, (r) => renderRegistration(r, req.ctx, sysAttrs))
      },
    },
    {
      method: 'GET',
      url: `${BASE}/:registrationId`,
      summary: 'Retrieve context source registration',
      produces: JSON_RESPONSE_TYPES,
      params: ['options'],
      tenant: 'existing',
      async handle(req) {
        const sysAttrs = parseOptions(req.query)
        const record = await find(registrations, req)
        return { status: 200, body: renderRegistration(record, req.ctx, sysAttrs) }
      },
    },
    {
      method: 'PATCH',
      url: `${BASE}/:registrationId`,
      summary: 'Update context source registration',
      consumesBody: true,
      params: [],
      tenant: 'existing',
      async handle(req) {
        const current = await find(registrations, req)
        const now = nowMs()
        const body = patchRegistration(current.body, req.body, current.id, req.ctx, now)
        await checkConflicts(req.tenant, current.id, body)
        const updated = await registrations.update(req.tenant, current.id, (r) => ({
          ...r,
          body,
          modifiedAt: new Date(now).toISOString(),
        }))
        notifyLater(deps, (n) => n.registrationChanged(req.tenant, current, updated, req.ctx))
        return { status: 204 }
      },
    },
    {
      method: 'DELETE',
      url: `${BASE}/:registrationId`,
      summary: 'Delete context source registration',
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = idOf(req, 'registrationId')
        const current = await registrations.get(req.tenant, id)
        if (!current || !(await registrations.delete(req.tenant, id)))
          throw new AppError('ResourceNotFound', `context source registration ${id} not found`)
        notifyLater(deps, (n) => n.registrationChanged(req.tenant, current, undefined, req.ctx))
        return { status: 204 }
      },
    },
  ]
}

/** The path id, which must be a URI (BadRequestData otherwise). */
export function idOf(req: NgsiRequest, param: string): string {
  const id: string = req.params[param] ?? ''
  if (!isUri(id)) throw new AppError('BadRequestData', `'${String(id)}' is not a URI`)
  return id
}

async function find(
  collection: RegistrationCollection,
  req: NgsiRequest,
): Promise<RegistrationRecord> {
  const id = idOf(req, 'registrationId')
  const record = await collection.get(req.tenant, id)
  if (!record) throw new AppError('ResourceNotFound', `context source registration ${id} not found`)
  return record
}

function isExpired(r: RegistrationRecord, now: number): boolean {
  const at = r.body['expiresAt']
  return typeof at === 'string' && Date.parse(at) <= now
}

/** `options=sysAttrs` adds createdAt and modifiedAt; other values are not defined here. */
export function parseOptions(query: QueryParams): boolean {
  const options = query['options']
  if (options === undefined) return false
  const list = options.split(',').map((o) => o.trim())
  for (const o of list) {
    if (o !== 'sysAttrs')
      throw new AppError('InvalidRequest', `options: '${o}' is not supported here`)
  }
  return true
}

/** A page of rendered records with NGSILD-Results-Count and prev/next links (§5.5.9). */
export function listReply<T>(
  req: NgsiRequest,
  all: readonly T[],
  page: { limit: number; offset: number; count: boolean },
  render: (item: T) => Record<string, unknown>,
): NgsiReply {
  const items = all.slice(page.offset, page.offset + page.limit)
  const reply: NgsiReply = { status: 200, body: items.map(render) }
  if (page.count) reply.headers = { 'NGSILD-Results-Count': String(all.length) }
  const links = paginationLinks({
    path: req.path,
    rawQuery: req.rawQuery,
    limit: page.limit,
    offset: page.offset,
    hasMore: page.offset + page.limit < all.length,
    mediaType: req.accept,
  })
  if (links.length > 0) reply.links = links
  return reply
}

/** Runs a registration subscription notification off the reply path; failures are logged. */
export function notifyLater(
  deps: RouteDeps,
  run: (n: CSourceNotifications) => Promise<void>,
): void {
  const n = deps.csourceNotifications
  if (!n) return
  run(n).catch((err: unknown) => deps.log.warn({ err }, 'context source notification failed'))
}
