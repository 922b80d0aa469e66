/**
 * Street lamps: on from just after sunset to just before sunrise (computed from the lamp's
 * latitude and the day of the year), dimmed to half in the quiet hours after 23:30; a few lamps
 * have a dead light source.
 *
 * @example
 *   streetlightModel(device, t, {}) // { powerState: 'low', illuminanceLevel: 0.5, powerConsumption: 36.6, status: 'ok' }
 */
import { noise01 } from '../prng.js'
import { round } from './cycles.js'
import { localTime, sunTimes } from './local-time.js'
import type { SignalModel } from './types.js'

const RATINGS = [36, 48, 60, 72, 96, 120] as const
const STANDBY_W = 0.6

export const streetlightModel: SignalModel = (device, t) => {
  const lt = localTime(t)
  const { lon, lat } = device.spec.location
  const { sunrise, sunset } = sunTimes(lat, lon, lt)
  // Photocells switch a few minutes after sunset and before sunrise.
  const onAt = sunset + 0.12 + 0.1 * noise01(device.seed, 1)
  const offAt = sunrise - 0.12 - 0.1 * noise01(device.seed, 2)
  const h = lt.hour
  const on = h >= onAt || h < offAt
  const dimmed = on && (h >= 23.5 || h < 5)
  const bootingUp = on && h >= onAt && h < onAt + 0.05
  const rated = RATINGS[Math.floor(noise01(device.seed, 3) * RATINGS.length)] ?? 60
  const defective = noise01(device.seed, 4) < 0.015
  const level = !on ? 0 : bootingUp ? 0.2 : dimmed ? 0.5 : 1
  const lit = defective ? 0 : level
  return {
    powerState: !on ? 'off' : bootingUp ? 'bootingUp' : dimmed ? 'low' : 'on',
    illuminanceLevel: lit,
    powerConsumption: round(STANDBY_W + rated * lit, 1),
    status: defective ? 'defectiveLamp' : 'ok',
  }
}
