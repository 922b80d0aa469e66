import { describe, expect, it } from 'vitest'
import { summarizeSeries, toColumns } from './history-summary.js'
import { isRangeKey, pointsForWidth, rangeWindow } from './time-range.js'

describe('time ranges', () => {
  it('covers 1 h, 24 h and 7 d back from now', () => {
    const now = 1_000_000_000_000
    expect(rangeWindow('1h', now)).toEqual({ from: now - 3_600_000, to: now })
    expect(rangeWindow('7d', now).from).toBe(now - 604_800_000)
  })

  it('validates keys from the URL', () => {
    expect(isRangeKey('24h')).toBe(true)
    expect(isRangeKey('1y')).toBe(false)
    expect(isRangeKey(null)).toBe(false)
  })

  it('asks about one point per pixel, within bounds', () => {
    expect(pointsForWidth(640.6)).toBe(641)
    expect(pointsForWidth(10)).toBe(50)
    expect(pointsForWidth(10_000)).toBe(2000)
  })
})

describe('history summary', () => {
  it('states count, min, max and latest', () => {
    const points: Array<[number, number]> = [
      [1, 5],
      [2, 3.25],
      [3, 8],
      [4, 6],
    ]
    expect(summarizeSeries(points, '°C', 'en')).toBe(
      '4 readings; min 3.25 °C, max 8 °C, latest 6 °C.',
    )
    expect(summarizeSeries([[1, 2]], '', 'en')).toBe('1 reading; min 2, max 2, latest 2.')
    expect(summarizeSeries([], '°C')).toBe('No readings in this range.')
  })

  it('converts to uPlot columns in seconds with gaps', () => {
    expect(
      toColumns([
        [1000, 1],
        [2000, Number.NaN],
        [Number.NaN, 3],
      ]),
    ).toEqual([
      [1, 2],
      [1, null],
    ])
  })
})
