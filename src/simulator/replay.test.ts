import { afterEach, describe, expect, it } from 'vitest'
import { deviceTopic } from '../core/device.js'
import { silentLogger } from '../log/logger.js'
import { replayDataset } from './replay.js'
import { fakeProvision, startTestBroker, type TestBroker } from './test-broker.js'

describe('replayDataset', () => {
  let broker: TestBroker | undefined
  afterEach(async () => {
    await broker?.close()
    broker = undefined
  })

  it('sends the earliest readings over MQTT, one connection per device, original timestamps kept', async () => {
    broker = await startTestBroker()
    const before = process.getActiveResourcesInfo().filter((k) => k === 'TCPSocketWrap').length
    const result = await replayDataset({
      dataset: 'dublin-noise',
      datasetsDir: '/work/shared/datasets',
      mqttUrl: broker.url,
      tenant: 'replay',
      speed: 36_000, // ten hours of data per second
      limit: 30,
      provision: fakeProvision('replay'),
      log: silentLogger,
    })
    expect(result).toEqual({ sent: 30, devices: 9, skipped: 0, failed: 0 })
    expect(broker.messages).toHaveLength(30)
    for (const m of broker.messages) {
      expect(m.topic).toBe(deviceTopic('replay', m.clientId))
      expect(m.clientId).toMatch(/^dub-/)
      expect(broker.logins.get(m.clientId)).toMatchObject({ username: m.clientId, clean: false })
    }
    const first = JSON.parse(broker.messages[0]?.payload ?? '{}') as Record<string, unknown>
    expect(first).toEqual({ observedAt: '2015-01-01T00:00:00.000Z', LAeq: 70.51 })
    const times = broker.messages.map(
      (m) => (JSON.parse(m.payload) as { observedAt: string }).observedAt,
    )
    expect([...times].sort()).toEqual(times)
    expect(times.at(-1)).toBe('2015-01-01T03:00:00.000Z')
    // All device connections are closed when the replay resolves.
    await new Promise((r) => setTimeout(r, 100))
    expect(process.getActiveResourcesInfo().filter((k) => k === 'TCPSocketWrap').length).toBe(
      before,
    )
  })

  it('stops early when aborted', async () => {
    broker = await startTestBroker()
    const controller = new AbortController()
    const fresh = broker
    const watch = setInterval(() => {
      if (fresh.messages.length >= 2) controller.abort()
    }, 10)
    const started = Date.now()
    const result = await replayDataset({
      dataset: 'metro-traffic',
      datasetsDir: '/work/shared/datasets',
      mqttUrl: broker.url,
      tenant: 'default',
      speed: 3600, // one message per second
      limit: 100,
      provision: fakeProvision('default'),
      log: silentLogger,
      signal: controller.signal,
    })
    clearInterval(watch)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(result.sent).toBeGreaterThanOrEqual(2)
    expect(result.sent).toBeLessThan(100)
  })
})
