/**
 * The NGSI-LD information model as Civitas holds it inside: every name fully expanded to an IRI,
 * every attribute an array of instances (one per datasetId). Representations (normalized, concise,
 * keyValues) and @context compaction happen only at the API edge.
 *
 * @example
 *   const e: Entity = { id: 'urn:ngsi-ld:ParkingSpot:1', types: [`${DEFAULT_VOCAB}ParkingSpot`],
 *     createdAt: now, modifiedAt: now, attrs: { [`${DEFAULT_VOCAB}status`]: [{ type: 'Property', value: 'free' }] } }
 */
export const NGSI_LD = 'https://uri.etsi.org/ngsi-ld/'
/** Terms no @context defines expand to this vocabulary (core context `@vocab`). */
export const DEFAULT_VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/'
export const CORE_CONTEXT_URL = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld'
export const NGSI_LD_NULL = 'urn:ngsi-ld:null'

/** Expanded IRIs of the core GeoProperties and system members. */
export const IRI = {
  location: `${NGSI_LD}location`,
  observationSpace: `${NGSI_LD}observationSpace`,
  operationSpace: `${NGSI_LD}operationSpace`,
  observedAt: `${NGSI_LD}observedAt`,
  unitCode: `${NGSI_LD}unitCode`,
  datasetId: `${NGSI_LD}datasetId`,
  createdAt: `${NGSI_LD}createdAt`,
  modifiedAt: `${NGSI_LD}modifiedAt`,
  name: `${NGSI_LD}name`,
  description: `${NGSI_LD}description`,
  scope: `${NGSI_LD}scope`,
} as const

export const ATTRIBUTE_TYPES = [
  'Property',
  'Relationship',
  'GeoProperty',
  'LanguageProperty',
  'VocabProperty',
  'JsonProperty',
  'ListProperty',
  'ListRelationship',
] as const
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number]

/** Members of an attribute instance that are not sub-attributes. */
export const INSTANCE_MEMBERS = new Set([
  'type',
  'value',
  'object',
  'objectType',
  'languageMap',
  'vocab',
  'json',
  'valueList',
  'objectList',
  'datasetId',
  'observedAt',
  'unitCode',
  'valueType',
  'createdAt',
  'modifiedAt',
  'expiresAt',
  'instanceId',
  // The non-reified members of the ngsildproof Property (§4.5.2.2).
  'entityIdSealed',
  'entityTypeSealed',
])

/**
 * One instance of an attribute. Members named in INSTANCE_MEMBERS carry the value and metadata;
 * every other key is a sub-attribute, keyed by its expanded IRI, holding one instance.
 */
export interface AttributeInstance {
  type: AttributeType
  value?: unknown
  object?: string | string[]
  objectType?: string | string[]
  languageMap?: Record<string, string | string[]>
  vocab?: string | string[]
  json?: unknown
  valueList?: unknown[]
  objectList?: string[]
  datasetId?: string
  observedAt?: string
  unitCode?: string
  valueType?: string
  createdAt?: string
  modifiedAt?: string
  [subAttribute: string]: unknown
}

export interface Entity {
  id: string
  /** Expanded type IRIs; at least one. */
  types: string[]
  scopes?: string[]
  createdAt: string
  modifiedAt: string
  /** Expanded attribute IRI → instances (distinct datasetIds, at most one without). */
  attrs: Record<string, AttributeInstance[]>
}

export type GeoJsonGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }

/** The tenant used when a request names none (NGSI-LD §4.14: the default tenant always exists). */
export const DEFAULT_TENANT = 'default'
