/**
 * Entity markers: one lightweight SVG circle per located entity, grouped by type for the filter,
 * updated in place when live values change. Each marker's path carries `data-entity-id`, a role
 * and a label, and opens its popup from the keyboard.
 *
 * @example
 *   const markers = createEntityMarkers(map, { popup: (e) => entityPopup(e) })
 *   markers.upsert(entity) // adds, moves or recolours
 */
import {
  circleMarker,
  latLngBounds,
  layerGroup,
  type CircleMarker,
  type CircleMarkerOptions,
  type LatLngBounds,
  type LayerGroup,
  type Map as LeafletMap,
} from 'leaflet'
import type { EntityKV } from '../api/types.js'
import { displayName, pointOf } from '../model/entity-view.js'
import { ENTITY_PANE } from './city-map.js'
import { entityState, typeColor } from './colors.js'

export interface EntityMarkers {
  upsert(entity: EntityKV): void
  remove(id: string): void
  has(id: string): boolean
  setHiddenTypes(hidden: ReadonlySet<string>): void
  /** Markers on the map (hidden or not) per entity type. */
  countsByType(): Map<string, number>
  bounds(): LatLngBounds | undefined
  dispose(): void
}

interface Entry {
  marker: CircleMarker
  entity: EntityKV
}

function styleOf(entity: EntityKV): CircleMarkerOptions {
  const ring = typeColor(entity.type)
  return {
    radius: 8,
    weight: 3,
    color: ring,
    opacity: 1,
    fillColor: entityState(entity)?.color ?? ring,
    fillOpacity: 0.9,
  }
}

function labelOf(entity: EntityKV): string {
  const state = entityState(entity)
  return `${entity.type} ${displayName(entity)}${state ? `: ${state.label}` : ''}`
}

export function createEntityMarkers(
  map: LeafletMap,
  options: { popup: (entity: EntityKV) => HTMLElement },
): EntityMarkers {
  const entries = new Map<string, Entry>()
  const groups = new Map<string, LayerGroup>()
  let hidden: ReadonlySet<string> = new Set()

  const groupFor = (type: string): LayerGroup => {
    let group = groups.get(type)
    if (!group) {
      group = layerGroup()
      groups.set(type, group)
      if (!hidden.has(type)) group.addTo(map)
    }
    return group
  }

  /** Leaflet makes a new path each time a marker is added, so hooks are set on every add. */
  const decorate = (entry: Entry) => {
    const el = entry.marker.getElement()
    if (!el) return
    const { entity } = entry
    el.setAttribute('data-entity-id', entity.id)
    el.setAttribute('data-entity-type', entity.type)
    el.setAttribute('data-state', entityState(entity)?.label ?? '')
    el.setAttribute('role', 'button')
    el.setAttribute('tabindex', '0')
    el.setAttribute('aria-label', labelOf(entity))
  }

  // One keyboard listener for all markers: Enter or Space opens the popup and focuses its link.
  const pane = map.getPane(ENTITY_PANE)
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return
    const target = event.target instanceof Element ? event.target : null
    const id = target?.getAttribute('data-entity-id')
    const entry = id ? entries.get(id) : undefined
    if (!entry) return
    event.preventDefault()
    entry.marker.openPopup()
    entry.marker.getPopup()?.getElement()?.querySelector<HTMLElement>('a[href]')?.focus()
  }
  pane?.addEventListener('keydown', onKey)

  const create = (entity: EntityKV, at: [number, number]) => {
    const marker = circleMarker(at, { ...styleOf(entity), pane: ENTITY_PANE })
    const entry: Entry = { marker, entity }
    marker.bindPopup(() => options.popup(entry.entity), { maxWidth: 280, minWidth: 180 })
    marker.on('add', () => decorate(entry))
    entries.set(entity.id, entry)
    groupFor(entity.type).addLayer(marker)
  }

  const remove = (id: string) => {
    const entry = entries.get(id)
    if (!entry) return
    groups.get(entry.entity.type)?.removeLayer(entry.marker)
    entry.marker.remove()
    entries.delete(id)
  }

  return {
    upsert(entity) {
      const at = pointOf(entity)
      const entry = entries.get(entity.id)
      if (!at || (entry && entry.entity.type !== entity.type)) remove(entity.id)
      if (!at) return
      const current = entries.get(entity.id)
      if (!current) {
        create(entity, at)
        return
      }
      current.entity = entity
      const ll = current.marker.getLatLng()
      if (ll.lat !== at[0] || ll.lng !== at[1]) current.marker.setLatLng(at)
      current.marker.setStyle(styleOf(entity))
      decorate(current)
      if (current.marker.isPopupOpen()) current.marker.getPopup()?.update()
    },
    remove,
    has: (id) => entries.has(id),
    setHiddenTypes(next) {
      hidden = next
      for (const [type, group] of groups) {
        if (hidden.has(type)) group.remove()
        else if (!map.hasLayer(group)) group.addTo(map)
      }
    },
    countsByType() {
      const counts = new Map<string, number>()
      for (const { entity } of entries.values()) {
        counts.set(entity.type, (counts.get(entity.type) ?? 0) + 1)
      }
      return counts
    },
    bounds() {
      if (entries.size === 0) return undefined
      return latLngBounds([...entries.values()].map((e) => e.marker.getLatLng()))
    },
    dispose() {
      pane?.removeEventListener('keydown', onKey)
      for (const group of groups.values()) group.remove()
      entries.clear()
      groups.clear()
    },
  }
}
