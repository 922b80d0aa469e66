/**
 * Traffic counters on primary roads: flow (vehicles per hour) follows the rush hours; speed drops
 * and lane occupancy climbs as the road nears capacity, and the counter flags congestion.
 *
 * @example
 *   trafficModel(device, t, {}) // { intensity: 1480, averageVehicleSpeed: 23.1, occupancy: 0.61, congested: true }
 */
import { hashInts, noise01, smoothNoise } from '../prng.js'
import { clamp, round, trafficIndex } from './cycles.js'
import { localTime } from './local-time.js'
import type { SignalModel } from './types.js'

export const trafficModel: SignalModel = (device, t) => {
  const ms = t.getTime()
  const capacity = 1300 + Math.round(900 * noise01(device.seed, 1)) // vehicles per hour
  const freeFlow = 45 + 25 * noise01(device.seed, 2) // km/h
  const busyness = 0.8 + 0.38 * noise01(device.seed, 3) // some roads are busier than others
  const wobble = 0.08 * (smoothNoise(hashInts(device.seed, 4), ms, 300_000) - 0.5)
  const load = clamp(trafficIndex(localTime(ms)) * busyness + wobble, 0, 1.15)
  const intensity = Math.round(capacity * Math.min(load, 1) * (1 - 0.2 * Math.max(0, load - 1)))
  const speed = freeFlow * clamp(1 - 0.78 * load ** 4, 0.12, 1)
  const occupancy = clamp(0.03 + 0.45 * load + 0.4 * load ** 6, 0, 1)
  return {
    intensity,
    averageVehicleSpeed: round(speed, 1),
    occupancy: round(occupancy, 3),
    congested: speed < freeFlow * 0.5,
  }
}
