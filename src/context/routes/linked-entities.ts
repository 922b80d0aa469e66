/**
 * Linked Entity retrieval (§4.5.23) for entity queries and retrievals: the generic join of
 * representation/join-entities.ts, with linked entities rendered as the request's output asks
 * (format, sysAttrs, lang; the braces of pick/omit, no attrs or datasetId filter).
 *
 * @example
 *   const join = parseJoinParams(req.query)
 *   if (join) body = await joinEntities(roots, join, { read, req, simplified })
 */
import type { Entity } from '../../core/ngsi.js'
import type { JsonObject } from '../jsonld/core-context.js'
import {
  joinEntities as join,
  projectionText,
  type JoinRequest,
} from '../representation/join-entities.js'
import type { NgsiRequest } from './ngsi-route.js'
import { parseEntityOutput, renderOutput } from './route-helpers.js'

export {
  MAX_JOIN_LEVEL,
  parseJoin,
  parseJoinParams,
  type JoinRequest,
} from '../representation/join-entities.js'

export interface RouteJoinDeps {
  read(id: string): Promise<Readonly<Entity> | undefined>
  req: NgsiRequest
  /** Simplified output: an inline linked entity replaces the Relationship's object. */
  simplified: boolean
}

export function joinEntities(
  roots: readonly { entity: Readonly<Entity>; rendered: JsonObject | undefined }[],
  request: JoinRequest,
  deps: RouteJoinDeps,
): Promise<JsonObject[]> {
  const { req } = deps
  return join(roots, request, {
    read: (id) => deps.read(id),
    compactIri: (iri) => req.ctx.compactIri(iri),
    expandTerm: (term) => req.ctx.expandTerm(term),
    simplified: deps.simplified,
    render: (entity, scope) => {
      const output = parseEntityOutput(
        {
          ...req.query,
          attrs: undefined,
          datasetId: undefined,
          pick: scope.pick && projectionText(scope.pick),
          omit: scope.omit && projectionText(scope.omit),
          join: request.join,
        },
        req.ctx,
      )
      return renderOutput(entity, output, req)
    },
  })
}
