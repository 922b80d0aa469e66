/**
 * Wall-clock time in the demo city (Central European Time with EU summer time), computed by rule
 * so the signal models stay pure and fast, plus rough sunrise, sunset and sun elevation.
 *
 * @example
 *   localTime(new Date('2026-07-01T10:00:00Z')).hour // 12 (CEST)
 */
export interface LocalTime {
  /** Hour of day with fraction, 0 ≤ hour < 24. */
  hour: number
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
  /** 1 … 366. */
  dayOfYear: number
  /** Days since 1970-01-01 in local time: a handy bucket key. */
  dayIndex: number
  /** Hours ahead of UTC: 1 in winter, 2 in summer. */
  utcOffset: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Last Sunday of a month at 01:00 UTC, when the EU switches clocks. */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0, 1))
  return lastDay.getTime() - lastDay.getUTCDay() * DAY
}

export function utcOffsetHours(t: number): number {
  const year = new Date(t).getUTCFullYear()
  const summer = t >= lastSundayAt1Utc(year, 2) && t < lastSundayAt1Utc(year, 9)
  return summer ? 2 : 1
}

export function localTime(t: Date | number): LocalTime {
  const ms = typeof t === 'number' ? t : t.getTime()
  const utcOffset = utcOffsetHours(ms)
  const local = ms + utcOffset * HOUR
  const dayIndex = Math.floor(local / DAY)
  const d = new Date(local)
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1)
  return {
    hour: (local - dayIndex * DAY) / HOUR,
    weekday: d.getUTCDay(),
    dayOfYear: Math.floor((local - yearStart) / DAY) + 1,
    dayIndex,
    utcOffset,
  }
}

/** Epoch ms of a local wall-clock hour on a local day (dayIndex as in LocalTime). */
export function localToEpoch(dayIndex: number, hour: number): number {
  const guess = dayIndex * DAY + hour * HOUR
  return guess - utcOffsetHours(guess - HOUR) * HOUR
}

const RAD = Math.PI / 180

function solarDeclination(dayOfYear: number): number {
  return -23.44 * RAD * Math.cos(((2 * Math.PI) / 365) * (dayOfYear + 10))
}

/** Equation of time in minutes (sundial ahead of the clock when positive). */
function equationOfTime(dayOfYear: number): number {
  const b = ((2 * Math.PI) / 364) * (dayOfYear - 81)
  return 9.87 * Math.sin(2 * b) - 7.53 * Math.cos(b) - 1.5 * Math.sin(b)
}

/**
 * Sunrise and sunset in local clock hours for a place and day; polar day/night are clamped to
 * 0/24. Accurate to a few minutes, which is all a streetlight needs.
 */
export function sunTimes(
  lat: number,
  lon: number,
  lt: Pick<LocalTime, 'dayOfYear' | 'utcOffset'>,
): { sunrise: number; sunset: number } {
  const decl = solarDeclination(lt.dayOfYear)
  const phi = lat * RAD
  const cosH =
    (Math.sin(-0.833 * RAD) - Math.sin(phi) * Math.sin(decl)) / (Math.cos(phi) * Math.cos(decl))
  const halfDay = Math.acos(Math.min(1, Math.max(-1, cosH))) / RAD / 15
  const noon = 12 - lon / 15 - equationOfTime(lt.dayOfYear) / 60 + lt.utcOffset
  return { sunrise: Math.max(0, noon - halfDay), sunset: Math.min(24, noon + halfDay) }
}

/** Elevation of the sun above the horizon in degrees (negative at night). */
export function solarElevation(lat: number, lon: number, t: Date | number): number {
  const ms = typeof t === 'number' ? t : t.getTime()
  const lt = localTime(ms)
  const utcHour = (((ms / HOUR) % 24) + 24) % 24
  const solarHour = utcHour + lon / 15 + equationOfTime(lt.dayOfYear) / 60
  const hourAngle = (solarHour - 12) * 15 * RAD
  const decl = solarDeclination(lt.dayOfYear)
  const phi = lat * RAD
  const sinEl =
    Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.cos(hourAngle)
  return Math.asin(sinEl) / RAD
}
