/**
 * ISO 8601 durations as milliseconds, for `aggrPeriodDuration` (§4.5.19) and retention policies.
 * Only fixed-length units are accepted (weeks, days of 24 h, hours, minutes, seconds): a month or
 * a year has no fixed length, and calendar periods would need a time zone the API does not carry.
 *
 * @example
 *   parseIsoDuration('PT1H')   // 3_600_000
 *   parseIsoDuration('P1DT12H') // 129_600_000
 */
import { AppError } from './errors.js'

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/

export function parseIsoDuration(text: string, name = 'duration'): number {
  const m = DURATION.exec(text.trim())
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) {
    if (/^P(\d+Y)?(\d+M)?/.test(text) && /[YM]/.test(text.split('T')[0] ?? ''))
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
