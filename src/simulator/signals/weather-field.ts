/**
 * The weather over the demo city: one slowly changing field that every device of the city shares,
 * so the weather stations, air-quality stations and bins agree on temperature and humidity.
 *
 * @example
 *   cityWeather(citySeed, t).temperature // °C in the valley; add VILLAGE_OFFSET up in Valmora
 */
import { hashInts, smoothNoise } from '../prng.js'
import { bump, clamp, winterness } from './cycles.js'
import { localTime, solarElevation } from './local-time.js'

export interface WeatherNow {
  temperature: number
  relativeHumidity: number
  /** Sea-level pressure, hPa. */
  atmosphericPressure: number
  windSpeed: number
  windDirection: number
  /** 0 (clear) … 1 (overcast). */
  cloudiness: number
  /** mm per hour. */
  rainRate: number
  /** Sun elevation at the city centre, degrees. */
  sunElevation: number
}

const HOUR = 3_600_000
const LAT = 46.5
const LON = 11.3

/** Valmora sits some 400 m higher: colder and a little wetter. */
export const VILLAGE_TEMPERATURE_OFFSET = -2.6

export function cityWeather(citySeed: number, t: Date | number): WeatherNow {
  const ms = typeof t === 'number' ? t : t.getTime()
  const lt = localTime(ms)
  const field = (k: number, periodHours: number) =>
    smoothNoise(hashInts(citySeed, k), ms, periodHours * HOUR)

  const pressureSwing = field(1, 60) - 0.5 // weather systems take days to pass
  const cloudiness = clamp(0.5 * field(2, 10) + 0.5 * field(3, 40) - 1.2 * pressureSwing, 0, 1)
  const winter = winterness(lt.dayOfYear)
  const dailyAmplitude = (4 + 3 * (1 - winter)) * (1 - 0.6 * cloudiness)
  const temperature =
    12.5 +
    10.5 * (1 - 2 * winter) +
    dailyAmplitude * Math.cos(((lt.hour - 15) / 24) * 2 * Math.PI) +
    7 * (field(4, 72) - 0.5) +
    1.5 * (field(5, 5) - 0.5)
  const dailyAnomaly = Math.cos(((lt.hour - 15) / 24) * 2 * Math.PI)
  const relativeHumidity = clamp(
    62 - 14 * dailyAnomaly + 30 * (cloudiness - 0.5) + 10 * (field(6, 8) - 0.5),
    12,
    100,
  )
  const rainRate =
    cloudiness > 0.72 && pressureSwing < 0.05 ? (cloudiness - 0.72) * 14 * (0.5 + field(7, 2)) : 0
  const valleyBreeze = bump(lt.hour, 15, 3)
  const windSpeed = clamp(
    0.4 + 3 * field(8, 9) + 1.6 * valleyBreeze + 6 * Math.max(0, -pressureSwing),
    0,
    40,
  )
  // Up-valley (from the south-west) by day, down-valley (from the north-east) by night.
  const windDirection = ((valleyBreeze > 0.4 ? 215 : 35) + 90 * (field(9, 6) - 0.5) + 360) % 360
  return {
    temperature,
    relativeHumidity: rainRate > 0 ? Math.max(relativeHumidity, 88) : relativeHumidity,
    atmosphericPressure: 1013 + 28 * pressureSwing,
    windSpeed,
    windDirection,
    cloudiness,
    rainRate,
    sunElevation: solarElevation(LAT, LON, ms),
  }
}
