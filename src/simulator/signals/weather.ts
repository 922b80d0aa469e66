/**
 * Weather stations: the city's weather field seen from the station's spot, a little colder up in
 * the village, with the station's own sensor noise. Precipitation is the rain of the last hour.
 *
 * @example
 *   weatherModel(device, t, {}) // { temperature: 17.3, relativeHumidity: 58.2, atmosphericPressure: 1016.4, ... }
 */
import { noise01 } from '../prng.js'
import { clamp, round } from './cycles.js'
import type { SignalModel } from './types.js'
import { cityWeather, VILLAGE_TEMPERATURE_OFFSET } from './weather-field.js'

export const weatherModel: SignalModel = (device, t) => {
  const ms = t.getTime()
  const w = cityWeather(device.citySeed, ms)
  const village = device.landUse === 'village'
  const jitter = (k: number, size: number) =>
    size * (noise01(device.seed, k, Math.floor(ms / 60_000)) - 0.5)
  const sun = Math.sin((w.sunElevation * Math.PI) / 180)
  const illuminance =
    w.sunElevation > 0
      ? 110_000 * sun ** 1.15 * (1 - 0.75 * w.cloudiness)
      : w.sunElevation > -6
        ? 400 * ((w.sunElevation + 6) / 6) ** 2
        : 0
  return {
    temperature: round(
      w.temperature + (village ? VILLAGE_TEMPERATURE_OFFSET : 0) + jitter(1, 0.4),
      1,
    ),
    relativeHumidity: round(
      clamp(w.relativeHumidity + (village ? 4 : 0) + jitter(2, 2), 0, 100),
      1,
    ),
    atmosphericPressure: round(w.atmosphericPressure + jitter(3, 0.4), 1),
    windSpeed: round(Math.max(0, w.windSpeed * (village ? 1.3 : 1) + jitter(4, 0.6)), 1),
    windDirection: Math.round((w.windDirection + jitter(5, 20) + 360) % 360),
    precipitation: round(w.rainRate * (village ? 1.2 : 1), 1),
    illuminance: Math.round(illuminance),
  }
}
