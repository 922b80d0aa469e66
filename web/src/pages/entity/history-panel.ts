/**
 * The history section of the entity page: pick a numeric attribute and a range (1 h, 24 h,
 * 7 d), read /api/v1/history downsampled to the chart's width, and extend it with live values.
 *
 * @example
 *   const panel = createHistoryPanel(entity, { attr: 'no2', range: '24h', signal, onChange })
 *   panel.onEvent(event)
 */
import { fetchHistory } from '../../api/client.js'
import type { EntityEvent } from '../../api/entity-events.js'
import { describeError, isAbort } from '../../api/http.js'
import type { EntityKV } from '../../api/types.js'
import { createHistoryChart } from '../../charts/history-chart.js'
import { summarizeSeries } from '../../charts/history-summary.js'
import { pointsForWidth, RANGES, rangeWindow, type RangeKey } from '../../charts/time-range.js'
import { h } from '../../components/dom.js'
import { unitSymbol } from '../../format/units.js'
import { numericAttrs, orderAttrs, unitOf } from '../../model/entity-view.js'

export interface HistoryPanelOptions {
  attr: string | undefined
  range: RangeKey
  signal: AbortSignal
  /** Told the chosen attribute and range, to keep them in the URL. */
  onChange: (attr: string, range: RangeKey) => void
  /** Told the unit the history API reports for an attribute. */
  onUnit?: (attr: string, unit: string) => void
}

export interface HistoryPanel {
  element: HTMLElement
  onEvent(event: EntityEvent): void
}

export function createHistoryPanel(entity: EntityKV, options: HistoryPanelOptions): HistoryPanel {
  let range = options.range
  let request: AbortController | undefined
  const known = new Set(numericAttrs(entity))

  const select = h('select', { id: 'history-attr', onchange: () => changed() })
  const fillOptions = () => {
    const current = select.value
    select.replaceChildren(
      ...orderAttrs(entity.type, [...known]).map((name) => h('option', { value: name }, name)),
    )
    if (current && known.has(current)) select.value = current
  }
  fillOptions()
  if (options.attr !== undefined && known.has(options.attr)) select.value = options.attr

  const rangeButtons = RANGES.map((r) =>
    h(
      'button',
      {
        type: 'button',
        class: 'button button--toggle',
        'data-range': r.key,
        'aria-pressed': String(r.key === range),
        onclick: () => {
          range = r.key
          for (const b of rangeButtons) {
            b.setAttribute('aria-pressed', String(b.dataset.range === range))
          }
          changed()
        },
      },
      r.label,
    ),
  )

  const chartBox = h('div', { class: 'chart' })
  const summary = h('figcaption', { class: 'chart__summary', 'aria-live': 'polite' })
  const figure = h('figure', { class: 'chart-figure' }, chartBox, summary)
  const chart = createHistoryChart(chartBox)
  const noData = h('p', { class: 'muted' }, 'This entity has no numeric attributes to chart yet.')
  const controls = h(
    'div',
    { class: 'chart-controls' },
    h('label', { for: 'history-attr' }, 'Attribute'),
    select,
    h('div', { class: 'button-group', role: 'group', 'aria-label': 'Time range' }, ...rangeButtons),
  )

  const element = h(
    'section',
    { class: 'history', 'aria-labelledby': 'history-heading' },
    h('h2', { id: 'history-heading' }, 'History'),
    noData,
    controls,
    figure,
  )

  const showEmpty = () => {
    const none = known.size === 0
    noData.hidden = !none
    controls.hidden = none
    figure.hidden = none
  }

  const load = async () => {
    request?.abort()
    const attr = select.value
    if (!attr) return
    const mine = new AbortController()
    request = mine
    const label = RANGES.find((r) => r.key === range)?.label ?? range
    const { from, to } = rangeWindow(range, Date.now())
    figure.setAttribute('aria-busy', 'true')
    summary.textContent = `Loading ${attr}, last ${label}…`
    try {
      const history = await fetchHistory(
        { entityId: entity.id, attr, from, to, maxPoints: pointsForWidth(chartBox.clientWidth) },
        mine.signal,
      )
      const unit = history.unitCode ? unitSymbol(history.unitCode) : unitOf(entity.type, attr)
      if (history.unitCode) options.onUnit?.(attr, unit)
      if (history.points.length === 0) {
        chart.clear()
        summary.textContent = `No readings of ${attr} in the last ${label}.`
      } else {
        chart.show(history.points, attr, unit)
        summary.textContent = `${attr}, last ${label}: ${summarizeSeries(history.points, unit)}`
      }
    } catch (err) {
      if (isAbort(err)) return
      chart.clear()
      summary.textContent = `History of ${attr} is unavailable. ${describeError(err)}`
    } finally {
      if (request === mine) figure.removeAttribute('aria-busy')
    }
  }

  function changed() {
    if (select.value) options.onChange(select.value, range)
    void load()
  }

  options.signal.addEventListener(
    'abort',
    () => {
      request?.abort()
      chart.destroy()
    },
    { once: true },
  )
  showEmpty()
  // Wait for layout so the first request asks for as many points as the chart is wide.
  requestAnimationFrame(() => {
    if (!options.signal.aborted) void load()
  })

  return {
    element,
    onEvent(event) {
      let added = false
      for (const [name, value] of Object.entries(event.attrs)) {
        if (typeof value === 'number' && Number.isFinite(value) && !known.has(name)) {
          known.add(name)
          added = true
        }
      }
      if (added) {
        const hadNone = select.value === ''
        fillOptions()
        showEmpty()
        if (hadNone) changed()
      }
      const value = event.attrs[select.value]
      if (typeof value === 'number' && Number.isFinite(value)) {
        const at = event.observedAt === undefined ? Number.NaN : Date.parse(event.observedAt)
        chart.append(Number.isFinite(at) ? at : Date.now(), value)
      }
    },
  }
}
