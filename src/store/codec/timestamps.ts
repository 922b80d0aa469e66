/**
 * Timestamp column codec. Per column it takes the smaller of Gorilla delta-of-delta codes (any
 * input, one bit per regular point) and the packed integer column over first or second
 * differences (a few bits per 64 regular points, and near the entropy of arrival-time jitter,
 * where the Gorilla buckets waste bits). The integer column only takes safe epoch-ms integers.
 *
 * @example
 *   const bytes = encodeTimestamps([t0, t0 + 60_000, t0 + 120_000])
 *   decodeTimestamps(bytes) // → the same three numbers
 */
import { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { readDeltaOfDelta, writeDeltaOfDelta } from './delta-of-delta.js'
import { INT_LIMIT, planIntColumn, readIntColumn, writeIntColumn } from './int-column.js'
import { checkCount, readCount, toNumberArray } from './limits.js'

const DELTA_OF_DELTA = 0
const INT_COLUMN = 1

function fitsIntColumn(ts: readonly number[]): boolean {
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!
    if (!Number.isInteger(t) || !(Math.abs(t) < INT_LIMIT) || (t === 0 && Object.is(t, -0))) {
      return false
    }
  }
  return true
}

/** Writes the column without its count (the caller stores it). */
export function writeTimestamps(w: BitWriter, ts: readonly number[]): void {
  if (fitsIntColumn(ts)) {
    const plan = planIntColumn(ts)
    // Delta-of-delta spends at least one bit per point after a first code of up to 60 bits.
    if (plan.bits > ts.length) {
      const dod = new BitWriter(ts.length)
      writeDeltaOfDelta(dod, ts)
      if (dod.bitLength < plan.bits) {
        w.bits(DELTA_OF_DELTA, 1)
        w.append(dod)
        return
      }
    }
    w.bits(INT_COLUMN, 1)
    writeIntColumn(w, ts, plan)
    return
  }
  w.bits(DELTA_OF_DELTA, 1)
  writeDeltaOfDelta(w, ts)
}

/** Reads `n` timestamps written by writeTimestamps. */
export function readTimestamps(r: BitReader, n: number): number[] {
  return toNumberArray(readTimestampColumn(r, n))
}

/** readTimestamps into a typed array, for readers that index rather than keep the times. */
export function readTimestampColumn(r: BitReader, n: number): Float64Array {
  return r.bits(1) === INT_COLUMN ? readIntColumn(r, n) : readDeltaOfDelta(r, n)
}

/** Standalone form: count, then the column. */
export function encodeTimestamps(ts: readonly number[]): Uint8Array {
  const w = new BitWriter(16 + (ts.length >>> 2))
  w.varUint(checkCount(ts.length))
  writeTimestamps(w, ts)
  return w.finish()
}

export function decodeTimestamps(buf: Uint8Array): number[] {
  const r = new BitReader(buf)
  const out = readTimestamps(r, readCount(r))
  r.end()
  return out
}
