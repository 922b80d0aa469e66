/**
 * Number column codec. Per column it takes the smaller of two encodings: decimal scaling into
 * packed integers with raw exceptions (typical sensor readings, 1–5 bits a value) and Gorilla XOR
 * of the raw doubles (everything else, always exact). A 2-bit method tag leaves room for more.
 *
 * @example
 *   const bytes = encodeNumbers([21.3, 21.4, 21.4])
 *   decodeNumbers(bytes) // → [21.3, 21.4, 21.4]
 */
import { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { bitLength } from './bit-math.js'
import { corruptChunk } from './codec-error.js'
import { MAX_SCALE, fromScaledInts, toScaledInts } from './decimal-scale.js'
import type { ScaledInts } from './decimal-scale.js'
import { planIntColumn, readIntColumn, writeIntColumn } from './int-column.js'
import type { IntColumnPlan } from './int-column.js'
import { checkCount, readCount, toNumberArray } from './limits.js'
import { readXorFloats, writeXorFloats } from './xor-floats.js'

const XOR = 0
const DECIMAL = 1

/** Writes the column without its count (the caller stores it). */
export function writeNumbers(w: BitWriter, values: ArrayLike<number>): void {
  const scaled = toScaledInts(values)
  if (scaled === undefined) {
    w.bits(XOR, 2)
    writeXorFloats(w, values)
    return
  }
  const plan = planIntColumn(scaled.ints)
  const decimalBits = 5 + exceptionBits(scaled.exceptions) + plan.bits
  // XOR needs 64 bits for the first value and at least one per further value; when decimal
  // coding already beats that bound, skip trying XOR.
  if (decimalBits > 64 + values.length - 1) {
    const xor = new BitWriter(values.length)
    writeXorFloats(xor, values)
    if (xor.bitLength < decimalBits) {
      w.bits(XOR, 2)
      w.append(xor)
      return
    }
  }
  writeDecimal(w, values, scaled, plan)
}

function exceptionBits(positions: readonly number[]): number {
  let bits = 6 + bitLength(positions.length)
  let prev = 0
  for (const p of positions) {
    bits += 6 + bitLength(p - prev) + 64
    prev = p
  }
  return bits
}

function writeDecimal(
  w: BitWriter,
  values: ArrayLike<number>,
  scaled: ScaledInts,
  plan: IntColumnPlan,
): void {
  w.bits(DECIMAL, 2)
  w.bits(scaled.scale, 3)
  w.varUint(scaled.exceptions.length)
  let prev = 0
  for (const p of scaled.exceptions) {
    w.varUint(p - prev)
    w.float64(values[p]!)
    prev = p
  }
  writeIntColumn(w, scaled.ints, plan)
}

/** Reads `n` numbers written by writeNumbers. */
export function readNumbers(r: BitReader, n: number): Float64Array {
  const method = r.bits(2)
  if (method === XOR) return readXorFloats(r, n)
  if (method !== DECIMAL) throw corruptChunk(`number method ${method}`)
  const scale = r.bits(3)
  if (scale > MAX_SCALE) throw corruptChunk(`decimal scale ${scale}`)
  const count = readCount(r)
  if (count > n) throw corruptChunk(`${count} exceptions among ${n} numbers`)
  const positions = new Array<number>(count)
  const raw = new Float64Array(count)
  let at = 0
  for (let i = 0; i < count; i++) {
    at += r.varUint()
    positions[i] = at
    raw[i] = r.float64()
  }
  const out = fromScaledInts(readIntColumn(r, n), scale)
  for (let i = 0; i < count; i++) {
    const p = positions[i]!
    if (p >= n) throw corruptChunk(`exception at ${p} beyond ${n} numbers`)
    out[p] = raw[i]!
  }
  return out
}

/** Standalone form: count, then the column. */
export function encodeNumbers(values: readonly number[]): Uint8Array {
  const w = new BitWriter(16 + values.length)
  w.varUint(checkCount(values.length))
  writeNumbers(w, values)
  return w.finish()
}

export function decodeNumbers(buf: Uint8Array): number[] {
  const r = new BitReader(buf)
  const out = readNumbers(r, readCount(r))
  r.end()
  return toNumberArray(out)
}
