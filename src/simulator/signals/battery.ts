/**
 * Battery charge of battery-powered devices: a slow drain over months, or a quick fade to zero for
 * the devices the fault plan marks to run flat.
 *
 * @example
 *   withBattery(device, t, { status: 'free' }) // adds batteryLevel when the device has a battery
 */
import { clamp } from './cycles.js'
import type { Measurements, SimDevice } from './types.js'

const DAY = 86_400_000

/** Percent charge at simulated time `t`, or undefined for mains-powered devices. */
export function batteryLevel(device: SimDevice, t: number): number | undefined {
  const b = device.battery
  if (b === undefined) return undefined
  const elapsed = Math.max(0, t - device.startAt)
  if (b.diesAt !== undefined) {
    const f = clamp(elapsed / Math.max(1, b.diesAt - device.startAt), 0, 1)
    return Math.round(b.startLevel * (1 - f))
  }
  return Math.round(clamp(b.startLevel - (b.drainPerDay * elapsed) / DAY, 1, 100))
}

export function withBattery(device: SimDevice, t: Date, m: Measurements): Measurements {
  const level = batteryLevel(device, t.getTime())
  return level === undefined ? m : { ...m, batteryLevel: level }
}
