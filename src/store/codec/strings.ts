/**
 * String column codec: a dictionary of distinct strings in first-seen order plus a packed index
 * column, so enumerations ("free"/"occupied") cost a bit or less per point. The dictionary text is
 * UTF-8, or UTF-16 code units when it holds a lone surrogate, which UTF-8 cannot carry.
 *
 * @example
 *   writeStrings(w, ['free', 'occupied', 'free'])
 *   readStrings(r, 3) // → ['free', 'occupied', 'free']
 */
import type { BitReader } from './bit-reader.js'
import type { BitWriter } from './bit-writer.js'
import { corruptChunk } from './codec-error.js'
import { readIntColumn, writeIntColumn } from './int-column.js'
import { readCount } from './limits.js'

const UTF8 = 0
const UTF16 = 1
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** Writes the column without its count (the caller stores it). */
export function writeStrings(w: BitWriter, values: readonly string[]): void {
  const ids = new Map<string, number>()
  const entries: string[] = []
  const indexes = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const s = values[i]!
    let id = ids.get(s)
    if (id === undefined) {
      id = entries.length
      ids.set(s, id)
      entries.push(s)
    }
    indexes[i] = id
  }
  w.varUint(entries.length)
  // Lengths in UTF-16 code units let the reader decode the whole text once and slice it.
  writeIntColumn(
    w,
    entries.map((e) => e.length),
  )
  const text = entries.join('')
  // Test the joined text: halves of a pair split across two entries survive UTF-8 together and
  // the code-unit lengths cut them apart again.
  if (LONE_SURROGATE.test(text)) {
    w.bits(UTF16, 1)
    const bytes = new Uint8Array(text.length * 2)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      bytes[2 * i] = c >>> 8
      bytes[2 * i + 1] = c
    }
    w.varUint(bytes.length)
    w.bytes(bytes)
  } else {
    w.bits(UTF8, 1)
    const bytes = encoder.encode(text)
    w.varUint(bytes.length)
    w.bytes(bytes)
  }
  writeIntColumn(w, indexes)
}

/** Reads `n` strings written by writeStrings. */
export function readStrings(r: BitReader, n: number): string[] {
  const size = readCount(r)
  const lengths = readIntColumn(r, size)
  const encoding = r.bits(1)
  const bytes = r.bytes(r.varUint())
  const text = encoding === UTF8 ? decodeUtf8(bytes) : decodeUtf16(bytes)
  const entries: string[] = []
  let at = 0
  for (let i = 0; i < size; i++) {
    const len = lengths[i]!
    entries.push(text.slice(at, at + len))
    at += len
  }
  if (at !== text.length) throw corruptChunk('string dictionary lengths do not match its text')
  const indexes = readIntColumn(r, n)
  const out = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    const s = entries[indexes[i]!]
    if (s === undefined) throw corruptChunk(`string index ${indexes[i]} out of range`)
    out[i] = s
  }
  return out
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes)
  } catch (err) {
    throw corruptChunk(`invalid UTF-8 (${String(err)})`)
  }
}

function decodeUtf16(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length >>> 1)
  for (let i = 0; i < units.length; i++) units[i] = (bytes[2 * i]! << 8) | bytes[2 * i + 1]!
  // fromCharCode in slices: one call per unit would be slow, one call for all can overflow the
  // argument limit of the engine.
  let text = ''
  for (let i = 0; i < units.length; i += 8192) {
    text += String.fromCharCode(...units.subarray(i, i + 8192))
  }
  return text
}
