/**
 * Context source registration subscriptions (GS CIM 009 §5.11, HTTP binding §6.10–6.11): create,
 * retrieve, query (paged), update and delete. On create and update the matching registrations are
 * notified (csource-notifications.ts).
 */
import { randomUUID } from 'node:crypto'
import { AppError } from '../../core/errors.js'
import type { RegistrationCollection, RegistrationRecord } from '../../store/store.js'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import {
  parseRegistrationSubscription,
  patchRegistrationSubscription,
  renderRegistrationSubscription,
} from '../registrations/index.js'
import { pageOf } from './entity-selection.js'
import type { NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'
import { pathSegment } from './route-helpers.js'
import { idOf, listReply, notifyLater, parseOptions } from './registration-routes.js'

const BASE = '/csourceSubscriptions'

export function registrationSubscriptionRoutes(deps: RouteDeps): NgsiRoute[] {
  const store = deps.registrations?.subscriptions
  if (!store) return []
  const subscriptions: RegistrationCollection = store
  const nowMs = () => Date.parse(deps.now())
  const deliveryOf = (tenant: string, id: string) => deps.csourceNotifications?.delivery(tenant, id)

  async function find(req: NgsiRequest): Promise<RegistrationRecord> {
    const id = idOf(req, 'subscriptionId')
    const record = await subscriptions.get(req.tenant, id)
    if (!record) throw new AppError('ResourceNotFound', `registration subscription ${id} not found`)
    return record
  }

  return [
    {
      method: 'POST',
      url: BASE,
      summary: 'Create context source registration subscription',
      consumesBody: true,
      params: [],
      tenant: 'create',
      async handle(req) {
        const now = nowMs()
        const parsed = parseRegistrationSubscription(req.body, req.ctx, now)
        const id = parsed.id ?? `urn:ngsi-ld:Subscription:${randomUUID()}`
        await deps.tenants.ensure(req.tenant)
        const at = new Date(now).toISOString()
        const record = { id, body: parsed.body, createdAt: at, modifiedAt: at }
        await subscriptions.create(req.tenant, record)
        notifyLater(deps, (n) => n.subscribed(req.tenant, record, req.ctx))
        return {
          status: 201,
          headers: { location: `${deps.baseUrl}${deps.prefix}${BASE}/${pathSegment(id)}` },
        }
      },
    },
    {
      method: 'GET',
      url: BASE,
      summary: 'Query context source registration subscriptions',
      produces: JSON_RESPONSE_TYPES,
      params: ['limit', 'offset', 'count', 'options'],
      tenant: 'existing',
      async handle(req) {
        const sysAttrs = parseOptions(req.query)
        const page = pageOf(req.query, deps.paging)
        const now = nowMs()
        const all = await subscriptions.list(req.tenant)
        return listReply(req, all, page, (r) =>
          renderRegistrationSubscription(r, req.ctx, now, sysAttrs, deliveryOf(req.tenant, r.id)),
        )
      },
    },
    {
      method: 'GET',
      url: `${BASE}/:subscriptionId`,
      summary: 'Retrieve context source registration subscription',
      produces: JSON_RESPONSE_TYPES,
      params: ['options'],
      tenant: 'existing',
      async handle(req) {
        const sysAttrs = parseOptions(req.query)
        const record = await find(req)
        return {
          status: 200,
          body: renderRegistrationSubscription(
            record,
            req.ctx,
            nowMs(),
            sysAttrs,
            deliveryOf(req.tenant, record.id),
          ),
        }
      },
    },
    {
      method: 'PATCH',
      url: `${BASE}/:subscriptionId`,
      summary: 'Update context source registration subscription',
      consumesBody: true,
      params: [],
      tenant: 'existing',
      async handle(req) {
        const current = await find(req)
        const now = nowMs()
        const body = patchRegistrationSubscription(current.body, req.body, current.id, req.ctx, now)
        const updated = await subscriptions.update(req.tenant, current.id, (r) => ({
          ...r,
          body,
          modifiedAt: new Date(now).toISOString(),
        }))
        notifyLater(deps, (n) => n.subscribed(req.tenant, updated, req.ctx))
        return { status: 204 }
      },
    },
    {
      method: 'DELETE',
      url: `${BASE}/:subscriptionId`,
      summary: 'Delete context source registration subscription',
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = idOf(req, 'subscriptionId')
        if (!(await subscriptions.delete(req.tenant, id)))
          throw new AppError('ResourceNotFound', `registration subscription ${id} not found`)
        deps.csourceNotifications?.forget(req.tenant, id)
        return { status: 204 }
      },
    },
  ]
}
