import { describe, expect, it } from 'vitest'
import { BUILTIN_PROFILES } from '../core/device-profiles.js'
import { DEVICE_ID_PATTERN } from '../core/device.js'
import { checkPayload } from './check-payload.js'
import { createCity } from './city.js'
import { pointInPolygon } from './geometry.js'
import { readDataset, replayDeviceSpecs } from './replay.js'
import { DATASETS, humidityFromDewPoint } from './replay-datasets.js'
import { parseWallClock, zonedToUtc } from './zoned-time.js'

const DIR = '/work/shared/datasets'
const iso = (d: Date | undefined) => d?.toISOString()

describe('zonedToUtc', () => {
  it('applies each zone and its summer time', () => {
    const utc = (text: string, zone: string) =>
      iso(zonedToUtc(parseWallClock(text) ?? fail(), zone))
    expect(utc('2016-10-04 07:59:42', 'Europe/London')).toBe('2016-10-04T06:59:42.000Z') // BST
    expect(utc('2016-11-04 07:59:42', 'Europe/London')).toBe('2016-11-04T07:59:42.000Z') // GMT
    expect(utc('2016-10-30 01:30:00', 'Europe/London')).toBe('2016-10-30T00:30:00.000Z') // repeated hour: first
    expect(utc('2013-03-01 00:00:00', 'Asia/Shanghai')).toBe('2013-02-28T16:00:00.000Z')
    expect(utc('2012-10-02 09:00:00', 'America/Chicago')).toBe('2012-10-02T14:00:00.000Z')
    expect(utc('01/03/2016 01:19:43', 'Europe/Madrid')).toBe('2016-03-01T00:19:43.000Z')
    expect(parseWallClock('yesterday')).toBeUndefined()
  })
})

function fail(): never {
  throw new Error('unparsable')
}

