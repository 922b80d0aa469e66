import { describe, expect, it } from 'vitest'
import { isAppError } from './errors.js'
import { addMonths, parseIsoDuration, parsePeriod } from './iso-duration.js'

describe('parseIsoDuration', () => {
  it.each([
    ['PT0S', 0],
    ['PT1H', 3_600_000],
    ['P1D', 86_400_000],
    ['P1W', 604_800_000],
    ['P1DT12H', 129_600_000],
    ['PT1M30.5S', 90_500],
    ['PT15M', 900_000],
  ])('%s', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms)
  })

  it.each([
    ['1H', 'BadRequestData'],
    ['P', 'BadRequestData'],
    ['PT', 'BadRequestData'],
    ['P1H', 'BadRequestData'],
    ['P1M', 'OperationNotSupported'],
    ['P1Y', 'OperationNotSupported'],
    ['-PT1H', 'BadRequestData'],
  ])('refuses %s with %s', (text, kind) => {
    try {
      parseIsoDuration(text)
      expect.unreachable()
    } catch (err) {
      expect(isAppError(err) && err.kind).toBe(kind)
    }
  })
})

describe('parsePeriod and addMonths', () => {
  it.each([
    ['P1M', { months: 1, ms: 0 }],
    ['P3M', { months: 3, ms: 0 }],
    ['P1Y', { months: 12, ms: 0 }],
    ['P1Y6M', { months: 18, ms: 0 }],
    ['PT1H', { months: 0, ms: 3_600_000 }],
    ['PT0S', { months: 0, ms: 0 }],
  ])('%s', (text, period) => {
    expect(parsePeriod(text)).toEqual(period)
  })

  it.each([
    ['P1M1D', 'OperationNotSupported'],
    ['P1YT1H', 'OperationNotSupported'],
    ['P', 'BadRequestData'],
    ['PXM', 'BadRequestData'],
  ])('refuses %s with %s', (text, kind) => {
    try {
      parsePeriod(text)
      expect.unreachable()
    } catch (err) {
      expect(isAppError(err) && err.kind).toBe(kind)
    }
  })

  it('adds calendar months in UTC, clamping to the last day of shorter months', () => {
    const at = (s: string) => Date.parse(s)
    expect(addMonths(at('2026-01-31T10:00:00Z'), 1)).toBe(at('2026-02-28T10:00:00Z'))
    expect(addMonths(at('2028-01-31T00:00:00Z'), 1)).toBe(at('2028-02-29T00:00:00Z'))
    expect(addMonths(at('2026-11-15T00:00:00Z'), 3)).toBe(at('2027-02-15T00:00:00Z'))
    expect(addMonths(at('2026-03-01T00:00:00Z'), -1)).toBe(at('2026-02-01T00:00:00Z'))
    expect(addMonths(at('2026-03-01T00:00:00Z'), 12)).toBe(at('2027-03-01T00:00:00Z'))
  })
})
