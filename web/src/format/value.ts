/**
 * One attribute value as short text for a table cell or popup.
 *
 * @example
 *   formatValue(0.734) // '0.73'
 *   formatValue({ type: 'Point', coordinates: [2.35, 48.85] }) // '48.85000, 2.35000'
 */

const numberFormats = new Map<string, Intl.NumberFormat>()

export function formatNumber(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return String(n)
  const key = locale ?? ''
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })
    numberFormats.set(key, format)
  }
  return format.format(n)
}

export function isPoint(v: unknown): v is { type: 'Point'; coordinates: [number, number] } {
  if (typeof v !== 'object' || v === null) return false
  const g = v as { type?: unknown; coordinates?: unknown }
  return (
    g.type === 'Point' &&
    Array.isArray(g.coordinates) &&
    typeof g.coordinates[0] === 'number' &&
    typeof g.coordinates[1] === 'number'
  )
}

const MAX_TEXT = 80

export function formatValue(v: unknown, locale?: string): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'number') return formatNumber(v, locale)
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'string') return v
  if (isPoint(v)) {
    const [lon, lat] = v.coordinates
    return `${lat.toFixed(5)}, ${lon.toFixed(5)}`
  }
  const text = JSON.stringify(v)
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text
}
