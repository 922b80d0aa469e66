/**
 * Decimal scaling: sensor readings such as 21.3 or 1013.25 are decimals that happen to be stored
 * as doubles. Multiplied by 10^k they become small integers that pack far tighter than their bit
 * patterns. The test is exact, value by value, so decoding (n / 10^k) gives back the same double.
 * The few values that are not k-digit decimals (-0 from rounding a reading near zero, NaN, a stray
 * long fraction) become exceptions stored raw, instead of spoiling the whole column.
 *
 * @example
 *   toScaledInts([21.3, 21.4, -0]) // → { scale: 1, ints: [213, 214, 214], exceptions: [2] }
 */
import { INT_LIMIT } from './int-column.js'

export const MAX_SCALE = 6
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6] as const
/** Rough cost of one exception (position plus raw double) against ~3.3 bits per extra digit. */
const EXCEPTION_BITS = 80
const DIGIT_BITS = Math.log2(10)

export interface ScaledInts {
  scale: number
  /** The integers; at an exception, a copy of the previous integer so differences stay small. */
  ints: Float64Array
  /** Ascending positions of values stored raw. */
  exceptions: number[]
}

/** Smallest k ≤ MAX_SCALE at which v is a k-digit decimal, or MAX_SCALE + 1 if none. */
function digitsOf(v: number): number {
  if (v === 0 && Object.is(v, -0)) return MAX_SCALE + 1
  let k = 0
  while (k <= MAX_SCALE) {
    const p = POW10[k]!
    if (Math.round(v * p) / p === v) return k
    k++
  }
  return k
}

/**
 * The best decimal scale for the values, or undefined when more than an eighth of them are not
 * decimals at all (then XOR coding is the better tool and we stop looking early).
 */
export function toScaledInts(values: ArrayLike<number>): ScaledInts | undefined {
  const n = values.length
  const histogram = new Array<number>(MAX_SCALE + 2).fill(0)
  const maxExceptions = n >>> 3
  for (let i = 0; i < n; i++) {
    const k = digitsOf(values[i]!)
    histogram[k]!++
    if (k > MAX_SCALE && histogram[k]! > maxExceptions) return undefined
  }
  // Pick k trading more bits per value against fewer exceptions.
  let scale = 0
  let bestCost = Infinity
  let above = n
  for (let k = 0; k <= MAX_SCALE; k++) {
    above -= histogram[k]!
    const cost = above * EXCEPTION_BITS + n * k * DIGIT_BITS
    if (cost < bestCost) {
      bestCost = cost
      scale = k
    }
  }
  // Every value is checked again at the chosen k: only the round trip through this exact k and
  // division proves the decoder will reproduce it.
  const p = POW10[scale]!
  const ints = new Float64Array(n)
  const exceptions: number[] = []
  let last = 0
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    const m = Math.round(v * p)
    if (m / p !== v || !(Math.abs(m) < INT_LIMIT) || (v === 0 && Object.is(v, -0))) {
      exceptions.push(i)
      ints[i] = last
    } else {
      // `+ 0` turns the -0 that Math.round gives for small negatives into 0.
      last = m + 0
      ints[i] = last
    }
  }
  return { scale, ints, exceptions }
}

/** Inverse of toScaledInts for the non-exception values, in place. */
export function fromScaledInts(ints: Float64Array, scale: number): Float64Array {
  const p = POW10[scale]!
  if (p !== 1) for (let i = 0; i < ints.length; i++) ints[i] = ints[i]! / p
  return ints
}