describe('dataset mappings on real rows', () => {
  it('Birmingham car parks → generic devices with SDM parking attributes', async () => {
    const { records, mapping } = await readDataset('birmingham-parking', DIR, { rowsPerFile: 3 })
    expect(mapping.profile).toBe('generic')
    // First data row: BHMBCCMKT01,577,61,2016-10-04 07:59:42 (UK summer time).
    expect(records.find((r) => r.observedAt.toISOString() === '2016-10-04T06:59:42.000Z')).toEqual({
      deviceId: 'bham-BHMBCCMKT01',
      observedAt: new Date('2016-10-04T06:59:42.000Z'),
      measurements: {
        totalSpotNumber: 577,
        occupiedSpotNumber: 61,
        availableSpotNumber: 516,
        occupancy: 0.1057,
      },
    })
  })

  it('Birmingham keeps the documented defects (over capacity, negative counts)', async () => {
    const { records, skipped } = await readDataset('birmingham-parking', DIR)
    expect(records).toHaveLength(35_717)
    expect(skipped).toBe(0)
    expect(records.filter((r) => Number(r.measurements.occupancy) > 1)).toHaveLength(373)
    expect(records.filter((r) => Number(r.measurements.occupiedSpotNumber) < 0)).toHaveLength(12)
    expect(new Set(records.map((r) => r.deviceId)).size).toBe(30)
    expect(records.map((r) => r.deviceId)).toContain('bham-Broad-Street')
  })

  it('Beijing stations → air-quality, NA left out, humidity from the dew point', async () => {
    const { records } = await readDataset('beijing-air-quality', DIR, { rowsPerFile: 3 })
    expect(new Set(records.map((r) => r.deviceId))).toEqual(
      new Set(['bj-Aotizhongxin', 'bj-Changping', 'bj-Dingling', 'bj-Dongsi']),
    )
    // "1,2013,3,1,0,4,4,4,7,300,77,-0.7,1023,-18.8,0,"NNW",4.4,"Aotizhongxin""
    const first = records.find((r) => r.deviceId === 'bj-Aotizhongxin')
    expect(iso(first?.observedAt)).toBe('2013-02-28T16:00:00.000Z')
    expect(first?.measurements).toEqual({
      pm25: 4,
      pm10: 4,
      so2: 4,
      no2: 7,
      co: 300,
      o3: 77,
      temperature: -0.7,
      relativeHumidity: Math.round(humidityFromDewPoint(-0.7, -18.8) * 10) / 10,
    })
    // Dingling's first hour has NO2 = NA: the key is absent, the rest is sent.
    const dingling = records.find((r) => r.deviceId === 'bj-Dingling')
    expect(dingling?.measurements).not.toHaveProperty('no2')
    expect(dingling?.measurements.co).toBe(200)
    expect(humidityFromDewPoint(20, 20)).toBeCloseTo(100)
  })

  it('Dublin monitors → one noise device per column, empty cells skipped', async () => {
    const { records } = await readDataset('dublin-noise', DIR, { rowsPerFile: 1 })
    // 2015-01-01 00:00:00 row has five of nine monitors.
    expect(records.map((r) => [r.deviceId, r.measurements.LAeq])).toEqual([
      ['dub-BullIsland2', 70.51],
      ['dub-Ballymun4', 60.92],
      ['dub-NavanRoad8', 57.54],
      ['dub-ChanceryPark11', 58.53],
      ['dub-DolphinsBarn13', 57.25],
    ])
    expect(iso(records[0]?.observedAt)).toBe('2015-01-01T00:00:00.000Z')
  })

  it('Metro I-94 → one traffic-flow device, vehicles per hour', async () => {
    const { records } = await readDataset('metro-traffic', DIR, { rowsPerFile: 2 })
    expect(records).toEqual([
      {
        deviceId: 'i94-atr301',
        observedAt: new Date('2012-10-02T14:00:00Z'),
        measurements: { intensity: 5545 },
      },
      {
        deviceId: 'i94-atr301',
        observedAt: new Date('2012-10-02T15:00:00Z'),
        measurements: { intensity: 4516 },
      },
    ])
  })

  it('DAIAD meters → water-meter litres; the negative corrections ingest would reject are skipped', async () => {
    const head = await readDataset('daiad-water', DIR, { rowsPerFile: 2 })
    expect(head.records[0]).toEqual({
      deviceId: 'daiad-1f8730a9',
      observedAt: new Date('2016-03-01T00:19:43Z'),
      measurements: { waterConsumption: 0 },
    })
    const all = await readDataset('daiad-water', DIR)
    expect(all.skipped).toBe(6)
    expect(all.records).toHaveLength(56_521 - 6)
    expect(new Set(all.records.map((r) => r.deviceId)).size).toBe(90)
  })

  it('UCI household → energy meter with means per minute and a running energy total', async () => {
    const { records } = await readDataset('household-power', DIR, { rowsPerFile: 2 })
    // First hour holds 36 minutes (17:24–17:59): sums divide by 36, energy by 60 (kW·min → kWh).
    expect(records[0]?.measurements).toMatchObject({
      activePower: 4.2229,
      totalActiveEnergyImport: 2.534,
      voltage: 234.64,
      current: 18.1,
    })
    expect(records[1]?.measurements).toMatchObject({ activePower: 3.6322, voltage: 234.58 })
    expect(records[1]?.measurements.totalActiveEnergyImport).toBeCloseTo(
      2.534 + 217.932006836 / 60,
      3,
    )
    expect(iso(records[0]?.observedAt)).toBe('2006-12-16T16:00:00.000Z')
  })

  it('a limited read of a time-ordered file equals the start of the full read', async () => {
    const full = await readDataset('metro-traffic', DIR)
    const limited = await readDataset('metro-traffic', DIR, { limit: 120 })
    expect(limited.records).toEqual(full.records.slice(0, 120))
    const parks = await readDataset('birmingham-parking', DIR, { limit: 40 })
    expect(new Set(parks.records.map((r) => r.deviceId)).size).toBeGreaterThan(20) // all parks open at 8
  })

  it.each(DATASETS)(
    '%s: every kept record is valid for its profile and devices get map spots',
    async (name) => {
      const { records, mapping } = await readDataset(name, DIR, { rowsPerFile: 40 })
      const profile = BUILTIN_PROFILES.get(mapping.profile)
      if (profile === undefined) throw new Error(mapping.profile)
      expect(records.length).toBeGreaterThan(0)
      for (const r of records) {
        expect(
          checkPayload(profile, { observedAt: r.observedAt.toISOString(), ...r.measurements }),
        ).toEqual([])
      }
      const city = createCity()
      const specs = replayDeviceSpecs(mapping, [...new Set(records.map((r) => r.deviceId))], city)
      for (const s of specs) {
        expect(s.id).toMatch(DEVICE_ID_PATTERN)
        const district = city.districts.features.find((d) => d.properties.name === s.district)
        expect(
          district && pointInPolygon([s.location.lon, s.location.lat], district.geometry),
        ).toBe(true)
      }
    },
  )
})
