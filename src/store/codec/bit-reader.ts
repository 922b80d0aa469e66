/**
 * Reads a bit stream written by BitWriter. It works on a zero-padded copy of the input so a read
 * may always load five bytes without bounds checks; overruns are detected once, in `end()`.
 *
 * @example
 *   const r = new BitReader(bytes)
 *   const tag = r.bits(3); const count = r.varUint(); r.end()
 */
import { HIGH_WORD } from './bit-writer.js'
import { corruptChunk } from './codec-error.js'

const TWO_32 = 4294967296
const PADDING = 8
const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)

export class BitReader {
  private readonly buf: Uint8Array
  /** Position in bits. */
  private pos = 0
  private readonly limit: number

  constructor(bytes: Uint8Array) {
    this.buf = new Uint8Array(bytes.length + PADDING)
    this.buf.set(bytes)
    this.limit = bytes.length * 8
  }

  /** Bits not yet read (negative after an overrun). */
  get remaining(): number {
    return this.limit - this.pos
  }

  /** Reads `n` bits, 0 ≤ n ≤ 32, as an unsigned integer. */
  bits(n: number): number {
    if (n === 0) return 0
    const pos = this.pos
    // Past the padding only corrupt input can get here; clamp so we read zeros, not undefined.
    const i = pos >>> 3 < this.buf.length - 4 ? pos >>> 3 : this.buf.length - 5
    const off = pos & 7
    const b = this.buf
    const word = (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!
    this.pos = pos + n
    const top = (word << off) >>> (32 - n)
    if (off + n <= 32) return top
    const need = off + n - 32
    return (top | (b[i + 4]! >>> (8 - need))) >>> 0
  }

  /** Reads an `n`-bit unsigned integer, n ≤ 53. */
  bigBits(n: number): number {
    if (n <= 32) return this.bits(n)
    const hi = this.bits(n - 32)
    return hi * TWO_32 + this.bits(32)
  }

  /** Reads what BitWriter.float64 wrote. */
  float64(): number {
    u32[HIGH_WORD] = this.bits(32)
    u32[1 - HIGH_WORD] = this.bits(32)
    return f64[0]!
  }

  /** Reads what BitWriter.varUint wrote. */
  varUint(): number {
    const n = this.bits(6)
    if (n > 53) throw corruptChunk(`integer of ${n} bits`)
    return this.bigBits(n)
  }

  align(): void {
    this.pos = (this.pos + 7) & ~7
  }

  /** Reads `n` raw bytes after aligning; the result is a view, valid while the reader lives. */
  bytes(n: number): Uint8Array {
    this.align()
    const start = this.pos >>> 3
    if (start + n > this.limit >>> 3) throw corruptChunk('byte run past the end')
    this.pos += n * 8
    return this.buf.subarray(start, start + n)
  }

  /** Throws if any read went past the end of the input. */
  end(): void {
    if (this.pos > this.limit) throw corruptChunk('stream ends early')
  }
}
