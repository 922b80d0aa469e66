import { describe, expect, it } from 'vitest'
import { expandBbox, geometryBbox, isGeometry } from './geo-bbox.js'

describe('geometryBbox', () => {
  it('boxes points, lines and polygons', () => {
    expect(geometryBbox({ type: 'Point', coordinates: [1, 2] })).toEqual([1, 2, 1, 2])
    expect(
      geometryBbox({
        type: 'LineString',
        coordinates: [
          [1, 5],
          [-3, 2],
        ],
      }),
    ).toEqual([-3, 2, 1, 5])
    expect(
      geometryBbox({
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [4, 0],
              [4, 3],
              [0, 0],
            ],
          ],
          [
            [
              [-1, -1],
              [0, -1],
              [-1, -1],
            ],
          ],
        ],
      }),
    ).toEqual([-1, -1, 4, 3])
  })
  it('returns undefined for empty coordinates', () => {
    expect(geometryBbox({ type: 'MultiPoint', coordinates: [] })).toBeUndefined()
  })
  it('expands by at least the distance', () => {
    const [x0, y0, x1, y1] = expandBbox([10, 45, 10, 45], 1000)
    expect(y1 - 45).toBeGreaterThanOrEqual(1000 / 111_320)
    expect(x1 - 10).toBeGreaterThan(y1 - 45)
    expect([x0 < 10, y0 < 45]).toEqual([true, true])
  })
  it('recognises geometries', () => {
    expect(isGeometry({ type: 'Point', coordinates: [1, 2] })).toBe(true)
    expect(isGeometry({ type: 'Feature', coordinates: [] })).toBe(false)
    expect(isGeometry(null)).toBe(false)
  })
})
