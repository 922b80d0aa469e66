/**
 * A one-sentence text alternative for a history chart, read by screen readers and shown to
 * everyone under the canvas.
 *
 * @example
 *   summarizeSeries(points, '°C') // '288 readings; min 3.2 °C, max 8.9 °C, latest 5.1 °C.'
 */
import { formatNumber } from '../format/value.js'

export function summarizeSeries(
  points: ReadonlyArray<readonly [number, number]>,
  unit: string,
  locale?: string,
): string {
  const values = points.map(([, v]) => v).filter((v) => Number.isFinite(v))
  if (values.length === 0) return 'No readings in this range.'
  const fmt = (v: number) => (unit ? `${formatNumber(v, locale)} ${unit}` : formatNumber(v, locale))
  const min = Math.min(...values)
  const max = Math.max(...values)
  const latest = values[values.length - 1] ?? max
  const count = values.length === 1 ? '1 reading' : `${values.length} readings`
  return `${count}; min ${fmt(min)}, max ${fmt(max)}, latest ${fmt(latest)}.`
}

/** Columns for uPlot: x in seconds (uPlot's time unit), y as given; non-finite y become gaps. */
export function toColumns(
  points: ReadonlyArray<readonly [number, number]>,
): [number[], Array<number | null>] {
  const xs: number[] = []
  const ys: Array<number | null> = []
  for (const [t, v] of points) {
    if (!Number.isFinite(t)) continue
    xs.push(t / 1000)
    ys.push(Number.isFinite(v) ? v : null)
  }
  return [xs, ys]
}
