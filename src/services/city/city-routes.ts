/**
 * The city's geography for the map: districts and roads as GeoJSON, bundled so the map means
 * something without internet tiles. The demo supplies its fictional city; a real deployment
 * without a city file gets an envelope around its devices.
 */
import type { FastifyInstance } from 'fastify'

export interface CityGeography {
  name: string
  center: [number, number]
  zoom: number
  districts: { type: 'FeatureCollection'; features: unknown[] }
  roads: { type: 'FeatureCollection'; features: unknown[] }
}

export function registerCityRoutes(
  app: FastifyInstance,
  deps: { city: () => Promise<CityGeography>; tileUrl: string | null; tileAttribution: string },
): void {
  app.get(
    '/api/v1/city',
    { schema: { summary: 'City geography for the map', tags: ['live'] } },
    async () => ({
      ...(await deps.city()),
      tileUrl: deps.tileUrl,
      tileAttribution: deps.tileAttribution,
    }),
  )
}
