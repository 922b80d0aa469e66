/**
 * Built-in device profiles, one per Smart Data Models entity type the platform knows out of the
 * box. Attribute names and units follow the Smart Data Models specifications.
 *
 * @example
 *   BUILTIN_PROFILES.get('air-quality')?.measurements.no2?.unitCode // 'GQ'
 */
import type { DeviceProfile, MeasurementSpec } from './device.js'

const num = (unitCode?: string, min?: number, max?: number): MeasurementSpec => ({
  kind: 'number',
  ...(unitCode !== undefined && { unitCode }),
  ...(min !== undefined && { min }),
  ...(max !== undefined && { max }),
})
const oneOf = (...values: string[]): MeasurementSpec => ({ kind: 'string', enum: values })

const battery = num('P1', 0, 100)

const profiles: DeviceProfile[] = [
  {
    name: 'generic',
    entityType: 'Device',
    description: 'Any device: accepts every measurement, infers its kind.',
    measurements: {},
    acceptUnknown: true,
  },
  {
    name: 'parking-spot',
    entityType: 'ParkingSpot',
    description: 'On-street parking bay occupancy sensor (magnetometer or radar).',
    measurements: { status: oneOf('free', 'occupied', 'closed', 'unknown'), batteryLevel: battery },
    acceptUnknown: false,
  },
  {
    name: 'air-quality',
    entityType: 'AirQualityObserved',
    description: 'Air quality station: gases in µg/m³, particulates, temperature and humidity.',
    measurements: {
      no2: num('GQ', 0),
      pm10: num('GQ', 0),
      pm25: num('GQ', 0),
      o3: num('GQ', 0),
      so2: num('GQ', 0),
      co: num('GQ', 0),
      temperature: num('CEL', -60, 70),
      relativeHumidity: num('P1', 0, 100),
      batteryLevel: battery,
    },
    acceptUnknown: false,
  },
  {
    name: 'noise',
    entityType: 'NoiseLevelObserved',
    description: 'Sound level meter: A-weighted equivalent and maximum levels in dB.',
    measurements: {
      LAeq: num('2N', 0, 160),
      LAmax: num('2N', 0, 160),
      LAS: num('2N', 0, 160),
      batteryLevel: battery,
    },
    acceptUnknown: false,
  },
  {
    name: 'traffic-flow',
    entityType: 'TrafficFlowObserved',
    description:
      'Traffic counter: vehicles per period, mean speed (km/h) and lane occupancy (0–1).',
    measurements: {
      intensity: num(undefined, 0),
      averageVehicleSpeed: num('KMH', 0, 300),
      occupancy: num('C62', 0, 1),
      congested: { kind: 'boolean' },
    },
    acceptUnknown: false,
  },
  {
    name: 'waste-container',
    entityType: 'WasteContainer',
    description: 'Waste bin fill-level sensor: fill level 0–1, temperature, battery.',
    measurements: {
      fillingLevel: num('C62', 0, 1),
      temperature: num('CEL', -40, 120),
      status: oneOf('ok', 'lidOpen', 'dropped', 'moved', 'burning'),
      batteryLevel: battery,
    },
    acceptUnknown: false,
  },
  {
    name: 'streetlight',
    entityType: 'Streetlight',
    description: 'Street lamp controller: power state, consumption (W), illuminance level 0–1.',
    measurements: {
      powerState: oneOf('on', 'off', 'low', 'bootingUp'),
      powerConsumption: num('WTT', 0),
      illuminanceLevel: num('C62', 0, 1),
      status: oneOf('ok', 'defectiveLamp', 'columnIssue', 'brokenLantern'),
    },
    acceptUnknown: false,
  },
  {
    name: 'water-meter',
    entityType: 'WaterConsumptionObserved',
    description: 'Smart water meter: consumption in litres per period, flow alarms.',
    measurements: {
      waterConsumption: num('LTR', 0),
      maxFlow: num('G51', 0),
      minFlow: num('G51', 0),
      alarmInProgress: { kind: 'boolean' },
      batteryLevel: battery,
    },
    acceptUnknown: false,
  },
  {
    name: 'weather',
    entityType: 'WeatherObserved',
    description: 'Weather station: temperature, humidity, pressure, wind, precipitation.',
    measurements: {
      temperature: num('CEL', -60, 70),
      relativeHumidity: num('P1', 0, 100),
      atmosphericPressure: num('A97', 800, 1100),
      windSpeed: num('MTS', 0, 100),
      windDirection: num('DD', 0, 360),
      precipitation: num('MMT', 0),
      illuminance: num('LUX', 0),
    },
    acceptUnknown: false,
  },
  {
    name: 'energy-meter',
    entityType: 'ThreePhaseAcMeasurement',
    description: 'Electricity meter: active power (kW), energy (kWh), voltage, current.',
    measurements: {
      activePower: num('KWT'),
      totalActiveEnergyImport: num('KWH', 0),
      voltage: num('VLT', 0),
      current: num('AMP', 0),
      powerFactor: num('C62', -1, 1),
    },
    acceptUnknown: false,
  },
]

export const BUILTIN_PROFILES: ReadonlyMap<string, DeviceProfile> = new Map(
  profiles.map((p) => [p.name, p]),
)
