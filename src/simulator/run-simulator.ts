/**
 * Runs the demo city live: plans the fleet, has it provisioned, connects every device over MQTT
 * with its own credentials (ramped up in batches) and publishes each device's readings at a
 * jittered interval, with simulated time optionally running faster than the clock.
 *
 * @example
 *   const sim = await startSimulator({ mqttUrl: 'mqtt://127.0.0.1:1883', tenant: 'default',
 *     devices: 600, intervalMs: 10_000, provision, log })
 *   await sim.stop()
 */
import type { ProvisionedDevice } from '../core/device.js'
import type { Logger } from '../log/logger.js'
import { createCity } from './city.js'
import { openDeviceLink, type DeviceLink } from './device-link.js'
import { planFleet, type DeviceSpec } from './fleet.js'
import { createRng } from './prng.js'
import { createSimDevices } from './sim-device.js'
import { DEFAULT_FAULTS, type FaultRates } from './signals/faults.js'
import { nextReading } from './signals/models.js'
import type { SignalState, SimDevice } from './signals/types.js'

export interface SimulatorOptions {
  /** e.g. mqtt://127.0.0.1:1883 */
  mqttUrl: string
  tenant: string
  /** Fleet size; the demo uses 600. */
  devices: number
  seed?: number
  /** Mean interval between two messages of one device, jittered ±50 %. */
  intervalMs: number
  /** Simulated-time multiplier for the signal models (1 = real time). */
  speed?: number
  /** Registers the devices and returns their secrets and topics. */
  provision(specs: DeviceSpec[]): Promise<ProvisionedDevice[]>
  log: Logger
  /** Simulated time at start; defaults to now. */
  startAt?: Date
  /** Fault rates; defaults to DEFAULT_FAULTS. */
  faults?: Partial<FaultRates>
  /** Devices connected per ramp step (default 50) and the pause between steps (default 200 ms). */
  ramp?: { batch: number; pauseMs: number }
}

export interface RunningSimulator {
  stop(): Promise<void>
  stats(): { connected: number; sent: number; failed: number }
}

interface Runner {
  device: SimDevice
  topic: string
  /** Opened when the ramp reaches this device. */
  link?: DeviceLink
  state: SignalState
  timer?: NodeJS.Timeout | undefined
  started: boolean
}

/** How soon after connecting a device sends its first reading, so the map fills quickly. */
const FIRST_READING_MAX_MS = 1_000

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  if (!(opts.devices > 0) || !(opts.intervalMs > 0) || !((opts.speed ?? 1) > 0)) {
    throw new Error('startSimulator: devices, intervalMs and speed must be positive')
  }
  const log = opts.log.child({ component: 'simulator' })
  const seed = opts.seed
  const speed = opts.speed ?? 1
  const faults: FaultRates = { ...DEFAULT_FAULTS, ...opts.faults }
  const ramp = opts.ramp ?? { batch: 50, pauseMs: 200 }
  const city = createCity(seed)
  const specs = planFleet(city, { devices: opts.devices, ...(seed !== undefined && { seed }) })
  const provisioned = new Map((await opts.provision(specs)).map((p) => [p.id, p]))
  // The simulated clock starts once provisioning (which may hash 600 secrets) is done.
  const realStart = Date.now()
  const simStart = opts.startAt?.getTime() ?? realStart
  const simNow = () => simStart + (Date.now() - realStart) * speed
  const devices = createSimDevices(city, specs, {
    ...(seed !== undefined && { seed }),
    startAt: simStart,
    faults,
  })
  const jitter = createRng(seed ?? 1)
  const counters = { connected: 0, sent: 0, failed: 0 }
  const runners: Runner[] = []
  let stopped = false

  const schedule = (runner: Runner, delay: number) => {
    if (stopped) return
    runner.timer = setTimeout(() => tick(runner), delay)
  }
  const tick = (runner: Runner) => {
    runner.timer = undefined
    if (stopped) return
    const reading = nextReading(runner.device, new Date(simNow()), runner.state, faults)
    if (reading.fault === 'dead') {
      log.info(
        { deviceId: runner.device.spec.id },
        'simulated battery ran flat; device goes silent',
      )
      runner.link?.close(true).catch(() => {})
      return
    }
    if (reading.payload !== undefined) {
      if (runner.link?.connected === true) {
        runner.state = reading.state
        runner.link.publish(runner.topic, JSON.stringify(reading.payload)).then(
          () => counters.sent++,
          () => counters.failed++,
        )
      } else {
        // Undelivered: keep the old state, so the next reading covers this period too.
        counters.failed++
      }
    }
    schedule(runner, opts.intervalMs * (0.5 + jitter.next()))
  }

  for (const device of devices) {
    const p = provisioned.get(device.spec.id)
    if (p === undefined) {
      log.warn({ deviceId: device.spec.id }, 'device was not provisioned; skipping it')
      continue
    }
    runners.push({ device, topic: p.topic, state: {}, started: false })
  }

  const connectRunner = (runner: Runner) => {
    runner.link = openDeviceLink({
      url: opts.mqttUrl,
      id: runner.device.spec.id,
      secret: provisioned.get(runner.device.spec.id)?.secret ?? '',
      log,
      onConnectionChange: (up) => {
        counters.connected += up ? 1 : -1
        if (up && !runner.started) {
          runner.started = true
          schedule(runner, jitter.next() * FIRST_READING_MAX_MS)
        }
      },
    })
  }

  // Ramp up in batches so a laptop (and the broker) is not hit by 600 handshakes at once.
  const rampUp = async () => {
    for (let i = 0; i < runners.length && !stopped; i += ramp.batch) {
      const batch = runners.slice(i, i + ramp.batch)
      batch.forEach(connectRunner)
      await Promise.all(batch.map((r) => r.link?.firstAttempt ?? Promise.resolve()))
      if (i + ramp.batch < runners.length) await sleep(ramp.pauseMs)
    }
    if (stopped) return
    log.info({ devices: runners.length, connected: counters.connected }, 'simulator ramp-up done')
    if (counters.connected < runners.length) {
      log.warn(
        { url: opts.mqttUrl, waiting: runners.length - counters.connected },
        'some devices could not connect yet; they keep retrying with back-off',
      )
    }
  }
  log.info(
    { devices: runners.length, tenant: opts.tenant, intervalMs: opts.intervalMs, speed },
    'simulator starting',
  )
  const ramping = rampUp().catch((err: unknown) => log.error({ err }, 'simulator ramp-up failed'))

  return {
    stats: () => ({ ...counters }),
    async stop() {
      if (stopped) return
      stopped = true
      for (const runner of runners) {
        if (runner.timer !== undefined) clearTimeout(runner.timer)
      }
      // Closing settles pending first attempts, which lets the ramp notice the stop and end.
      await Promise.all(runners.map((r) => r.link?.close() ?? Promise.resolve()))
      await ramping
      log.info({ ...counters }, 'simulator stopped')
    },
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
