import { describe, expect, it } from 'vitest'
import { parseDate, parseDateTime, parseInstant, parseTime } from './temporal.js'

describe('temporal parsing', () => {
  const dateTimes: [string, number | undefined][] = [
    ['2017-12-24T12:00:00Z', Date.UTC(2017, 11, 24, 12)],
    ['2017-12-24T12:00:00', Date.UTC(2017, 11, 24, 12)],
    ['2017-12-24T12:00Z', Date.UTC(2017, 11, 24, 12)],
    ['2017-12-24T12:00:00.123Z', Date.UTC(2017, 11, 24, 12, 0, 0, 123)],
    ['2017-12-24T12:00:00.123456Z', Date.UTC(2017, 11, 24, 12, 0, 0, 123)],
    ['2017-12-24T14:00:00+02:00', Date.UTC(2017, 11, 24, 12)],
    ['2017-12-24T10:30:00-0130', Date.UTC(2017, 11, 24, 12)],
    ['2017-12-24T24:00:00Z', undefined],
    ['2017-12-24T12:60:00Z', undefined],
    ['2017-12-24T12:00:60Z', undefined],
    ['2017-02-29T12:00:00Z', undefined],
    ['2017-12-24T12:00:00+24:00', undefined],
    ['2017-12-24 12:00:00Z', undefined],
    ['yesterday', undefined],
  ]
  it.each(dateTimes)('dateTime %s', (text, expected) => {
    expect(parseDateTime(text)).toBe(expected)
  })

  const dates: [string, number | undefined][] = [
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2023-02-29', undefined],
    ['2023-13-01', undefined],
    ['2023-1-01', undefined],
  ]
  it.each(dates)('date %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected)
  })

  const times: [string, number | undefined][] = [
    ['08:30', 30600],
    ['08:30:15', 30615],
    ['08:30:15.25Z', 30615.25],
    ['23:59:59', 86399],
    ['24:00:00', undefined],
    ['08:61', undefined],
    ['8:30', undefined],
  ]
  it.each(times)('time %s', (text, expected) => {
    expect(parseTime(text)).toBe(expected)
  })

  it('reads stored instants as dateTime or date', () => {
    expect(parseInstant('2020-05-01')).toBe(Date.UTC(2020, 4, 1))
    expect(parseInstant('2020-05-01T01:00:00Z')).toBe(Date.UTC(2020, 4, 1, 1))
    expect(parseInstant('Tuesday')).toBeUndefined()
  })
})
