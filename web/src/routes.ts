/**
 * Every page of the dashboard, in one table. To add a page: write `pages/<name>/<name>-page.ts`
 * exporting a default `Page`, then add a line here. Pages load on demand, so a page's libraries
 * (Leaflet, uPlot) are only downloaded when someone opens it.
 */
import type { Page } from './pages/page.js'

export interface RouteDef {
  readonly path: string
  /** Label in the header navigation; routes without one are reached by links. */
  readonly nav?: string
  readonly load: () => Promise<{ default: Page }>
}

export const ROUTES: readonly RouteDef[] = [
  { path: '/', nav: 'Map', load: () => import('./pages/map/map-page.js') },
  { path: '/devices', nav: 'Devices', load: () => import('./pages/devices/devices-page.js') },
  { path: '/entity/:id', load: () => import('./pages/entity/entity-page.js') },
]

/** Planned sections, shown greyed out in the navigation until their pages exist. */
export const PLANNED_NAV: readonly string[] = ['Services', 'Alarms', 'Assessment', 'Portal']
