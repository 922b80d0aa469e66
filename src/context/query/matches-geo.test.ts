import { describe, expect, it } from 'vitest'
import type { AttributeInstance, Entity, GeoJsonGeometry } from '../../core/ngsi.js'
import { IRI } from '../../core/ngsi.js'
import type { GeoFilter } from '../../store/store.js'
import { matchesGeo } from './matches-geo.js'
import { parseGeoQuery } from './parse-geo-query.js'

const V = 'https://ex.org/'
const expand = (t: string): string => (t.includes(':') ? t : `${V}${t}`)
const box = (x0: number, y0: number, x1: number, y1: number): number[][][] => [
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ],
]
const geo = (value: GeoJsonGeometry): AttributeInstance => ({ type: 'GeoProperty', value })
const at = (...instances: AttributeInstance[]): Entity => ({
  id: 'urn:ngsi-ld:Thing:1',
  types: [`${V}Thing`],
  createdAt: '2024-01-01T00:00:00Z',
  modifiedAt: '2024-01-01T00:00:00Z',
  attrs: { [IRI.location]: instances },
})
const filter = (
  georel: string,
  geometry: string,
  coordinates: unknown,
  geoproperty?: string,
): GeoFilter =>
  parseGeoQuery(
    geoproperty
      ? { georel, geometry, coordinates, geoproperty }
      : { georel, geometry, coordinates },
    expand,
  )!

// Berlin, Mauerpark-ish: 0.01° of latitude is about 1112 m.
const berlin = [13.3986, 52.5547]
const north1km = { type: 'Point' as const, coordinates: [13.3986, 52.5637] }
const unitSquare = { type: 'Polygon' as const, coordinates: box(0, 0, 1, 1) }

