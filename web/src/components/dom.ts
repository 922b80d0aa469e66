/**
 * `h()`: build DOM elements without innerHTML, so text from the API can never become markup.
 *
 * @example
 *   h('a', { href: entityHref(id), class: 'link' }, 'Open details')
 *   h('button', { type: 'button', onclick: () => retry() }, 'Retry')
 */

type Child = Node | string | number | null | undefined | false
type AttrValue = string | number | boolean | null | undefined
type Handler = (event: Event) => void

export type Attrs = Record<string, AttrValue | Handler>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (typeof value === 'function') {
        el.addEventListener(name.replace(/^on/, ''), value)
      } else if (value === true) {
        el.setAttribute(name, '')
      } else if (value !== false && value !== null && value !== undefined) {
        el.setAttribute(name, String(value))
      }
    }
  }
  append(el, children)
  return el
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

/** A `<time>` with machine-readable datetime and the full local time as tooltip. */
export function timeEl(iso: string | undefined, text: string, title: string): HTMLElement {
  if (iso === undefined) return h('span', { class: 'muted' }, text)
  return h('time', { datetime: iso, title }, text)
}
