/**
 * Fault injection, deterministic per device seed: batteries that run flat (the device goes
 * silent for good), gaps (silent for a while), stuck sensors (the same values again and again)
 * and out-of-range spikes. The platform should notice all four.
 *
 * @example
 *   faultAt(device, t, DEFAULT_FAULTS) // 'gap' | 'stuck' | 'dead' | undefined
 */
import { BUILTIN_PROFILES } from '../../core/device-profiles.js'
import { noise01 } from '../prng.js'
import type { Measurements, SimDevice } from './types.js'

export interface FaultRates {
  /** Share of battery-powered devices whose battery runs flat within `deadWithinMs` of start. */
  deadBattery: number
  /** Share of (device, 2-hour window) pairs in which the sensor is stuck. */
  stuck: number
  /** Share of (device, 1-hour window) pairs in which the device is silent. */
  gap: number
  /** Probability per reading of one out-of-range value. */
  spike: number
  /** Simulated time within which the doomed batteries die. */
  deadWithinMs: number
}

export const DEFAULT_FAULTS: FaultRates = {
  deadBattery: 0.02,
  stuck: 0.01,
  gap: 0.02,
  spike: 0.003,
  deadWithinMs: 6 * 3_600_000,
}

export const NO_FAULTS: FaultRates = {
  ...DEFAULT_FAULTS,
  deadBattery: 0,
  stuck: 0,
  gap: 0,
  spike: 0,
}

export const GAP_WINDOW_MS = 3_600_000
export const STUCK_WINDOW_MS = 2 * 3_600_000

// Salts keep the fault draws independent of each other and of the signal models.
const GAP = 0x9a9
const STUCK = 0x57c
const SPIKE = 0x591

function windowIndex(device: SimDevice, salt: number, t: number, size: number): number {
  // Each device's windows start at its own offset, so faults do not all begin on the hour.
  return Math.floor((t + noise01(device.seed, salt) * size) / size)
}

export type SilentFault = 'dead' | 'gap'

/** Whether the device is silent at `t`, and why. */
export function silenceAt(
  device: SimDevice,
  t: number,
  rates: FaultRates,
): SilentFault | undefined {
  const diesAt = device.battery?.diesAt
  if (diesAt !== undefined && t >= diesAt) return 'dead'
  if (noise01(device.seed, GAP, windowIndex(device, GAP, t, GAP_WINDOW_MS)) < rates.gap)
    return 'gap'
  return undefined
}

export function isStuckAt(device: SimDevice, t: number, rates: FaultRates): boolean {
  return noise01(device.seed, STUCK, windowIndex(device, STUCK, t, STUCK_WINDOW_MS)) < rates.stuck
}

/**
 * Maybe replaces one bounded number with a value outside its profile range (a glitching ADC, a
 * byte read as 255). Returns the measurements unchanged when no spike is due.
 */
export function applySpike(
  device: SimDevice,
  t: number,
  m: Measurements,
  rates: FaultRates,
): { measurements: Measurements; spiked?: string } {
  if (noise01(device.seed, SPIKE, t) >= rates.spike) return { measurements: m }
  const specs = BUILTIN_PROFILES.get(device.spec.profile)?.measurements ?? {}
  const candidates = Object.keys(m).filter((name) => {
    const spec = specs[name]
    return (
      typeof m[name] === 'number' &&
      spec !== undefined &&
      (spec.max !== undefined || spec.min !== undefined)
    )
  })
  const name = candidates[Math.floor(noise01(device.seed, SPIKE + 1, t) * candidates.length)]
  const spec = name === undefined ? undefined : specs[name]
  if (name === undefined || spec === undefined) return { measurements: m }
  const value = spec.max !== undefined ? Math.max(255, spec.max * 2) : (spec.min ?? 0) - 999
  return { measurements: { ...m, [name]: value }, spiked: name }
}
