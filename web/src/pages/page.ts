/**
 * The contract between the router and a page module. A page renders into `outlet`, fetches with
 * `ctx.signal`, and cleans up when that signal aborts (the user navigated away).
 *
 * @example
 *   const page: Page = {
 *     title: () => 'Devices',
 *     mount(outlet, ctx) { outlet.append(h('h1', { tabindex: -1 }, 'Devices')) },
 *   }
 */

export interface PageContext {
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  /** Aborted when the page is left: pass it to fetch, and listen to it to release resources. */
  readonly signal: AbortSignal
  /** Sets the document title (the router appends the app name). */
  setTitle(title: string): void
}

export interface Page {
  /** Title shown before the page has loaded anything. */
  title(params: Readonly<Record<string, string>>): string
  mount(outlet: HTMLElement, ctx: PageContext): void
}

/** Runs `fn` once when the page is left. */
export function onLeave(signal: AbortSignal, fn: () => void): void {
  if (signal.aborted) fn()
  else signal.addEventListener('abort', fn, { once: true })
}

/** Replaces the current hash without a history entry or a re-render (for filters and paging). */
export function replaceHash(hash: string): void {
  if (location.hash !== hash) history.replaceState(history.state, '', hash)
}
