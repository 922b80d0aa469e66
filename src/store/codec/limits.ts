/**
 * Size limits and array plumbing of the history codecs. A chunk holds at most MAX_POINTS points:
 * far more than a sealed chunk needs, and small enough that a corrupt count fails fast instead of
 * allocating gigabytes.
 */
import { corruptChunk } from './codec-error.js'

export const MAX_POINTS = 2 ** 24

export function checkCount(n: number): number {
  if (n > MAX_POINTS) throw corruptChunk(`${n} points exceed the limit of ${MAX_POINTS}`)
  return n
}

/**
 * Copies a typed array into a plain one. Pushing is deliberate: Array.from walks an iterator and
 * new Array(n) above ~100k elements gets slow dictionary storage in V8.
 */
export function toNumberArray(values: Float64Array): number[] {
  const out: number[] = []
  for (let i = 0; i < values.length; i++) out.push(values[i]!)
  return out
}
