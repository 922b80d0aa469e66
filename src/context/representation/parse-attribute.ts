/**
 * Reads one attribute of a request payload, normalized or concise (GS CIM 009 §4.5),
 * into internal attribute instances: names expanded, every member checked against its kind.
 *
 * @example
 *   parseAttribute('temperature', 21, { ctx, allowNull: false }) // [{ type: 'Property', value: 21 }]
 */
import { AppError } from '../../core/errors.js'
import {
  ATTRIBUTE_TYPES,
  IRI,
  NGSI_LD_NULL,
  type AttributeInstance,
  type AttributeType,
} from '../../core/ngsi.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import { isGeometryType } from '../query/geo-geometry.js'
import { expandAttributeName, expandTypeName } from './names.js'
import { checkNull, geometryValue, parseMember, type ParseOptions } from './attribute-members.js'
import { isNullMarker } from './values.js'

export type { ParseOptions } from './attribute-members.js'

/** An instance in a partial attribute update: every member optional, the kind too. */
export type InstanceFragment = Partial<AttributeInstance>

/** The member that carries each kind's value. */
export const VALUE_MEMBER: Record<AttributeType, keyof AttributeInstance> = {
  Property: 'value',
  GeoProperty: 'value',
  Relationship: 'object',
  ListRelationship: 'objectList',
  LanguageProperty: 'languageMap',
  VocabProperty: 'vocab',
  JsonProperty: 'json',
  ListProperty: 'valueList',
}

/** Value members in the order they decide the kind of a concise attribute without `type`. */
const KIND_BY_MEMBER: readonly (readonly [string, AttributeType])[] = [
  ['object', 'Relationship'],
  ['objectList', 'ListRelationship'],
  ['languageMap', 'LanguageProperty'],
  ['vocab', 'VocabProperty'],
  ['json', 'JsonProperty'],
  ['valueList', 'ListProperty'],
  ['value', 'Property'],
]
const VALUE_MEMBERS = new Set(KIND_BY_MEMBER.map(([m]) => m))

/** Metadata members valid only for some kinds (§4.5.2–4.5.8); the rest suit every kind. */
const KIND_METADATA: Record<string, readonly AttributeType[]> = {
  unitCode: ['Property', 'ListProperty'],
  objectType: ['Relationship', 'ListRelationship'],
  valueType: ['Property', 'GeoProperty', 'ListProperty', 'JsonProperty', 'LanguageProperty'],
}
const COMMON_METADATA = new Set(['datasetId', 'observedAt', 'expiresAt'])
/** Set by the broker or only ever output: ignored on input. */
const SYSTEM_MEMBERS = new Set(['createdAt', 'modifiedAt', 'deletedAt', 'instanceId', 'lang'])
const MAX_DEPTH = 8
/** The core GeoProperties (§4.7.1): declaring one as another kind is invalid. */
const CORE_GEO: ReadonlySet<string> = new Set([
  IRI.location,
  IRI.observationSpace,
  IRI.operationSpace,
])
/** Non-reified members of the ngsildproof Property only (§4.5.2.2). */
const SEALED = new Set(['entityIdSealed', 'entityTypeSealed'])

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

/** One attribute member of an entity or fragment: one instance, or several (an array of instances). */
export function parseAttribute(
  name: string,
  raw: unknown,
  opts: ParseOptions,
  depth = 0,
): AttributeInstance[] {
  const instances =
    Array.isArray(raw) && raw.length > 0 && raw.every(looksLikeInstance)
      ? raw.map((item) => parseInstance(name, item, opts, depth))
      : [parseInstance(name, raw, opts, depth)]
  const datasets = new Set<string | undefined>()
  for (const inst of instances) {
    if (datasets.has(inst.datasetId)) {
      const which =
        inst.datasetId === undefined
          ? 'more than one default instance'
          : `datasetId ${inst.datasetId} twice`
      throw bad(`attribute '${name}' has ${which}`)
    }
    datasets.add(inst.datasetId)
  }
  return instances
}

function looksLikeInstance(v: unknown): boolean {
  if (!isJsonObject(v)) return false
  return (
    (ATTRIBUTE_TYPES as readonly unknown[]).includes(v['type']) ||
    [...VALUE_MEMBERS].some((m) => m in v)
  )
}

/** A complete instance: its kind is known and its value member present. */
export function parseInstance(
  name: string,
  raw: unknown,
  opts: ParseOptions,
  depth = 0,
): AttributeInstance {
  const fragment = parseInstanceFragment(name, raw, opts, 'complete', depth)
  if (fragment.type === undefined) throw bad(`attribute '${name}' has no value`)
  return fragment as AttributeInstance
}

