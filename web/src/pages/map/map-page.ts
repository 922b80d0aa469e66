/**
 * Map page: the city (tiles when online, districts and roads always), every located entity as a
 * marker, a legend that filters by type, and live updates from the all-entities stream.
 *
 * Data: GET /api/v1/city (cached per session), GET /ngsi-ld/v1/entities pages (markers appear
 * page by page), SSE /api/v1/events (batched per animation frame, applied in place).
 */
import { fetchAllEntities, fetchCity, fetchEntity } from '../../api/client.js'
import { mergeEvents, resyncOnReconnect, type EntityEvent } from '../../api/entity-events.js'
import { openEntityStream } from '../../api/event-stream.js'
import { describeError, isAbort } from '../../api/http.js'
import type { City } from '../../api/types.js'
import { eventsUrl } from '../../api/urls.js'
import { h } from '../../components/dom.js'
import { createCityMap } from '../../map/city-map.js'
import { createEntityMarkers } from '../../map/entity-markers.js'
import { entityPopup } from '../../map/entity-popup.js'
import { createLegend } from '../../map/legend.js'
import { createEntityIndex } from '../../state/entity-index.js'
import { liveStatus, reportStream } from '../../state/live-status.js'
import { createStore } from '../../state/store.js'
import { onLeave, type Page, type PageContext } from '../page.js'

/** After a dropped stream, reload the entity list at most this often to catch missed changes. */
const RESYNC_MIN_INTERVAL_MS = 30_000

const mapPage: Page = {
  title: () => 'Map',
  mount(outlet, ctx) {
    const heading = h('h1', { class: 'visually-hidden', tabindex: -1 }, 'City map')
    const mapEl = h('div', {
      class: 'map',
      'data-testid': 'map',
      role: 'region',
      'aria-label': 'City map',
    })
    const status = h('p', { class: 'map-status', role: 'status' }, 'Loading the city…')
    const cityNote = h('p', { class: 'note note--error', hidden: true })
    const tilesNote = h(
      'p',
      { class: 'note', hidden: true },
      'Street map tiles cannot be loaded (no internet?). Districts, roads and sensors come ' +
        'from the Civitas server and stay up to date.',
    )
    const hiddenTypes = createStore<ReadonlySet<string>>(new Set())
    const legend = createLegend((type, visible) =>
      hiddenTypes.update((prev) => {
        const next = new Set(prev)
        if (visible) next.delete(type)
        else next.add(type)
        return next
      }),
    )
    const side = h(
      'aside',
      { class: 'map-side', 'aria-label': 'Legend and filter' },
      status,
      cityNote,
      tilesNote,
      legend.element,
    )
    outlet.append(h('div', { class: 'map-page' }, heading, mapEl, side))

    // Without the city we still show the entities, on a plain map fitted to them.
    void fetchCity()
      .catch((err: unknown) => {
        cityNote.textContent = `City outline unavailable: ${describeError(err)}`
        cityNote.hidden = false
        return undefined
      })
      .then((city) => {
        if (!ctx.signal.aborted) showMap(city)
      })

    function showMap(city: City | undefined) {
      if (city) {
        heading.textContent = `Map of ${city.name}`
        mapEl.setAttribute('aria-label', `Map of ${city.name}`)
        ctx.setTitle(`Map · ${city.name}`)
      }
      const cityMap = createCityMap(mapEl, city, {
        onTilesAvailable: (ok) => {
          tilesNote.hidden = ok
        },
      })
      const index = createEntityIndex()
      const markers = createEntityMarkers(cityMap.map, {
        popup: (entity) => entityPopup(entity, index.observedAt(entity.id)),
      })
      const refreshLegend = () => legend.render(markers.countsByType(), hiddenTypes.get())
      const stopFilter = hiddenTypes.subscribe((hidden) => {
        markers.setHiddenTypes(hidden)
        refreshLegend()
      })
      const live = startLiveUpdates(ctx, index, markers, refreshLegend)
      let fitted = city !== undefined
      const loader = createLoader(ctx, index, markers, status, refreshLegend, () => {
        live.ready()
        const bounds = fitted ? undefined : markers.bounds()
        if (bounds) {
          cityMap.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 })
          fitted = true
        }
      })
      live.onResync(loader.load)
      void loader.load()

      onLeave(ctx.signal, () => {
        live.stop()
        stopFilter()
        markers.dispose()
        cityMap.dispose()
      })
    }
  },
}

