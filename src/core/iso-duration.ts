/**
 * ISO 8601 durations as milliseconds, for `aggrPeriodDuration` (§4.5.19) and retention policies.
 * parseIsoDuration accepts only fixed-length units (weeks, days of 24 h, hours, minutes,
 * seconds): a month or a year has no fixed length. parsePeriod also accepts whole years and
 * months alone (P1M, P3M, P1Y), as calendar periods in UTC, the time zone of every NGSI-LD time.
 *
 * @example
 *   parseIsoDuration('PT1H')   // 3_600_000
 *   parseIsoDuration('P1DT12H') // 129_600_000
 *   parsePeriod('P1Y')         // { months: 12, ms: 0 }
 */
import { AppError } from './errors.js'

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/

export function parseIsoDuration(text: string, name = 'duration'): number {
  const m = DURATION.exec(text.trim())
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) {
    if (hasCalendarUnits(text.trim()))
      throw new AppError(
        'OperationNotSupported',
        `${name}: years and months have no fixed length; use weeks, days, hours, minutes or seconds`,
      )
    throw new AppError('BadRequestData', `${name}: '${text}' is not an ISO 8601 duration`)
  }
  const [, w = '0', d = '0', h = '0', min = '0', s = '0'] = m
  const ms =
    Number(w) * 604_800_000 +
    Number(d) * 86_400_000 +
    Number(h) * 3_600_000 +
    Number(min) * 60_000 +
    Math.round(Number(s) * 1000)
  if (!Number.isSafeInteger(ms))
    throw new AppError('BadRequestData', `${name}: '${text}' is too long`)
  return ms
}

const CALENDAR = /^P(?:(\d+)Y)?(?:(\d+)M)?$/

/** A period length: calendar months (UTC) or a fixed number of ms; never both. */
export interface Period {
  months: number
  ms: number
}

export function parsePeriod(text: string, name = 'duration'): Period {
  const t = text.trim()
  const m = CALENDAR.exec(t)
  if (m && t !== 'P') {
    const months = Number(m[1] ?? 0) * 12 + Number(m[2] ?? 0)
    if (!Number.isSafeInteger(months) || months > 12 * 10_000)
      throw new AppError('BadRequestData', `${name}: '${text}' is too long`)
    return { months, ms: 0 }
  }
  if (
    /^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T.*)?$/.test(t) &&
    /\d[YM]/.test(t.split('T')[0] ?? '')
  )
    throw new AppError(
      'OperationNotSupported',
      `${name}: years and months can only stand alone (P1M, P1Y, P1Y6M); '${text}' mixes them with days or times`,
    )
  return { months: 0, ms: parseIsoDuration(text, name) }
}

/**
 * The instant `months` calendar months after `origin` (UTC), keeping its day of month and time;
 * a day the month lacks becomes its last day (Jan 31 + 1 month = Feb 28 or 29).
 */
export function addMonths(origin: number, months: number): number {
  const d = new Date(origin)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + months
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return Date.UTC(
    y,
    m,
    Math.min(d.getUTCDate(), last),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  )
}

/** A well-formed duration with years or months in its date part. */
function hasCalendarUnits(t: string): boolean {
  return (
    /^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T.*)?$/.test(t) &&
    /\d[YM]/.test(t.split('T')[0] ?? '')
  )
}
