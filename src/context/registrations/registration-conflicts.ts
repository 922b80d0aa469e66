/**
 * Proxied registrations may not overlap (§4.3.6.3): once an exclusive registration covers some
 * attributes of an entity, no further exclusive or redirect registration may cover the same entity
 * id and attribute.
 *
 * @example
 *   if (existing.some((r) => overlapsExclusive(r.body, candidate))) throw new AppError('Conflict', …)
 */
import type { Json } from './registration-members.js'

interface Claim {
  id: string
  type: string[]
  attrs: string[]
}

/** Whether `candidate` (exclusive or redirect) covers an entity id + attribute `exclusive` holds. */
export function overlapsExclusive(exclusive: Json, candidate: Json): boolean {
  if (exclusive['mode'] !== 'exclusive') return false
  if (candidate['mode'] !== 'exclusive' && candidate['mode'] !== 'redirect') return false
  const claims = claimsOf(exclusive)
  return infos(candidate).some((info) => {
    const attrs = attrsOf(info)
    const entities = (info['entities'] as Json[] | undefined) ?? [undefined]
    return entities.some((e) =>
      claims.some(
        (c) => coversEntity(e, c) && (attrs.length === 0 || attrs.some((a) => c.attrs.includes(a))),
      ),
    )
  })
}

function coversEntity(e: Json | undefined, c: Claim): boolean {
  if (e === undefined) return true
  const types = [e['type']].flat() as string[]
  if (!types.some((t) => c.type.includes(t))) return false
  if (typeof e['id'] === 'string') return e['id'] === c.id
  if (typeof e['idPattern'] === 'string') return new RegExp(e['idPattern']).test(c.id)
  return true
}

function claimsOf(exclusive: Json): Claim[] {
  return infos(exclusive).flatMap((info) =>
    ((info['entities'] as Json[] | undefined) ?? []).map((e) => ({
      id: String(e['id']),
      type: [e['type']].flat() as string[],
      attrs: attrsOf(info),
    })),
  )
}

function infos(body: Json): Json[] {
  return (body['information'] as Json[] | undefined) ?? []
}

function attrsOf(info: Json): string[] {
  return [
    ...((info['propertyNames'] as string[] | undefined) ?? []),
    ...((info['relationshipNames'] as string[] | undefined) ?? []),
  ]
}
