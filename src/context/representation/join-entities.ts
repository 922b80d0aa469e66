/**
 * Linked Entity retrieval (GS CIM 009 §4.5.23), independent of who asks: with `join=inline` each
 * Relationship whose object is a known entity gains that entity (normalized: an `entity` member;
 * simplified: the entity replaces the object), with `join=flat` the linked entities follow the
 * linking ones in one array. `joinLevel` (default 1) bounds how many hops are followed; braces in
 * pick/omit (§4.21, `locatedAt{id,name}`) project the linked entities level by level.
 * `containedBy` names entities already met along the Entity Graph (by whoever asked, e.g. a
 * broker that forwarded the request): they are not retrieved again, so the Relationships that
 * point at them stay as they are (not inlined, not added to a flat array) and no loop forms.
 *
 * Entity queries and retrievals (routes/linked-entities.ts) and notifications
 * (subscriptions/join-notification.ts) differ only in how a linked entity is rendered.
 *
 * @example
 *   const join = parseJoin('flat', 1, undefined, undefined)
 *   const body = await joinEntities(roots, join!, { read, compactIri, expandTerm, render, simplified })
 */
import { AppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'
import type { JsonObject } from '../jsonld/core-context.js'
import { parseProjection, type ProjectionNode } from '../query/index.js'
import { isAbsoluteUri } from './values.js'

/** joinLevel above this is refused: each hop reads entities, and deeper graphs are not sane. */
export const MAX_JOIN_LEVEL = 10

export interface JoinRequest {
  join: 'inline' | 'flat'
  level: number
  pick?: ProjectionNode[]
  omit?: ProjectionNode[]
  /** Entity ids already encountered: never followed (§4.5.23, the containedBy parameter). */
  containedBy?: string[]
}

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

/**
 * The join asked for, or undefined (`join` absent or `@none`). joinLevel must be a positive
 * integer; a pick/omit nested deeper than it asks for more hops than allowed (§5.7.2.4).
 * containedBy is a comma-separated list of entity ids (URIs), meaningful only with a join.
 */
export function parseJoin(
  join: unknown,
  joinLevel: unknown,
  pick: string | undefined,
  omit: string | undefined,
  containedBy?: unknown,
): JoinRequest | undefined {
  if (join === undefined || join === '@none') {
    if (joinLevel !== undefined) throw bad('joinLevel needs join=inline or join=flat')
    if (containedBy !== undefined) throw bad('containedBy needs join=inline or join=flat')
    return undefined
  }
  if (join !== 'inline' && join !== 'flat')
    throw bad(`join must be inline, flat or @none, not ${JSON.stringify(join)}`)
  const level = joinLevel === undefined ? 1 : Number(joinLevel)
  const digits = typeof joinLevel !== 'string' || /^\d+$/.test(joinLevel)
  if (!Number.isInteger(level) || level < 1 || !digits)
    throw bad(`joinLevel must be a positive integer, not ${JSON.stringify(joinLevel)}`)
  if (level > MAX_JOIN_LEVEL) throw bad(`joinLevel is at most ${MAX_JOIN_LEVEL}`)
  const out: JoinRequest = { join, level }
  if (containedBy !== undefined) out.containedBy = parseContainedBy(containedBy)
  for (const [name, text] of [
    ['pick', pick],
    ['omit', omit],
  ] as const) {
    if (text === undefined) continue
    const nodes = parseProjection(text)
    if (hops(nodes) > level)
      throw bad(`${name} projects linked entities deeper than joinLevel ${level}`)
    out[name] = nodes
  }
  return out
}

function parseContainedBy(raw: unknown): string[] {
  if (typeof raw !== 'string') throw bad('containedBy must be a comma-separated list of entity ids')
  const ids = raw.split(',').map((s) => s.trim())
  for (const id of ids)
    if (!isAbsoluteUri(id))
      throw bad(`containedBy: ${JSON.stringify(id)} is not an entity id (URI)`)
  return [...new Set(ids)]
}

function hops(nodes: readonly ProjectionNode[]): number {
  return Math.max(0, ...nodes.map((n) => (n.children ? 1 + hops(n.children) : 0)))
}

/** The projection of the entities one Relationship links to (from the braces after its name). */
export interface LinkScope {
  pick?: ProjectionNode[] | undefined
  omit?: ProjectionNode[] | undefined
}

export interface JoinDeps {
  read(id: string): Promise<Readonly<Entity> | undefined>
  compactIri(iri: string): string
  expandTerm(term: string): string
  /** A linked entity as the caller's output shows it; undefined when nothing is left of it. */
  render(entity: Readonly<Entity>, scope: LinkScope): JsonObject | undefined
  /** Simplified output: an inline linked entity replaces the Relationship's object. */
  simplified: boolean
}

/**
 * Follows the Relationships of already rendered entities. Inline: the rendered objects are
 * completed in place and returned. Flat: the linked entities (each once, none that is already a
 * root) are appended after the roots.
 */
export async function joinEntities(
  roots: readonly { entity: Readonly<Entity>; rendered: JsonObject | undefined }[],
  join: JoinRequest,
  deps: JoinDeps,
): Promise<JsonObject[]> {
  const cache = new Map<string, Promise<Readonly<Entity> | undefined>>()
  const read = (id: string) => {
    let found = cache.get(id)
    if (!found) cache.set(id, (found = deps.read(id)))
    return found
  }
  const flat: JsonObject[] = []
  const seen = new Set(roots.map((r) => r.entity.id))
  const encountered = new Set(join.containedBy)

  const follow = async (
    rendered: JsonObject,
    entity: Readonly<Entity>,
    scope: LinkScope,
    depth: number,
  ): Promise<void> => {
    if (depth >= join.level) return
    for (const [iri, instances] of Object.entries(entity.attrs)) {
      const key = deps.compactIri(iri)
      const inst = instances.length === 1 ? instances[0] : undefined
      if (!(key in rendered) || inst?.type !== 'Relationship' || typeof inst.object !== 'string')
        continue
      if (encountered.has(inst.object)) continue
      const linked = await read(inst.object)
      if (!linked) continue
      const child: LinkScope = {
        pick: childNodes(scope.pick, iri, deps),
        omit: childNodes(scope.omit, iri, deps),
      }
      const linkedRendered = deps.render(linked, child) ?? {}
      await follow(linkedRendered, linked, child, depth + 1)
      if (join.join === 'flat') {
        if (!seen.has(linked.id)) {
          seen.add(linked.id)
          flat.push(linkedRendered)
        }
      } else if (deps.simplified) {
        rendered[key] = linkedRendered
      } else if (isObject(rendered[key])) {
        rendered[key] = { ...rendered[key], entity: linkedRendered }
      }
    }
  }

  const out: JsonObject[] = []
  for (const root of roots) {
    const rendered = root.rendered ?? {}
    await follow(rendered, root.entity, { pick: join.pick, omit: join.omit }, 0)
    out.push(rendered)
  }
  return [...out, ...flat]
}

/** Inside a member's braces: the projection of the entities it links to (none: everything). */
function childNodes(
  nodes: readonly ProjectionNode[] | undefined,
  iri: string,
  deps: JoinDeps,
): ProjectionNode[] | undefined {
  return nodes?.find((n) => deps.expandTerm(n.name) === iri)?.children
}

/** A projection tree back as the text of a pick / omit parameter. */
export function projectionText(nodes: readonly ProjectionNode[]): string {
  return nodes
    .map((n) => (n.children ? `${n.name}{${projectionText(n.children)}}` : n.name))
    .join(',')
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** parseJoin from a request's URL parameters (retrieve and GET query share them). */
export function parseJoinParams(
  query: Readonly<Record<string, string | undefined>>,
): JoinRequest | undefined {
  return parseJoin(
    query['join'],
    query['joinLevel'],
    query['pick'],
    query['omit'],
    query['containedBy'],
  )
}
