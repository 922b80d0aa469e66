/**
 * Air-quality stations: NO2 and CO follow the traffic rush hours (worse in winter, when the valley
 * traps the air), particulates build up in winter episodes, ozone follows the afternoon sun.
 * All gases in µg/m³ as the profile's GQ unit says.
 *
 * @example
 *   airQualityModel(device, t, {}) // { no2: 48.2, pm10: 31.5, pm25: 19.8, o3: 35.1, ... }
 */
import { hashInts, smoothNoise } from '../prng.js'
import { clamp, round, trafficIndex, winterness } from './cycles.js'
import { localTime } from './local-time.js'
import { withBattery } from './battery.js'
import type { SignalModel } from './types.js'
import { cityWeather } from './weather-field.js'

const HOUR = 3_600_000

export const airQualityModel: SignalModel = (device, t) => {
  const ms = t.getTime()
  const lt = localTime(ms)
  const traffic = trafficIndex(lt)
  const winter = winterness(lt.dayOfYear)
  const weather = cityWeather(device.citySeed, ms)
  const local = (k: number, hours: number) =>
    smoothNoise(hashInts(device.seed, k), ms, hours * HOUR)
  const regional = (k: number, hours: number) =>
    smoothNoise(hashInts(device.citySeed, 100 + k), ms, hours * HOUR)
  // Wind and rain clean the air; stagnant winter days let it build up.
  const dispersion = clamp(1.25 - weather.windSpeed / 10 - weather.rainRate / 6, 0.45, 1.25)
  const roadside = device.landUse === 'centre' ? 1.25 : device.landUse === 'residential' ? 0.8 : 1

  const no2 =
    10 + roadside * 55 * traffic * (1 + 0.5 * winter) * dispersion + 12 * (local(1, 3) - 0.5)
  const pm10 =
    12 + 10 * traffic * roadside + 30 * winter * regional(2, 48) * dispersion + 6 * local(3, 4)
  const pm25 = pm10 * (0.55 + 0.15 * regional(4, 24))
  const sun = Math.max(0, Math.sin((weather.sunElevation * Math.PI) / 180))
  const o3 =
    15 +
    95 * sun * (1 - 0.7 * winter) * (1 - 0.5 * weather.cloudiness) * (1 - 0.35 * traffic) +
    10 * local(5, 6)
  const so2 = 1.5 + 3 * regional(6, 12) + 2 * winter
  const co = 220 + 520 * traffic * roadside * dispersion + 200 * winter + 60 * local(7, 2)

  return withBattery(device, t, {
    no2: round(Math.max(1, no2), 1),
    pm10: round(Math.max(1, pm10), 1),
    pm25: round(Math.max(0.5, pm25), 1),
    o3: round(Math.max(0, o3), 1),
    so2: round(so2, 1),
    co: Math.round(co),
    temperature: round(weather.temperature + 0.6 * (local(8, 1) - 0.5), 1),
    relativeHumidity: round(clamp(weather.relativeHumidity + 3 * (local(9, 1) - 0.5), 0, 100), 1),
  })
}
