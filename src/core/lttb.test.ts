import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lttb, type Point } from './lttb.js'

describe('lttb', () => {
  it('returns the input when it is already small enough', () => {
    const p: Point[] = [
      [0, 1],
      [1, 2],
      [2, 3],
    ]
    expect(lttb(p, 10)).toEqual(p)
  })
  it('keeps a spike that an average would hide', () => {
    const p: Point[] = Array.from({ length: 1000 }, (_, i) => [i, i === 500 ? 100 : 0] as const)
    const out = lttb(p, 50)
    expect(out).toHaveLength(50)
    expect(out.some(([, y]) => y === 100)).toBe(true)
  })
  it('always keeps first and last, returns threshold points in time order, all from the input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 3, maxLength: 500 }),
        fc.integer({ min: 3, max: 100 }),
        (ys, t) => {
          const p: Point[] = ys.map((y, i) => [i, y] as const)
          const out = lttb(p, t)
          expect(out.length).toBe(Math.min(t, p.length))
          expect(out[0]).toEqual(p[0])
          expect(out[out.length - 1]).toEqual(p[p.length - 1])
          for (let i = 1; i < out.length; i++)
            expect((out[i] as Point)[0]).toBeGreaterThan((out[i - 1] as Point)[0])
          for (const q of out) expect(p[q[0]]).toEqual(q)
        },
      ),
    )
  })
})
