import { describe, expect, it } from 'vitest'
import { formatValue, isPoint } from './value.js'

describe('formatValue', () => {
  it.each<[unknown, string]>([
    [0.734, '0.73'],
    [1234.5, '1,234.5'],
    [12, '12'],
    [true, 'yes'],
    [false, 'no'],
    ['free', 'free'],
    [null, '—'],
    [undefined, '—'],
    [{ type: 'Point', coordinates: [2.35, 48.85] }, '48.85000, 2.35000'],
    [[1, 2], '[1,2]'],
  ])('%j reads %s', (value, text) => {
    expect(formatValue(value, 'en')).toBe(text)
  })

  it('truncates long structured values', () => {
    const text = formatValue({ note: 'x'.repeat(200) }, 'en')
    expect(text).toHaveLength(80)
    expect(text.endsWith('…')).toBe(true)
  })

  it('recognises only numeric GeoJSON points', () => {
    expect(isPoint({ type: 'Point', coordinates: [1, 2] })).toBe(true)
    expect(isPoint({ type: 'Point', coordinates: ['1', 2] })).toBe(false)
    expect(isPoint({ type: 'Polygon', coordinates: [] })).toBe(false)
  })
})
