/**
 * Shared shapes of the signal models: the simulated device, the state carried between its
 * readings, and the measurements object a model returns.
 *
 * @example
 *   const m: Measurements = { status: 'occupied', batteryLevel: 87 }
 */
import type { LandUse } from '../city.js'
import type { DeviceSpec } from '../fleet.js'

export type MeasurementValue = number | string | boolean
export type Measurements = Record<string, MeasurementValue>

/** What a device publishes: observedAt plus measurement names exactly as in its profile. */
export type Payload = { observedAt: string } & Measurements

/** A planned device plus the hidden parameters that make it behave like itself. */
export interface SimDevice {
  spec: DeviceSpec
  /** Per-device seed: every random choice about this device derives from it. */
  seed: number
  /** The city's seed: devices of one city share its weather. */
  citySeed: number
  landUse: LandUse
  /** Simulated time (epoch ms) when the fleet was switched on. */
  startAt: number
  /** Only battery-powered devices have one; `diesAt` is set for those that will run flat. */
  battery?: { startLevel: number; drainPerDay: number; diesAt?: number }
}

/** What a model may remember between readings of one device. */
export interface SignalState {
  /** Simulated time (epoch ms) of the previous published reading. */
  previousAt?: number
  previous?: Measurements
}

/** A signal model: pure, so the same device, time and state always give the same values. */
export type SignalModel = (device: SimDevice, t: Date, state: SignalState) => Measurements
