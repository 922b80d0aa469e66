/**
 * Household water meters: use peaks in the morning (showers) and the evening (cooking, washing),
 * later and softer at weekends; each reading reports the litres since the previous one. A few
 * meters see a leak, which keeps the minimum flow above zero and raises the alarm.
 *
 * @example
 *   waterModel(device, t, { previousAt: t.getTime() - 10_000 }) // { waterConsumption: 0.112, ... }
 */
import { noise01 } from '../prng.js'
import { bump, dayKind, during, round, type DayKind } from './cycles.js'
import { localTime } from './local-time.js'
import { withBattery } from './battery.js'
import type { SignalModel } from './types.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const STEP = 5 * MINUTE
const BURST = 15 * MINUTE
/** Without a previous reading, report the last quarter of an hour. */
const FIRST_PERIOD = 15 * MINUTE
const MAX_INTEGRATED = 2 * DAY

/** Relative water use by hour of day; normalised below to a daily total of 1. */
function shape(hour: number, kind: DayKind): number {
  return kind === 'workday'
    ? 0.12 +
        1.6 * bump(hour, 7, 0.9) +
        0.5 * bump(hour, 12.5, 1.2) +
        1.2 * bump(hour, 19.5, 1.6) +
        0.35 * during(hour, 8, 22)
    : 0.12 +
        1.1 * bump(hour, 9.5, 1.5) +
        0.6 * bump(hour, 13, 1.5) +
        1.1 * bump(hour, 19.5, 1.8) +
        0.5 * during(hour, 9, 22)
}

const DAILY_SUM: Record<DayKind, number> = { workday: 0, saturday: 0, sunday: 0 }
for (const kind of ['workday', 'saturday', 'sunday'] as const) {
  for (let k = 0; k < 24 * 12; k++) DAILY_SUM[kind] += shape(k / 12, kind) / 12
}

/** Share of a day's water used per hour at this moment (integrates to 1 over a day). */
export function waterUseShare(t: number): number {
  const lt = localTime(t)
  const kind = dayKind(lt)
  return shape(lt.hour, kind) / DAILY_SUM[kind]
}

export const waterModel: SignalModel = (device, t, state) => {
  const ms = t.getTime()
  const litresPerDay = (device.landUse === 'village' ? 220 : 150) + 300 * noise01(device.seed, 1)
  const leaks =
    noise01(device.seed, 2) < 0.03 && ms >= device.startAt + noise01(device.seed, 3) * 12 * HOUR
  const leakFlow = leaks ? 0.002 + 0.008 * noise01(device.seed, 4) : 0 // litres per second

  const from =
    state.previousAt !== undefined && state.previousAt < ms ? state.previousAt : ms - FIRST_PERIOD
  let litres = 0
  let used = false
  const start = Math.max(from, ms - MAX_INTEGRATED)
  litres += ((start - from) / DAY) * litresPerDay // beyond two days: the daily mean is close enough
  for (let a = start; a < ms; a += STEP) {
    const b = Math.min(ms, a + STEP)
    // Water is used in bursts: some quarters of an hour see much more than the mean.
    const burst = 0.1 + 1.8 * noise01(device.seed, 5, Math.floor(a / BURST))
    const step = litresPerDay * waterUseShare(a) * burst * ((b - a) / HOUR)
    litres += step
    used ||= step > 0.05
  }
  litres += (leakFlow * (ms - from)) / 1000
  const tapFlow = used ? 0.06 + 0.16 * noise01(device.seed, 6, Math.floor(ms / BURST)) : 0
  return withBattery(device, t, {
    waterConsumption: round(litres, 3),
    // G51 is litres per second.
    maxFlow: round(tapFlow + leakFlow, 4),
    minFlow: round(leakFlow, 4),
    alarmInProgress: leaks,
  })
}
