import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeLogRecord, encodeLogRecord, type LogPoint } from './log-record.js'

const decode = (b: Buffer) => {
  const out: LogPoint[] = []
  decodeLogRecord(b, (sid, ts, value) => out.push({ sid, ts, value }))
  return out
}

describe('log records', () => {
  it('round-trip every value kind exactly, including -0', () => {
    const pts: LogPoint[] = [
      { sid: 1, ts: 1_700_000_000_000, value: 21.5 },
      { sid: 2, ts: -5, value: -0 },
      { sid: 4_000_000_000, ts: 0, value: 'occupied' },
      { sid: 3, ts: 1, value: { a: [1, null, 'é'] } },
      { sid: 3, ts: 2, value: true },
      { sid: 3, ts: 3, value: null },
    ]
    const got = decode(encodeLogRecord(pts))
    expect(got).toEqual(pts)
    expect(Object.is(got[1]?.value, -0)).toBe(true)
  })
  it('round-trips arbitrary points', () => {
    const point = fc.record({
      sid: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      ts: fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
      value: fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.dictionary(fc.string(), fc.integer()),
      ),
    })
    fc.assert(
      fc.property(fc.array(point, { maxLength: 50 }), (pts) => {
        const got = decode(encodeLogRecord(pts))
        expect(got.length).toBe(pts.length)
        got.forEach((g, i) => {
          expect(g.sid).toBe(pts[i]?.sid)
          expect(g.ts).toBe(pts[i]?.ts)
          expect(
            Object.is(g.value, pts[i]?.value) ||
              JSON.stringify(g.value) === JSON.stringify(pts[i]?.value),
          ).toBe(true)
        })
      }),
    )
  })
})
