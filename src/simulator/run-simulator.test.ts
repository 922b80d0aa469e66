import { afterEach, describe, expect, it } from 'vitest'
import { BUILTIN_PROFILES } from '../core/device-profiles.js'
import { deviceTopic } from '../core/device.js'
import { silentLogger } from '../log/logger.js'
import { checkPayload } from './check-payload.js'
import { startSimulator, type RunningSimulator } from './run-simulator.js'
import { NO_FAULTS } from './signals/faults.js'
import { fakeProvision, startTestBroker, type TestBroker } from './test-broker.js'

/** Sockets and timers alive right now, by kind (Node's own view of what keeps the loop busy). */
function handles(): Record<string, number> {
  const out: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) out[kind] = (out[kind] ?? 0) + 1
  return out
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('startSimulator', () => {
  let broker: TestBroker | undefined
  let sim: RunningSimulator | undefined
  afterEach(async () => {
    await sim?.stop()
    await broker?.close()
    sim = undefined
    broker = undefined
  })

  it('connects every device with its own credentials and publishes valid payloads to its topic', async () => {
    const before = handles()
    broker = await startTestBroker()
    const provision = fakeProvision('default')
    const provisioned = new Map<string, string>()
    sim = await startSimulator({
      mqttUrl: broker.url,
      tenant: 'default',
      devices: 20,
      seed: 3,
      intervalMs: 150,
      speed: 60,
      faults: NO_FAULTS,
      ramp: { batch: 8, pauseMs: 10 },
      log: silentLogger,
      provision: async (specs) => {
        const out = await provision(specs)
        for (const p of out) provisioned.set(p.id, p.profile)
        return out
      },
    })

    // 1. Every device connects and sends at least two readings.
    await until(() => {
      const perDevice = new Map<string, number>()
      for (const m of broker?.messages ?? [])
        perDevice.set(m.clientId, (perDevice.get(m.clientId) ?? 0) + 1)
      return perDevice.size === 20 && [...perDevice.values()].every((n) => n >= 2)
    })
    expect(sim.stats().connected).toBe(20)
    await until(() => (sim?.stats().sent ?? 0) >= 40)

    // 2. Credentials: username = client id = device id, password = secret, persistent session.
    expect(broker.logins.size).toBe(20)
    for (const [clientId, login] of broker.logins) {
      expect(login).toEqual({ username: clientId, password: `secret-${clientId}`, clean: false })
    }

    // 3. Topics, QoS and payloads.
    const profiles = new Set<string>()
    for (const m of broker.messages) {
      expect(m.topic).toBe(deviceTopic('default', m.clientId))
      expect(m.qos).toBe(1)
      const profileName = provisioned.get(m.clientId) ?? ''
      profiles.add(profileName)
      const profile = BUILTIN_PROFILES.get(profileName)
      expect(profile).toBeDefined()
      if (profile === undefined) continue
      const payload = JSON.parse(m.payload) as Record<string, unknown>
      expect(checkPayload(profile, payload)).toEqual([])
      expect(Object.keys(payload).length).toBeGreaterThan(1)
    }
    expect(profiles.size).toBeGreaterThanOrEqual(6)

    // 4. stop() leaves nothing behind.
    await sim.stop()
    const sentAtStop = sim.stats().sent
    await broker.close()
    broker = undefined
    await new Promise((r) => setTimeout(r, 300))
    expect(sim.stats()).toMatchObject({ connected: 0, sent: sentAtStop })
    const after = handles()
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0)
    expect(after.TCPServerWrap ?? 0).toBe(before.TCPServerWrap ?? 0)
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0)
  })

  it('reconnects after the broker restarts and carries on publishing', async () => {
    broker = await startTestBroker()
    const port = Number(new URL(broker.url).port)
    sim = await startSimulator({
      mqttUrl: broker.url,
      tenant: 'default',
      devices: 6,
      seed: 2,
      intervalMs: 100,
      faults: NO_FAULTS,
      log: silentLogger,
      provision: fakeProvision('default'),
    })
    await until(() => sim?.stats().connected === 6)
    await broker.close()
    await until(() => sim?.stats().connected === 0)
    broker = await startTestBroker({ port })
    // Back-off starts at about a second, so everyone is back within a few seconds.
    await until(() => sim?.stats().connected === 6, 15_000)
    const fresh = broker
    await until(() => new Set(fresh.messages.map((m) => m.clientId)).size === 6)
  })

  it('stops within a bounded time when the broker never acknowledges', async () => {
    const before = handles()
    broker = await startTestBroker({ withholdAcks: true })
    sim = await startSimulator({
      mqttUrl: broker.url,
      tenant: 'default',
      devices: 4,
      seed: 4,
      intervalMs: 50,
      faults: NO_FAULTS,
      log: silentLogger,
      provision: fakeProvision('default'),
    })
    const fresh = broker
    await until(() => fresh.messages.length >= 8)
    expect(sim.stats().sent).toBe(0) // no PUBACK, nothing counts as sent
    const started = Date.now()
    await sim.stop()
    expect(Date.now() - started).toBeLessThan(5_000)
    await broker.close()
    broker = undefined
    await new Promise((r) => setTimeout(r, 200))
    expect(handles().TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0)
  })

  it('keeps retrying with back-off while the broker is down, and stops cleanly', async () => {
    broker = await startTestBroker()
    const url = broker.url
    await broker.close()
    broker = undefined
    const before = handles()
    sim = await startSimulator({
      mqttUrl: url,
      tenant: 'default',
      devices: 5,
      seed: 1,
      intervalMs: 100,
      log: silentLogger,
      provision: fakeProvision('default'),
    })
    await new Promise((r) => setTimeout(r, 300))
    expect(sim.stats()).toEqual({ connected: 0, sent: 0, failed: 0 })
    await sim.stop()
    await new Promise((r) => setTimeout(r, 100))
    const after = handles()
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0)
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0)
  })
})
