/**
 * Devices page: every provisioned device with its health, paged, with a text filter.
 *
 * Data: GET /api/v1/devices?limit=50&offset=N for plain paging (refreshed every 30 s while
 * visible). The API has no search parameter, so a filter loads all devices once (pages of 500)
 * and filters here. Filter and offset live in the URL (`#/devices?q=lora&offset=50`).
 */
import { fetchAllDevices, fetchDevices } from '../../api/client.js'
import { isAbort } from '../../api/http.js'
import { clampOffset, pageWindow } from '../../api/paging.js'
import type { DeviceSummary } from '../../api/types.js'
import { h } from '../../components/dom.js'
import { errorNote } from '../../components/status-note.js'
import { toHash } from '../../router/match-route.js'
import { createStore } from '../../state/store.js'
import { onLeave, replaceHash, type Page } from '../page.js'
import { filterDevices, filterTerms } from './device-filter.js'
import { devicesTable } from './devices-table.js'

const PAGE_SIZE = 50
const REFRESH_MS = 30_000
const TYPING_PAUSE_MS = 300

interface View {
  q: string
  offset: number
}

const devicesPage: Page = {
  title: () => 'Devices',
  mount(outlet, ctx) {
    const view = createStore<View>(
      { q: ctx.query.get('q') ?? '', offset: Number(ctx.query.get('offset')) || 0 },
      (a, b) => a.q === b.q && a.offset === b.offset,
    )

    let typing: ReturnType<typeof setTimeout> | undefined
    const input = h('input', {
      id: 'device-filter',
      type: 'search',
      value: view.get().q,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'device-filter-hint',
      oninput: () => {
        clearTimeout(typing)
        typing = setTimeout(() => view.set({ q: input.value.trim(), offset: 0 }), TYPING_PAUSE_MS)
      },
    })
    const summary = h('p', { class: 'summary', role: 'status' }, 'Loading devices…')
    const tableWrap = h('div', {
      class: 'table-wrap',
      tabindex: 0,
      role: 'region',
      'aria-label': 'Devices table',
    })
    const prev = h('button', { type: 'button', class: 'button', disabled: true }, '← Previous')
    const next = h('button', { type: 'button', class: 'button', disabled: true }, 'Next →')
    const pageLabel = h('span', { class: 'pager__label' })
    const pager = h(
      'nav',
      { class: 'pager', 'aria-label': 'Pages', hidden: true },
      prev,
      pageLabel,
      next,
    )
    const refresh = h('button', { type: 'button', class: 'button' }, 'Refresh')

    outlet.append(
      h(
        'section',
        { class: 'page' },
        h('h1', { tabindex: -1 }, 'Devices'),
        h(
          'form',
          { class: 'toolbar', role: 'search', onsubmit: (e) => e.preventDefault() },
          h('label', { for: 'device-filter' }, 'Filter'),
          input,
          refresh,
          h(
            'p',
            { id: 'device-filter-hint', class: 'hint' },
            'Words to find in id, name, profile, connectivity, health or last error.',
          ),
        ),
        summary,
        tableWrap,
        pager,
      ),
    )

    /** All devices, loaded once when a filter is first used (and again after Refresh). */
    let everything: Promise<DeviceSummary[]> | undefined
    let request: AbortController | undefined
    let shown: { items: DeviceSummary[]; total: number } | undefined

    const render = (items: DeviceSummary[], total: number) => {
      shown = { items, total }
      const { q } = view.get()
      const win = pageWindow({ total, offset: view.get().offset, limit: PAGE_SIZE })
      const matching = q ? ` matching “${q}”` : ''
      if (total === 0) {
        tableWrap.replaceChildren(
          h('p', { class: 'muted' }, q ? `No devices match “${q}”.` : 'No devices yet.'),
        )
        summary.textContent = q ? `No devices${matching}.` : 'No devices are provisioned yet.'
      } else {
        const caption = `Devices ${win.first}–${win.last} of ${win.total}${matching}`
        tableWrap.replaceChildren(devicesTable(items, Date.now(), caption))
        summary.textContent = `Showing ${win.first}–${win.last} of ${win.total} devices${matching}.`
      }
      const focused = document.activeElement
      prev.disabled = !win.hasPrev
      next.disabled = !win.hasNext
      pageLabel.textContent = `Page ${win.page} of ${win.pages}`
      pager.hidden = win.pages <= 1
      // Paging to the first or last page disables the focused button: keep focus in the pager.
      if (focused === prev && prev.disabled) next.focus()
      if (focused === next && next.disabled) prev.focus()
    }

    const load = async (quiet = false) => {
      request?.abort()
      const mine = new AbortController()
      request = mine
      const { q, offset } = view.get()
      if (!quiet) tableWrap.setAttribute('aria-busy', 'true')
      try {
        if (filterTerms(q).length === 0) {
          const page = await fetchDevices({ limit: PAGE_SIZE, offset }, mine.signal)
          const fixed = clampOffset(offset, page.total, PAGE_SIZE)
          // A stale URL pointing past the end: go to the last page instead of an empty table.
          if (fixed !== offset) return view.set({ q, offset: fixed })
          if (request === mine) render(page.items, page.total)
        } else {
          if (!everything) summary.textContent = 'Loading all devices to search them…'
          everything ??= fetchAllDevices(ctx.signal)
          const matches = filterDevices(await everything, q)
          const fixed = clampOffset(offset, matches.length, PAGE_SIZE)
          if (fixed !== offset) return view.set({ q, offset: fixed })
          if (request === mine) render(matches.slice(fixed, fixed + PAGE_SIZE), matches.length)
        }
      } catch (err) {
        if (isAbort(err) || request !== mine) return
        everything = undefined
        summary.textContent = ''
        tableWrap.replaceChildren(errorNote('Devices could not be loaded.', err, () => void load()))
      } finally {
        if (request === mine) tableWrap.removeAttribute('aria-busy')
      }
    }

    prev.addEventListener('click', () =>
      view.update((v) => ({ ...v, offset: Math.max(0, v.offset - PAGE_SIZE) })),
    )
    next.addEventListener('click', () =>
      view.update((v) => ({ ...v, offset: v.offset + PAGE_SIZE })),
    )
    refresh.addEventListener('click', () => {
      everything = undefined
      void load()
    })

    const stopView = view.subscribe(({ q, offset }) => {
      replaceHash(toHash('/devices', { q: q || undefined, offset: offset || undefined }))
      void load()
    })

    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return
      if (filterTerms(view.get().q).length === 0) void load(true)
      else if (shown) render(shown.items, shown.total) // refresh the relative times
    }, REFRESH_MS)

    onLeave(ctx.signal, () => {
      stopView()
      clearInterval(timer)
      clearTimeout(typing)
      request?.abort()
    })
  },
}

export default devicesPage
