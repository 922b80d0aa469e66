/**
 * The system-time section of a v2 chunk: when each point entered the store (createdAt) and when
 * it last changed (modifiedAt), both epoch ms, NaN where unknown (points stored before v2).
 *
 * Layout: a presence flag (0: every point has a createdAt; 1: a boolean column follows), the
 * known createdAts either as offsets from the point's observedAt in the integer column (an
 * ingest delay: a few bits when it is steady) or as a timestamp column of their own (a batch
 * appended at once shares one time: a few bits per 64 points), whichever is smaller; then the
 * points whose modifiedAt differs from their createdAt (0: none, the common case, one bit;
 * 1: count, their indexes, their times).
 *
 * @example
 *   writeSystemTimes(w, ts, createdAt, modifiedAt)
 *   const { createdAt, modifiedAt } = readSystemTimes(r, ts)
 */
import type { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { readBooleans, writeBooleans } from './booleans.js'
import { corruptChunk } from './codec-error.js'
import { INT_LIMIT, planIntColumn, readIntColumn, writeIntColumn } from './int-column.js'
import { readTimestamps, writeTimestamps } from './timestamps.js'

const OFFSETS = 0
const OWN_COLUMN = 1

/** Same time, or both unknown: what decides whether a modifiedAt needs storing. */
function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))
}

/** Offsets from observedAt as integers, or undefined when one is not a safe integer. */
function offsetsOf(ts: readonly number[], created: readonly number[]): Float64Array | undefined {
  const out = new Float64Array(created.length)
  for (let i = 0; i < created.length; i++) {
    const d = created[i]! - ts[i]!
    // The sum must give the time back exactly (it may not for huge or fractional times).
    const exact =
      Number.isInteger(d) && Math.abs(d) < INT_LIMIT && Object.is(ts[i]! + d, created[i])
    if (!exact || Object.is(d, -0)) return undefined
    out[i] = d
  }
  return out
}

/**
 * Writes the section for points observed at `ts`. `createdAt` and `modifiedAt` have one entry
 * per point; pass `createdAt` as `modifiedAt` when nothing was edited.
 */
export function writeSystemTimes(
  w: BitWriter,
  ts: readonly number[],
  createdAt: readonly number[],
  modifiedAt: readonly number[],
): void {
  const n = ts.length
  const present = createdAt.map((t) => !Number.isNaN(t))
  const known: number[] = []
  const knownTs: number[] = []
  for (let i = 0; i < n; i++) {
    if (!present[i]) continue
    known.push(createdAt[i]!)
    knownTs.push(ts[i]!)
  }
  if (known.length === n) w.bits(0, 1)
  else {
    w.bits(1, 1)
    writeBooleans(w, present)
  }
  const own = new BitWriter(16 + (known.length >>> 2))
  writeTimestamps(own, known)
  const offsets = offsetsOf(knownTs, known)
  const plan = offsets && planIntColumn(offsets)
  if (offsets && plan && plan.bits <= own.bitLength) {
    w.bits(OFFSETS, 1)
    writeIntColumn(w, offsets, plan)
  } else {
    w.bits(OWN_COLUMN, 1)
    w.append(own)
  }

  const edited: number[] = []
  for (let i = 0; i < n; i++) if (!same(modifiedAt[i]!, createdAt[i]!)) edited.push(i)
  if (edited.length === 0) {
    w.bits(0, 1)
    return
  }
  w.bits(1, 1)
  w.varUint(edited.length)
  writeIntColumn(w, edited)
  writeTimestamps(
    w,
    edited.map((i) => modifiedAt[i]!),
  )
}

/** Reads the section written by writeSystemTimes for the points observed at `ts`. */
export function readSystemTimes(
  r: BitReader,
  ts: readonly number[],
): { createdAt: number[]; modifiedAt: number[] } {
  const n = ts.length
  const present = r.bits(1) === 0 ? undefined : readBooleans(r, n)
  let count = n
  if (present) {
    count = 0
    for (const p of present) if (p) count++
  }
  const createdAt = new Array<number>(n).fill(NaN)
  if (r.bits(1) === OFFSETS) {
    const offsets = readIntColumn(r, count)
    let j = 0
    for (let i = 0; i < n; i++) if (!present || present[i]) createdAt[i] = ts[i]! + offsets[j++]!
  } else {
    const own = readTimestamps(r, count)
    let j = 0
    for (let i = 0; i < n; i++) if (!present || present[i]) createdAt[i] = own[j++]!
  }
  const modifiedAt = [...createdAt]
  if (r.bits(1) === 0) return { createdAt, modifiedAt }
  const edited = r.varUint()
  if (edited > n) throw corruptChunk(`${edited} edited points of ${n}`)
  const at = readIntColumn(r, edited)
  const times = readTimestamps(r, edited)
  for (let j = 0; j < edited; j++) {
    const i = at[j]!
    if (!(Number.isInteger(i) && i >= 0 && i < n)) throw corruptChunk(`edited point ${i}`)
    modifiedAt[i] = times[j]!
  }
  return { createdAt, modifiedAt }
}