type Markers = ReturnType<typeof createEntityMarkers>
type Index = ReturnType<typeof createEntityIndex>

function createLoader(
  ctx: PageContext,
  index: Index,
  markers: Markers,
  status: HTMLElement,
  refreshLegend: () => void,
  onLoaded: () => void,
) {
  let running = false
  const load = async () => {
    if (running) return
    running = true
    try {
      await fetchAllEntities(ctx.signal, (page) => {
        for (const entity of page) markers.upsert(index.upsert(entity))
        refreshLegend()
        status.textContent = `Loading… ${index.size} entities so far.`
      })
      const onMap = [...markers.countsByType().values()].reduce((a, b) => a + b, 0)
      const unplaced = index.size - onMap
      status.textContent =
        `${onMap} ${onMap === 1 ? 'entity' : 'entities'} on the map` +
        (unplaced > 0 ? `; ${unplaced} without a location.` : '.')
      onLoaded()
    } catch (err) {
      if (isAbort(err)) return
      status.replaceChildren(
        `Entities could not be loaded. ${describeError(err)} `,
        h('button', { type: 'button', class: 'button', onclick: () => void load() }, 'Try again'),
      )
    } finally {
      running = false
    }
  }
  return { load }
}

/**
 * The all-entities stream. Events wait until the first load is done, then are merged per entity
 * and applied once per animation frame, so a burst costs one restyle per marker.
 */
function startLiveUpdates(
  ctx: PageContext,
  index: Index,
  markers: Markers,
  refreshLegend: () => void,
) {
  const pending = new Map<string, EntityEvent>()
  /** Events for entities being fetched, applied once they arrive. */
  const waiting = new Map<string, EntityEvent>()
  const notFound = new Set<string>()
  let loaded = false
  let frame = 0
  let resync: (() => Promise<void>) | undefined
  const onReconnect = resyncOnReconnect(() => {
    if (loaded && resync) void resync()
  }, RESYNC_MIN_INTERVAL_MS)

  const queue = (event: EntityEvent) => {
    const prev = pending.get(event.entityId)
    pending.set(event.entityId, prev ? mergeEvents(prev, event) : event)
    if (loaded && frame === 0) frame = requestAnimationFrame(flush)
  }

  const flush = () => {
    frame = 0
    const events = [...pending.values()]
    pending.clear()
    for (const event of events) {
      const updated = index.apply(event)
      if (updated) markers.upsert(updated)
      else void fetchUnknown(event)
    }
  }

  /** A new entity appeared (a device was just provisioned): fetch it once, then place it. */
  const fetchUnknown = async (event: EntityEvent) => {
    const id = event.entityId
    if (notFound.has(id)) return
    const earlier = waiting.get(id)
    waiting.set(id, earlier ? mergeEvents(earlier, event) : event)
    if (earlier) return // already being fetched; its events are merged above
    try {
      index.upsert(await fetchEntity(id, ctx.signal))
      const merged = waiting.get(id)
      const updated = merged ? index.apply(merged) : index.get(id)
      if (updated) markers.upsert(updated)
      refreshLegend()
    } catch (err) {
      if (!isAbort(err)) notFound.add(id)
    } finally {
      waiting.delete(id)
    }
  }

  const close = openEntityStream({
    url: eventsUrl(),
    onEvent: queue,
    onStatus: (s) => {
      reportStream(s)
      onReconnect(s)
    },
  })

  return {
    ready() {
      loaded = true
      if (pending.size > 0 && frame === 0) frame = requestAnimationFrame(flush)
    },
    onResync(fn: () => Promise<void>) {
      resync = fn
    },
    stop() {
      cancelAnimationFrame(frame)
      close()
      liveStatus.set('off')
    },
  }
}

export default mapPage
