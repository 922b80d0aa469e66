/**
 * Legend and type filter in one: a checkbox per entity type (with its colour and count), and
 * under it what the fill colours of that type mean.
 *
 * @example
 *   const legend = createLegend((type, visible) => …)
 *   legend.render(markers.countsByType(), hiddenTypes)
 */
import { h } from '../components/dom.js'
import { stateLegend, typeColor } from './colors.js'

export interface Legend {
  element: HTMLElement
  render(counts: ReadonlyMap<string, number>, hidden: ReadonlySet<string>): void
}

export function createLegend(onToggle: (type: string, visible: boolean) => void): Legend {
  const list = h('ul', { class: 'legend__list' })
  const empty = h('p', { class: 'muted' }, 'No located entities yet.')
  const element = h('fieldset', { class: 'legend' }, h('legend', null, 'Entity types'), empty, list)
  let lastKey = ''

  return {
    element,
    render(counts, hidden) {
      const types = [...counts.keys()].sort((a, b) => a.localeCompare(b))
      const key = JSON.stringify([types.map((t) => [t, counts.get(t)]), [...hidden].sort()])
      if (key === lastKey) return
      lastKey = key
      // Rebuilding drops focus; put it back on the same checkbox.
      const focusedType =
        document.activeElement instanceof HTMLInputElement && list.contains(document.activeElement)
          ? document.activeElement.value
          : undefined
      empty.hidden = types.length > 0
      list.replaceChildren(
        ...types.map((type) => {
          const box = h('input', {
            type: 'checkbox',
            value: type,
            checked: !hidden.has(type),
            onchange: (e) => onToggle(type, (e.currentTarget as HTMLInputElement).checked),
          })
          const states = stateLegend(type)
          return h(
            'li',
            null,
            h(
              'label',
              { class: 'legend__type' },
              box,
              h('span', { class: 'swatch swatch--ring', style: `border-color:${typeColor(type)}` }),
              h('span', null, type),
              h('span', { class: 'legend__count' }, String(counts.get(type) ?? 0)),
            ),
            states.length > 0 &&
              h(
                'ul',
                { class: 'legend__states', 'aria-label': `${type} colours` },
                ...states.map((s) =>
                  h(
                    'li',
                    null,
                    h('span', { class: 'swatch', style: `background:${s.color}` }),
                    s.label,
                  ),
                ),
              ),
          )
        }),
      )
      if (focusedType !== undefined) {
        list.querySelector<HTMLInputElement>(`input[value="${CSS.escape(focusedType)}"]`)?.focus()
      }
    },
  }
}
