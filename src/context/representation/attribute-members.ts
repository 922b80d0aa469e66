/**
 * Checks and normalizes the members of one attribute instance (value, object, languageMap, …,
 * datasetId, observedAt, unitCode): each one's format per GS CIM 009 §4.5, NGSI-LD Null where
 * allowed.
 */
import { AppError } from '../../core/errors.js'
import type { AttributeType } from '../../core/ngsi.js'
import { isJsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import { isGeometryType, toGeometry } from '../query/geo-geometry.js'
import { expandTypeName, expandVocabName } from './names.js'
import { isLanguageKey, isNullMarker, isUri, isUtcDateTime } from './values.js'

export interface ParseOptions {
  ctx: ActiveContext
  /** NGSI-LD Null may delete things only in PATCH fragments; elsewhere it is 400. */
  allowNull: boolean
  /**
   * NGSI-LD Null inside a JSON object that is a Property value removes that key, in a merge only
   * (§5.5.12); anywhere else it is 400 (§5.5.4).
   */
  nestedNull?: boolean
}

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

/** The concise value-only form: a Property, or NGSI-LD Null where deletions are allowed. */
export function checkNull(name: string, value: unknown, opts: ParseOptions): unknown {
  if (isNullMarker(value) && !opts.allowNull) {
    throw bad(`NGSI-LD Null in '${name}' is only allowed in updates (PATCH)`)
  }
  return value
}

export function parseMember(
  name: string,
  member: string,
  v: unknown,
  kind: AttributeType | undefined,
  opts: ParseOptions,
): unknown {
  if (v === null || v === undefined)
    throw bad(`'${member}' of '${name}' is JSON null, which is not a value`)
  if (member !== 'datasetId' && isNullMarker(v)) return checkNull(name, v, opts)
  switch (member) {
    case 'value':
      if (kind === 'GeoProperty') return geometryValue(name, v)
      if (opts.nestedNull !== true && holdsNull(v))
        throw bad(`NGSI-LD Null inside the value of '${name}' is only allowed in a merge`)
      return v
    case 'object':
      return Array.isArray(v)
        ? nonEmpty(name, member, v).map((o) => uri(name, member, o))
        : uri(name, member, v)
    case 'objectList':
      return listOf(name, member, v, opts).map((o) =>
        uri(name, member, isJsonObject(o) ? o['object'] : o),
      )
    case 'valueList':
      return listOf(name, member, v, opts)
    case 'languageMap':
      return languageMap(name, v, opts)
    case 'json':
      // A raw JSON object, or an array of them (§4.5.24.2); never a bare scalar.
      if (!isJsonObject(v) && !Array.isArray(v))
        throw bad(`json of '${name}' must be a JSON object or an array`)
      return v
    case 'vocab':
      return Array.isArray(v)
        ? nonEmpty(name, member, v).map((t) => expandVocabName(t, opts.ctx))
        : expandVocabName(v, opts.ctx)
    case 'objectType':
      return Array.isArray(v)
        ? nonEmpty(name, member, v).map((t) => expandTypeName(t, opts.ctx))
        : expandTypeName(v, opts.ctx)
    case 'valueType':
      // A LanguageProperty's valueType can only be langString (Table 5.2.32-1).
      if (kind === 'LanguageProperty' && v !== 'langString')
        throw bad(`valueType of the LanguageProperty '${name}' must be langString`)
      return expandTypeName(v, opts.ctx)
    case 'datasetId':
      // A datasetId can never be deleted with the NGSI-LD Null (§5.5.8).
      if (isNullMarker(v)) throw bad(`datasetId of '${name}' cannot be NGSI-LD Null`)
      if (!isUri(v)) throw bad(`datasetId of '${name}' must be a URI`)
      return v
    case 'observedAt':
    case 'expiresAt':
      if (!isUtcDateTime(v))
        throw bad(`${member} of '${name}' must be an ISO 8601 DateTime in UTC (ending in Z)`)
      return v
    case 'unitCode':
      if (typeof v !== 'string' || v === '')
        throw bad(`unitCode of '${name}' must be a non-empty string`)
      return v
    default:
      throw bad(`member '${member}' is not valid in '${name}'`)
  }
}

export function geometryValue(name: string, raw: unknown): unknown {
  // §4.7.2: a geometry may come encoded as a JSON string.
  const v = typeof raw === 'string' ? parsedOrSelf(raw) : raw
  if (!isJsonObject(v) || !isGeometryType(v['type'])) {
    throw bad(`GeoProperty '${name}' must hold a GeoJSON geometry (Point, LineString, Polygon, …)`)
  }
  const geometry = toGeometry(v['type'], v['coordinates'])
  if (typeof geometry === 'string') throw bad(`GeoProperty '${name}': ${geometry}`)
  return geometry
}

/** Whether a JSON object or array value holds the NGSI-LD Null somewhere inside it. */
function holdsNull(v: unknown): boolean {
  if (Array.isArray(v)) return v.some((x) => isNullMarker(x) || holdsNull(x))
  if (isJsonObject(v)) return Object.values(v).some((x) => isNullMarker(x) || holdsNull(x))
  return false
}

function parsedOrSelf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function uri(name: string, member: string, v: unknown): string {
  if (!isUri(v)) throw bad(`'${member}' of '${name}' must be a URI (or an array of URIs)`)
  return v
}

function nonEmpty(name: string, member: string, v: unknown[]): unknown[] {
  if (v.length === 0) throw bad(`'${member}' of '${name}' must not be an empty array`)
  return v
}

function listOf(name: string, member: string, v: unknown, opts: ParseOptions): unknown[] {
  if (!Array.isArray(v)) throw bad(`'${member}' of '${name}' must be an array`)
  if (v.length === 1 && isNullMarker(v[0])) return [checkNull(name, v[0], opts)]
  return v as unknown[]
}

function languageMap(
  name: string,
  v: unknown,
  opts: ParseOptions,
): Record<string, string | string[]> {
  if (!isJsonObject(v)) throw bad(`languageMap of '${name}' must be an object of language → string`)
  const out: Record<string, string | string[]> = {}
  for (const [lang, text] of Object.entries(v)) {
    if (!isLanguageKey(lang))
      throw bad(`languageMap of '${name}' has an invalid language tag '${lang}'`)
    const ok =
      typeof text === 'string' || (Array.isArray(text) && text.every((t) => typeof t === 'string'))
    if (!ok) throw bad(`languageMap of '${name}' must map languages to strings`)
    if (isNullMarker(text)) checkNull(name, text, opts)
    out[lang] = text
  }
  return out
}
