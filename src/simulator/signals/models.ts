/**
 * One entry point for all signal models: turns a simulated device and a simulated time into the
 * next payload (or silence), applying the fault plan, and hands back the state for next time.
 *
 * @example
 *   const r = nextReading(device, new Date(), {}, DEFAULT_FAULTS)
 *   if (r.payload) publish(JSON.stringify(r.payload))
 */
import { airQualityModel } from './air-quality.js'
import { applySpike, isStuckAt, silenceAt, type FaultRates, type SilentFault } from './faults.js'
import { noiseModel } from './noise.js'
import { parkingModel } from './parking.js'
import { streetlightModel } from './streetlight.js'
import { trafficModel } from './traffic.js'
import type { Payload, SignalModel, SignalState, SimDevice } from './types.js'
import { wasteModel } from './waste.js'
import { waterModel } from './water.js'
import { weatherModel } from './weather.js'

export const SIGNAL_MODELS: Readonly<Record<string, SignalModel>> = {
  'parking-spot': parkingModel,
  'air-quality': airQualityModel,
  noise: noiseModel,
  'traffic-flow': trafficModel,
  'waste-container': wasteModel,
  streetlight: streetlightModel,
  'water-meter': waterModel,
  weather: weatherModel,
}

export interface Reading {
  /** Undefined when the device stays silent this time. */
  payload?: Payload
  state: SignalState
  fault?: SilentFault | 'stuck' | 'spike'
}

export function nextReading(
  device: SimDevice,
  t: Date,
  state: SignalState,
  faults: FaultRates,
): Reading {
  const ms = t.getTime()
  const silent = silenceAt(device, ms, faults)
  // Every live device is heard once at start, so the map fills; gaps come later.
  const firstWord = silent === 'gap' && state.previousAt === undefined
  // A silent device keeps its old state: a meter reports everything since it was last heard.
  if (silent !== undefined && !firstWord) return { state, fault: silent }
  const observedAt = t.toISOString()
  if (state.previous !== undefined && isStuckAt(device, ms, faults)) {
    return {
      payload: { observedAt, ...state.previous },
      state: { previousAt: ms, previous: state.previous },
      fault: 'stuck',
    }
  }
  const model = SIGNAL_MODELS[device.spec.profile]
  if (model === undefined) throw new Error(`no signal model for profile ${device.spec.profile}`)
  const { measurements, spiked } = applySpike(device, ms, model(device, t, state), faults)
  return {
    payload: { observedAt, ...measurements },
    state: { previousAt: ms, previous: measurements },
    ...(spiked !== undefined && { fault: 'spike' as const }),
  }
}
