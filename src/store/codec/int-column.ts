/**
 * Packs a column of integers: the codec behind decimal-scaled numbers, string dictionary indexes,
 * booleans and value kinds. Per column it picks plain values, first differences (steady series)
 * or second differences (counters and ramps), whichever packs smallest. The residuals go in
 * blocks of 64, each stored as its minimum plus fixed-width offsets (frame of reference), so a
 * constant block costs about 12 bits and a noisy one only the bits its own spread needs.
 *
 * @example
 *   writeIntColumn(w, Float64Array.of(213, 214, 212))
 *   const ints = readIntColumn(r, 3)
 */
import type { BitReader } from './bit-reader.js'
import type { BitWriter } from './bit-writer.js'
import { bitLength, unzigzag, zigzag } from './bit-math.js'
import { corruptChunk } from './codec-error.js'

/** Values must satisfy |v| < INT_LIMIT so second differences and block ranges stay below 2^52. */
export const INT_LIMIT = 2 ** 49

const BLOCK = 64
const ORDERS = 3

type Ints = ArrayLike<number>

/** The residual of value `i` under difference order `o`, for i ≥ o. */
function residual(v: Ints, i: number, o: number): number {
  if (o === 0) return v[i]!
  if (o === 1) return v[i]! - v[i - 1]!
  return v[i]! - 2 * v[i - 1]! + v[i - 2]!
}

/** Exact size in bits of the column under order `o`. */
function costOf(v: Ints, o: number): number {
  const n = v.length
  let bits = 2
  for (let i = 0; i < o && i < n; i++) bits += 6 + bitLength(zigzag(residual(v, i, i)))
  for (let start = o; start < n; start += BLOCK) {
    const stop = Math.min(n, start + BLOCK)
    let min = Infinity
    let max = -Infinity
    for (let i = start; i < stop; i++) {
      const r = residual(v, i, o)
      if (r < min) min = r
      if (r > max) max = r
    }
    bits += 12 + bitLength(zigzag(min)) + (stop - start) * bitLength(max - min)
  }
  return bits
}

export interface IntColumnPlan {
  order: number
  /** Exact size in bits of the written column. */
  bits: number
}

/** Chooses the difference order; pass the plan to writeIntColumn to avoid choosing twice. */
export function planIntColumn(values: Ints): IntColumnPlan {
  let plan = { order: 0, bits: costOf(values, 0) }
  for (let o = 1; o < ORDERS && o < values.length; o++) {
    const bits = costOf(values, o)
    if (bits < plan.bits) plan = { order: o, bits }
  }
  return plan
}

/** Writes integers with |v| < INT_LIMIT; the count is the caller's to store. */
export function writeIntColumn(w: BitWriter, values: Ints, plan = planIntColumn(values)): void {
  const n = values.length
  const order = plan.order
  w.bits(order, 2)
  // The first `order` values have no full history; store them as differences of lower order.
  for (let i = 0; i < order && i < n; i++) w.varUint(zigzag(residual(values, i, i)))
  const res = new Float64Array(BLOCK)
  for (let start = order; start < n; start += BLOCK) {
    const len = Math.min(n, start + BLOCK) - start
    let min = Infinity
    let max = -Infinity
    for (let j = 0; j < len; j++) {
      const r = residual(values, start + j, order)
      res[j] = r
      if (r < min) min = r
      if (r > max) max = r
    }
    const width = bitLength(max - min)
    w.bits(width, 6)
    w.varUint(zigzag(min))
    if (width === 0) continue
    if (width <= 32) {
      for (let j = 0; j < len; j++) w.bits(res[j]! - min, width)
    } else {
      for (let j = 0; j < len; j++) w.bigBits(res[j]! - min, width)
    }
  }
}

/** Reads `n` integers written by writeIntColumn. */
export function readIntColumn(r: BitReader, n: number): Float64Array {
  const out = new Float64Array(n)
  const order = r.bits(2)
  if (order >= ORDERS) throw corruptChunk(`difference order ${order}`)
  for (let i = 0; i < order && i < n; i++) out[i] = unzigzag(r.varUint())
  for (let start = order; start < n; start += BLOCK) {
    const stop = Math.min(n, start + BLOCK)
    const width = r.bits(6)
    if (width > 53) throw corruptChunk(`block width ${width}`)
    const min = unzigzag(r.varUint())
    if (width === 0) {
      out.fill(min, start, stop)
    } else if (width <= 32) {
      for (let i = start; i < stop; i++) out[i] = min + r.bits(width)
    } else {
      for (let i = start; i < stop; i++) out[i] = min + r.bigBits(width)
    }
  }
  // Undo the differences: residuals become values again by running sums.
  if (order === 1) {
    for (let i = 1; i < n; i++) out[i] = out[i]! + out[i - 1]!
  } else if (order === 2) {
    if (n > 1) {
      let d = out[1]!
      out[1] = out[0]! + d
      for (let i = 2; i < n; i++) {
        d += out[i]!
        out[i] = out[i - 1]! + d
      }
    }
  }
  return out
}
