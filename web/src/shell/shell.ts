/**
 * The page frame: skip link, header with the navigation built from the route table, the
 * connection status, and the `<main>` outlet pages render into.
 *
 * @example
 *   const shell = createShell(document.getElementById('app')!, ROUTES, PLANNED_NAV)
 *   shell.setActive(route)
 */
import { h } from '../components/dom.js'
import type { RouteDef } from '../routes.js'
import {
  liveStatus,
  serverStatus,
  type LiveStatus,
  type ServerStatus,
} from '../state/live-status.js'

export interface Shell {
  outlet: HTMLElement
  setActive(route: RouteDef | undefined): void
}

const LIVE_TEXT: Readonly<Record<LiveStatus, string>> = {
  off: '',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
}

export function createShell(
  root: HTMLElement,
  routes: readonly RouteDef[],
  planned: readonly string[],
): Shell {
  const main = h('main', { id: 'main', class: 'app-main', tabindex: -1 })
  const skip = h(
    'a',
    {
      class: 'skip-link',
      href: '#main',
      // The hash is the router's; move focus by hand instead of navigating.
      onclick: (e) => {
        e.preventDefault()
        main.focus()
      },
    },
    'Skip to content',
  )

  const links = new Map<RouteDef, HTMLAnchorElement>()
  const items: HTMLElement[] = []
  for (const route of routes) {
    if (route.nav === undefined) continue
    const link = h('a', { href: `#${route.path}`, class: 'nav-link' }, route.nav)
    links.set(route, link)
    items.push(h('li', null, link))
  }
  for (const label of planned) {
    items.push(
      h(
        'li',
        null,
        h(
          'span',
          { class: 'nav-link nav-link--planned', 'aria-disabled': 'true', title: 'Coming soon' },
          label,
          h('span', { class: 'visually-hidden' }, ' (coming soon)'),
        ),
      ),
    )
  }

  const status = h('p', { class: 'conn', role: 'status' })
  const header = h(
    'header',
    { class: 'app-header' },
    h('a', { class: 'brand', href: '#/' }, 'Civitas'),
    h('nav', { class: 'app-nav', 'aria-label': 'Main' }, h('ul', null, ...items)),
    status,
  )
  root.replaceChildren(skip, header, main)

  const renderStatus = (server: ServerStatus, live: LiveStatus) => {
    const down = server === 'down'
    status.textContent = down ? 'Server unreachable' : LIVE_TEXT[live]
    status.dataset.state = down ? 'down' : live
  }
  liveStatus.subscribe((live) => renderStatus(serverStatus.get(), live))
  serverStatus.subscribe((server) => renderStatus(server, liveStatus.get()))

  return {
    outlet: main,
    setActive(route) {
      for (const [r, link] of links) {
        if (r === route) link.setAttribute('aria-current', 'page')
        else link.removeAttribute('aria-current')
      }
    },
  }
}
