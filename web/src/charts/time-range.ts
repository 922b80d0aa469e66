/**
 * The history ranges the entity page offers, and the window each one covers.
 *
 * @example
 *   rangeWindow('24h', Date.now()) // { from: now - 86 400 000, to: now }
 */

export const RANGES = [
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '24h', label: '24 h', ms: 86_400_000 },
  { key: '7d', label: '7 d', ms: 7 * 86_400_000 },
] as const

export type RangeKey = (typeof RANGES)[number]['key']

export const DEFAULT_RANGE: RangeKey = '24h'

export function isRangeKey(v: string | null | undefined): v is RangeKey {
  return RANGES.some((r) => r.key === v)
}

export function rangeWindow(key: RangeKey, now: number): { from: number; to: number } {
  const range = RANGES.find((r) => r.key === key) ?? RANGES[1]
  return { from: now - range.ms, to: now }
}

/** Points the chart can show: about one per CSS pixel of plot width, within the API's bounds. */
export function pointsForWidth(widthPx: number): number {
  return Math.max(50, Math.min(2000, Math.round(widthPx)))
}
