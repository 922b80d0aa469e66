/**
 * Integer helpers shared by the history codecs: zigzag mapping and bit lengths for integers
 * up to 53 bits, which do not fit the 32-bit operators of JavaScript.
 */

const TWO_32 = 4294967296

/**
 * Maps a signed integer to an unsigned one so small magnitudes get few bits: 0, -1, 1, -2 → 0, 1, 2, 3.
 * Exact for |v| < 2^52; callers keep their values inside that range.
 */
export function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1
}

export function unzigzag(z: number): number {
  // Parity via `% 2` because `& 1` would truncate values above 2^32.
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2
}

/** Number of bits needed for a non-negative integer below 2^53 (0 needs 0 bits). */
export function bitLength(v: number): number {
  if (v < TWO_32) return 32 - Math.clz32(v)
  return 64 - Math.clz32(Math.floor(v / TWO_32))
}
