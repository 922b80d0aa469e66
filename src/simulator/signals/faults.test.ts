import { describe, expect, it } from 'vitest'
import { BUILTIN_PROFILES } from '../../core/device-profiles.js'
import { checkPayload } from '../check-payload.js'
import { createCity } from '../city.js'
import { planFleet } from '../fleet.js'
import { createSimDevices } from '../sim-device.js'
import { GAP_WINDOW_MS, NO_FAULTS, type FaultRates } from './faults.js'
import { nextReading, type Reading } from './models.js'
import type { SignalState, SimDevice } from './types.js'

const HOUR = 3_600_000
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const START = Date.parse('2026-05-04T06:00:00Z')
const RATES: FaultRates = {
  deadBattery: 0.1,
  stuck: 0.05,
  gap: 0.04,
  spike: 0.02,
  deadWithinMs: 12 * HOUR,
}
const city = createCity()
const specs = planFleet(city, { devices: 600 })

/** Runs every device for `hours` at one reading every `stepMs`, collecting the readings. */
function run(devices: SimDevice[], rates: FaultRates, hours: number, stepMs: number) {
  const out = new Map<string, Reading[]>()
  for (const d of devices) {
    let state: SignalState = {}
    const readings: Reading[] = []
    for (let t = START; t < START + hours * HOUR; t += stepMs) {
      const r = nextReading(d, new Date(t), state, rates)
      state = r.state
      readings.push(r)
    }
    out.set(d.spec.id, readings)
  }
  return out
}

describe('fault injection', () => {
  const devices = createSimDevices(city, specs, { startAt: START, faults: RATES })
  const readings = run(devices, RATES, 24, 10 * 60_000)
  const all = [...readings.values()].flat()
  const share = (fault: Reading['fault']) =>
    all.filter((r) => r.fault === fault).length / all.length

  it('kills the configured share of batteries, and dead devices stay silent', () => {
    const battery = devices.filter((d) => d.battery !== undefined)
    const doomed = battery.filter((d) => d.battery?.diesAt !== undefined)
    expect(doomed.length / battery.length).toBeGreaterThan(0.06)
    expect(doomed.length / battery.length).toBeLessThan(0.14)
    for (const d of doomed) {
      const rs = readings.get(d.spec.id) ?? []
      const firstDead = rs.findIndex((r) => r.fault === 'dead')
      expect(firstDead, d.spec.id).toBeGreaterThanOrEqual(0) // all die within 12 h of a 24 h run
      expect(rs.slice(firstDead).every((r) => r.fault === 'dead' && r.payload === undefined)).toBe(
        true,
      )
    }
    // Before dying the battery reads low.
    const lastWords = doomed.map((d) =>
      (readings.get(d.spec.id) ?? []).filter((r) => r.payload && r.fault === undefined).at(-1),
    )
    for (const r of lastWords)
      if (r?.payload) expect(Number(r.payload.batteryLevel)).toBeLessThanOrEqual(12)
  })

  it('leaves gaps at the configured rate', () => {
    // Measured on devices that stay alive, where only gaps cause silence. Windows are equally
    // long and readings evenly spaced, so the share of silent readings estimates the rate.
    const alive = devices.filter((d) => d.battery?.diesAt === undefined)
    const rs = alive.flatMap((d) => readings.get(d.spec.id) ?? [])
    const gapShare = rs.filter((r) => r.fault === 'gap').length / rs.length
    expect(gapShare).toBeGreaterThan(0.025)
    expect(gapShare).toBeLessThan(0.055)
    // Every device is heard once at start, even when it starts inside a gap.
    for (const d of devices) expect(readings.get(d.spec.id)?.[0]?.payload, d.spec.id).toBeDefined()
    // A gap silences the device for a whole window, not for single readings.
    const perWindow = GAP_WINDOW_MS / (10 * 60_000)
    const runs = rs
      .map((r) => r.fault === 'gap')
      .join('')
      .split('false')
      .filter((x) => x.length > 0)
    expect(mean(runs.map((run) => run.split('true').length - 1))).toBeGreaterThan(perWindow * 0.6)
  })

  it('sticks sensors at the configured rate, repeating the previous values exactly', () => {
    expect(share('stuck')).toBeGreaterThan(0.03)
    expect(share('stuck')).toBeLessThan(0.07)
    for (const rs of readings.values()) {
      let previous: Record<string, unknown> | undefined
      for (const r of rs) {
        if (r.payload === undefined) continue
        const { observedAt: _, ...values } = r.payload
        if (r.fault === 'stuck') expect(values).toEqual(previous)
        previous = values
      }
    }
  })

  it('spikes at the configured rate, and only spikes break the profile ranges', () => {
    expect(share('spike')).toBeGreaterThan(0.014)
    expect(share('spike')).toBeLessThan(0.026)
    for (const d of devices) {
      const profile = BUILTIN_PROFILES.get(d.spec.profile)
      if (profile === undefined) throw new Error(d.spec.profile)
      let spiked = false
      for (const r of readings.get(d.spec.id) ?? []) {
        if (r.payload === undefined) continue
        const problems = checkPayload(profile, r.payload)
        if (r.fault === 'spike') {
          spiked = true
          expect(problems.length, JSON.stringify(r.payload)).toBe(1)
        } else if (r.fault !== 'stuck' || !spiked) {
          expect(problems, d.spec.id).toEqual([]) // a stuck sensor may repeat a spike, nothing else may
        }
        if (r.fault !== 'stuck') spiked = r.fault === 'spike'
      }
    }
  })

  it('is deterministic per seed and off when the rates are zero', () => {
    const again = run(
      createSimDevices(city, specs, { startAt: START, faults: RATES }),
      RATES,
      24,
      10 * 60_000,
    )
    expect(again).toEqual(readings)
    const clean = run(
      createSimDevices(city, specs, { startAt: START, faults: NO_FAULTS }),
      NO_FAULTS,
      6,
      20 * 60_000,
    )
    expect([...clean.values()].flat().filter((r) => r.fault !== undefined)).toEqual([])
  })
})
