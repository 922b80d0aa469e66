import { describe, expect, it } from 'vitest'
import { attributeNames, displayName, mainValues, numericAttrs, pointOf } from './entity-view.js'

const air = {
  id: 'urn:ngsi-ld:AirQualityObserved:s1',
  type: 'AirQualityObserved',
  name: 'Town hall',
  location: { type: 'Point', coordinates: [4.35, 50.85] },
  zeta: 'x',
  temperature: 12.5,
  no2: 41.25,
  '@context': 'https://example.org/ctx.jsonld',
}

describe('entity view', () => {
  it('names an entity by its name, else its id', () => {
    expect(displayName(air)).toBe('Town hall')
    expect(displayName({ id: 'e1', type: 'T', name: '' })).toBe('e1')
  })

  it('places only valid GeoJSON points, as [lat, lon]', () => {
    expect(pointOf(air)).toEqual([50.85, 4.35])
    expect(pointOf({ id: 'e', type: 'T' })).toBeUndefined()
    expect(
      pointOf({ id: 'e', type: 'T', location: { type: 'Point', coordinates: [200, 10] } }),
    ).toBeUndefined()
  })

  it('orders attributes by profile, then alphabetically, without id/type/@context', () => {
    expect(attributeNames(air)).toEqual(['no2', 'temperature', 'location', 'name', 'zeta'])
  })

  it('lists numeric attributes for the chart', () => {
    expect(numericAttrs(air)).toEqual(['no2', 'temperature'])
  })

  it('gives the popup its main values with units', () => {
    expect(mainValues(air, 2)).toEqual([
      { name: 'no2', text: '41.25', unit: 'µg/m³' },
      { name: 'temperature', text: '12.5', unit: '°C' },
    ])
    expect(mainValues(air).map((l) => l.name)).toEqual(['no2', 'temperature', 'zeta'])
  })
})
