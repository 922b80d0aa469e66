/**
 * How each real dataset under /work/shared/datasets becomes device readings: which files, how to
 * parse them, which device a row belongs to, and how its columns map to the profile's measurement
 * names and units (see each folder's PROVENANCE.md). Local timestamps become UTC by the dataset's
 * time zone.
 *
 * @example
 *   const mapping = createDatasetMapping('dublin-noise')
 *   mapping.toRecords({ datetime: '2015-01-01 01:00:00', laeq_Raheny9: '54.33' })
 */
import type { Connectivity } from '../core/device.js'
import type { Measurements } from './signals/types.js'
import { parseWallClock, zonedToUtc } from './zoned-time.js'

export const DATASETS = [
  'birmingham-parking',
  'beijing-air-quality',
  'dublin-noise',
  'metro-traffic',
  'daiad-water',
  'household-power',
] as const
export type DatasetName = (typeof DATASETS)[number]

export interface ReplayRecord {
  /** Device id (also the MQTT client id). */
  deviceId: string
  observedAt: Date
  measurements: Measurements
}

export interface DatasetMapping {
  folder: string
  files: string[]
  delimiter: string
  /** True when every file is in time order, so a limited replay may stop reading early. */
  timeOrdered: boolean
  profile: string
  connectivity: Connectivity
  deviceName(deviceId: string): string
  /** Zero or more readings from one CSV row (columns by header name). */
  toRecords(row: Record<string, string>): ReplayRecord[]
}

type Row = Record<string, string>

function wallTime(text: string | undefined, timeZone: string): Date | undefined {
  const wall = text === undefined ? undefined : parseWallClock(text)
  return wall === undefined ? undefined : zonedToUtc(wall, timeZone)
}

/** A number, or undefined for empty cells and the `NA` that marks missing values. */
function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '' || text.trim() === 'NA') return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

/** Relative humidity (%) from air temperature and dew point (Magnus formula). */
export function humidityFromDewPoint(temperature: number, dewPoint: number): number {
  const gamma = (t: number) => (17.625 * t) / (243.04 + t)
  return Math.min(100, Math.max(0, 100 * Math.exp(gamma(dewPoint) - gamma(temperature))))
}

/** Keeps only the defined entries. */
function defined(entries: Record<string, number | undefined>): Measurements {
  const out: Measurements = {}
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v
  return out
}

const safeId = (text: string) => text.trim().replace(/[^A-Za-z0-9._:-]+/g, '-')

function one(deviceId: string, observedAt: Date | undefined, m: Measurements): ReplayRecord[] {
  return observedAt === undefined || Object.keys(m).length === 0
    ? []
    : [{ deviceId, observedAt, measurements: m }]
}

const BEIJING_STATIONS = ['Aotizhongxin', 'Changping', 'Dingling', 'Dongsi']
const DUBLIN_MONITORS: Record<string, string> = {
  BullIsland2: 'Bull Island',
  Ballyferm3: 'Ballyfermot',
  Ballymun4: 'Ballymun',
  DCCRowingClub5: 'DCC Rowing Club',
  NavanRoad8: 'Navan Road',
  Raheny9: 'Raheny',
  ChanceryPark11: 'Chancery Park',
  BlessingtonBasin12: 'Blessington Basin',
  DolphinsBarn13: "Dolphin's Barn",
}
/** Hours of the household file holding fewer than 60 minutes (PROVENANCE.md). */
const PARTIAL_HOURS: Record<string, number> = {
  '2006-12-16 17:00:00': 36,
  '2010-11-26 21:00:00': 3,
}

