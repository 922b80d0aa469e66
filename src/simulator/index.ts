/**
 * The demo-city simulator: a generated city with a live fleet of devices publishing over MQTT,
 * and replays of real datasets through the same ingest path. `civitas demo` starts it.
 *
 * @example
 *   const sim = await startSimulator({ mqttUrl, tenant: 'default', devices: DEFAULT_FLEET_SIZE,
 *     intervalMs: 10_000, provision, log })
 */
export { createCity, DEFAULT_CITY_SEED } from './city.js'
export type { CityModel, DistrictProperties, RoadProperties, RoadClass, LandUse } from './city.js'
export { planFleet, fleetComposition, DEFAULT_FLEET_SIZE } from './fleet.js'
export type { DeviceSpec } from './fleet.js'
export type { Feature, FeatureCollection, LineString, Polygon, Position } from './geojson.js'
export { startSimulator } from './run-simulator.js'
export type { SimulatorOptions, RunningSimulator } from './run-simulator.js'
export { replayDataset } from './replay.js'
export type { ReplayOptions, ReplayResult } from './replay.js'
export { DATASETS } from './replay-datasets.js'
export type { DatasetName } from './replay-datasets.js'
export { DEFAULT_FAULTS, NO_FAULTS } from './signals/faults.js'
export type { FaultRates } from './signals/faults.js'
