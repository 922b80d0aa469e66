import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import { IRI } from '../../core/ngsi.js'
import type { GeoFilter } from '../../store/store.js'
import { parseGeoQuery, type GeoQueryInput } from './parse-geo-query.js'

const V = 'https://ex.org/'
const expand = (t: string): string => (t.includes(':') ? t : `${V}${t}`)
const square = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
]
const point = { type: 'Point' as const, coordinates: [13.3986, 52.5547] }

describe('parseGeoQuery', () => {
  const cases: [string, GeoQueryInput, GeoFilter | undefined][] = [
    ['nothing given', {}, undefined],
    ['only geoproperty', { geoproperty: 'location' }, undefined],
    ['all explicitly undefined', { georel: undefined, geometry: undefined }, undefined],
    [
      'near;maxDistance with JSON text and spaces',
      { georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: '[13.3986, 52.5547]' },
      { georel: 'near', maxDistance: 2000, geometry: point, geoproperty: IRI.location },
    ],
    [
      'near;minDistance as a decimal',
      { georel: 'near;minDistance==0.5', geometry: 'Point', coordinates: [13.3986, 52.5547] },
      { georel: 'near', minDistance: 0.5, geometry: point, geoproperty: IRI.location },
    ],
    [
      'within a closed polygon',
      { georel: 'within', geometry: 'Polygon', coordinates: JSON.stringify([square]) },
      {
        georel: 'within',
        geometry: { type: 'Polygon', coordinates: [square] },
        geoproperty: IRI.location,
      },
    ],
    [
      'an open ring is closed',
      { georel: 'intersects', geometry: 'Polygon', coordinates: [square.slice(0, 4)] },
      {
        georel: 'intersects',
        geometry: { type: 'Polygon', coordinates: [square] },
        geoproperty: IRI.location,
      },
    ],
    [
      'a repeated vertex is accepted',
      {
        georel: 'overlaps',
        geometry: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      {
        georel: 'overlaps',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
        },
        geoproperty: IRI.location,
      },
    ],
    [
      'contains a MultiPoint with altitude',
      { georel: 'contains', geometry: 'MultiPoint', coordinates: '[[1,2],[3,4,100]]' },
      {
        georel: 'contains',
        geometry: {
          type: 'MultiPoint',
          coordinates: [
            [1, 2],
            [3, 4, 100],
          ],
        },
        geoproperty: IRI.location,
      },
    ],
    [
      'equals a LineString on observationSpace',
      {
        georel: 'equals',
        geometry: 'LineString',
        coordinates: '[[0,0],[1,1]]',
        geoproperty: 'observationSpace',
      },
      {
        georel: 'equals',
        geometry: {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        },
        geoproperty: IRI.observationSpace,
      },
    ],
    [
      'disjoint from a MultiLineString on operationSpace',
      {
        georel: 'disjoint',
        geometry: 'MultiLineString',
        coordinates: '[[[0,0],[1,1]],[[2,2],[3,3]]]',
        geoproperty: 'operationSpace',
      },
      {
        georel: 'disjoint',
        geometry: {
          type: 'MultiLineString',
          coordinates: [
            [
              [0, 0],
              [1, 1],
            ],
            [
              [2, 2],
              [3, 3],
            ],
          ],
        },
        geoproperty: IRI.operationSpace,
      },
    ],
    [
      'within a MultiPolygon on a custom GeoProperty',
      { georel: 'within', geometry: 'MultiPolygon', coordinates: [[square]], geoproperty: 'area' },
      {
        georel: 'within',
        geometry: { type: 'MultiPolygon', coordinates: [[square]] },
        geoproperty: `${V}area`,
      },
    ],
    [
      'a GeoProperty given as an IRI',
      {
        georel: 'within',
        geometry: 'Polygon',
        coordinates: [square],
        geoproperty: 'https://other.org/zone',
      },
      {
        georel: 'within',
        geometry: { type: 'Polygon', coordinates: [square] },
        geoproperty: 'https://other.org/zone',
      },
    ],
    [
      'spaces around georel parts',
      { georel: ' near ; maxDistance==5 ', geometry: 'Point', coordinates: '[1,2]' },
      {
        georel: 'near',
        maxDistance: 5,
        geometry: { type: 'Point', coordinates: [1, 2] },
        geoproperty: IRI.location,
      },
    ],
  ]
  it.each(cases)('%s', (_, input, expected) => {
    expect(parseGeoQuery(input, expand)).toEqual(expected)
  })

  const pt = { geometry: 'Point', coordinates: '[1,2]' }
  const errors: [GeoQueryInput, string][] = [
    [
      { georel: 'within' },
      'geoQuery: georel, geometry and coordinates go together; missing geometry, coordinates',
    ],
    [
      { geometry: 'Point', coordinates: '[1,2]' },
      'geoQuery: georel, geometry and coordinates go together; missing georel',
    ],
    [{ georel: 'near;maxDistance==5', geometry: 'Point' }, 'missing coordinates'],
    [
      { georel: 'near', ...pt },
      'georel: near needs exactly one of maxDistance==<metres> or minDistance==<metres>',
    ],
    [{ georel: 'near;maxDistance==0', ...pt }, 'georel: maxDistance must be a positive number'],
    [{ georel: 'near;minDistance==-1', ...pt }, 'georel: minDistance must be a positive number'],
    [
      { georel: 'near;maxDistance==abc', ...pt },
      "georel: invalid near modifier 'maxDistance==abc'",
    ],
    [{ georel: 'near;maxDistance=5', ...pt }, "georel: invalid near modifier 'maxDistance=5'"],
    [{ georel: 'near;distance==5', ...pt }, "georel: invalid near modifier 'distance==5'"],
    [
      { georel: 'near;maxDistance==5;maxDistance==6', ...pt },
      'georel: near needs exactly one of maxDistance==<metres> or minDistance==<metres>',
    ],
    [
      { georel: 'near;minDistance==1;maxDistance==6', ...pt },
      'georel: near needs exactly one of maxDistance==<metres> or minDistance==<metres>',
    ],
    [{ georel: 'near;maxDistance==1e999', ...pt }, 'georel: maxDistance must be a positive number'],
    [{ georel: 'within;maxDistance==5', ...pt }, "georel: 'within' takes no modifiers"],
    [
      { georel: 'touches', ...pt },
      "georel: unknown relation 'touches'; expected near, within, contains",
    ],
    [{ georel: '', ...pt }, "georel: unknown relation ''"],
    [{ georel: 'Within', ...pt }, "georel: unknown relation 'Within'"],
    [
      { georel: 'within', geometry: 'Circle', coordinates: '[1,2]' },
      "geometry: 'Circle' is not one of Point",
    ],
    [
      { georel: 'within', geometry: 'point', coordinates: '[1,2]' },
      "geometry: 'point' is not one of",
    ],
    [
      { georel: 'within', geometry: 'GeometryCollection', coordinates: '[]' },
      "geometry: 'GeometryCollection' is not one of Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon",
    ],
    [
      { georel: 'within', geometry: 'Point', coordinates: '[1,' },
      'coordinates: is not a JSON array of numbers',
    ],
    [
      { georel: 'within', geometry: 'Point', coordinates: '[1]' },
      'coordinates: coordinates must be a position',
    ],
    [{ georel: 'within', geometry: 'Point', coordinates: 5 }, 'coordinates must be a position'],
    [{ georel: 'within', geometry: 'Point', coordinates: '[1,2,3,4]' }, 'must be a position'],
    [
      { georel: 'within', geometry: 'Point', coordinates: '["1",2]' },
      'coordinates must contain only numbers',
    ],
    [
      { georel: 'within', geometry: 'Point', coordinates: '[200,0]' },
      'coordinates is out of range',
    ],
    [
      { georel: 'within', geometry: 'Point', coordinates: '[0,-91]' },
      'coordinates is out of range',
    ],
    [
      { georel: 'within', geometry: 'MultiPoint', coordinates: '[]' },
      'coordinates must be a non-empty array',
    ],
    [
      { georel: 'within', geometry: 'LineString', coordinates: '[[0,0]]' },
      'coordinates needs at least 2 positions',
    ],
    [
      { georel: 'within', geometry: 'LineString', coordinates: '[[0,0],[1]]' },
      'coordinates[1] must be a position',
    ],
    [
      { georel: 'within', geometry: 'MultiLineString', coordinates: '[[[0,0]]]' },
      'coordinates[0] needs at least 2',
    ],
    [
      { georel: 'within', geometry: 'Polygon', coordinates: '[[[0,0],[1,1]]]' },
      'coordinates[0] needs at least 3 positions',
    ],
    [
      { georel: 'within', geometry: 'Polygon', coordinates: '[[[0,0],[1,1],[0,0]]]' },
      'coordinates[0] needs at least 3 distinct',
    ],
    [
      { georel: 'within', geometry: 'Polygon', coordinates: '[[0,0],[1,0],[1,1]]' },
      'coordinates[0][0] must be a position',
    ],
    [
      { georel: 'within', geometry: 'MultiPolygon', coordinates: '[[]]' },
      'coordinates[0] must be a non-empty array',
    ],
    [
      { georel: 'within', ...pt, geoproperty: '1abc' },
      "geoproperty: invalid attribute name '1abc'",
    ],
    [{ georel: 'within', ...pt, geoproperty: '' }, "geoproperty: invalid attribute name ''"],
  ]
  it.each(errors)('rejects %j', (input, message) => {
    const error = catchError(() => parseGeoQuery(input, expand))
    expect(error).toBeInstanceOf(AppError)
    expect(error.kind).toBe('BadRequestData')
    expect(error.message).toContain(message)
  })

  it('rejects a georel that is not a string (e.g. a repeated URL parameter)', () => {
    const input = { georel: ['within', 'near'], ...pt } as unknown as GeoQueryInput
    expect(() => parseGeoQuery(input, expand)).toThrow('georel: must be a string')
  })
})

function catchError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    return err as AppError
  }
  throw new Error('expected an error')
}
