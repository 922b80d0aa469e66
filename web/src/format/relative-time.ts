/**
 * Short relative times for tables ("5 min ago"). Deterministic: the caller passes `now`.
 *
 * @example
 *   relativeTime('2026-01-01T09:55:00Z', Date.parse('2026-01-01T10:00:00Z')) // '5 min ago'
 */

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export function toEpoch(at: string | number | Date | undefined): number | undefined {
  if (at === undefined) return undefined
  const t = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at)
  return Number.isFinite(t) ? t : undefined
}

export function relativeTime(at: string | number | Date | undefined, now: number): string {
  const t = toEpoch(at)
  if (t === undefined) return '—'
  const diff = now - t
  const abs = Math.abs(diff)
  if (abs < 45 * SECOND) return 'just now'
  if (abs >= 30 * DAY) return new Date(t).toISOString().slice(0, 10)
  const span =
    abs < 90 * SECOND
      ? '1 min'
      : abs < HOUR
        ? `${Math.round(abs / MINUTE)} min`
        : abs < DAY
          ? `${Math.round(abs / HOUR)} h`
          : `${Math.round(abs / DAY)} d`
  // A time in the future is clock skew between device and server; say so rather than hide it.
  return diff >= 0 ? `${span} ago` : `in ${span}`
}

/** Full local date and time for a tooltip or `<time title>`. */
export function absoluteTime(at: string | number | Date | undefined): string {
  const t = toEpoch(at)
  return t === undefined ? '' : new Date(t).toLocaleString()
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Local "HH:MM:SS" for today, "YYYY-MM-DD HH:MM" for older times: compact for table cells. */
export function shortTimestamp(at: string | number | Date | undefined, now: number): string {
  const t = toEpoch(at)
  if (t === undefined) return '—'
  const d = new Date(t)
  const n = new Date(now)
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  const sameDay =
    d.getFullYear() === n.getFullYear() &&
    d.getMonth() === n.getMonth() &&
    d.getDate() === n.getDate()
  if (sameDay) return `${time}:${pad(d.getSeconds())}`
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`
}
