/**
 * Subscriptions (§5.8): create, query, retrieve, update and delete. Payload rules live in
 * context/subscriptions; this file is the HTTP shape (201 + Location, pagination, 204s).
 */
import { randomUUID } from 'node:crypto'
import { AppError } from '../../core/errors.js'
import type { JsonValue, Subscription } from '../../core/subscription.js'
import { paginationLinks } from '../http/link-header.js'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import type { UserContext } from '../jsonld/index.js'
import { isAbsoluteUri, preferredVersion } from '../representation/index.js'
import { parseSubscription, patchSubscription } from '../subscriptions/parse-subscription.js'
import { renderSubscription } from '../subscriptions/render-subscription.js'
import type { SubscriptionService } from '../subscriptions/subscription-service.js'
import { pageOf } from './entity-selection.js'
import { pathSegment } from './route-helpers.js'
import type { NgsiReply, NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'

export function subscriptionRoutes(deps: RouteDeps, subs: SubscriptionService): NgsiRoute[] {
  const now = () => new Date(deps.now())
  const idOf = (req: NgsiRequest): string => {
    const id = req.params['subscriptionId'] ?? ''
    if (!isAbsoluteUri(id))
      throw new AppError('BadRequestData', `the subscription id '${id}' is not a URI`)
    return id
  }
  const find = async (req: NgsiRequest) => {
    const id = idOf(req)
    const found = await subs.get(req.tenant, id)
    if (!found) throw new AppError('ResourceNotFound', `subscription ${id} not found`)
    return found
  }
  const contextOf = (req: NgsiRequest) => req.ctx.userContext as JsonValue | undefined
  /**
   * A subscription whose @context is more than one URL gets it hosted as an ImplicitlyCreated
   * @context (§5.13.1), named by its jsonldContext, unless the client chose a jsonldContext.
   */
  async function withImplicitContext(
    sub: Subscription,
    context: UserContext | undefined,
  ): Promise<Subscription> {
    if (!deps.registry || sub.jsonldContext !== undefined || context === undefined) return sub
    const single =
      typeof context === 'string' ||
      (Array.isArray(context) && context.length === 1 && typeof context[0] === 'string')
    if (single) return sub
    const entry = await deps.registry.addImplicit(context)
    return { ...sub, jsonldContext: entry.URL }
  }

  return [
    {
      method: 'POST',
      url: '/subscriptions',
      summary: 'Create subscription',
      consumesBody: true,
      params: [],
      tenant: 'create',
      async handle(req) {
        const parsed = parseSubscription(req.body, req.ctx, {
          now: now(),
          newId: () => `urn:ngsi-ld:Subscription:${randomUUID()}`,
          context: contextOf(req),
        })
        const sub = await withImplicitContext(parsed, req.ctx.userContext)
        await deps.tenants.ensure(req.tenant)
        await subs.create(req.tenant, sub)
        return {
          status: 201,
          headers: {
            location: `${deps.baseUrl}${deps.prefix}/subscriptions/${pathSegment(sub.id)}`,
          },
        }
      },
    },
    {
      method: 'GET',
      url: '/subscriptions',
      summary: 'Query subscriptions',
      produces: JSON_RESPONSE_TYPES,
      params: ['limit', 'offset', 'count'],
      tenant: 'existing',
      async handle(req) {
        const page = pageOf(req.query, deps.paging)
        const { items, count } = await subs.list(req.tenant, page)
        const at = now()
        const reply: NgsiReply = {
          status: 200,
          body: items.map((s) => renderSubscription(s, req.ctx, at)),
          links: paginationLinks({
            path: req.path,
            rawQuery: req.rawQuery,
            limit: page.limit,
            offset: page.offset,
            hasMore: page.offset + page.limit < count,
            mediaType: req.accept,
          }),
        }
        if (page.count) reply.headers = { 'NGSILD-Results-Count': String(count) }
        return withVersionApplied(req, reply)
      },
    },
    {
      method: 'GET',
      url: '/subscriptions/:subscriptionId',
      summary: 'Retrieve subscription',
      produces: JSON_RESPONSE_TYPES,
      params: [],
      tenant: 'existing',
      async handle(req) {
        const body = renderSubscription(await find(req), req.ctx, now())
        return withVersionApplied(req, { status: 200, body })
      },
    },
    {
      method: 'PATCH',
      url: '/subscriptions/:subscriptionId',
      summary: 'Update subscription',
      consumesBody: true,
      params: [],
      tenant: 'existing',
      async handle(req) {
        const current = await find(req)
        const next = patchSubscription(current.subscription, req.body, req.ctx, {
          now: now(),
          context: contextOf(req),
        })
        await subs.replace(req.tenant, next)
        return { status: 204 }
      },
    },
    {
      method: 'DELETE',
      url: '/subscriptions/:subscriptionId',
      summary: 'Delete subscription',
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = idOf(req)
        if (!(await subs.delete(req.tenant, id)))
          throw new AppError('ResourceNotFound', `subscription ${id} not found`)
        return { status: 204 }
      },
    },
  ]
}

/**
 * `Prefer: ngsi-ld=<version>` (§6.3.6, §4.3.6.8): the fallbacks of the earlier version apply to
 * Entity data only, so a Subscription reads the same in every version and answers 200 unaltered;
 * the header still tells the client its preference was taken into account.
 */
function withVersionApplied(req: NgsiRequest, reply: NgsiReply): NgsiReply {
  const version = preferredVersion(req.prefer)
  if (version === undefined) return reply
  return { ...reply, headers: { ...reply.headers, 'Preference-Applied': `ngsi-ld=${version}` } }
}

/** The id as a path segment: readable (clients look for the raw id) but never breaking the URL. */
