/**
 * Geoqueries (NGSI-LD §4.10) from URL parameters or a POST Query's geoQ: georel, geometry and
 * coordinates are all given or none, and come out as a validated GeoFilter.
 */
import { IRI } from '../../core/ngsi.js'
import type { GeoFilter } from '../../store/store.js'
import { GEOMETRY_TYPES, isGeometryType, toGeometry } from './geo-geometry.js'
import { expandName, isValidName } from './names.js'
import { badRequest } from './query-syntax.js'

type Expand = (term: string) => string

/** Members may be explicitly undefined, so callers can pass URL parameters straight through. */
export interface GeoQueryInput {
  georel?: string | undefined
  geometry?: string | undefined
  /** JSON text (URL-decoded) or the already parsed array; `string | unknown` collapses to this. */
  coordinates?: unknown
  geoproperty?: string | undefined
}

const RELATIONS = ['within', 'contains', 'intersects', 'equals', 'disjoint', 'overlaps'] as const
type Relation =
  | { georel: 'near'; maxDistance?: number; minDistance?: number }
  | { georel: (typeof RELATIONS)[number] }

const DISTANCE = /^(maxDistance|minDistance)==(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/
/** Core GeoProperties are terms of the core @context, whatever the user's @context says. */
const CORE_GEOPROPERTIES: Record<string, string> = {
  location: IRI.location,
  observationSpace: IRI.observationSpace,
  operationSpace: IRI.operationSpace,
}

/**
 * undefined when none of georel/geometry/coordinates given; all-or-none else BadRequestData.
 *
 * @example
 *   parseGeoQuery({ georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: '[8.6,49.4]' }, expand)
 *   // { georel: 'near', maxDistance: 2000, geometry: { type: 'Point', … }, geoproperty: IRI.location }
 */
export function parseGeoQuery(input: GeoQueryInput, expand: Expand): GeoFilter | undefined {
  const { georel, geometry, coordinates, geoproperty } = input
  if (georel === undefined && geometry === undefined && coordinates === undefined) return undefined
  const missing = (['georel', 'geometry', 'coordinates'] as const).filter(
    (k) => input[k] === undefined,
  )
  if (missing.length > 0) {
    throw badRequest(
      'geoQuery',
      `georel, geometry and coordinates go together; missing ${missing.join(', ')}`,
    )
  }
  const relation = parseGeorel(georel)
  if (!isGeometryType(geometry)) {
    throw badRequest('geometry', `'${String(geometry)}' is not one of ${GEOMETRY_TYPES.join(', ')}`)
  }
  const shape = toGeometry(geometry, readCoordinates(coordinates))
  if (typeof shape === 'string') throw badRequest('coordinates', `${shape} for a ${geometry}`)
  return { ...relation, geometry: shape, geoproperty: resolveGeoproperty(geoproperty, expand) }
}

function parseGeorel(georel: unknown): Relation {
  if (typeof georel !== 'string') throw badRequest('georel', 'must be a string')
  const [name = '', ...modifiers] = georel.split(';').map((s) => s.trim())
  if (name !== 'near') {
    if (!(RELATIONS as readonly string[]).includes(name)) {
      throw badRequest(
        'georel',
        `unknown relation '${name}'; expected near, ${RELATIONS.join(', ')}`,
      )
    }
    if (modifiers.length > 0) throw badRequest('georel', `'${name}' takes no modifiers`)
    return { georel: name as (typeof RELATIONS)[number] }
  }
  // §4.10: nearRel = nearOp andOp distance equal PositiveNumber, exactly one distance.
  if (modifiers.length !== 1) {
    throw badRequest(
      'georel',
      'near needs exactly one of maxDistance==<metres> or minDistance==<metres>',
    )
  }
  const modifier = modifiers[0] ?? ''
  const m = DISTANCE.exec(modifier)
  const key = m?.[1] as 'maxDistance' | 'minDistance' | undefined
  const metres = Number(m?.[2])
  if (key === undefined) {
    throw badRequest(
      'georel',
      `invalid near modifier '${modifier}'; expected maxDistance==<metres> or minDistance==<metres>`,
    )
  }
  if (!(metres > 0) || !Number.isFinite(metres))
    throw badRequest('georel', `${key} must be a positive number`)
  return { georel: 'near', [key]: metres }
}

/** URL parameters carry JSON text (already URL-decoded); a POST body carries the array itself. */
function readCoordinates(coordinates: unknown): unknown {
  if (typeof coordinates !== 'string') return coordinates
  try {
    return JSON.parse(coordinates) as unknown
  } catch {
    throw badRequest('coordinates', 'is not a JSON array of numbers')
  }
}

function resolveGeoproperty(name: string | undefined, expand: Expand): string {
  const term = name ?? 'location'
  const core = CORE_GEOPROPERTIES[term]
  if (core !== undefined) return core
  if (!isValidName(term)) throw badRequest('geoproperty', `invalid attribute name '${term}'`)
  return expandName(term, expand)
}
