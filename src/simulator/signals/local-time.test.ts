import { describe, expect, it } from 'vitest'
import { localTime, localToEpoch, solarElevation, sunTimes } from './local-time.js'

describe('local time in the demo city', () => {
  it('follows CET in winter and CEST in summer, switching on the EU dates', () => {
    expect(localTime(new Date('2026-01-15T12:00:00Z'))).toMatchObject({
      hour: 13,
      utcOffset: 1,
      weekday: 4,
    })
    expect(localTime(new Date('2026-07-01T10:30:00Z'))).toMatchObject({
      hour: 12.5,
      utcOffset: 2,
      weekday: 3,
    })
    expect(localTime(new Date('2026-03-29T00:59:00Z')).utcOffset).toBe(1)
    expect(localTime(new Date('2026-03-29T01:00:00Z')).utcOffset).toBe(2)
    expect(localTime(new Date('2026-10-25T00:59:00Z')).utcOffset).toBe(2)
    expect(localTime(new Date('2026-10-25T01:00:00Z')).utcOffset).toBe(1)
    expect(localTime(new Date('2026-12-31T23:30:00Z'))).toMatchObject({ dayOfYear: 1, weekday: 5 })
  })

  it('maps a local day and hour back to an instant', () => {
    const lt = localTime(new Date('2026-07-01T10:00:00Z'))
    expect(new Date(localToEpoch(lt.dayIndex, 7)).toISOString()).toBe('2026-07-01T05:00:00.000Z')
  })

  it('puts sunrise and sunset where they are at 46.5° N', () => {
    const june = sunTimes(46.5, 11.3, localTime(new Date('2026-06-21T12:00:00Z')))
    const december = sunTimes(46.5, 11.3, localTime(new Date('2026-12-21T12:00:00Z')))
    // Bolzano: about 05:25–21:15 in June, 07:50–16:40 in December (local clock).
    expect(june.sunrise).toBeCloseTo(5.4, 0)
    expect(june.sunset).toBeCloseTo(21.2, 0)
    expect(december.sunrise).toBeCloseTo(7.8, 0)
    expect(december.sunset).toBeCloseTo(16.6, 0)
    expect(solarElevation(46.5, 11.3, new Date('2026-06-21T11:15:00Z'))).toBeGreaterThan(60)
    expect(solarElevation(46.5, 11.3, new Date('2026-06-21T23:00:00Z'))).toBeLessThan(-10)
  })
})
