/**
 * The devices table: one row per device, linking to the entity it feeds.
 *
 * @example
 *   wrap.replaceChildren(devicesTable(items, Date.now(), 'Devices 1–50 of 230'))
 */
import type { DeviceSummary } from '../../api/types.js'
import { entityHref } from '../../api/urls.js'
import { h, timeEl } from '../../components/dom.js'
import { healthBadge } from '../../format/health.js'
import { absoluteTime, relativeTime } from '../../format/relative-time.js'
import { formatNumber } from '../../format/value.js'

const COLUMNS = [
  'Id',
  'Name',
  'Profile',
  'Connectivity',
  'Health',
  'Last seen',
  'Messages',
  'Rejected',
  'Last error',
] as const

function row(d: DeviceSummary, now: number): HTMLTableRowElement {
  const badge = healthBadge(d.health)
  const error = d.lastError
  return h(
    'tr',
    { 'data-device-id': d.id },
    h(
      'th',
      { scope: 'row' },
      h('a', { href: entityHref(d.entityId), title: `Open ${d.entityId}` }, h('code', null, d.id)),
    ),
    h('td', null, d.name ?? h('span', { class: 'muted' }, '—')),
    h('td', null, d.profile),
    h('td', null, d.connectivity ?? h('span', { class: 'muted' }, '—')),
    h(
      'td',
      null,
      h(
        'span',
        { class: `badge badge--${badge.tone}`, title: badge.description, 'data-health': d.health },
        badge.text,
      ),
    ),
    h(
      'td',
      null,
      timeEl(d.lastSeenAt, relativeTime(d.lastSeenAt, now), absoluteTime(d.lastSeenAt)),
    ),
    h('td', { class: 'num' }, formatNumber(d.messages)),
    h('td', { class: d.rejected > 0 ? 'num num--warn' : 'num' }, formatNumber(d.rejected)),
    h(
      'td',
      { class: 'error-cell' },
      error
        ? h(
            'span',
            { title: `${error.reason} (${absoluteTime(error.at)})` },
            error.reason,
            h('span', { class: 'muted' }, ` · ${relativeTime(error.at, now)}`),
          )
        : h('span', { class: 'muted' }, '—'),
    ),
  )
}

export function devicesTable(
  devices: readonly DeviceSummary[],
  now: number,
  caption: string,
): HTMLTableElement {
  return h(
    'table',
    { class: 'devices', 'data-testid': 'devices-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, ...COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, ...devices.map((d) => row(d, now))),
  )
}
