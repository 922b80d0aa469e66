/**
 * Turns NgsiRoutes into Fastify routes with the shared HTTP rules of GS CIM 009 §6.3: Content-Type
 * (415) and Accept (406) decided before the body is parsed or anything looked up, trailing-slash
 * twins, 405 with Allow for methods a path lacks, unknown URL parameters, tenant, @context.
 *
 * @example
 *   registerNgsiRoutes(app, [...entityRoutes(deps), ...typeRoutes(deps)], deps)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify'
import { AppError } from '../../core/errors.js'
import { DEFAULT_TENANT } from '../../core/ngsi.js'
import {
  JSON_LD_TYPE,
  JSON_TYPE,
  MERGE_PATCH_TYPE,
  mediaTypeOf,
  negotiate,
  type ResponseMediaType,
} from '../http/media-types.js'
import { readQueryParams } from '../http/query-params.js'
import { readRequestContext } from '../http/request-context.js'
import { TENANT_HEADER, readTenant, requireTenant } from '../http/tenant.js'
import type { HttpMethod, NgsiRoute, RouteDeps } from './ngsi-route.js'
import { sendReply } from './send-reply.js'

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** Route schemas document the API (OpenAPI); NGSI-LD errors come from our own checks, not Ajv. */
const documentationOnly = () => () => true
/** Trailing-slash twins and 405 answers stay out of the OpenAPI document (@fastify/swagger `hide`). */
const HIDDEN = { hide: true } as FastifySchema

export function registerNgsiRoutes(
  app: FastifyInstance,
  routes: readonly NgsiRoute[],
  deps: RouteDeps,
): void {
  const slashTwins = !ignoresTrailingSlash(app)
  for (const route of routes) {
    for (const url of slashTwins ? [route.url, `${route.url}/`] : [route.url]) {
      app.route({
        method: route.method,
        url,
        schema: url === route.url ? schemaOf(route) : HIDDEN,
        validatorCompiler: documentationOnly,
        // Content-Type is refused before the body is read; Accept alone is checked first thing in
        // the handler, so bodiless routes pay for no hook.
        ...(route.consumesBody && {
          onRequest: (request: FastifyRequest, _reply: FastifyReply, done: (e?: Error) => void) => {
            try {
              checkMediaTypes(route, request)
              done()
            } catch (err) {
              done(err as Error)
            }
          },
        }),
        handler: (request, reply) => handle(route, deps, request, reply),
      })
    }
  }
  registerMethodNotAllowed(app, routes, slashTwins)
}

async function handle(
  route: NgsiRoute,
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const accept = route.produces ? acceptedType(route.produces, request) : JSON_TYPE
  const params = pathParams(request.params)
  const query = readQueryParams(request.query, route.params)
  const tenant = readTenant(request.headers[TENANT_HEADER])
  // The default tenant always exists: no store call and no await for it.
  if (route.tenant === 'existing' && tenant !== DEFAULT_TENANT)
    await requireTenant(deps.tenants, tenant)
  const contentType = route.consumesBody ? mediaTypeOf(request.headers['content-type']) : undefined
  const { userContext, body } = readRequestContext({
    contentType,
    linkHeader: headerValue(request.headers.link),
    body: route.consumesBody && !route.bodyIsContext ? request.body : undefined,
  })
  const ctx =
    deps.contexts.builtContext(userContext) ?? (await deps.contexts.activeContext(userContext))
  const queryAt = request.url.indexOf('?')
  const path = withoutTrailingSlashes(queryAt < 0 ? request.url : request.url.slice(0, queryAt))
  const rawQuery = queryAt < 0 ? '' : request.url.slice(queryAt + 1)
  const out = await route.handle({
    tenant,
    params,
    query,
    rawQuery,
    path,
    body: route.bodyIsContext ? request.body : body,
    ctx,
    accept,
    contentType,
    prefer: headerValue(request.headers.prefer),
    entityMap: headerValue(request.headers['ngsild-entitymap']),
  })
  sendReply(reply, out, accept, ctx.userContext, headerValue(request.headers.prefer))
  return reply
}

