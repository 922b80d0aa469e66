/**
 * The binary form of one obs_log row: many observations per row, so the durable journal costs one
 * row insert per message instead of one per data point. Per point: u32 series id, f64 time (ms),
 * u8 kind, then f64 (number) or u32 length + UTF-8 JSON (anything else). Little-endian.
 *
 * @example
 *   const bytes = encodeLogRecord([{ sid: 1, ts: 0, value: 21.5 }])
 *   decodeLogRecord(bytes) // [{ sid: 1, ts: 0, value: 21.5 }]
 */
import type { ObservedValue } from '../../core/observation.js'

export interface LogPoint {
  sid: number
  ts: number
  value: ObservedValue
}

const NUMBER = 0
const JSON_VALUE = 1
const MINUS_ZERO = 2

export function encodeLogRecord(points: readonly LogPoint[]): Buffer {
  let size = 0
  const texts: (Buffer | undefined)[] = new Array<Buffer | undefined>(points.length)
  for (let i = 0; i < points.length; i++) {
    const v = (points[i] as LogPoint).value
    if (typeof v === 'number') size += 13 + 8
    else {
      const t = Buffer.from(JSON.stringify(v), 'utf8')
      texts[i] = t
      size += 13 + 4 + t.length
    }
  }
  const buf = Buffer.allocUnsafe(size)
  let o = 0
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as LogPoint
    buf.writeUInt32LE(p.sid, o)
    buf.writeDoubleLE(p.ts, o + 4)
    o += 12
    const t = texts[i]
    if (t === undefined) {
      // JSON would turn -0 into 0; history is lossless, so -0 has its own kind.
      const n = p.value as number
      buf[o++] = Object.is(n, -0) ? MINUS_ZERO : NUMBER
      buf.writeDoubleLE(n, o)
      o += 8
    } else {
      buf[o++] = JSON_VALUE
      buf.writeUInt32LE(t.length, o)
      t.copy(buf, o + 4)
      o += 4 + t.length
    }
  }
  return buf
}

export function decodeLogRecord(
  buf: Uint8Array,
  visit: (sid: number, ts: number, value: ObservedValue) => void,
): void {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  let o = 0
  while (o < b.length) {
    const sid = b.readUInt32LE(o)
    const ts = b.readDoubleLE(o + 4)
    const kind = b[o + 12]
    o += 13
    if (kind === JSON_VALUE) {
      const len = b.readUInt32LE(o)
      visit(sid, ts, JSON.parse(b.toString('utf8', o + 4, o + 4 + len)) as ObservedValue)
      o += 4 + len
    } else {
      const n = b.readDoubleLE(o)
      visit(sid, ts, kind === MINUS_ZERO ? -0 : n)
      o += 8
    }
  }
}
