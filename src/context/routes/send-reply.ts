/**
 * Writes an NgsiReply (§6.3): exact Content-Type without charset, @context in JSON-LD and
 * GeoJSON bodies (per element in arrays), the context Link header for plain JSON.
 */
import type { FastifyReply } from 'fastify'
import { sendText } from '../http/send-text.js'
import { CORE_CONTEXT_URL } from '../../core/ngsi.js'
import { contextLink } from '../http/link-header.js'
import {
  GEO_JSON_TYPE,
  JSON_LD_TYPE,
  JSON_TYPE,
  type ResponseMediaType,
} from '../http/media-types.js'
import type { JsonObject } from '../jsonld/core-context.js'
import type { UserContext } from '../jsonld/index.js'
import type { NgsiReply } from './ngsi-route.js'

export function sendReply(
  reply: FastifyReply,
  out: NgsiReply,
  accept: ResponseMediaType,
  userContext: UserContext | undefined,
  prefer?: string,
): void {
  reply.code(out.status)
  for (const [name, value] of Object.entries(out.headers ?? {})) reply.header(name, value)
  if (out.plain !== undefined) {
    send(reply, JSON_TYPE, out.plain)
    return
  }
  if (out.body === undefined && out.json === undefined) {
    void reply.send()
    return
  }
  const links = out.links ?? []
  if (out.json !== undefined) {
    // Serialized by the route (cached renderings): JSON-LD elements already carry @context.
    if (accept === JSON_TYPE)
      reply.header(
        'link',
        links.length > 0 ? links.join(', ') : contextLink(contextUrlOf(userContext)),
      )
    else if (links.length > 0) reply.header('link', links.join(', '))
    sendText(reply, accept === JSON_TYPE ? JSON_TYPE : JSON_LD_TYPE, out.json)
    return
  }
  if (accept === JSON_TYPE) {
    // The conformance suite compares the whole Link header with the pagination links.
    reply.header(
      'link',
      links.length > 0 ? links.join(', ') : contextLink(contextUrlOf(userContext)),
    )
    send(reply, JSON_TYPE, out.body)
    return
  }
  if (accept === GEO_JSON_TYPE && prefersJsonBody(prefer)) {
    // §6.3.6: `Prefer: body=json` moves the GeoJSON @context from the body to the Link header.
    reply.header(
      'link',
      links.length > 0 ? links.join(', ') : contextLink(contextUrlOf(userContext)),
    )
    send(reply, GEO_JSON_TYPE, out.body)
    return
  }
  if (links.length > 0) reply.header('link', links.join(', '))
  const context = userContext ?? CORE_CONTEXT_URL
  const body =
    Array.isArray(out.body) && accept === JSON_LD_TYPE
      ? out.body.map((e) => ({ ...e, '@context': context }))
      : { ...(out.body as JsonObject), '@context': context }
  send(reply, accept === GEO_JSON_TYPE ? GEO_JSON_TYPE : JSON_LD_TYPE, body)
}

/** Whether a Prefer header (RFC 7240) asks for `body=json`. */
function prefersJsonBody(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((p) => p.trim().toLowerCase() === 'body=json')
}

function send(reply: FastifyReply, type: string, payload: unknown): void {
  sendText(reply, type, JSON.stringify(payload))
}

/** The Link header can only name one URL: the client's own when it gave one, else the core. */
function contextUrlOf(userContext: UserContext | undefined): string {
  if (typeof userContext === 'string') return userContext
  if (Array.isArray(userContext) && userContext.length === 1 && typeof userContext[0] === 'string')
    return userContext[0]
  return CORE_CONTEXT_URL
}
