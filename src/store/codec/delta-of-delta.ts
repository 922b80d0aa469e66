/**
 * Gorilla-style delta-of-delta coding of timestamps with variable-width codes, tuned for epoch
 * milliseconds. It accepts anything: any order, duplicates, even non-integers. A point whose
 * differences would leave the safe-integer range is stored raw and restarts the differences, so
 * every value comes back exact. A regular series costs one bit per point.
 *
 * @example
 *   writeDeltaOfDelta(w, [t0, t0 + 60_000, t0 + 120_000])
 *   readDeltaOfDelta(r, 3)
 */
import type { BitReader } from './bit-reader.js'
import type { BitWriter } from './bit-writer.js'
import { unzigzag, zigzag } from './bit-math.js'

/**
 * A point's code is n ones, a zero unless n = 6, then a payload:
 * 0 → dod 0; 1–4 → zigzagged dod in 8, 13, 20, 32 bits (±127 ms, ±4 s, ±8.7 min, ±24 days);
 * 5 → sign and 53-bit magnitude; 6 → the raw double.
 */
const WIDTHS = [0, 8, 13, 20, 32] as const
const WIDE = 5

export function writeDeltaOfDelta(w: BitWriter, ts: ArrayLike<number>): void {
  let prev = 0
  let prevDelta = 0
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!
    const delta = t - prev
    const dod = delta - prevDelta
    // The decoder rebuilds t as prev + (prevDelta + dod): exact only when every term is a safe
    // integer, and never -0.
    if (
      !Number.isSafeInteger(t) ||
      (t === 0 && Object.is(t, -0)) ||
      !Number.isSafeInteger(prev) ||
      !Number.isSafeInteger(delta) ||
      !Number.isSafeInteger(dod)
    ) {
      w.bits(0b111111, 6)
      w.float64(t)
      prev = t
      prevDelta = 0
      continue
    }
    if (dod === 0) {
      w.bits(0, 1)
    } else {
      const z = zigzag(dod)
      if (z < 256) w.bits((0b10 << 8) | z, 10)
      else if (z < 8192) w.bits((0b110 << 13) | z, 16)
      else if (z < 1048576) w.bits((0b1110 << 20) | z, 24)
      else if (z < 4294967296) {
        w.bits(0b11110, 5)
        w.bits(z, 32)
      } else {
        w.bits(0b111110, 6)
        w.bits(dod < 0 ? 1 : 0, 1)
        w.bigBits(Math.abs(dod), 53)
      }
    }
    prev = t
    // The first point is measured from 0; restarting its successor's delta at 0 keeps the second
    // point's code small.
    prevDelta = i === 0 ? 0 : delta
  }
}

export function readDeltaOfDelta(r: BitReader, n: number): Float64Array {
  const out = new Float64Array(n)
  let prev = 0
  let prevDelta = 0
  for (let i = 0; i < n; i++) {
    let dod = 0
    if (r.bits(1) === 1) {
      let ones = 1
      while (ones < 6 && r.bits(1) === 1) ones++
      if (ones < WIDE) {
        dod = unzigzag(r.bits(WIDTHS[ones]!))
      } else if (ones === WIDE) {
        const negative = r.bits(1) === 1
        const magnitude = r.bigBits(53)
        dod = negative ? -magnitude : magnitude
      } else {
        prev = r.float64()
        prevDelta = 0
        out[i] = prev
        continue
      }
    }
    const delta = prevDelta + dod
    prev += delta
    out[i] = prev
    prevDelta = i === 0 ? 0 : delta
  }
  return out
}
