/**
 * Checks shared by context source registrations (§5.2.9) and registration subscriptions
 * (§5.2.12 for CSR subscriptions): member shapes that come back as BadRequestData.
 */
import { AppError } from '../../core/errors.js'
import type { GeoJsonGeometry } from '../../core/ngsi.js'
import type { ActiveContext } from '../jsonld/index.js'
import { isGeometryType, toGeometry } from '../query/geo-geometry.js'
import {
  expandAttributeName,
  expandTypeName,
  isAbsoluteUri,
  isDateTime,
  isUri,
} from '../representation/index.js'
import { checkIdPattern } from '../routes/entity-selection.js'

export type Json = Record<string, unknown>

export function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function nonEmptyString(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw bad(`${name} must be a non-empty string`)
  return v
}

export function dateTime(v: unknown, name: string): string {
  if (!isDateTime(v)) throw bad(`${name} must be a DateTime (e.g. 2026-01-01T00:00:00Z)`)
  return v
}

export function uri(v: unknown, name: string): string {
  if (!isUri(v)) throw bad(`${name} must be a URI`)
  return v
}

export function nonEmptyArray(v: unknown, name: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0) throw bad(`${name} must be a non-empty array`)
  return v as unknown[]
}

export function positiveNumber(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    throw bad(`${name} must be a number greater than 0`)
  return v
}

/** An ISO 8601 duration such as `PT1H30M` or `P1D`. */
export function duration(v: unknown, name: string): string {
  if (
    typeof v !== 'string' ||
    !/^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/.test(
      v,
    )
  )
    throw bad(`${name} must be an ISO 8601 duration (e.g. PT1H)`)
  return v
}

/** A GeoJSON geometry as clause 4.7 mandates. */
export function geometry(v: unknown, name: string): GeoJsonGeometry {
  if (!isObject(v) || !isGeometryType(v['type'])) throw bad(`${name} must be a GeoJSON geometry`)
  const g = toGeometry(v['type'], v['coordinates'])
  if (typeof g === 'string') throw bad(`${name}: ${g}`)
  return g
}

/** TimeInterval (§5.2.11): `startAt` and optional later `endAt`. */
export function timeInterval(v: unknown, name: string): Json {
  if (!isObject(v)) throw bad(`${name} must be an object with startAt and optional endAt`)
  const out: Json = { startAt: dateTime(v['startAt'], `${name}.startAt`) }
  if (v['endAt'] !== undefined) {
    out['endAt'] = dateTime(v['endAt'], `${name}.endAt`)
    if (Date.parse(out['endAt'] as string) <= Date.parse(out['startAt'] as string))
      throw bad(`${name}.endAt must be after startAt`)
  }
  return out
}

/** KeyValuePair[] (§5.2.22). */
export function keyValuePairs(v: unknown, name: string): Json[] {
  return nonEmptyArray(v, name).map((p, i) => {
    if (!isObject(p) || typeof p['key'] !== 'string' || typeof p['value'] !== 'string')
      throw bad(`${name}[${i}] must be {"key": string, "value": string}`)
    return { key: p['key'], value: p['value'] }
  })
}

/** EntityInfo / EntitySelector (§5.2.8, §5.2.33): `type` mandatory and expanded, `id` or `idPattern`. */
export function entityInfo(v: unknown, name: string, ctx: ActiveContext): Json {
  if (!isObject(v)) throw bad(`${name} must be an object with type and optional id or idPattern`)
  const unknown = Object.keys(v).filter((k) => !['id', 'idPattern', 'type'].includes(k))
  if (unknown.length > 0) throw bad(`${name} has an unknown member '${unknown[0]}'`)
  const out: Json = {}
  if (v['id'] !== undefined) out['id'] = uri(v['id'], `${name}.id`)
  if (v['idPattern'] !== undefined)
    out['idPattern'] = checkIdPattern(nonEmptyString(v['idPattern'], `${name}.idPattern`))
  const type = v['type']
  if (Array.isArray(type) && type.length > 0) out['type'] = type.map((t) => expandTypeName(t, ctx))
  else if (type !== undefined) out['type'] = expandTypeName(type, ctx)
  else throw bad(`${name}.type is mandatory`)
  return out
}

/** Attribute names (short names or URIs), expanded. */
export function attributeNames(v: unknown, name: string, ctx: ActiveContext): string[] {
  return nonEmptyArray(v, name).map((n, i) => {
    if (typeof n !== 'string' || n === '') throw bad(`${name}[${i}] must be a non-empty string`)
    return expandAttributeName(n, ctx)
  })
}

/** `datasetId`: URIs or `@none`. */
export function datasetIds(v: unknown, name: string): string[] {
  return nonEmptyArray(v, name).map((d) => {
    if (d === '@none' || (typeof d === 'string' && isAbsoluteUri(d))) return d
    throw bad(`${name} entries must be URIs or @none`)
  })
}

/** Compacts an expanded EntityInfo for output. */
export function compactEntityInfo(e: Json, ctx: ActiveContext): Json {
  const out: Json = { ...e }
  const type = e['type']
  out['type'] = Array.isArray(type)
    ? type.map((t) => ctx.compactIri(String(t), 'vocab'))
    : ctx.compactIri(String(type), 'vocab')
  return out
}
