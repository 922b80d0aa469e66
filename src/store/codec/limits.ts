/**
 * Size limits and array plumbing of the history codecs. A chunk holds at most MAX_POINTS points:
 * far more than a sealed chunk needs, and small enough that a corrupt count fails fast instead of
 * allocating gigabytes.
 */
import type { BitReader } from './bit-reader.js'
import { AppError } from '../../core/errors.js'
import { corruptChunk } from './codec-error.js'

export const MAX_POINTS = 2 ** 24

/** Guards the encoder: a longer column is a caller bug. */
export function checkCount(n: number): number {
  if (n > MAX_POINTS) {
    throw new AppError('InternalError', `history chunk of ${n} points exceeds ${MAX_POINTS}`)
  }
  return n
}

/**
 * Reads a count and checks it against the bits left: every column spends at least 12 bits per
 * 64 items, so a larger count can only come from corrupt input, and we refuse it before
 * allocating for it.
 */
export function readCount(r: BitReader): number {
  const n = r.varUint()
  if (n > MAX_POINTS || n > r.remaining * 6 + 64) {
    throw corruptChunk(`count ${n} with ${r.remaining} bits left`)
  }
  return n
}

/**
 * Copies a typed array into a plain one. Measured on Node 20 for 525,600 doubles: a preallocated
 * array first filled with 0 (so V8 stores unboxed doubles from the start) takes 14 ms, a holey
 * one 25 ms, push 47 ms, Array.from 76 ms.
 */
export function toNumberArray(values: Float64Array): number[] {
  const out = new Array<number>(values.length).fill(0)
  for (let i = 0; i < values.length; i++) out[i] = values[i]!
  return out
}
