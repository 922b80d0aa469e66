/**
 * The router: on each hash change, leave the current page (abort its signal), load the next
 * page's module and mount it. Focus moves to the new page's heading for screen-reader users.
 *
 * @example
 *   const stop = startRouter({ routes: ROUTES, outlet, notFound, appName: 'Civitas' })
 */
import { errorNote, loadingNote } from '../components/status-note.js'
import type { Page } from '../pages/page.js'
import type { RouteDef } from '../routes.js'
import { matchRoute } from './match-route.js'

export interface RouterOptions {
  routes: readonly RouteDef[]
  outlet: HTMLElement
  notFound: Page
  appName: string
  onNavigate?: (route: RouteDef | undefined) => void
}

export function startRouter(options: RouterOptions): () => void {
  const { routes, outlet, notFound, appName } = options
  let current: AbortController | undefined
  let seq = 0
  let first = true

  const render = async (): Promise<void> => {
    const mine = ++seq
    current?.abort()
    const controller = new AbortController()
    current = controller
    const match = matchRoute(routes, location.hash)
    options.onNavigate?.(match?.route)

    let page = notFound
    if (match) {
      outlet.replaceChildren(loadingNote('Loading…'))
      try {
        page = (await match.route.load()).default
      } catch (err) {
        // A chunk that fails to load (flaky link, or a new deploy) must not leave a blank page.
        if (mine === seq) {
          outlet.replaceChildren(errorNote('Could not load this page.', err, () => void render()))
        }
        return
      }
      if (mine !== seq) return
    }

    const params = match?.params ?? {}
    const setTitle = (title: string) => {
      document.title = `${title} · ${appName}`
    }
    setTitle(page.title(params))
    outlet.replaceChildren()
    page.mount(outlet, {
      params,
      query: match?.query ?? new URLSearchParams(),
      signal: controller.signal,
      setTitle,
    })
    if (!first) {
      window.scrollTo(0, 0)
      outlet.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true })
    }
    first = false
  }

  const onHashChange = () => void render()
  window.addEventListener('hashchange', onHashChange)
  void render()
  return () => {
    window.removeEventListener('hashchange', onHashChange)
    current?.abort()
  }
}
