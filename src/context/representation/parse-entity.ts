/**
 * Reads a whole entity (create) or an entity fragment (append / update attributes) from a request
 * payload whose @context has already been taken off and processed.
 *
 * @example
 *   const input = parseEntity({ id: 'urn:ngsi-ld:Room:1', type: 'Room', temp: 21 }, ctx)
 */
import { AppError } from '../../core/errors.js'
import type { AttributeInstance } from '../../core/ngsi.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import { expandAttributeName, expandTypeName } from './names.js'
import { parseAttribute } from './parse-attribute.js'
import { isNullMarker, isScope, isUri, isUtcDateTime } from './values.js'

export interface EntityInput {
  id: string
  types: string[]
  scopes?: string[]
  /** Expanded attribute IRI → instances. */
  attrs: Record<string, AttributeInstance[]>
}

export interface EntityFragment {
  types?: string[]
  /** New scopes; null = delete the entity's scopes (NGSI-LD Null in a PATCH). */
  scopes?: string[] | null
  /** Expanded attribute IRI → instances, possibly NGSI-LD Null markers when allowed. */
  attrs: Record<string, AttributeInstance[]>
}

const ENTITY_EXPIRES_AT = 'https://uri.etsi.org/ngsi-ld/expiresAt'

/** Entity members that are not attributes; system members are ignored on input. */
const IGNORED_MEMBERS = new Set(['createdAt', 'modifiedAt', 'deletedAt'])

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

function requireObject(body: unknown, what: string): JsonObject {
  if (body === undefined)
    throw new AppError('InvalidRequest', `the request has no body; expected ${what}`)
  if (!isJsonObject(body)) throw new AppError('InvalidRequest', `the request body must be ${what}`)
  return body
}

/** A complete entity for Create Entity (§5.6.1). */
export function parseEntity(body: unknown, ctx: ActiveContext): EntityInput {
  const obj = withKeywordAliases(requireObject(body, 'a JSON object (an entity)'))
  const id = obj['id']
  if (id === undefined) throw bad('the entity has no id')
  if (!isUri(id) || isNullMarker(id)) throw bad(`the entity id ${JSON.stringify(id)} is not a URI`)
  if (obj['type'] === undefined) throw bad('the entity has no type')
  const types = parseTypes(obj['type'], ctx)
  const attrs = parseAttributes(obj, ctx, false)
  const input: EntityInput = { id, types, attrs }
  if (obj['scope'] !== undefined) {
    const scopes = parseScopes(obj['scope'], false)
    if (scopes) input.scopes = scopes
  }
  return input
}

/**
 * The body of Append / Update Attributes (§5.6.2, §5.6.3). An `id`, if present, must be the
 * entity's own.
 */
export function parseFragment(
  body: unknown,
  ctx: ActiveContext,
  opts: { entityId: string; allowNull: boolean; allowEmpty?: boolean; nestedNull?: boolean },
): EntityFragment {
  const obj = requireObject(body, 'a JSON object (an entity fragment)')
  if (obj['id'] !== undefined && obj['id'] !== opts.entityId) {
    throw bad(
      `the fragment's id ${JSON.stringify(obj['id'])} is not the entity's id ${opts.entityId}`,
    )
  }
  const fragment: EntityFragment = {
    attrs: parseAttributes(obj, ctx, opts.allowNull, opts.nestedNull === true),
  }
  if (obj['type'] !== undefined) fragment.types = parseTypes(obj['type'], ctx)
  if (obj['scope'] !== undefined) fragment.scopes = parseScopes(obj['scope'], opts.allowNull)
  if (
    opts.allowEmpty !== true &&
    Object.keys(fragment.attrs).length === 0 &&
    !fragment.types &&
    fragment.scopes === undefined
  ) {
    throw bad('the fragment contains no attribute')
  }
  return fragment
}

/** `@id` and `@type` may stand for `id` and `type` in requests (§4.4); responses use the latter. */
function withKeywordAliases(obj: JsonObject): JsonObject {
  if (!('@id' in obj) && !('@type' in obj)) return obj
  const { '@id': atId, '@type': atType, ...rest } = obj
  if ((atId !== undefined && 'id' in rest) || (atType !== undefined && 'type' in rest))
    throw bad('an entity gives both a keyword (@id, @type) and its alias (id, type)')
  if (atId !== undefined) rest['id'] = atId
  if (atType !== undefined) rest['type'] = atType
  return rest
}

function parseTypes(raw: unknown, ctx: ActiveContext): string[] {
  const list = Array.isArray(raw) ? raw : [raw]
  if (list.length === 0) throw bad('the entity type must not be an empty array')
  return [...new Set(list.map((t) => expandTypeName(t, ctx)))]
}

function parseScopes(raw: unknown, allowNull: boolean): string[] | null {
  if (isNullMarker(raw)) {
    if (!allowNull) throw bad('NGSI-LD Null in scope is only allowed in updates (PATCH)')
    return null
  }
  const list = Array.isArray(raw) ? raw : [raw]
  for (const s of list) {
    if (!isScope(s))
      throw bad(`invalid scope ${JSON.stringify(s)}: expected a path like /Madrid/Gardens`)
  }
  return [...new Set(list as string[])]
}

function parseAttributes(
  obj: JsonObject,
  ctx: ActiveContext,
  allowNull: boolean,
  nestedNull = false,
): Record<string, AttributeInstance[]> {
  const attrs: Record<string, AttributeInstance[]> = {}
  for (const [name, value] of Object.entries(obj)) {
    if (name === 'id' || name === 'type' || name === 'scope' || IGNORED_MEMBERS.has(name)) continue
    if (name.startsWith('@')) throw bad(`member '${name}' is not allowed in an entity`)
    if (name === 'expiresAt' && typeof value === 'string') {
      // A transient entity's expiry (§4.22): an entity member, kept with the attributes; NGSI-LD
      // Null in a merge removes it like an attribute.
      if (allowNull && isNullMarker(value)) {
        attrs[ENTITY_EXPIRES_AT] = parseAttribute(name, value, { ctx, allowNull, nestedNull })
        continue
      }
      if (!isUtcDateTime(value))
        throw bad(`expiresAt must be a UTC DateTime, got ${JSON.stringify(value)}`)
      attrs[ENTITY_EXPIRES_AT] = [{ type: 'Property', value }]
      continue
    }
    const iri = expandAttributeName(name, ctx)
    if (iri in attrs) throw bad(`attribute '${name}' is given twice (under different names)`)
    attrs[iri] = parseAttribute(name, value, { ctx, allowNull, nestedNull })
  }
  return attrs
}
