/**
 * Entity page: type and id, a live values table fed by the entity's own event stream, and a
 * history chart.
 *
 * Data: GET /ngsi-ld/v1/entities/{id}?format=keyValues, SSE /api/v1/events?entityId={id},
 * GET /api/v1/history (see history-panel.ts). The attribute and range live in the URL
 * (`#/entity/<id>?attr=no2&range=24h`) so a view can be shared.
 */
import { fetchEntity, fetchObservedTimes } from '../../api/client.js'
import { resyncOnReconnect } from '../../api/entity-events.js'
import { openEntityStream } from '../../api/event-stream.js'
import { HttpError, isAbort } from '../../api/http.js'
import type { EntityKV } from '../../api/types.js'
import { entityHref, eventsUrl } from '../../api/urls.js'
import { DEFAULT_RANGE, isRangeKey } from '../../charts/time-range.js'
import { h } from '../../components/dom.js'
import { errorNote, loadingNote } from '../../components/status-note.js'
import { displayName } from '../../model/entity-view.js'
import { toHash } from '../../router/match-route.js'
import { liveStatus, reportStream } from '../../state/live-status.js'
import { onLeave, replaceHash, type Page, type PageContext } from '../page.js'
import { createHistoryPanel } from './history-panel.js'
import { createLiveValues } from './live-values.js'

const entityPage: Page = {
  title: (params) => params.id ?? 'Entity',
  mount(outlet, ctx) {
    const id = ctx.params.id ?? ''
    const heading = h('h1', { class: 'entity-title', tabindex: -1 }, h('code', null, id))
    const body = h('div', { class: 'entity-body' })
    outlet.append(
      h(
        'article',
        { class: 'page' },
        h(
          'nav',
          { class: 'crumbs', 'aria-label': 'Back to' },
          h('a', { href: '#/' }, 'Map'),
          ' · ',
          h('a', { href: '#/devices' }, 'Devices'),
        ),
        heading,
        body,
      ),
    )

    const load = async () => {
      body.replaceChildren(loadingNote('Loading entity…'))
      try {
        const entity = await fetchEntity(id, ctx.signal)
        if (!ctx.signal.aborted) show(entity, heading, body, ctx)
      } catch (err) {
        if (isAbort(err)) return
        const what =
          err instanceof HttpError && err.status === 404
            ? 'There is no entity with this id.'
            : 'The entity could not be loaded.'
        body.replaceChildren(errorNote(what, err, () => void load()))
      }
    }
    void load()
  },
}

function show(entity: EntityKV, heading: HTMLElement, body: HTMLElement, ctx: PageContext): void {
  heading.replaceChildren(
    h('span', { class: 'entity-title__type' }, entity.type),
    ' ',
    h('code', { class: 'entity-title__id' }, entity.id),
  )
  ctx.setTitle(`${entity.type} ${displayName(entity)}`)

  const values = createLiveValues(entity)
  // keyValues has no times: fill the Observed column from the normalized entity meanwhile.
  fetchObservedTimes(entity.id, ctx.signal).then(
    (times) => {
      for (const [attr, at] of Object.entries(times)) values.setObserved(attr, at)
    },
    () => undefined,
  )
  const rangeParam = ctx.query.get('range')
  const history = createHistoryPanel(entity, {
    attr: ctx.query.get('attr') ?? undefined,
    range: isRangeKey(rangeParam) ? rangeParam : DEFAULT_RANGE,
    signal: ctx.signal,
    onChange: (attr, range) => replaceHash(toHash(entityHref(entity.id).slice(1), { attr, range })),
    onUnit: (attr, unit) => values.setUnit(attr, unit),
  })

  body.replaceChildren(
    displayName(entity) !== entity.id ? h('p', { class: 'lead' }, displayName(entity)) : '',
    h(
      'section',
      { 'aria-labelledby': 'values-heading' },
      h('h2', { id: 'values-heading' }, 'Live values'),
      values.element,
    ),
    history.element,
  )

  // Re-read the entity after a dropped stream: what changed meanwhile flashes like a live update.
  const resync = resyncOnReconnect(() => {
    fetchEntity(entity.id, ctx.signal).then(
      (fresh) => values.apply({ entityId: fresh.id, type: fresh.type, attrs: fresh }),
      () => undefined,
    )
  })
  const close = openEntityStream({
    url: eventsUrl(entity.id),
    onEvent: (event) => {
      if (event.entityId !== entity.id) return
      values.apply(event)
      history.onEvent(event)
    },
    onStatus: (status) => {
      reportStream(status)
      resync(status)
    },
  })
  onLeave(ctx.signal, () => {
    close()
    liveStatus.set('off')
  })
}

export default entityPage
