/**
 * Sealed history chunk format: one bit stream holding a version byte, the point count, the
 * timestamp column, the kind of each value, then one column per kind present (numbers, strings,
 * booleans, JSON texts; nulls need no column). A chunk of a single kind spends 4 bits on kinds.
 * Version 2 appends the system times of each point (createdAt, modifiedAt: system-times.ts);
 * a chunk that knows none is still written as version 1, and version 1 chunks still decode.
 *
 * @example
 *   const bytes = encodeChunk({ ts: [t0, t0 + 60_000], values: [21.3, 21.4] })
 *   decodeChunk(bytes) // → { ts: [t0, t0 + 60_000], values: [21.3, 21.4] }
 */
import type { ObservedValue } from '../../core/observation.js'
import { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { readBooleans, writeBooleans } from './booleans.js'
import { corruptChunk, unsupportedValue } from './codec-error.js'
import { readIntColumn, writeIntColumn } from './int-column.js'
import { fromJsonText, toJsonText } from './json-text.js'
import { checkCount, readCount, toNumberArray } from './limits.js'
import { readNumbers, writeNumbers } from './numbers.js'
import { readStrings, writeStrings } from './strings.js'
import { readSystemTimes, writeSystemTimes } from './system-times.js'
import { readTimestamps, writeTimestamps } from './timestamps.js'

export interface ChunkData {
  /** observedAt of each point, epoch ms. */
  ts: number[]
  values: ObservedValue[]
  /** When each point entered the store, epoch ms; NaN where unknown. Absent: none known. */
  createdAt?: number[]
  /** When each point last changed; where absent, its createdAt. */
  modifiedAt?: number[]
}

/** First byte of every chunk. A new layout gets a new number, and decodeChunk a branch for it. */
export const FORMAT_VERSION = 2
/** The layout without system times: still written when no point has one, and still read. */
export const FORMAT_VERSION_1 = 1

const NUMBER = 0
const STRING = 1
const BOOLEAN = 2
const NULL = 3
const JSON_TEXT = 4
const KINDS = 5

function kindOf(v: unknown): number {
  if (typeof v === 'number') return NUMBER
  if (typeof v === 'string') return STRING
  if (typeof v === 'boolean') return BOOLEAN
  if (v === null) return NULL
  if (typeof v === 'object') return JSON_TEXT
  throw unsupportedValue(`a value of type ${typeof v}`)
}

export function encodeChunk(data: ChunkData): Uint8Array {
  const { ts, values } = data
  const n = ts.length
  if (values.length !== n) {
    throw unsupportedValue(`${n} timestamps but ${values.length} values`)
  }
  const created = data.createdAt
  const modified = data.modifiedAt ?? created
  for (const column of [created, modified]) {
    if (column && column.length !== n)
      throw unsupportedValue(`${n} timestamps but ${column.length} system times`)
  }
  const withTimes = [created, modified].some((c) => c?.some((t) => !Number.isNaN(t)))
  const w = new BitWriter(32 + n)
  w.bits(withTimes ? FORMAT_VERSION : FORMAT_VERSION_1, 8)
  w.varUint(checkCount(n))
  writeTimestamps(w, ts)

  const kinds = new Uint8Array(n)
  const counts = new Array<number>(KINDS).fill(0)
  for (let i = 0; i < n; i++) {
    const k = kindOf(values[i])
    kinds[i] = k
    counts[k]!++
  }
  const single = n === 0 ? NULL : (kinds[0] ?? NULL)
  if (counts[single] === n) {
    w.bits(0, 1)
    w.bits(single, 3)
  } else {
    w.bits(1, 1)
    writeIntColumn(w, kinds)
  }
  for (let k = 0; k < KINDS; k++) {
    const count = counts[k]!
    if (count === 0 || k === NULL) continue
    writeColumn(w, k, count === n ? values : gather(values, kinds, k, count))
  }
  if (withTimes) {
    const unknown = () => new Array<number>(n).fill(NaN)
    writeSystemTimes(w, ts, created ?? unknown(), modified ?? unknown())
  }
  return w.finish()
}

function gather(
  values: readonly unknown[],
  kinds: Uint8Array,
  kind: number,
  count: number,
): unknown[] {
  const column = new Array<unknown>(count)
  let j = 0
  for (let i = 0; i < kinds.length; i++) if (kinds[i] === kind) column[j++] = values[i]
  return column
}

function writeColumn(w: BitWriter, kind: number, column: readonly unknown[]): void {
  // kindOf sorted the values, so the casts below only restate what it checked.
  if (kind === NUMBER) writeNumbers(w, column as number[])
  else if (kind === STRING) writeStrings(w, column as string[])
  else if (kind === BOOLEAN) writeBooleans(w, column as boolean[])
  else writeStrings(w, (column as object[]).map(toJsonText))
}

export function decodeChunk(buf: Uint8Array): ChunkData {
  const r = new BitReader(buf)
  const version = r.bits(8)
  if (version !== FORMAT_VERSION && version !== FORMAT_VERSION_1)
    throw corruptChunk(`unknown format version ${version}`)
  const n = readCount(r)
  const ts = readTimestamps(r, n)
  const values = readValues(r, n)
  const out: ChunkData = { ts, values }
  if (version === FORMAT_VERSION) {
    const times = readSystemTimes(r, ts)
    out.createdAt = times.createdAt
    out.modifiedAt = times.modifiedAt
  }
  r.end()
  return out
}

function readValues(r: BitReader, n: number): ObservedValue[] {
  if (r.bits(1) === 0) {
    const k = r.bits(3)
    if (k >= KINDS) throw corruptChunk(`value kind ${k}`)
    return k === NULL ? new Array<null>(n).fill(null) : readColumn(r, k, n)
  }

  const kinds = readIntColumn(r, n)
  const counts = new Array<number>(KINDS).fill(0)
  for (let i = 0; i < n; i++) {
    const k = kinds[i]!
    if (!(k >= 0 && k < KINDS)) throw corruptChunk(`value kind ${k}`)
    counts[k]!++
  }
  const columns: ObservedValue[][] = []
  for (let k = 0; k < KINDS; k++) {
    columns.push(counts[k] === 0 || k === NULL ? [] : readColumn(r, k, counts[k]!))
  }

  const values = new Array<ObservedValue>(n).fill(null)
  const next = new Array<number>(KINDS).fill(0)
  for (let i = 0; i < n; i++) {
    const k = kinds[i]!
    if (k !== NULL) values[i] = columns[k]![next[k]!++]!
  }
  return values
}

function readColumn(r: BitReader, kind: number, count: number): ObservedValue[] {
  if (kind === NUMBER) return toNumberArray(readNumbers(r, count))
  if (kind === STRING) return readStrings(r, count)
  if (kind === BOOLEAN) return readBooleans(r, count)
  // Parse per point, not per dictionary entry, so no two points share one mutable object.
  return readStrings(r, count).map(fromJsonText)
}