/** `partial` (PATCH attrs/{attrId}) allows an object without type or value member. */
export function parseInstanceFragment(
  name: string,
  raw: unknown,
  opts: ParseOptions,
  mode: 'complete' | 'partial',
  depth = 0,
): InstanceFragment {
  if (raw === null || raw === undefined)
    throw bad(`attribute '${name}' is JSON null, which is not a value`)
  if (!isJsonObject(raw)) {
    if (mode === 'partial') throw bad(`the fragment for '${name}' must be a JSON object`)
    return { type: 'Property', value: checkNull(name, raw, opts) }
  }
  const found = kindOf(name, raw, mode)
  if (found === 'concise-geometry') return { type: 'GeoProperty', value: geometryValue(name, raw) }
  if (found === 'concise-value') return { type: 'Property', value: raw }
  const kind = found === undefined ? undefined : coreGeoKind(name, raw, found, opts)
  const out: InstanceFragment = kind === undefined ? {} : { type: kind }
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'type' || SYSTEM_MEMBERS.has(key)) continue
    if (key.startsWith('@'))
      throw bad(`attribute '${name}' contains '${key}', which is not allowed here`)
    // Output-only members (showChanges) and the sealed members outside ngsildproof (§4.5.2.2).
    if (/^previous[A-Z]/.test(key) || (SEALED.has(key) && name !== 'ngsildproof'))
      throw bad(`member '${key}' is not allowed in the attribute '${name}'`)
    if (SEALED.has(key) && typeof value !== 'string')
      throw bad(`'${key}' of '${name}' must be a string`)
    if (name === 'ngsildproof' && key === 'value' && !isJsonObject(value))
      throw bad(`the value of 'ngsildproof' must be a Data Integrity proof object`)
    if (SEALED.has(key)) {
      // Kept as members; entityTypeSealed is a type name, expanded like objectType.
      out[key] = key === 'entityTypeSealed' ? expandTypeName(value, opts.ctx) : value
      continue
    }
    // `"datasetId": "@none"` names the default instance, as leaving it out does (§4.5.5.1).
    if (key === 'datasetId' && value === '@none') continue
    if (VALUE_MEMBERS.has(key) || COMMON_METADATA.has(key) || key in KIND_METADATA) {
      checkMemberFits(name, key, kind)
      out[key] = parseMember(name, key, value, kind, opts)
    } else {
      if (depth >= MAX_DEPTH) throw bad(`attribute '${name}' nests sub-attributes too deeply`)
      const iri = expandAttributeName(key, opts.ctx)
      if (iri in out) throw bad(`attribute '${name}' has sub-attribute '${key}' twice`)
      const subs = parseAttribute(key, value, opts, depth + 1)
      if (subs.length !== 1)
        throw bad(`sub-attribute '${key}' of '${name}' must have exactly one instance`)
      out[iri] = subs[0]
    }
  }
  if (mode === 'complete' && kind !== undefined && !(VALUE_MEMBER[kind] in out)) {
    throw bad(`${kind} '${name}' has no '${VALUE_MEMBER[kind]}' member`)
  }
  return out
}

/**
 * The kind of an instance object: its `type`, else the value member it has. Without either it is
 * a concise Property whose value is the object itself, or a bare GeoJSON geometry.
 */
function kindOf(
  name: string,
  raw: JsonObject,
  mode: 'complete' | 'partial',
): AttributeType | 'concise-geometry' | 'concise-value' | undefined {
  const present = KIND_BY_MEMBER.filter(([m]) => m in raw)
  if ('type' in raw) {
    const type = raw['type']
    if ((ATTRIBUTE_TYPES as readonly unknown[]).includes(type)) return type as AttributeType
    if (isGeometryType(type) && 'coordinates' in raw && present.length === 0)
      return 'concise-geometry'
    throw bad(`attribute '${name}' has an invalid type ${JSON.stringify(type)}`)
  }
  if (present.length > 1) {
    throw bad(
      `attribute '${name}' mixes members of different kinds: ${present.map(([m]) => m).join(', ')}`,
    )
  }
  const [found] = present
  if (found)
    return found[1] === 'Property' && looksLikeGeometry(raw['value']) ? 'GeoProperty' : found[1]
  if (mode === 'partial') return undefined
  const hasMetadata = Object.keys(raw).some((k) => COMMON_METADATA.has(k) || k in KIND_METADATA)
  if (hasMetadata) throw bad(`attribute '${name}' has metadata but no value member`)
  return 'concise-value'
}

/**
 * location, observationSpace and operationSpace are GeoProperties (§4.7.1): declared as another
 * kind they are invalid, except a Property holding a geometry, which Smart Data Models examples
 * write and which round-trips as given.
 */
function coreGeoKind(
  name: string,
  raw: JsonObject,
  kind: AttributeType,
  opts: ParseOptions,
): AttributeType {
  if (kind === 'GeoProperty' || !CORE_GEO.has(expandAttributeName(name, opts.ctx))) return kind
  if (kind === 'Property' && looksLikeGeometry(raw['value'])) return kind
  throw bad(`'${name}' is a GeoProperty and cannot be a ${kind}`)
}

function looksLikeGeometry(v: unknown): boolean {
  return isJsonObject(v) && isGeometryType(v['type']) && Array.isArray(v['coordinates'])
}

function checkMemberFits(name: string, member: string, kind: AttributeType | undefined): void {
  if (kind === undefined) return
  const allowed = KIND_METADATA[member]
  const fits = VALUE_MEMBERS.has(member)
    ? VALUE_MEMBER[kind] === member
    : !allowed || allowed.includes(kind)
  if (!fits) throw bad(`member '${member}' is not valid in the ${kind} '${name}'`)
}

/** True when the instance is an NGSI-LD Null deletion marker (only produced when allowNull). */
export function isNullInstance(inst: InstanceFragment): boolean {
  const member = inst.type === undefined ? undefined : VALUE_MEMBER[inst.type]
  const value = member === undefined ? undefined : inst[member]
  if (isNullMarker(value)) return true
  if (Array.isArray(value)) return value.length === 1 && isNullMarker(value[0])
  if (inst.type === 'LanguageProperty' && isJsonObject(value)) {
    const keys = Object.keys(value)
    return keys.length === 1 && value['@none'] === NGSI_LD_NULL
  }
  return false
}
