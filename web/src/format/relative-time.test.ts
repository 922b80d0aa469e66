import { describe, expect, it } from 'vitest'
import { relativeTime, shortTimestamp, toEpoch } from './relative-time.js'

const now = Date.parse('2026-03-10T12:00:00Z')
const ago = (ms: number) => new Date(now - ms).toISOString()

describe('relativeTime', () => {
  it.each([
    [0, 'just now'],
    [44_000, 'just now'],
    [50_000, '1 min ago'],
    [5 * 60_000, '5 min ago'],
    [59 * 60_000, '59 min ago'],
    [3 * 3_600_000, '3 h ago'],
    [23 * 3_600_000, '23 h ago'],
    [2 * 86_400_000, '2 d ago'],
    [-10 * 60_000, 'in 10 min'],
  ])('%i ms ago reads %s', (ms, text) => {
    expect(relativeTime(ago(ms), now)).toBe(text)
  })

  it('falls back to the date after a month', () => {
    expect(relativeTime('2025-12-01T08:00:00Z', now)).toBe('2025-12-01')
  })

  it('accepts numbers and dates, and dashes out missing or bad input', () => {
    expect(relativeTime(now - 120_000, now)).toBe('2 min ago')
    expect(relativeTime(new Date(now), now)).toBe('just now')
    expect(relativeTime(undefined, now)).toBe('—')
    expect(relativeTime('yesterday-ish', now)).toBe('—')
    expect(toEpoch(Number.NaN)).toBeUndefined()
  })
})

describe('shortTimestamp', () => {
  it('shows the time for today and the date before', () => {
    const localNow = new Date(2026, 2, 10, 15, 0, 0).getTime()
    expect(shortTimestamp(new Date(2026, 2, 10, 9, 5, 7), localNow)).toBe('09:05:07')
    expect(shortTimestamp(new Date(2026, 2, 9, 23, 59, 0), localNow)).toBe('2026-03-09 23:59')
    expect(shortTimestamp(undefined, localNow)).toBe('—')
  })
})
