/**
 * Point-wise work on decoded chunks that keeps the optional system-time columns in step with the
 * points: concatenation (compaction), selection (retention, edits) and the stable time sort.
 *
 * @example
 *   const merged = sortPoints(concatPoints([decodeChunk(a), decodeChunk(b)]))
 *   encodeChunk(merged)
 */
import type { ChunkData } from './chunk.js'

/** The points of every part in order; system times NaN for parts that had none. */
export function concatPoints(parts: readonly ChunkData[]): ChunkData {
  const out: ChunkData = { ts: [], values: [] }
  const timed = parts.some((p) => p.createdAt !== undefined || p.modifiedAt !== undefined)
  const createdAt: number[] = []
  const modifiedAt: number[] = []
  for (const p of parts) {
    for (let i = 0; i < p.ts.length; i++) {
      out.ts.push(p.ts[i]!)
      out.values.push(p.values[i] ?? null)
      if (!timed) continue
      const created = p.createdAt?.[i] ?? NaN
      createdAt.push(created)
      modifiedAt.push(p.modifiedAt?.[i] ?? created)
    }
  }
  if (timed) {
    out.createdAt = createdAt
    out.modifiedAt = modifiedAt
  }
  return out
}

/** The points at `order`, in that order. */
export function selectPoints(d: ChunkData, order: readonly number[]): ChunkData {
  const out: ChunkData = {
    ts: order.map((i) => d.ts[i]!),
    values: order.map((i) => d.values[i] ?? null),
  }
  const { createdAt, modifiedAt } = d
  if (createdAt) out.createdAt = order.map((i) => createdAt[i] ?? NaN)
  if (modifiedAt) out.modifiedAt = order.map((i) => modifiedAt[i] ?? NaN)
  return out
}

/** The indexes of the points that `keep` accepts. */
export function indexesWhere(n: number, keep: (i: number) => boolean): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) if (keep(i)) out.push(i)
  return out
}

/**
 * Stable sort by `key` (observedAt unless given): equal keys keep their order. Returns `d` itself
 * when already ordered, the common case.
 */
export function sortPoints(d: ChunkData, key: readonly number[] = d.ts): ChunkData {
  let ordered = true
  for (let i = 1; i < key.length; i++) {
    if (key[i]! < key[i - 1]!) {
      ordered = false
      break
    }
  }
  if (ordered) return d
  const order = key.map((_, i) => i).sort((a, b) => key[a]! - key[b]! || a - b)
  return selectPoints(d, order)
}
