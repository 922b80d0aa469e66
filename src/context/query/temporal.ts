/**
 * Reading ISO 8601 dateTime, date and time text so q can compare them on a time line rather than
 * as strings ("2024-01-01T10:00:00+02:00" is before "2024-01-01T09:00:00Z").
 */

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?Z?$/

/** A date-only string as epoch ms of 00:00Z, or undefined if it is not a real calendar date. */
export function parseDate(text: string): number | undefined {
  if (!DATE.test(text)) return undefined
  const epoch = Date.parse(`${text}T00:00:00Z`)
  // Date.parse rolls 2023-02-30 over to March; the round trip catches it.
  if (Number.isNaN(epoch) || new Date(epoch).toISOString().slice(0, 10) !== text) return undefined
  return epoch
}

/** A date-time as epoch ms; one without an offset is read as UTC (the NGSI-LD convention). */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text)
  if (!m) return undefined
  const [, date = '', hh = '', mm = '', ss = '00', fraction = '', zone = 'Z'] = m
  if (parseDate(date) === undefined || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) {
    return undefined
  }
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4)) > 59)) {
    return undefined
  }
  const epoch = Date.parse(`${date}T${hh}:${mm}:${ss}${fraction.slice(0, 4)}${offset}`)
  return Number.isNaN(epoch) ? undefined : epoch
}

/** A time of day as seconds since midnight (fractions kept). */
export function parseTime(text: string): number | undefined {
  const m = TIME.exec(text)
  if (!m) return undefined
  const [, hh = '', mm = '', ss = '0', fraction = ''] = m
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined
  return Number(hh) * 3600 + Number(mm) * 60 + Number(ss) + Number(`0${fraction}`)
}

/** A stored dateTime or date string as epoch ms, for comparison with dateTime/date literals. */
export function parseInstant(text: string): number | undefined {
  return text.includes('T') ? parseDateTime(text) : parseDate(text)
}
