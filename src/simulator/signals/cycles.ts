/**
 * Building blocks for daily and weekly rhythms: bumps, ramps and the city's traffic index that
 * noise, NO2 and traffic counters all follow.
 *
 * @example
 *   trafficIndex(localTime(t)) // ≈ 1 at the evening rush on a weekday, ≈ 0.05 at 3 am
 */
import type { LocalTime } from './local-time.js'

/** A bell curve of height 1 centred on `mu` hours (wraps around midnight). */
export function bump(hour: number, mu: number, sigma: number): number {
  const d = Math.min(Math.abs(hour - mu), 24 - Math.abs(hour - mu))
  return Math.exp(-(d * d) / (2 * sigma * sigma))
}

/** 0 before `from`, 1 after, a smooth ramp of about `width` hours in between. */
export function rise(hour: number, from: number, width: number): number {
  return 1 / (1 + Math.exp(-(hour - from) / (width / 4)))
}

/** 1 between `from` and `to` (hours), with soft edges. */
export function during(hour: number, from: number, to: number, width = 1): number {
  return rise(hour, from, width) * (1 - rise(hour, to, width))
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

export type DayKind = 'workday' | 'saturday' | 'sunday'

export function dayKind(lt: Pick<LocalTime, 'weekday'>): DayKind {
  return lt.weekday === 0 ? 'sunday' : lt.weekday === 6 ? 'saturday' : 'workday'
}

/**
 * Road traffic relative to the weekday evening peak (0–1): two rush hours on workdays, a late
 * broad hump on Saturdays, a quiet Sunday.
 */
export function trafficIndex(lt: Pick<LocalTime, 'hour' | 'weekday'>): number {
  const h = lt.hour
  switch (dayKind(lt)) {
    case 'workday':
      return clamp(
        0.05 + 0.5 * during(h, 6.5, 21, 2) + 0.4 * bump(h, 7.9, 0.8) + 0.45 * bump(h, 17.5, 1.1),
        0,
        1,
      )
    case 'saturday':
      return clamp(
        0.06 + 0.5 * during(h, 8, 21.5, 2.5) + 0.2 * bump(h, 11.5, 1.8) + 0.1 * bump(h, 17.5, 1.5),
        0,
        1,
      )
    case 'sunday':
      return clamp(0.05 + 0.3 * during(h, 9, 21, 3) + 0.1 * bump(h, 18, 1.5), 0, 1)
  }
}

/** How far into winter we are: 1 in mid-January, 0 in mid-July. */
export function winterness(dayOfYear: number): number {
  return (1 + Math.cos(((dayOfYear - 15) / 365.25) * 2 * Math.PI)) / 2
}
