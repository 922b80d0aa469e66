import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Bbox } from '../../core/geo-bbox.js'
import { GeoGrid } from './geo-grid.js'

const overlap = (a: Bbox, b: Bbox) => a[2] >= b[0] && a[0] <= b[2] && a[3] >= b[1] && a[1] <= b[3]

const coord = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true })
const box: fc.Arbitrary<Bbox> = fc
  .tuple(coord(-180, 180), coord(-90, 90), coord(0, 0.02), coord(0, 0.02), fc.boolean())
  .map(([x, y, w, h, point]) =>
    point ? [x, y, x, y] : [x, y, Math.min(180, x + w), Math.min(90, y + h)],
  )
// Most boxes near one city, so cells fill up; a few anywhere.
const cityBox: fc.Arbitrary<Bbox> = fc
  .tuple(coord(11.2, 11.21), coord(46.45, 46.46), coord(0, 0.004), fc.boolean())
  .map(([x, y, w, point]) => (point ? [x, y, x, y] : [x, y, x + w, y + w]))

describe('GeoGrid', () => {
  it('lists every rid whose box overlaps the area, after any sequence of moves and removals', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 30 }),
            fc.option(fc.oneof(cityBox, box), { nil: undefined }),
          ),
          { maxLength: 120 },
        ),
        fc.oneof(cityBox, box),
        (moves, area) => {
          const grid = new GeoGrid()
          const truth = new Map<number, Bbox>()
          for (const [rid, b] of moves) {
            grid.set(rid, b)
            if (b) truth.set(rid, b)
            else truth.delete(rid)
          }
          const got = new Set(grid.candidates(area))
          for (const [rid, b] of truth) if (overlap(b, area)) expect(got.has(rid)).toBe(true)
          // Nothing removed or moved away is listed twice or kept.
          for (const rid of got) expect(truth.has(rid)).toBe(true)
          expect(grid.candidates(area).length).toBe(got.size)
          expect(grid.estimate(area)).toBeGreaterThanOrEqual(got.size)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('puts boxes outside the coordinate range in the wide list rather than a wrong cell', () => {
    const grid = new GeoGrid()
    grid.set(1, [5e6, 5e6, 5e6, 5e6])
    expect(grid.candidates([0, 0, 0.001, 0.001])).toEqual([1])
  })
})
