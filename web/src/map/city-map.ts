/**
 * The Leaflet map of the city: optional raster tiles, and the city's own districts and roads
 * from the API, so the map still means something when no tile can load.
 *
 * @example
 *   const { map, dispose } = createCityMap(el, city, { onTilesAvailable: (ok) => note.hidden = ok })
 */
import 'leaflet/dist/leaflet.css'
import {
  control,
  geoJSON,
  map as createMap,
  tileLayer,
  type Layer,
  type Map as LeafletMap,
} from 'leaflet'
import type { City, DistrictProps, RoadProps } from '../api/types.js'
import { h } from '../components/dom.js'
import { formatNumber } from '../format/value.js'
import { districtStyle, roadStyle } from './layer-styles.js'

/** Pane for entity markers: above districts and roads, below tooltips and popups. */
export const ENTITY_PANE = 'entities'

export interface CityMapOptions {
  /** Told false when tiles keep failing (offline), true when they load again. */
  onTilesAvailable?: (available: boolean) => void
}

export interface CityMap {
  map: LeafletMap
  dispose(): void
}

/** Failed tiles, with none loaded, before we tell the user the base map is unavailable. */
const TILE_FAILURES_BEFORE_NOTICE = 4

export function createCityMap(
  container: HTMLElement,
  city: City | undefined,
  options: CityMapOptions = {},
): CityMap {
  const map = createMap(container, {
    center: city ? [city.center[1], city.center[0]] : [0, 0],
    zoom: city ? city.zoom : 2,
    // SVG (not canvas) so each marker is a DOM node with data-* hooks and keyboard focus.
    preferCanvas: false,
  })
  map.createPane(ENTITY_PANE).style.zIndex = '450'

  const overlays: Record<string, Layer> = {}
  if (city?.tileUrl) {
    const tiles = tileLayer(city.tileUrl, {
      // Trusted: comes from the server's own configuration (HTML, for the licence link).
      attribution: city.tileAttribution,
      maxZoom: 19,
      keepBuffer: 1,
    })
    let loaded = 0
    let failed = 0
    tiles.on('tileload', () => {
      loaded++
      if (failed >= TILE_FAILURES_BEFORE_NOTICE) options.onTilesAvailable?.(true)
      failed = 0
    })
    tiles.on('tileerror', () => {
      failed++
      if (failed === TILE_FAILURES_BEFORE_NOTICE && loaded === 0) {
        options.onTilesAvailable?.(false)
      }
    })
    tiles.addTo(map)
    overlays['Street map (online)'] = tiles
  }

  if (city) {
    const districts = geoJSON<DistrictProps>(city.districts, {
      style: (feature) => districtStyle(feature?.properties?.kind),
      onEachFeature: (feature, layer) => {
        // Hand-made city files may omit properties; label what we can.
        const props: DistrictProps = feature.properties ?? { name: '' }
        if (props.name) {
          layer.bindTooltip(h('span', null, props.name), {
            permanent: true,
            direction: 'center',
            className: 'district-label',
            opacity: 1,
          })
        }
        layer.bindPopup(districtPopup(props))
      },
    }).addTo(map)
    const roads = geoJSON<RoadProps>(city.roads, {
      style: (feature) => roadStyle(feature?.properties?.class),
      onEachFeature: (feature, layer) => {
        const name = feature.properties?.name
        if (name) layer.bindTooltip(h('span', null, name), { sticky: true })
      },
    }).addTo(map)
    overlays.Districts = districts
    overlays.Roads = roads
  }
  if (Object.keys(overlays).length > 0) control.layers(undefined, overlays).addTo(map)

  // The container can change size without a window resize (side panel, orientation).
  const resize = new ResizeObserver(() => map.invalidateSize())
  resize.observe(container)

  return {
    map,
    dispose() {
      resize.disconnect()
      map.remove()
    },
  }
}

function districtPopup(props: DistrictProps): HTMLElement {
  return h(
    'div',
    { class: 'popup' },
    h('h2', { class: 'popup__title' }, props.name),
    props.kind && h('p', null, `Kind: ${props.kind}`),
    typeof props.population === 'number' &&
      h('p', null, `Population: ${formatNumber(props.population)}`),
  )
}
