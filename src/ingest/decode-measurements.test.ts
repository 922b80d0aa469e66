import { describe, expect, it } from 'vitest'
import { BUILTIN_PROFILES } from '../core/device-profiles.js'
import type { DeviceProfile } from '../core/device.js'
import { decodeMeasurements } from './decode-measurements.js'

const aq = BUILTIN_PROFILES.get('air-quality') as DeviceProfile
const generic = BUILTIN_PROFILES.get('generic') as DeviceProfile
const now = Date.parse('2026-06-01T12:00:00Z')
const opts = { now, maxMeasurements: 5 }
const bytes = (s: string) => new TextEncoder().encode(s)

describe('decodeMeasurements', () => {
  it.each([
    [
      '{"no2": 41.5}',
      aq,
      { observedAt: now, measurements: [{ name: 'no2', value: 41.5, unitCode: 'GQ' }] },
    ],
    [
      '{"observedAt":"2026-06-01T11:00:00Z","pm10": 3}',
      aq,
      { observedAt: now - 3_600_000, measurements: [{ name: 'pm10', value: 3, unitCode: 'GQ' }] },
    ],
    [
      '{"observedAt":"2026-06-01T13:00:00+02:00","pm10": 3}',
      aq,
      { observedAt: now - 3_600_000, measurements: [{ name: 'pm10', value: 3, unitCode: 'GQ' }] },
    ],
    [
      '{"anything": "x", "n": [1,2], "o": {"a":1}, "b": true}',
      generic,
      {
        observedAt: now,
        measurements: [
          { name: 'anything', value: 'x' },
          { name: 'n', value: [1, 2] },
          { name: 'o', value: { a: 1 } },
          { name: 'b', value: true },
        ],
      },
    ],
    [
      '{"location":{"type":"Point","coordinates":[11.3,46.5]}}',
      generic,
      {
        observedAt: now,
        measurements: [
          {
            name: 'location',
            value: { type: 'Point', coordinates: [11.3, 46.5] },
            geo: { type: 'Point', coordinates: [11.3, 46.5] },
          },
        ],
      },
    ],
    // Out-of-range values are data (anomaly detection needs them): kept.
    [
      '{"relativeHumidity": 140}',
      aq,
      { observedAt: now, measurements: [{ name: 'relativeHumidity', value: 140, unitCode: 'P1' }] },
    ],
  ])('accepts %s', (input, profile, expected) => {
    expect(decodeMeasurements(bytes(input), profile, opts)).toEqual(expected)
  })

  it.each([
    ['{"no2": ', aq, /not valid JSON/],
    [new Uint8Array([0x7b, 0xff, 0x7d]), aq, /not valid UTF-8/],
    ['[1]', aq, /JSON object/],
    ['null', aq, /JSON object/],
    ['{}', aq, /no measurements/],
    ['{"colour": 1}', aq, /unknown measurement "colour".*expected one of: no2/],
    ['{"no2": "high"}', aq, /"no2" must be a number, got string/],
    ['{"no2": null}', aq, /no usable value/],
    ['{"no2": 1, "observedAt": "yesterday"}', aq, /ISO 8601/],
    ['{"no2": 1, "observedAt": "2026-02-30T00:00:00Z"}', aq, /ISO 8601|not a real/],
    ['{"no2": 1, "observedAt": "2026-06-01T12:30:00Z"}', aq, /in the future/],
    ['{"id": 1}', generic, /not a valid measurement name/],
    ['{"bad-name": 1}', generic, /not a valid measurement name/],
    ['{"location": {"type":"Feature"}}', generic, /GeoJSON geometry/],
    ['{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}', generic, /at most 5/],
  ] as const)('rejects %s with a reason', (input, profile, reason) => {
    const b = typeof input === 'string' ? bytes(input) : input
    expect(() => decodeMeasurements(b, profile, opts)).toThrow(reason)
    try {
      decodeMeasurements(b, profile, opts)
    } catch (err) {
      expect(err).toMatchObject({ kind: 'BadRequestData' })
    }
  })

  it('checks enums of string measurements', () => {
    const pk = BUILTIN_PROFILES.get('parking-spot') as DeviceProfile
    expect(decodeMeasurements({ status: 'free' }, pk, opts).measurements[0]?.value).toBe('free')
    expect(() => decodeMeasurements({ status: 'maybe' }, pk, opts)).toThrow(/one of free, occupied/)
  })
})
