/**
 * Waste containers: they fill over the days at their own pace (faster in the centre) and are
 * emptied on their district's collection days, twice a week in the centre, weekly elsewhere.
 *
 * @example
 *   wasteModel(device, t, {}) // { fillingLevel: 0.64, temperature: 14.2, status: 'ok', batteryLevel: 71 }
 */
import { hashString, noise01 } from '../prng.js'
import { clamp, round } from './cycles.js'
import { localTime, localToEpoch } from './local-time.js'
import { withBattery } from './battery.js'
import type { SignalModel, SimDevice } from './types.js'
import { cityWeather, VILLAGE_TEMPERATURE_OFFSET } from './weather-field.js'

const DAY = 86_400_000

/** Weekdays (0 = Sunday) when the bins of a district are emptied. */
export function collectionDays(device: SimDevice): number[] {
  const first = 1 + (hashString(device.spec.district) % 5) // Monday … Friday
  return device.landUse === 'centre' || device.landUse === 'commercial'
    ? [first, ((first + 2) % 5) + 1]
    : [first]
}

/** Simulated epoch ms of the last emptying at or before `t`. */
export function lastCollection(device: SimDevice, t: number): number {
  const days = collectionDays(device)
  const hour = 6 + 5 * noise01(device.seed, 1) // the truck's round passes this bin at its own time
  const today = localTime(t).dayIndex
  for (let back = 0; back <= 14; back++) {
    const dayIndex = today - back
    const weekday = (((dayIndex + 4) % 7) + 7) % 7 // 1970-01-01 was a Thursday
    const at = localToEpoch(dayIndex, hour)
    if (days.includes(weekday) && at <= t) return at
  }
  return t - 7 * DAY
}

export const wasteModel: SignalModel = (device, t) => {
  const ms = t.getTime()
  const perDay =
    device.landUse === 'village'
      ? 0.06 + 0.08 * noise01(device.seed, 2)
      : 0.1 + 0.2 * noise01(device.seed, 2)
  const leftover = 0.04 * noise01(device.seed, 3, Math.floor(lastCollection(device, ms) / DAY))
  const fillingLevel = clamp(leftover + (perDay * (ms - lastCollection(device, ms))) / DAY, 0, 1)
  const weather = cityWeather(device.citySeed, ms)
  const ambient =
    weather.temperature + (device.landUse === 'village' ? VILLAGE_TEMPERATURE_OFFSET : 0)
  const sunOnLid =
    6 * Math.max(0, Math.sin((weather.sunElevation * Math.PI) / 180)) * (1 - weather.cloudiness)
  // Now and then someone leaves the lid open for a while.
  const lidOpen = noise01(device.seed, 4, Math.floor(ms / 3_600_000)) < 0.01
  return withBattery(device, t, {
    fillingLevel: round(fillingLevel, 2),
    temperature: round(ambient + sunOnLid + 0.5 * fillingLevel, 1),
    status: lidOpen ? 'lidOpen' : 'ok',
  })
}
