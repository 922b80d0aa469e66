/**
 * Reads MQTT fixed headers as bytes stream past and reports a packet whose declared size exceeds
 * the limit — before the broker's parser buffers its body (aedes has no limit of its own; one
 * 150 MB publish grew its memory by 165 MB). Only headers are parsed; bodies are skipped by count.
 *
 * @example
 *   const guard = new PacketSizeGuard(256 * 1024)
 *   if (guard.feed(chunk) === 'too-large') socket.destroy()
 */
export type GuardVerdict = 'ok' | 'too-large' | 'malformed'

export class PacketSizeGuard {
  /** Bytes of the current packet body still to skip. */
  private skip = 0
  /** 0: expecting the first header byte; 1..4: reading remaining-length varint byte n. */
  private state = 0
  private length = 0
  private multiplier = 1

  constructor(private readonly maxPacketBytes: number) {}

  feed(chunk: Uint8Array): GuardVerdict {
    let i = 0
    const n = chunk.length
    while (i < n) {
      if (this.skip > 0) {
        const step = Math.min(this.skip, n - i)
        this.skip -= step
        i += step
        continue
      }
      const byte = chunk[i++] as number
      if (this.state === 0) {
        this.state = 1
        this.length = 0
        this.multiplier = 1
        continue
      }
      this.length += (byte & 0x7f) * this.multiplier
      if (byte & 0x80) {
        this.multiplier *= 128
        if (++this.state > 4) return 'malformed'
        continue
      }
      // Header size: 1 type byte + varint bytes.
      if (this.length + 1 + this.state > this.maxPacketBytes) return 'too-large'
      this.skip = this.length
      this.state = 0
    }
    return 'ok'
  }
}
