/** Shown for any hash that matches no route. Loaded with the app: it must work when chunks fail. */
import { h } from '../components/dom.js'
import type { Page } from './page.js'

const notFoundPage: Page = {
  title: () => 'Not found',
  mount(outlet) {
    outlet.append(
      h(
        'section',
        { class: 'page' },
        h('h1', { tabindex: -1 }, 'Page not found'),
        h(
          'p',
          null,
          'There is no page at this address. ',
          h('a', { href: '#/' }, 'Go to the map'),
          '.',
        ),
      ),
    )
  },
}

export default notFoundPage
