/**
 * Gives each planned device the hidden traits the signal models need: its own seed, the land use
 * around it and, for battery-powered devices, a battery (doomed or not, per the fault plan).
 *
 * @example
 *   const devices = createSimDevices(city, planFleet(city, { devices: 600 }), { seed: 1, startAt: Date.now() })
 */
import { BUILTIN_PROFILES } from '../core/device-profiles.js'
import type { CityModel } from './city.js'
import { DEFAULT_CITY_SEED } from './city.js'
import type { DeviceSpec } from './fleet.js'
import { hashInts, hashString, noise01 } from './prng.js'
import { DEFAULT_FAULTS, type FaultRates } from './signals/faults.js'
import type { SimDevice } from './signals/types.js'

/** Radio links that imply a device runs on a battery rather than mains power. */
const BATTERY_LINKS = new Set(['lorawan', 'nb-iot', 'lte-m'])
const DEAD = 0xdead

export function createSimDevice(
  spec: DeviceSpec,
  opts: { citySeed: number; landUse: SimDevice['landUse']; startAt: number; faults?: FaultRates },
): SimDevice {
  const faults = opts.faults ?? DEFAULT_FAULTS
  const seed = hashInts(opts.citySeed, hashString(spec.id))
  const hasBattery =
    BUILTIN_PROFILES.get(spec.profile)?.measurements.batteryLevel !== undefined &&
    BATTERY_LINKS.has(spec.connectivity)
  const device: SimDevice = {
    spec,
    seed,
    citySeed: opts.citySeed,
    landUse: opts.landUse,
    startAt: opts.startAt,
  }
  if (!hasBattery) return device
  const doomed = noise01(seed, DEAD) < faults.deadBattery
  device.battery = doomed
    ? {
        startLevel: 2 + Math.round(10 * noise01(seed, DEAD + 1)),
        drainPerDay: 0,
        diesAt: opts.startAt + Math.round(noise01(seed, DEAD + 2) * faults.deadWithinMs),
      }
    : {
        startLevel: 35 + Math.round(65 * noise01(seed, DEAD + 1)),
        drainPerDay: 0.02 + 0.06 * noise01(seed, DEAD + 2),
      }
  return device
}

export function createSimDevices(
  city: CityModel,
  specs: readonly DeviceSpec[],
  opts: { seed?: number; startAt: number; faults?: FaultRates },
): SimDevice[] {
  const landUse = new Map(
    city.districts.features.map((d) => [d.properties.name, d.properties.landUse]),
  )
  const citySeed = opts.seed ?? DEFAULT_CITY_SEED
  return specs.map((spec) =>
    createSimDevice(spec, {
      citySeed,
      landUse: landUse.get(spec.district) ?? 'mixed',
      startAt: opts.startAt,
      ...(opts.faults !== undefined && { faults: opts.faults }),
    }),
  )
}
