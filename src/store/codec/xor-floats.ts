/**
 * Gorilla-style XOR coding of doubles: each value is XORed with its predecessor and only the
 * window of meaningful bits is kept. Works for any double bit-exactly (-0, NaN, ±Infinity,
 * subnormals), so it is the fallback when decimal scaling does not apply.
 *
 * @example
 *   writeXorFloats(w, [0.1, 0.1, 1e-300, -0])
 *   readXorFloats(r, 4)
 */
import type { BitReader } from './bit-reader.js'
import type { BitWriter } from './bit-writer.js'
import { HIGH_WORD } from './bit-writer.js'

const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)
const HI = HIGH_WORD
const LO = 1 - HI

/** Count of trailing zero bits of a non-zero int32. */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x)
}

export function writeXorFloats(w: BitWriter, values: ArrayLike<number>): void {
  const n = values.length
  if (n === 0) return
  f64[0] = values[0]!
  let prevHi = u32[HI]!
  let prevLo = u32[LO]!
  w.bits(prevHi, 32)
  w.bits(prevLo, 32)
  // 65 guarantees the first non-zero XOR opens a new window.
  let lead = 65
  let trail = 65
  for (let i = 1; i < n; i++) {
    f64[0] = values[i]!
    const hi = u32[HI]!
    const lo = u32[LO]!
    const xh = hi ^ prevHi
    const xl = lo ^ prevLo
    prevHi = hi
    prevLo = lo
    if ((xh | xl) === 0) {
      w.bits(0, 1)
      continue
    }
    // 5 bits store the leading zeros, so cap them at 31; the window just grows a little.
    const l = Math.min(31, xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl))
    const t = xl !== 0 ? ctz(xl) : 32 + ctz(xh)
    if (l >= lead && t >= trail) {
      w.bits(0b10, 2)
    } else {
      lead = l
      trail = t
      w.bits(0b11, 2)
      w.bits(l, 5)
      // Window length 1..64 stored as 0..63.
      w.bits(63 - l - t, 6)
    }
    writeWindow(w, xh, xl, trail, 64 - lead - trail)
  }
}

/** Writes bits [trail, trail + m) of the 64-bit word xh:xl. */
function writeWindow(w: BitWriter, xh: number, xl: number, trail: number, m: number): void {
  let hi: number
  let lo: number
  if (trail === 0) {
    hi = xh
    lo = xl
  } else if (trail < 32) {
    lo = (xl >>> trail) | (xh << (32 - trail))
    hi = xh >>> trail
  } else {
    lo = xh >>> (trail - 32)
    hi = 0
  }
  if (m > 32) {
    w.bits(hi, m - 32)
    w.bits(lo, 32)
  } else {
    w.bits(lo, m)
  }
}

export function readXorFloats(r: BitReader, n: number): Float64Array {
  const out = new Float64Array(n)
  if (n === 0) return out
  let hi = r.bits(32)
  let lo = r.bits(32)
  u32[HI] = hi
  u32[LO] = lo
  out[0] = f64[0]!
  let lead = 0
  let trail = 0
  for (let i = 1; i < n; i++) {
    if (r.bits(1) === 1) {
      if (r.bits(1) === 1) {
        lead = r.bits(5)
        trail = 63 - lead - r.bits(6)
        // A corrupt stream could give a negative trail; keep the shifts in range.
        if (trail < 0) trail = 0
      }
      const m = 64 - lead - trail
      let wh = 0
      let wl: number
      if (m > 32) {
        wh = r.bits(m - 32)
        wl = r.bits(32)
      } else {
        wl = r.bits(m)
      }
      if (trail === 0) {
        hi ^= wh
        lo ^= wl
      } else if (trail < 32) {
        hi ^= (wh << trail) | (wl >>> (32 - trail))
        lo ^= wl << trail
      } else {
        hi ^= wl << (trail - 32)
      }
      u32[HI] = hi
      u32[LO] = lo
    }
    out[i] = f64[0]!
  }
  return out
}
