/**
 * Loading and error notes with a retry button: the same wording and markup on every page.
 *
 * @example
 *   outlet.replaceChildren(loadingNote('Loading devices…'))
 *   outlet.replaceChildren(errorNote('Could not load devices.', err, () => load()))
 */
import { describeError } from '../api/http.js'
import { h } from './dom.js'

export function loadingNote(text: string): HTMLElement {
  return h('p', { class: 'note', role: 'status' }, text)
}

export function errorNote(what: string, err: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'note note--error', role: 'alert' },
    h('p', null, `${what} ${describeError(err)}`),
    retry && h('button', { type: 'button', class: 'button', onclick: () => retry() }, 'Try again'),
  )
}