/** A fresh mapping: some keep running totals across rows, so make one per replay. */
export function createDatasetMapping(name: DatasetName): DatasetMapping {
  switch (name) {
    case 'birmingham-parking':
      return {
        folder: 'birmingham-parking',
        timeOrdered: false,
        files: ['dataset.csv'],
        delimiter: ',',
        profile: 'generic', // no built-in OffStreetParking profile: SDM attribute names on a generic device
        connectivity: 'ethernet',
        deviceName: (id) => `Car park ${id.slice('bham-'.length)} (Birmingham replay)`,
        toRecords: (row: Row) => {
          const capacity = num(row.Capacity)
          const occupied = num(row.Occupancy)
          if (capacity === undefined || occupied === undefined || capacity <= 0) return []
          // Counts above capacity or below zero are real defects: kept as test material.
          return one(
            `bham-${safeId(row.SystemCodeNumber ?? '')}`,
            wallTime(row.LastUpdated, 'Europe/London'),
            {
              totalSpotNumber: capacity,
              occupiedSpotNumber: occupied,
              availableSpotNumber: capacity - occupied,
              occupancy: round(occupied / capacity, 4),
            },
          )
        },
      }
    case 'beijing-air-quality':
      return {
        folder: 'beijing-multisite-air-quality',
        timeOrdered: true,
        files: BEIJING_STATIONS.map((s) => `PRSA_Data_${s}_20130301-20170228.csv`),
        delimiter: ',',
        profile: 'air-quality',
        connectivity: 'ethernet',
        deviceName: (id) => `Air quality station ${id.slice(3)} (Beijing replay)`,
        toRecords: (row: Row) => {
          const pad = (v: string | undefined) => (v ?? '').padStart(2, '0')
          const stamp = `${row.year}-${pad(row.month)}-${pad(row.day)} ${pad(row.hour)}:00:00`
          const temperature = num(row.TEMP)
          const dewPoint = num(row.DEWP)
          const rh =
            temperature !== undefined && dewPoint !== undefined
              ? round(humidityFromDewPoint(temperature, dewPoint), 1)
              : undefined
          // All pollutants are µg/m³ (CO too), as the profile's GQ; pressure, rain and wind have no slot.
          return one(
            `bj-${safeId(row.station ?? '')}`,
            wallTime(stamp, 'Asia/Shanghai'),
            defined({
              pm25: num(row['PM2.5']),
              pm10: num(row.PM10),
              so2: num(row.SO2),
              no2: num(row.NO2),
              co: num(row.CO),
              o3: num(row.O3),
              temperature,
              relativeHumidity: rh,
            }),
          )
        },
      }
    case 'dublin-noise':
      return {
        folder: 'dublin-noise-2015-2019',
        timeOrdered: true,
        files: ['dublin_noise_laeq_hourly_2015-2019.tsv'],
        delimiter: '\t',
        profile: 'noise',
        connectivity: '4g',
        deviceName: (id) => `Noise monitor ${DUBLIN_MONITORS[id.slice(4)] ?? id} (Dublin replay)`,
        toRecords: (row: Row) => {
          const at = wallTime(row.datetime, 'Europe/Dublin')
          return Object.keys(DUBLIN_MONITORS).flatMap((monitor) => {
            const laeq = num(row[`laeq_${monitor}`])
            return laeq === undefined ? [] : one(`dub-${monitor}`, at, { LAeq: laeq })
          })
        },
      }
    case 'metro-traffic':
      return {
        folder: 'metro-interstate-traffic-volume',
        timeOrdered: true,
        files: ['Metro_Interstate_Traffic_Volume.csv'],
        delimiter: ',',
        profile: 'traffic-flow',
        connectivity: '4g',
        deviceName: () => 'Traffic counter I-94 westbound, ATR 301 (Minneapolis replay)',
        // Duplicate hours (one row per weather condition) are kept: the platform should cope.
        toRecords: (row: Row) =>
          one(
            'i94-atr301',
            wallTime(row.date_time, 'America/Chicago'),
            defined({ intensity: num(row.traffic_volume) }),
          ),
      }
    case 'daiad-water':
      return {
        folder: 'daiad-smart-water-meters',
        timeOrdered: false,
        files: ['swm_trialA_clean_2016-03.csv'],
        delimiter: ';',
        profile: 'water-meter',
        connectivity: 'nb-iot',
        deviceName: (id) => `Water meter ${id.slice(6)} (DAIAD replay, CC BY-SA 4.0)`,
        toRecords: (row: Row) =>
          one(
            `daiad-${(row['user.key'] ?? '').slice(0, 8)}`,
            wallTime(row.datetime, 'Europe/Madrid'),
            defined({
              waterConsumption: num(row.diff), // litres since the meter's previous reading
            }),
          ),
      }
    case 'household-power': {
      let energy = 0 // kWh imported since the start of the file
      return {
        folder: 'uci-household-power',
        timeOrdered: true,
        files: ['household_power_consumption_hourly.csv'],
        delimiter: ',',
        profile: 'energy-meter',
        connectivity: 'wifi',
        deviceName: () => 'Household electricity meter, Sceaux (UCI replay)',
        toRecords: (row: Row) => {
          // Each column is a sum of minute values: divide by the minutes in the hour for means.
          const minutes = PARTIAL_HOURS[row.datetime ?? ''] ?? 60
          const active = num(row.Global_active_power)
          const reactive = num(row.Global_reactive_power)
          if (active === undefined) return []
          energy += active / 60
          const apparent = reactive === undefined ? undefined : Math.hypot(active, reactive)
          const voltage = num(row.Voltage)
          const current = num(row.Global_intensity)
          return one(
            'uci-sceaux-home',
            wallTime(row.datetime, 'Europe/Paris'),
            defined({
              activePower: round(active / minutes, 4),
              totalActiveEnergyImport: round(energy, 3),
              voltage: voltage === undefined ? undefined : round(voltage / minutes, 2),
              current: current === undefined ? undefined : round(current / minutes, 3),
              powerFactor:
                apparent === undefined || apparent === 0 ? undefined : round(active / apparent, 4),
            }),
          )
        },
      }
    }
  }
}
