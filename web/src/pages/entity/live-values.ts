/**
 * The live values table of one entity. Each value cell carries `data-attr="<name>"`; a changed
 * value flashes briefly. Rows for attributes first seen in an event are appended.
 *
 * @example
 *   const values = createLiveValues(entity)
 *   values.apply(event) // updates cells in place
 */
import type { EntityEvent } from '../../api/entity-events.js'
import type { EntityKV } from '../../api/types.js'
import { h, timeEl } from '../../components/dom.js'
import { absoluteTime, shortTimestamp } from '../../format/relative-time.js'
import { formatValue } from '../../format/value.js'
import { attributeNames, unitOf } from '../../model/entity-view.js'

export interface LiveValues {
  element: HTMLElement
  apply(event: EntityEvent): void
  /** Shows when an attribute was observed, unless a later observation is shown already. */
  setObserved(attr: string, observedAt: string): void
  /** Sets the unit shown for an attribute (e.g. the unitCode the history API reported). */
  setUnit(attr: string, unit: string): void
}

interface Row {
  value: unknown
  /** The observedAt shown, as epoch ms (NaN while none). */
  observed: number
  valueCell: HTMLTableCellElement
  unitCell: HTMLTableCellElement
  timeCell: HTMLTableCellElement
}

const IDENTITY = new Set(['id', 'type', '@context'])

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

function flash(cell: HTMLElement): void {
  cell.classList.remove('flash')
  // Reading layout restarts the CSS animation when the value changes again quickly.
  void cell.offsetWidth
  cell.classList.add('flash')
}

export function createLiveValues(entity: EntityKV): LiveValues {
  const rows = new Map<string, Row>()
  const tbody = h('tbody')
  const empty = h('p', { class: 'muted' }, 'This entity has no attributes yet.')

  const addRow = (name: string, value: unknown): Row => {
    const valueCell = h('td', { 'data-attr': name, class: 'values__value' }, formatValue(value))
    const unitCell = h('td', { class: 'values__unit' }, unitOf(entity.type, name))
    const timeCell = h('td', { class: 'values__time' }, h('span', { class: 'muted' }, '—'))
    tbody.append(
      h('tr', { 'data-row': name }, h('th', { scope: 'row' }, name), valueCell, unitCell, timeCell),
    )
    const row = { value, observed: NaN, valueCell, unitCell, timeCell }
    rows.set(name, row)
    empty.hidden = true
    return row
  }

  const showObserved = (row: Row, observedAt: string, now: number) => {
    const at = Date.parse(observedAt)
    if (Number.isNaN(at) || at < row.observed) return
    row.observed = at
    row.timeCell.replaceChildren(
      timeEl(observedAt, shortTimestamp(observedAt, now), absoluteTime(observedAt)),
    )
  }

  for (const name of attributeNames(entity)) addRow(name, entity[name])
  empty.hidden = rows.size > 0

  const table = h(
    'table',
    { class: 'values' },
    h('caption', { class: 'visually-hidden' }, 'Current values, updated live'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Attribute'),
        h('th', { scope: 'col' }, 'Value'),
        h('th', { scope: 'col' }, 'Unit'),
        h('th', { scope: 'col' }, 'Observed'),
      ),
    ),
    tbody,
  )

  return {
    element: h('div', { class: 'table-wrap' }, table, empty),
    apply(event) {
      const now = Date.now()
      for (const [name, value] of Object.entries(event.attrs)) {
        if (IDENTITY.has(name)) continue
        const existing = rows.get(name)
        const row = existing ?? addRow(name, value)
        if (existing && !sameValue(existing.value, value)) {
          existing.value = value
          existing.valueCell.textContent = formatValue(value)
          flash(existing.valueCell)
        } else if (!existing) {
          flash(row.valueCell)
        }
        if (event.observedAt !== undefined) showObserved(row, event.observedAt, now)
      }
    },
    setObserved(attr, observedAt) {
      const row = rows.get(attr)
      if (row) showObserved(row, observedAt, Date.now())
    },
    setUnit(attr, unit) {
      const row = rows.get(attr)
      if (row && unit) row.unitCell.textContent = unit
    },
  }
}
