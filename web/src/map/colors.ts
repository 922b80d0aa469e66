/**
 * Marker colours: one per entity type (the ring, matching the legend), and a state colour (the
 * fill) for types whose live value means something at a glance. Colour is never the only cue:
 * every state also has a label used in the popup and the marker's accessible name.
 *
 * @example
 *   typeColor('ParkingSpot') // '#0072b2'
 *   entityState({ id: 'p', type: 'ParkingSpot', status: 'occupied' }) // { color: '#d73027', label: 'occupied' }
 */
import type { EntityKV } from '../api/types.js'

/** Okabe–Ito based, distinguishable with the common colour-vision deficiencies. */
const TYPE_COLORS: Readonly<Record<string, string>> = {
  ParkingSpot: '#0072b2',
  AirQualityObserved: '#009e73',
  NoiseLevelObserved: '#cc79a7',
  TrafficFlowObserved: '#d55e00',
  WasteContainer: '#8c6d31',
  Streetlight: '#e69f00',
  WaterConsumptionObserved: '#56b4e9',
  WeatherObserved: '#6a51a3',
  ThreePhaseAcMeasurement: '#b8860b',
  Device: '#52606d',
}

const FALLBACK = ['#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#a6761d', '#1f78b4', '#b15928']

export function typeColor(type: string): string {
  const known = TYPE_COLORS[type]
  if (known) return known
  // A stable hash, so an unknown type keeps its colour across reloads and dashboards.
  let hash = 0
  for (let i = 0; i < type.length; i++) hash = (hash * 31 + type.charCodeAt(i)) | 0
  return FALLBACK[Math.abs(hash) % FALLBACK.length] ?? '#52606d'
}

export const GOOD = '#1a9850'
export const FAIR = '#fdae61'
export const POOR = '#f46d43'
export const BAD = '#d73027'
export const OFF = '#9aa5b1'

export interface EntityState {
  color: string
  label: string
}

/** Green → amber → red for t in [0, 1]; t outside is clamped. */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0))
  const stops: Array<[number, number, number]> = [
    [0x1a, 0x98, 0x50],
    [0xfe, 0xe0, 0x8b],
    [0xd7, 0x30, 0x27],
  ]
  const seg = x < 0.5 ? 0 : 1
  const local = x < 0.5 ? x / 0.5 : (x - 0.5) / 0.5
  const a = stops[seg] ?? stops[0]!
  const b = stops[seg + 1] ?? stops[2]!
  const mix = (i: 0 | 1 | 2) => Math.round(a[i] + (b[i] - a[i]) * local)
  return `#${[mix(0), mix(1), mix(2)].map((c) => c.toString(16).padStart(2, '0')).join('')}`
}

function bands(
  value: number,
  limits: readonly [number, number, number],
  unit: string,
): EntityState {
  const [fair, poor, bad] = limits
  const text = `${Math.round(value)} ${unit}`
  if (value < fair) return { color: GOOD, label: `good (${text})` }
  if (value < poor) return { color: FAIR, label: `fair (${text})` }
  if (value < bad) return { color: POOR, label: `poor (${text})` }
  return { color: BAD, label: `very poor (${text})` }
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined

type StateRule = (e: EntityKV) => EntityState | undefined

const RULES: Readonly<Record<string, StateRule>> = {
  ParkingSpot: (e) => {
    switch (e.status) {
      case 'free':
        return { color: GOOD, label: 'free' }
      case 'occupied':
        return { color: BAD, label: 'occupied' }
      case 'closed':
        return { color: OFF, label: 'closed' }
      default:
        return undefined
    }
  },
  WasteContainer: (e) => {
    const level = num(e.fillingLevel)
    if (level === undefined) return undefined
    // The model says 0–1; some feeds send percent. Anything above 1 is read as percent.
    const ratio = level > 1 ? level / 100 : level
    return { color: rampColor(ratio), label: `${Math.round(ratio * 100)} % full` }
  },
  Streetlight: (e) => {
    switch (e.powerState) {
      case 'on':
        return { color: '#fde047', label: 'on' }
      case 'low':
        return { color: '#fef3c7', label: 'dimmed' }
      case 'off':
        return { color: '#323f4b', label: 'off' }
      default:
        return undefined
    }
  },
  TrafficFlowObserved: (e) =>
    typeof e.congested === 'boolean'
      ? e.congested
        ? { color: BAD, label: 'congested' }
        : { color: GOOD, label: 'flowing' }
      : undefined,
  // European Air Quality Index bands for NO₂ (µg/m³), simplified to four.
  AirQualityObserved: (e) => {
    const no2 = num(e.no2)
    return no2 === undefined ? undefined : bands(no2, [40, 120, 230], 'µg/m³ NO₂')
  },
  // WHO guideline levels for road traffic noise: 53 dB day-evening-night; 70 dB harmful.
  NoiseLevelObserved: (e) => {
    const laeq = num(e.LAeq)
    return laeq === undefined ? undefined : bands(laeq, [55, 65, 75], 'dB')
  },
  WaterConsumptionObserved: (e) =>
    e.alarmInProgress === true || e.alarmInProgress === 1
      ? { color: BAD, label: 'alarm' }
      : e.alarmInProgress === false || e.alarmInProgress === 0
        ? { color: GOOD, label: 'no alarm' }
        : undefined,
}

/** The live state of an entity when its type has a meaningful one, else undefined. */
export function entityState(entity: EntityKV): EntityState | undefined {
  return RULES[entity.type]?.(entity)
}

/** The legend lines for a type's states (empty when the type has none). */
export function stateLegend(type: string): EntityState[] {
  switch (type) {
    case 'ParkingSpot':
      return [
        { color: GOOD, label: 'free' },
        { color: BAD, label: 'occupied' },
        { color: OFF, label: 'closed' },
      ]
    case 'WasteContainer':
      return [
        { color: rampColor(0), label: 'empty' },
        { color: rampColor(0.5), label: 'half' },
        { color: rampColor(1), label: 'full' },
      ]
    case 'Streetlight':
      return [
        { color: '#fde047', label: 'on' },
        { color: '#323f4b', label: 'off' },
      ]
    case 'TrafficFlowObserved':
      return [
        { color: GOOD, label: 'flowing' },
        { color: BAD, label: 'congested' },
      ]
    case 'AirQualityObserved':
    case 'NoiseLevelObserved':
      return [
        { color: GOOD, label: 'good' },
        { color: FAIR, label: 'fair' },
        { color: POOR, label: 'poor' },
        { color: BAD, label: 'very poor' },
      ]
    case 'WaterConsumptionObserved':
      return [{ color: BAD, label: 'alarm' }]
    default:
      return []
  }
}
