/**
 * Entity ordering (NGSI-LD §4.23): `orderBy=name;desc,type,address[city],location;dist-asc`.
 * Keys are entity members (id, type, createdAt, modifiedAt), attribute paths in the q path syntax
 * (`name`, `name.sub`, `name.createdAt`, `address[city]`) or a GeoProperty ordered by its distance
 * to `orderFrom`. Values of different kinds order numbers < strings < booleans < arrays < objects,
 * and entities without the value come last (§4.23.2). Strings compare by code point unless a
 * `collation` (BCP 47 tag, §4.23.3) is given.
 *
 * @example
 *   const ordering = parseOrderBy('name;desc', {})
 *   sortEntities(entities, ordering, ctx.expandTerm)
 */
import { AppError } from '../../core/errors.js'
import type { Entity, GeoJsonGeometry } from '../../core/ngsi.js'
import { distanceToGeometry } from './geo-distance.js'
import type { QPath } from './q-ast.js'
import { parseQ } from './parse-q.js'
import { resolveTargets } from './q-targets.js'
import { expandName } from './names.js'

type Expand = (term: string) => string

interface OrderKey {
  /** Entity member, attribute path, or GeoProperty for distance ordering. */
  target: { member: 'id' | 'type' | 'createdAt' | 'modifiedAt' } | { path: QPath } | { geo: string }
  desc: boolean
}

export interface Ordering {
  keys: OrderKey[]
  from?: number[]
  collator?: Intl.Collator
}

export interface OrderingInput {
  /** The reference point of `dist-asc` / `dist-desc`: GeoJSON coordinates (JSON text or array). */
  orderFrom?: unknown
  /** Geometry of orderFrom; only Point is meaningful for a distance reference. */
  orderGeometry?: unknown
  collation?: unknown
  /** Whether an attribute (as written) is listed in jsonKeys: its trailing path is plain JSON keys. */
  jsonKeys?: ((attr: string) => boolean) | undefined
}

const ENTITY_MEMBERS = new Set(['id', 'type', 'createdAt', 'modifiedAt'])

function bad(message: string): AppError {
  return new AppError('BadRequestData', `orderBy: ${message}`)
}

export function parseOrderBy(text: string, input: OrderingInput): Ordering {
  const items = text.split(',').map((s) => s.trim())
  const keys = items.map((item): OrderKey => {
    const [path = '', direction = 'asc', ...rest] = item.split(';').map((s) => s.trim())
    if (path === '' || rest.length > 0) throw bad(`'${item}' is not an ordering key`)
    if (direction === 'dist-asc' || direction === 'dist-desc')
      return { target: { geo: path }, desc: direction === 'dist-desc' }
    if (direction !== 'asc' && direction !== 'desc')
      throw bad(`'${direction}' is not asc, desc, dist-asc or dist-desc`)
    if (ENTITY_MEMBERS.has(path))
      return {
        target: { member: path as 'id' | 'type' | 'createdAt' | 'modifiedAt' },
        desc: direction === 'desc',
      }
    let node
    try {
      node = parseQ(path)
    } catch {
      throw bad(`'${path}' is not an attribute path`)
    }
    if (node.kind !== 'term' || node.comparison || node.negated || node.path.linked)
      throw bad(`'${path}' is not an attribute path`)
    const target =
      node.path.members && input.jsonKeys?.(node.path.attr)
        ? { ...node.path, jsonKeys: true as const }
        : node.path
    return { target: { path: target }, desc: direction === 'desc' }
  })
  const ordering: Ordering = { keys }
  if (keys.some((k) => 'geo' in k.target)) ordering.from = referencePoint(input)
  if (input.collation !== undefined) ordering.collator = collatorFor(input.collation)
  return ordering
}

function referencePoint(input: OrderingInput): number[] {
  if (input.orderFrom === undefined) throw bad('distance ordering needs orderFrom coordinates')
  if (input.orderGeometry !== undefined && input.orderGeometry !== 'Point')
    throw bad('the distance reference (orderGeometry) must be a Point')
  let coordinates: unknown = input.orderFrom
  if (typeof coordinates === 'string') {
    try {
      coordinates = JSON.parse(coordinates) as unknown
    } catch {
      throw bad('orderFrom must be a JSON array of coordinates')
    }
  }
  if (
    !Array.isArray(coordinates) ||
    coordinates.length < 2 ||
    !coordinates.every((c) => typeof c === 'number' && Number.isFinite(c))
  )
    throw bad('orderFrom must be [longitude, latitude]')
  return coordinates as number[]
}

function collatorFor(tag: unknown): Intl.Collator {
  if (typeof tag !== 'string' || tag.trim() === '') throw bad('collation must be a language tag')
  try {
    const [canonical] = Intl.getCanonicalLocales(tag)
    return new Intl.Collator(canonical)
  } catch {
    throw new AppError('BadRequestData', `collation: '${tag}' is not a valid language tag`)
  }
}

/** A stable sort of the entities by the ordering keys. */
export function sortEntities<E extends Readonly<Entity>>(
  entities: readonly E[],
  ordering: Ordering,
  expand: Expand,
): E[] {
  const rows = entities.map((entity, index) => ({
    entity,
    index,
    values: ordering.keys.map((k) => keyValue(entity, k, ordering, expand)),
  }))
  rows.sort((a, b) => {
    for (const [i, key] of ordering.keys.entries()) {
      const c = compareValues(a.values[i], b.values[i], key.desc, ordering.collator)
      if (c !== 0) return c
    }
    return a.index - b.index
  })
  return rows.map((r) => r.entity)
}

function keyValue(
  entity: Readonly<Entity>,
  key: OrderKey,
  ordering: Ordering,
  expand: Expand,
): unknown {
  const t = key.target
  if ('member' in t) {
    if (t.member === 'id') return entity.id
    if (t.member === 'type') return entity.types[0]
    return entity[t.member]
  }
  if ('geo' in t) {
    const instances = entity.attrs[expandName(t.geo, expand)] ?? []
    const geometry = (instances.find((i) => i.datasetId === undefined) ?? instances[0])?.value
    if (!ordering.from || !isGeometry(geometry)) return undefined
    return distanceToGeometry(ordering.from, geometry)
  }
  return resolveTargets(t.path, entity, expand)[0]?.value
}

function isGeometry(v: unknown): v is GeoJsonGeometry {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { type?: unknown }).type === 'string' &&
    Array.isArray((v as { coordinates?: unknown }).coordinates)
  )
}

/** §4.23.2: numbers < strings < booleans < arrays < objects; a missing value is always last. */
function rank(v: unknown): number {
  if (typeof v === 'number') return 0
  if (typeof v === 'string') return 1
  if (typeof v === 'boolean') return 2
  if (Array.isArray(v)) return 3
  return 4
}

function compareValues(
  a: unknown,
  b: unknown,
  desc: boolean,
  collator: Intl.Collator | undefined,
): number {
  const missingA = a === undefined || a === null
  const missingB = b === undefined || b === null
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1
  const sign = desc ? -1 : 1
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return sign * (ra - rb)
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b)
  if (typeof a === 'string' && typeof b === 'string') {
    if (collator) return sign * collator.compare(a, b)
    return sign * (a < b ? -1 : a > b ? 1 : 0)
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return sign * (Number(a) - Number(b))
  const sa = JSON.stringify(a)
  const sb = JSON.stringify(b)
  return sign * (sa < sb ? -1 : sa > sb ? 1 : 0)
}
