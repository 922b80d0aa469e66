/**
 * The popup of an entity marker: name, live state, main values, and the link to its page.
 *
 * @example
 *   marker.bindPopup(() => entityPopup(entity, observedAt))
 */
import type { EntityKV } from '../api/types.js'
import { entityHref } from '../api/urls.js'
import { h } from '../components/dom.js'
import { absoluteTime, relativeTime } from '../format/relative-time.js'
import { displayName, mainValues } from '../model/entity-view.js'
import { entityState, typeColor } from './colors.js'

export function entityPopup(entity: EntityKV, observedAt?: string): HTMLElement {
  const state = entityState(entity)
  const lines = mainValues(entity)
  return h(
    'div',
    { class: 'popup', 'data-popup-entity-id': entity.id },
    h(
      'p',
      { class: 'popup__type' },
      h('span', { class: 'swatch swatch--ring', style: `border-color:${typeColor(entity.type)}` }),
      entity.type,
    ),
    h('h2', { class: 'popup__title' }, displayName(entity)),
    state && h('p', { class: 'popup__state' }, 'State: ', h('strong', null, state.label)),
    lines.length > 0 &&
      h(
        'table',
        { class: 'popup__values' },
        h(
          'tbody',
          null,
          ...lines.map((line) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, line.name),
              h('td', null, line.unit ? `${line.text} ${line.unit}` : line.text),
            ),
          ),
        ),
      ),
    observedAt !== undefined &&
      h(
        'p',
        { class: 'muted' },
        'Updated ',
        h(
          'time',
          { datetime: observedAt, title: absoluteTime(observedAt) },
          relativeTime(observedAt, Date.now()),
        ),
      ),
    h(
      'a',
      { class: 'popup__link', href: entityHref(entity.id), 'data-testid': 'entity-link' },
      'Open details',
    ),
  )
}
