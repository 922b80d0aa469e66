/**
 * Converts local wall-clock timestamps of the replay datasets (which carry no zone) to UTC, using
 * the IANA time-zone rules built into Node, so summer-time changes inside a dataset come out right.
 *
 * @example
 *   zonedToUtc({ year: 2016, month: 10, day: 4, hour: 7, minute: 59, second: 42 }, 'Europe/London')
 *   // 2016-10-04T06:59:42.000Z (BST)
 */
export interface WallClock {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Milliseconds the zone's clock is ahead of UTC at instant `utcMs`. */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  )
  return asUtc - Math.floor(utcMs / 1000) * 1000
}

/**
 * The UTC instant of a local wall-clock time. In the repeated hour of an autumn change the earlier
 * (summer-time) instant wins; a time skipped in spring is read with the winter offset.
 */
export function zonedToUtc(local: WallClock, timeZone: string): Date {
  const { year, month, day, hour, minute, second } = local
  const naive = Date.UTC(year, month - 1, day, hour, minute, second)
  // Zones change offset on whole hours, so one lookup serves every reading of a wall-clock hour.
  const hourStart = Math.floor(naive / HOUR) * HOUR
  const key = `${timeZone} ${hourStart}`
  let shift = shifts.get(key)
  if (shift === undefined) {
    if (shifts.size > 200_000) shifts.clear()
    shift = resolveWallClock(hourStart, timeZone) - hourStart
    shifts.set(key, shift)
  }
  return new Date(naive + shift)
}

const HOUR = 3_600_000
const shifts = new Map<string, number>()

function resolveWallClock(naive: number, timeZone: string): number {
  const early = naive - zoneOffsetMs(timeZone, naive - 12 * HOUR)
  const late = naive - zoneOffsetMs(timeZone, naive + 12 * HOUR)
  // Try the offset in force half a day before, then after: whichever maps back to the wall clock.
  for (const t of [early, late]) {
    if (t + zoneOffsetMs(timeZone, t) === naive) return t
  }
  return early
}

/** Parses `YYYY-MM-DD HH:MM:SS` or `DD/MM/YYYY HH:MM:SS` into wall-clock parts. */
export function parseWallClock(text: string): WallClock | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim())
  const dmy = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim())
  const [y, mo, d, h, mi, s] = iso
    ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]]
    : dmy
      ? [dmy[3], dmy[2], dmy[1], dmy[4], dmy[5], dmy[6]]
      : []
  if (y === undefined) return undefined
  return {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
  }
}
