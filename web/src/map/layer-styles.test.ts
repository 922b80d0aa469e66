import { describe, expect, it } from 'vitest'
import { districtStyle, roadStyle } from './layer-styles.js'

describe('layer styles', () => {
  it('draws bigger roads wider and tracks dashed', () => {
    expect(roadStyle('primary').weight).toBeGreaterThan(roadStyle('secondary').weight)
    expect(roadStyle('secondary').weight).toBeGreaterThan(roadStyle('residential').weight)
    expect(roadStyle('track').dashArray).toBe('4 4')
  })

  it('draws unknown road classes as residential', () => {
    expect(roadStyle('motorway')).toEqual(roadStyle('residential'))
    expect(roadStyle(undefined)).toEqual(roadStyle('residential'))
  })

  it('fills districts lightly by kind, grey when unknown', () => {
    expect(districtStyle('Park').fillColor).toBe('#bbf7d0')
    expect(districtStyle(undefined).fillColor).toBe('#cbd2d9')
    expect(districtStyle('residential').fillOpacity).toBeLessThan(0.5)
  })
})
