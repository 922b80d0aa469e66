/**
 * Where a request's @context comes from (§6.3.5): the Link header for application/json (and
 * merge-patch, and bodiless requests), the `@context` member for application/ld+json. Mixing the
 * two is BadRequestData.
 *
 * @example
 *   const { userContext, body } = readRequestContext({ contentType, linkHeader, body: request.body })
 */
import { AppError } from '../../core/errors.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import type { UserContext } from '../jsonld/index.js'
import { parseContextLink } from './link-header.js'
import { JSON_LD_TYPE } from './media-types.js'

export interface RequestContextInput {
  /** Media type essence of Content-Type, when the request has a body. */
  contentType: string | undefined
  linkHeader: string | undefined
  body: unknown
}

export interface RequestContext {
  userContext: UserContext | undefined
  /** The body without its `@context` member. */
  body: unknown
}

export function readRequestContext(input: RequestContextInput): RequestContext {
  const { body } = input
  if (input.contentType === JSON_LD_TYPE && body !== undefined) {
    if (input.linkHeader !== undefined && parseContextLink(input.linkHeader) !== undefined) {
      throw new AppError(
        'BadRequestData',
        'application/ld+json requests carry @context in the body, not in a Link header',
      )
    }
    if (!isJsonObject(body)) return { userContext: undefined, body }
    if (!('@context' in body))
      throw new AppError(
        'BadRequestData',
        'an application/ld+json body must have an @context member',
      )
    const { '@context': userContext, ...rest } = body
    return { userContext: checkUserContext(userContext), body: rest }
  }
  if (isJsonObject(body) && '@context' in body) {
    throw new AppError(
      'BadRequestData',
      'an application/json body must not have @context: send it in a Link header',
    )
  }
  return { userContext: parseContextLink(input.linkHeader), body }
}

function checkUserContext(ctx: unknown): UserContext {
  const ok = (item: unknown): item is string | JsonObject =>
    typeof item === 'string' || isJsonObject(item)
  if (ok(ctx)) return ctx
  const items: unknown[] = Array.isArray(ctx) ? ctx : []
  if (items.length > 0 && items.every(ok)) return items
  throw new AppError(
    'BadRequestData',
    '@context must be a URL, an object, or a non-empty array of them',
  )
}
