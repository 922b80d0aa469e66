/**
 * Parking bays: in the centre and shopping districts they fill in business hours on workdays and
 * for Saturday shopping; in residential streets they fill in the evening and at night.
 *
 * @example
 *   parkingModel(device, new Date('2026-03-04T10:00:00Z'), {}) // { status: 'occupied', batteryLevel: 93 }
 */
import type { LandUse } from '../city.js'
import { noise01 } from '../prng.js'
import { bump, dayKind, during } from './cycles.js'
import { localTime, type LocalTime } from './local-time.js'
import { withBattery } from './battery.js'
import type { SignalModel } from './types.js'

const STAY_MS = 35 * 60_000

/** Chance that a bay is taken at this local time, by the land use around it. */
export function parkingOccupancy(
  landUse: LandUse,
  lt: Pick<LocalTime, 'hour' | 'weekday'>,
): number {
  const h = lt.hour
  const day = dayKind(lt)
  if (landUse === 'residential' || landUse === 'village') {
    // Residents leave for work in the morning and come back in the evening.
    const away = day === 'workday' ? 0.4 * during(h, 7.5, 17.5, 2) : 0.15 * during(h, 10, 18, 3)
    return 0.88 - away
  }
  switch (day) {
    case 'workday':
      return (
        0.12 + 0.74 * during(h, 7.5, 19, 1.5) + 0.08 * bump(h, 11, 1.5) - 0.08 * bump(h, 13, 0.7)
      )
    case 'saturday':
      return 0.15 + 0.78 * during(h, 9, 19.5, 1.5) + 0.05 * bump(h, 16, 2)
    case 'sunday':
      return 0.1 + 0.35 * during(h, 10, 20, 2)
  }
}

export const parkingModel: SignalModel = (device, t) => {
  // A car stays a while: the bay keeps its state for one stay slot, offset per bay.
  const phase = noise01(device.seed, 1) * STAY_MS
  const slot = Math.floor((t.getTime() + phase) / STAY_MS)
  const slotMiddle = slot * STAY_MS - phase + STAY_MS / 2
  const p = parkingOccupancy(device.landUse, localTime(slotMiddle))
  const status = noise01(device.seed, 2, slot) < p ? 'occupied' : 'free'
  return withBattery(device, t, { status })
}
