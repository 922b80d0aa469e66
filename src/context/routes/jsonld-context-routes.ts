/**
 * Storing, managing and serving @contexts (GS CIM 009 §5.13, HTTP binding §6.29–6.30): add a
 * Hosted context, list stored contexts (`details`, `kind`), serve one or its metadata, delete one
 * or reload a Cached one. A Hosted context is private to the tenant that added it (§4.14): other
 * tenants, the default one included, neither list, serve nor delete it.
 */
import { AppError } from '../../core/errors.js'
import type { StoredContextKind } from '../../store/store.js'
import { JSON_RESPONSE_TYPES } from '../http/media-types.js'
import { parseBooleanParam } from '../http/query-params.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import type { ContextEntry, UserContext } from '../jsonld/index.js'
import type { NgsiRoute, RouteDeps } from './ngsi-route.js'

const KINDS: readonly StoredContextKind[] = ['Hosted', 'Cached', 'ImplicitlyCreated']

export function jsonldContextRoutes(deps: RouteDeps): NgsiRoute[] {
  const registry = deps.registry
  if (!registry) return []
  const locationOf = (localId: string) =>
    `${deps.baseUrl}${deps.prefix}/jsonldContexts/${encodeURIComponent(localId)}`
  return [
    {
      method: 'POST',
      url: '/jsonldContexts',
      summary: 'Add @context (Hosted)',
      consumesBody: true,
      bodyIsContext: true,
      params: [],
      tenant: 'create',
      async handle(req) {
        const context = contextOf(req.body)
        // The same JSON-LD validation as any request context (§5.5.4): invalid → BadRequestData,
        // unreachable URLs → LdContextNotAvailable; listed URLs become Cached entries.
        await deps.contexts.activeContext(context)
        const entry = await registry.addHosted(context, req.tenant)
        return { status: 201, headers: { location: locationOf(entry.localId) } }
      },
    },
    {
      method: 'GET',
      url: '/jsonldContexts',
      summary: 'List @contexts',
      produces: JSON_RESPONSE_TYPES,
      params: ['details', 'kind'],
      tenant: 'create',
      async handle(req) {
        const details = parseBooleanParam(req.query['details'], 'details') ?? false
        const entries = await registry.list(req.tenant, parseKind(req.query['kind']))
        return {
          status: 200,
          plain: details ? entries.map(detailsOf) : entries.map((e) => e.URL),
        }
      },
    },
    {
      method: 'GET',
      url: '/jsonldContexts/:contextId',
      summary: 'Serve @context',
      produces: JSON_RESPONSE_TYPES,
      params: ['details'],
      tenant: 'create',
      async handle(req) {
        const id = req.params['contextId'] ?? ''
        if (parseBooleanParam(req.query['details'], 'details') === true) {
          const entry = await registry.find(id, req.tenant)
          if (!entry) throw new AppError('ResourceNotFound', `no stored @context '${id}'`)
          const details = detailsOf(entry)
          // A look at the metadata is a use too, counted after the report (suite 053_06, 053_08).
          registry.noteUse?.(id)
          return { status: 200, plain: details }
        }
        return { status: 200, plain: await registry.serve(id, req.tenant) }
      },
    },
    {
      method: 'DELETE',
      url: '/jsonldContexts/:contextId',
      summary: 'Delete or reload @context',
      params: ['reload'],
      tenant: 'create',
      async handle(req) {
        const id = req.params['contextId'] ?? ''
        const reload = parseBooleanParam(req.query['reload'], 'reload') ?? false
        await (reload ? registry.reload(id, req.tenant) : registry.delete(id, req.tenant))
        return { status: 204 }
      },
    },
  ]
}

/** `{"@context": object | array}`; members outside @context are discarded (§5.13.2.3). */
function contextOf(body: unknown): UserContext {
  // A body that is not {"@context": …} at all is an invalid request (suite 050_02); an @context
  // that is not a valid JSON-LD context is bad data (5132_01).
  if (!isJsonObject(body))
    throw new AppError('InvalidRequest', 'the body must be a JSON object with an @context member')
  if (!('@context' in body)) throw new AppError('InvalidRequest', 'the body has no @context member')
  const ctx = body['@context']
  if (isJsonObject(ctx)) return ctx
  if (
    Array.isArray(ctx) &&
    ctx.length > 0 &&
    ctx.every((c) => typeof c === 'string' || isJsonObject(c))
  )
    return ctx
  throw new AppError(
    'BadRequestData',
    '@context must be an object or a non-empty array of URLs and objects',
  )
}

function parseKind(value: string | undefined): StoredContextKind | undefined {
  if (value === undefined) return undefined
  const kind = KINDS.find((k) => k === value)
  if (!kind)
    throw new AppError('BadRequestData', `kind must be one of ${KINDS.join(', ')}, not '${value}'`)
  return kind
}

/** The metadata object of §5.13.3.5. */
function detailsOf(e: ContextEntry): JsonObject {
  const out: JsonObject = {
    URL: e.URL,
    localId: e.localId,
    kind: e.kind,
    createdAt: e.createdAt,
  }
  if (e.expiresAt !== undefined) out['expiresAt'] = e.expiresAt
  if (e.lastUsage !== undefined) out['lastUsage'] = e.lastUsage
  out['numberOfHits'] = e.numberOfHits
  if (e.extraInfo !== undefined) out['extraInfo'] = e.extraInfo
  return out
}
