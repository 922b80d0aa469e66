/**
 * What the dashboard shows of an entity: its name, where it is, and its attributes in a stable
 * order (the device profile's order first, then the rest alphabetically).
 *
 * @example
 *   pointOf(entity) // [lat, lon] for Leaflet, or undefined
 *   mainValues(entity, 5) // [{ name: 'status', text: 'free', unit: '' }, …]
 */
import type { EntityKV } from '../api/types.js'
import { profileAttrs, profileUnitCode, unitSymbol } from '../format/units.js'
import { formatValue, isPoint } from '../format/value.js'

/** Members of a keyValues entity that are not attributes to display. */
const NOT_ATTRIBUTES = new Set(['id', 'type', '@context'])
/** Attributes the popup shows elsewhere (title) or not at all. */
const NOT_MAIN = new Set(['location', 'name', 'description'])

export function displayName(entity: EntityKV): string {
  return typeof entity.name === 'string' && entity.name !== '' ? entity.name : entity.id
}

/** Leaflet order: [lat, lon]. Only GeoJSON Points are placed on the map. */
export function pointOf(entity: EntityKV): [number, number] | undefined {
  const location = entity.location
  if (!isPoint(location)) return undefined
  const [lon, lat] = location.coordinates
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined
  return [lat, lon]
}

export function attributeNames(entity: EntityKV): string[] {
  const present = Object.keys(entity).filter((k) => !NOT_ATTRIBUTES.has(k))
  return orderAttrs(entity.type, present)
}

export function orderAttrs(entityType: string, names: readonly string[]): string[] {
  const known = profileAttrs(entityType)
  const rank = (name: string) => {
    const i = known.indexOf(name)
    return i === -1 ? known.length : i
  }
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

export function numericAttrs(entity: EntityKV): string[] {
  return attributeNames(entity).filter((name) => {
    const v = entity[name]
    return typeof v === 'number' && Number.isFinite(v)
  })
}

export interface ValueLine {
  name: string
  text: string
  unit: string
}

export function unitOf(entityType: string, attr: string): string {
  return unitSymbol(profileUnitCode(entityType, attr))
}

export function mainValues(entity: EntityKV, max = 6): ValueLine[] {
  return attributeNames(entity)
    .filter((name) => !NOT_MAIN.has(name))
    .slice(0, max)
    .map((name) => ({
      name,
      text: formatValue(entity[name]),
      unit: unitOf(entity.type, name),
    }))
}
