/**
 * Append-only bit stream, most significant bit first, used by every history codec. Bits gather
 * in a 32-bit accumulator and leave four bytes at a time, so packing a value costs a few integer
 * operations instead of a loop per bit.
 *
 * @example
 *   const w = new BitWriter()
 *   w.bits(5, 3); w.varUint(1_000_000); const bytes = w.finish()
 */
import { bitLength } from './bit-math.js'

const TWO_32 = 4294967296
const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)
/** Index of the high word of a double in `u32`, which depends on the platform's byte order. */
export const HIGH_WORD = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0

export class BitWriter {
  private buf: Uint8Array
  /** Bytes already flushed to `buf`. */
  private pos = 0
  /** Pending bits, right-aligned; bits above the low `nAcc` are stale and never flushed. */
  private acc = 0
  private nAcc = 0

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(Math.max(16, initialBytes))
  }

  get bitLength(): number {
    return this.pos * 8 + this.nAcc
  }

  /**
   * Writes the low `n` bits of `v`, 0 ≤ n ≤ 32. `v` must already be clean: no bits set at or
   * above bit `n` (as an int32 or uint32). Callers guarantee this, which saves a mask per call.
   */
  bits(v: number, n: number): void {
    const free = 32 - this.nAcc
    if (n < free) {
      this.acc = (this.acc << n) | v
      this.nAcc += n
      return
    }
    const rest = n - free
    // With an empty accumulator and n = 32 the shift below would be a no-op (shift counts are
    // taken mod 32), so that case takes `v` whole.
    this.put32(this.nAcc === 0 ? v : (this.acc << free) | (v >>> rest))
    this.acc = v
    this.nAcc = rest
  }

  /** Writes a non-negative integer below 2^53 in exactly `n` bits (n ≤ 53). */
  bigBits(v: number, n: number): void {
    if (n <= 32) {
      this.bits(v, n)
    } else {
      this.bits(Math.floor(v / TWO_32), n - 32)
      this.bits(v >>> 0, 32)
    }
  }

  /** Writes the 64 bits of a double, so any value (NaN, -0) comes back identical. */
  float64(v: number): void {
    f64[0] = v
    this.bits(u32[HIGH_WORD]!, 32)
    this.bits(u32[1 - HIGH_WORD]!, 32)
  }

  /** Writes a non-negative integer below 2^53 as a 6-bit length followed by that many bits. */
  varUint(v: number): void {
    const n = bitLength(v)
    this.bits(n, 6)
    this.bigBits(v, n)
  }

  /** Pads with zero bits up to the next byte boundary. */
  align(): void {
    const pad = (8 - (this.nAcc & 7)) & 7
    if (pad > 0) this.bits(0, pad)
  }

  /** Appends raw bytes after padding to a byte boundary; a memcpy instead of 8-bit writes. */
  bytes(data: Uint8Array): void {
    this.align()
    this.flushWholeBytes()
    this.reserve(data.length)
    this.buf.set(data, this.pos)
    this.pos += data.length
  }

  /** Appends every bit written to `other` so far. */
  append(other: BitWriter): void {
    const src = other.buf
    const end = other.pos
    let i = 0
    for (; i + 4 <= end; i += 4) {
      this.bits(
        ((src[i]! << 24) | (src[i + 1]! << 16) | (src[i + 2]! << 8) | src[i + 3]!) >>> 0,
        32,
      )
    }
    for (; i < end; i++) this.bits(src[i]!, 8)
    const n = other.nAcc
    if (n > 0) this.bits((other.acc << (32 - n)) >>> (32 - n), n)
  }

  /** Returns the stream, zero-padded to whole bytes, in a right-sized copy. */
  finish(): Uint8Array {
    this.align()
    this.flushWholeBytes()
    return this.buf.slice(0, this.pos)
  }

  private flushWholeBytes(): void {
    // Only called when nAcc is a multiple of 8.
    this.reserve(4)
    while (this.nAcc > 0) {
      this.nAcc -= 8
      this.buf[this.pos++] = (this.acc >>> this.nAcc) & 255
    }
  }

  private put32(word: number): void {
    if (this.pos + 4 > this.buf.length) this.reserve(4)
    const b = this.buf
    const p = this.pos
    b[p] = word >>> 24
    b[p + 1] = word >>> 16
    b[p + 2] = word >>> 8
    b[p + 3] = word
    this.pos = p + 4
  }

  private reserve(extra: number): void {
    const need = this.pos + extra
    if (need <= this.buf.length) return
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2))
    grown.set(this.buf.subarray(0, this.pos))
    this.buf = grown
  }
}
