/**
 * Entry point: draw the shell, start the router and the health check. Everything else is
 * loaded per page (see routes.ts).
 */
import './styles.css'
import notFoundPage from './pages/not-found-page.js'
import { startRouter } from './router/hash-router.js'
import { PLANNED_NAV, ROUTES } from './routes.js'
import { startHealthPoll } from './shell/health-poll.js'
import { createShell } from './shell/shell.js'

const root = document.getElementById('app') ?? document.body
const shell = createShell(root, ROUTES, PLANNED_NAV)
startRouter({
  routes: ROUTES,
  outlet: shell.outlet,
  notFound: notFoundPage,
  appName: 'Civitas',
  onNavigate: (route) => shell.setActive(route),
})
startHealthPoll()
