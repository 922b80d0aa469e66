/**
 * Styles for the city's own vector layers (districts and roads), drawn from the API so the map
 * reads well with no tiles at all: colours are chosen against the plain map background.
 *
 * @example
 *   roadStyle('primary') // { color: '#c2410c', weight: 5, … }
 */
import type { RoadClass } from '../api/types.js'

export interface LineStyle {
  color: string
  weight: number
  opacity: number
  dashArray?: string
}

export interface AreaStyle extends LineStyle {
  fillColor: string
  fillOpacity: number
}

const ROADS: Readonly<Record<RoadClass, LineStyle>> = {
  primary: { color: '#c2410c', weight: 5, opacity: 0.9 },
  secondary: { color: '#d97706', weight: 3.5, opacity: 0.9 },
  residential: { color: '#7b8794', weight: 2, opacity: 0.9 },
  track: { color: '#8d6e63', weight: 1.5, opacity: 0.9, dashArray: '4 4' },
}

export function roadStyle(roadClass: string | undefined): LineStyle {
  return ROADS[roadClass as RoadClass] ?? ROADS.residential
}

/** Light pastel fills per district kind; outlines stay dark so boundaries read on any tile. */
const DISTRICT_FILLS: Readonly<Record<string, string>> = {
  residential: '#fde68a',
  commercial: '#fbcfe8',
  industrial: '#c7d2fe',
  park: '#bbf7d0',
  green: '#bbf7d0',
  rural: '#d9f99d',
  centre: '#fed7aa',
  center: '#fed7aa',
  mixed: '#e9d5ff',
}

export function districtStyle(kind: string | undefined): AreaStyle {
  return {
    color: '#3e4c59',
    weight: 1.5,
    opacity: 0.8,
    fillColor: (kind !== undefined && DISTRICT_FILLS[kind.toLowerCase()]) || '#cbd2d9',
    fillOpacity: 0.25,
  }
}
