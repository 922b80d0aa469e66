/**
 * Boolean column codec: a bitset packed by the integer column, so each block of 64 flags costs
 * 64 bits, or about 12 when the flag does not change inside the block.
 *
 * @example
 *   writeBooleans(w, [true, false, true])
 *   readBooleans(r, 3) // → [true, false, true]
 */
import type { BitReader } from './bit-reader.js'
import type { BitWriter } from './bit-writer.js'
import { readIntColumn, writeIntColumn } from './int-column.js'

/** Writes the column without its count (the caller stores it). */
export function writeBooleans(w: BitWriter, values: readonly boolean[]): void {
  const bits = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) bits[i] = values[i] ? 1 : 0
  writeIntColumn(w, bits)
}

/** Reads `n` booleans written by writeBooleans. */
export function readBooleans(r: BitReader, n: number): boolean[] {
  const bits = readIntColumn(r, n)
  const out = new Array<boolean>(n)
  for (let i = 0; i < n; i++) out[i] = bits[i] !== 0
  return out
}
