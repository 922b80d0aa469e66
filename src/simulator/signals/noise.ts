/**
 * Sound level meters beside main roads: the equivalent level follows traffic (≈ 48 dB(A) at night,
 * ≈ 70 dB(A) in the rush hour); the maximum carries the occasional lorry, horn or motorbike.
 *
 * @example
 *   noiseModel(device, t, {}) // { LAeq: 67.4, LAmax: 81.9, LAS: 66.1 }
 */
import { hashInts, noise01, smoothNoise } from '../prng.js'
import { clamp, round, trafficIndex } from './cycles.js'
import { localTime } from './local-time.js'
import { withBattery } from './battery.js'
import type { SignalModel } from './types.js'

export const noiseModel: SignalModel = (device, t) => {
  const ms = t.getTime()
  const traffic = trafficIndex(localTime(ms))
  const site = 7 * (noise01(device.seed, 1) - 0.4) // how close the meter is to the kerb
  const drift = 3 * (smoothNoise(hashInts(device.seed, 2), ms, 600_000) - 0.5)
  const laeq = clamp(43 + 26 * Math.sqrt(traffic) + site + drift, 25, 110)
  const event = noise01(device.seed, 3, Math.floor(ms / 60_000))
  const lamax = clamp(laeq + 7 + 14 * event * event, laeq, 130)
  const las = clamp(laeq + 6 * (noise01(device.seed, 4, Math.floor(ms / 1000)) - 0.5), 20, 130)
  return withBattery(device, t, {
    LAeq: round(laeq, 1),
    LAmax: round(lamax, 1),
    LAS: round(las, 1),
  })
}