describe('matchesGeo', () => {
  const cases: [string, GeoFilter, Entity, boolean][] = [
    [
      'near: within maxDistance',
      filter('near;maxDistance==2000', 'Point', berlin),
      at(geo(north1km)),
      true,
    ],
    [
      'near: beyond maxDistance',
      filter('near;maxDistance==500', 'Point', berlin),
      at(geo(north1km)),
      false,
    ],
    [
      'near: beyond minDistance',
      filter('near;minDistance==500', 'Point', berlin),
      at(geo(north1km)),
      true,
    ],
    [
      'near: closer than minDistance',
      filter('near;minDistance==2000', 'Point', berlin),
      at(geo(north1km)),
      false,
    ],
    [
      'near: a point 1 km from a LineString reference',
      filter('near;maxDistance==2000', 'LineString', [
        [0, 60],
        [10, 60],
      ]),
      at(geo({ type: 'Point', coordinates: [10, 60.009] })),
      true,
    ],
    [
      'near: a point 110 km from a LineString reference',
      filter('near;maxDistance==2000', 'LineString', [
        [0, 61],
        [10, 61],
      ]),
      at(geo({ type: 'Point', coordinates: [10, 60.009] })),
      false,
    ],
    [
      'near: to a polygon the point is inside',
      filter('near;maxDistance==1', 'Point', [0.5, 0.5]),
      at(geo(unitSquare)),
      true,
    ],
    [
      'within: point inside',
      filter('within', 'Polygon', box(0, 0, 1, 1)),
      at(geo({ type: 'Point', coordinates: [0.5, 0.5] })),
      true,
    ],
    [
      'within: point outside',
      filter('within', 'Polygon', box(0, 0, 1, 1)),
      at(geo({ type: 'Point', coordinates: [2, 2] })),
      false,
    ],
    [
      'within: polygon inside',
      filter('within', 'Polygon', box(-1, -1, 2, 2)),
      at(geo(unitSquare)),
      true,
    ],
    [
      'within: polygon sticking out',
      filter('within', 'Polygon', box(0.5, 0.5, 2, 2)),
      at(geo(unitSquare)),
      false,
    ],
    [
      'contains: polygon contains point',
      filter('contains', 'Point', [0.5, 0.5]),
      at(geo(unitSquare)),
      true,
    ],
    [
      'contains: polygon lacks point',
      filter('contains', 'Point', [5, 5]),
      at(geo(unitSquare)),
      false,
    ],
    [
      'contains: a point cannot contain a polygon',
      filter('contains', 'Polygon', box(0, 0, 1, 1)),
      at(geo({ type: 'Point', coordinates: [0.5, 0.5] })),
      false,
    ],
    [
      'intersects: crossing line',
      filter('intersects', 'Polygon', box(0, 0, 1, 1)),
      at(
        geo({
          type: 'LineString',
          coordinates: [
            [-1, 0.5],
            [2, 0.5],
          ],
        }),
      ),
      true,
    ],
    [
      'intersects: far line',
      filter('intersects', 'Polygon', box(0, 0, 1, 1)),
      at(
        geo({
          type: 'LineString',
          coordinates: [
            [5, 5],
            [6, 6],
          ],
        }),
      ),
      false,
    ],
    [
      'disjoint: far point',
      filter('disjoint', 'Polygon', box(0, 0, 1, 1)),
      at(geo({ type: 'Point', coordinates: [5, 5] })),
      true,
    ],
    [
      'disjoint: inside point',
      filter('disjoint', 'Polygon', box(0, 0, 1, 1)),
      at(geo({ type: 'Point', coordinates: [0.5, 0.5] })),
      false,
    ],
    [
      'overlaps: overlapping squares',
      filter('overlaps', 'Polygon', box(0.5, 0.5, 2, 2)),
      at(geo(unitSquare)),
      true,
    ],
    [
      'overlaps: separate squares',
      filter('overlaps', 'Polygon', box(3, 3, 4, 4)),
      at(geo(unitSquare)),
      false,
    ],
    [
      'overlaps: a point never overlaps',
      filter('overlaps', 'Point', [0.5, 0.5]),
      at(geo(unitSquare)),
      false,
    ],
    [
      'equals: same polygon, ring given open',
      filter('equals', 'Polygon', [box(0, 0, 1, 1)[0]!.slice(0, 4)]),
      at(geo(unitSquare)),
      true,
    ],
    [
      'equals: different polygon',
      filter('equals', 'Polygon', box(0, 0, 2, 2)),
      at(geo(unitSquare)),
      false,
    ],
    [
      'equals: same point',
      filter('equals', 'Point', [1, 2]),
      at(geo({ type: 'Point', coordinates: [1, 2] })),
      true,
    ],
    [
      'any instance of a multi-attribute may match',
      filter('within', 'Polygon', box(0, 0, 1, 1)),
      at(
        { ...geo({ type: 'Point', coordinates: [5, 5] }), datasetId: 'urn:ds:1' },
        { ...geo({ type: 'Point', coordinates: [0.5, 0.5] }), datasetId: 'urn:ds:2' },
      ),
      true,
    ],
    [
      'a Property holding a geometry is not a GeoProperty',
      filter('within', 'Polygon', box(0, 0, 1, 1)),
      at({ type: 'Property', value: { type: 'Point', coordinates: [0.5, 0.5] } }),
      false,
    ],
    [
      'an invalid stored geometry never matches',
      filter('disjoint', 'Polygon', box(0, 0, 1, 1)),
      at({ type: 'GeoProperty', value: { type: 'Point', coordinates: ['a', 'b'] } }),
      false,
    ],
    [
      'an entity without the GeoProperty never matches',
      filter('disjoint', 'Polygon', box(0, 0, 1, 1)),
      at(),
      false,
    ],
    [
      'another geoproperty is looked up by its IRI',
      filter('within', 'Polygon', box(0, 0, 1, 1), 'area'),
      { ...at(), attrs: { [`${V}area`]: [geo({ type: 'Point', coordinates: [0.5, 0.5] })] } },
      true,
    ],
    [
      'location is not consulted for another geoproperty',
      filter('within', 'Polygon', box(0, 0, 1, 1), 'observationSpace'),
      at(geo({ type: 'Point', coordinates: [0.5, 0.5] })),
      false,
    ],
  ]
  it.each(cases)('%s', (_, f, entity, expected) => {
    expect(matchesGeo(f, entity)).toBe(expected)
  })

  it('accepts the conformance suite polygon with a repeated vertex', () => {
    const f = filter('within', 'Polygon', [
      [
        [0, 0],
        [2, 0],
        [2, 0],
        [2, 2],
        [0, 2],
      ],
    ])
    expect(matchesGeo(f, at(geo({ type: 'Point', coordinates: [1, 1] })))).toBe(true)
  })
})