function withoutTrailingSlashes(path: string): string {
  return path.endsWith('/') ? path.replace(/\/+$/, '') : path
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

function checkMediaTypes(route: NgsiRoute, request: FastifyRequest): void {
  if (route.consumesBody) {
    const type = mediaTypeOf(request.headers['content-type'])
    const length = request.headers['content-length']
    // §6.3.2/§6.3.4: POST, PATCH and PUT must define Content-Length (chunked bodies included).
    if (length === undefined && request.headers['transfer-encoding'] !== undefined) {
      throw new AppError('LengthRequired', 'the request does not define Content-Length')
    }
    const hasBody =
      (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
    const allowed =
      route.method === 'PATCH'
        ? [JSON_TYPE, JSON_LD_TYPE, MERGE_PATCH_TYPE]
        : [JSON_TYPE, JSON_LD_TYPE]
    if ((type === undefined && hasBody) || (type !== undefined && !allowed.includes(type))) {
      throw new AppError(
        'UnsupportedMediaType',
        `Content-Type must be one of ${allowed.join(', ')}`,
      )
    }
  }
  if (route.produces) acceptedType(route.produces, request)
}

function acceptedType(
  produces: readonly ResponseMediaType[],
  request: FastifyRequest,
): ResponseMediaType {
  const type = negotiate(request.headers.accept, produces)
  if (!type)
    throw new AppError('NotAcceptable', `this operation can answer with ${produces.join(', ')}`)
  return type
}

/** Path ids arrive percent-decoded once (by the router); an empty segment is BadRequestData. */
function pathParams(raw: unknown): Record<string, string> {
  const params = { ...(raw as Record<string, string> | undefined) }
  for (const [name, value] of Object.entries(params)) {
    if (value === '') throw new AppError('BadRequestData', `the path parameter ${name} is empty`)
  }
  return params
}

function schemaOf(route: NgsiRoute): FastifySchema {
  const pathNames = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!)
  const strings = (names: readonly string[]) =>
    Object.fromEntries(names.map((n) => [n, { type: 'string' }]))
  const schema: FastifySchema & { summary: string; tags: string[] } = {
    summary: route.summary,
    tags: ['NGSI-LD'],
    querystring: { type: 'object', properties: strings(route.params), additionalProperties: false },
  }
  if (pathNames.length > 0) {
    schema.params = { type: 'object', properties: strings(pathNames), required: pathNames }
  }
  return schema
}

/**
 * 405 + Allow for methods a path does not define (§6.3.2). A collection path asked with a trailing
 * slash for a method its `/:entityId` child defines is that operation with an empty id:
 * BadRequestData (e.g. `DELETE entities/`); elsewhere 405 (`DELETE entities/{id}/attrs/`, and
 * `DELETE temporal/entities/`, which the suite's 009_02_01 expects as 405). Decided
 * per request, so it holds whether or not the router ignores trailing slashes.
 */
function registerMethodNotAllowed(
  app: FastifyInstance,
  routes: readonly NgsiRoute[],
  slashTwins: boolean,
): void {
  const byUrl = new Map<string, Set<HttpMethod>>()
  for (const r of routes)
    byUrl.set(r.url, (byUrl.get(r.url) ?? new Set<HttpMethod>()).add(r.method))
  for (const [url, defined] of byUrl) {
    const allow = METHODS.filter((m) => defined.has(m))
    const missing = METHODS.filter((m) => !defined.has(m))
    if (missing.length === 0) continue
    const childMethods = [...byUrl]
      .filter(([u]) => isChildWithParam(url, u))
      .flatMap(([, ms]) => [...ms])
    const handler = (request: FastifyRequest): never => {
      const path = request.url.split('?')[0] ?? ''
      if (
        path.endsWith('/') &&
        !url.startsWith('/temporal/') &&
        childMethods.includes(request.method as HttpMethod)
      ) {
        throw new AppError('BadRequestData', `the id in ${url}/{id} is empty`)
      }
      throw new AppError('MethodNotAllowed', `${readable(url)} supports ${allow.join(', ')}`, {
        allow,
      })
    }
    for (const u of slashTwins ? [url, `${url}/`] : [url]) {
      app.route({ method: missing, url: u, schema: HIDDEN, handler })
    }
  }
}

/** `/entities/:entityId` under `/entities` (and `/jsonldContexts/:contextId`, §5.13.5): an empty id is a bad id. */
function isChildWithParam(parent: string, url: string): boolean {
  return url === `${parent}/:entityId` || url === `${parent}/:contextId`
}

function readable(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, '{$1}')
}

function ignoresTrailingSlash(app: FastifyInstance): boolean {
  const config = app.initialConfig as {
    ignoreTrailingSlash?: boolean
    routerOptions?: { ignoreTrailingSlash?: boolean }
  }
  return config.ignoreTrailingSlash === true || config.routerOptions?.ignoreTrailingSlash === true
}
