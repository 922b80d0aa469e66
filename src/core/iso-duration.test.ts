import { describe, expect, it } from 'vitest'
import { isAppError } from './errors.js'
import { parseIsoDuration } from './iso-duration.js'

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
