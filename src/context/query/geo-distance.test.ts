import { describe, expect, it } from 'vitest'
import type { GeoJsonGeometry } from '../../core/ngsi.js'
import { distanceToGeometry } from './geo-distance.js'

/** One degree of arc on the turf/IUGG mean Earth radius (6371008.8 m). */
const DEGREE = (6371008.8 * Math.PI) / 180
const square: number[][] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
]
const hole: number[][] = [
  [0.25, 0.25],
  [0.75, 0.25],
  [0.75, 0.75],
  [0.25, 0.75],
  [0.25, 0.25],
]

describe('distanceToGeometry (metres)', () => {
  const cases: [string, number[], GeoJsonGeometry, number][] = [
    ['same point', [2, 48], { type: 'Point', coordinates: [2, 48] }, 0],
    ['one degree of latitude', [0, 0], { type: 'Point', coordinates: [0, 1] }, DEGREE],
    ['altitude is ignored', [0, 0], { type: 'Point', coordinates: [0, 1, 500] }, DEGREE],
    [
      'nearest of a MultiPoint',
      [0, 0],
      {
        type: 'MultiPoint',
        coordinates: [
          [0, 3],
          [0, 2],
        ],
      },
      2 * DEGREE,
    ],
    [
      'perpendicular to an edge',
      [0, 1],
      {
        type: 'LineString',
        coordinates: [
          [-1, 0],
          [1, 0],
        ],
      },
      DEGREE,
    ],
    [
      'beyond the far end',
      [3, 0],
      {
        type: 'LineString',
        coordinates: [
          [-1, 0],
          [1, 0],
        ],
      },
      2 * DEGREE,
    ],
    [
      'behind the start',
      [-3, 0],
      {
        type: 'LineString',
        coordinates: [
          [-1, 0],
          [1, 0],
        ],
      },
      2 * DEGREE,
    ],
    [
      'on the line',
      [0.5, 0],
      {
        type: 'LineString',
        coordinates: [
          [-1, 0],
          [1, 0],
        ],
      },
      0,
    ],
    [
      'degenerate segment',
      [0, 1],
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [0, 0],
        ],
      },
      DEGREE,
    ],
    [
      'nearest line of a MultiLineString',
      [0, 3],
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [-1, 0],
            [1, 0],
          ],
          [
            [-1, 2],
            [1, 2],
          ],
        ],
      },
      DEGREE,
    ],
    ['inside a polygon', [0.1, 0.1], { type: 'Polygon', coordinates: [square] }, 0],
    ['on a polygon edge', [0.5, 0], { type: 'Polygon', coordinates: [square] }, 0],
    ['outside, nearest a vertex', [-1, 0], { type: 'Polygon', coordinates: [square] }, DEGREE],
    ['inside a hole', [0.5, 0.5], { type: 'Polygon', coordinates: [square, hole] }, 0.25 * DEGREE],
    [
      'nearest polygon of a MultiPolygon',
      [-1, 0],
      { type: 'MultiPolygon', coordinates: [[square.map(([x, y]) => [x! + 5, y!])], [square]] },
      DEGREE,
    ],
  ]
  it.each(cases)('%s', (_, from, geometry, expected) => {
    // Relative tolerance 0.1 %: edges are great-circle arcs, not parallels.
    const got = distanceToGeometry(from, geometry)
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(Math.max(0.01, expected * 1e-3))
  })

  it('measures to the arc of a long edge, not to the parallel between its ends', () => {
    // The great circle through (0,60) and (90,60) reaches atan(tan 60° / cos 45°) ≈ 67.79°N at
    // 45°E, so (45,70) is about 2.21° from the edge; a planar lon/lat view would say 10°.
    const crest = (Math.atan(Math.tan(Math.PI / 3) / Math.cos(Math.PI / 4)) * 180) / Math.PI
    const d = distanceToGeometry([45, 70], {
      type: 'LineString',
      coordinates: [
        [0, 60],
        [90, 60],
      ],
    })
    expect(d / DEGREE).toBeCloseTo(70 - crest, 3)
  })
})
