/**
 * UN/CEFACT unit codes (as NGSI-LD `unitCode` carries them) to the symbols people read, and the
 * unit of an attribute as the built-in device profiles declare it.
 *
 * @example
 *   unitSymbol('CEL') // '°C'
 *   profileUnitCode('AirQualityObserved', 'no2') // 'GQ'
 */
import { BUILTIN_PROFILES } from '../../../src/core/device-profiles.js'

const SYMBOLS: Readonly<Record<string, string>> = {
  CEL: '°C',
  GQ: 'µg/m³',
  '2N': 'dB',
  P1: '%',
  // C62 is "one": a dimensionless ratio, so no symbol.
  C62: '',
  KMH: 'km/h',
  MTS: 'm/s',
  WTT: 'W',
  KWT: 'kW',
  KWH: 'kWh',
  VLT: 'V',
  AMP: 'A',
  LTR: 'L',
  MTQ: 'm³',
  A97: 'hPa',
  DD: '°',
  MMT: 'mm',
  LUX: 'lx',
  SEC: 's',
  MIN: 'min',
  HUR: 'h',
}

/** The symbol for a code; unknown codes are shown as the code itself rather than hidden. */
export function unitSymbol(code: string | undefined): string {
  if (code === undefined || code === '') return ''
  return SYMBOLS[code] ?? code
}

const byType = new Map<string, Readonly<Record<string, { unitCode?: string }>>>()
for (const profile of BUILTIN_PROFILES.values()) {
  if (!byType.has(profile.entityType)) byType.set(profile.entityType, profile.measurements)
}

export function profileUnitCode(entityType: string, attr: string): string | undefined {
  return byType.get(entityType)?.[attr]?.unitCode
}

/** Attribute names in the order the profile lists them, for stable tables and popups. */
export function profileAttrs(entityType: string): readonly string[] {
  return Object.keys(byType.get(entityType) ?? {})
}
