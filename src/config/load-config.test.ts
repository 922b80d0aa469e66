import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, maskConfig } from './load-config.js'

describe('loadConfig', () => {
  it('gives working defaults with an empty environment', () => {
    const c = loadConfig({})
    expect(c.http.port).toBe(8080)
    expect(c.mqtt.port).toBe(1883)
    expect(c.dataDir).toBe('./data')
    expect(c.mqtt.mode).toBe('embedded')
  })

  it('reads the documented environment variables', () => {
    const c = loadConfig({
      CIVITAS_HTTP_PORT: '9000',
      CIVITAS_MQTT_PORT: '0',
      CIVITAS_DATA_DIR: '/tmp/x',
    })
    expect([c.http.port, c.mqtt.port, c.dataDir]).toEqual([9000, 0, '/tmp/x'])
  })

  it('rejects bad values with a message naming the variable or path', () => {
    expect(() => loadConfig({ CIVITAS_HTTP_PORT: 'eighty' })).toThrow(/CIVITAS_HTTP_PORT/)
    expect(() => loadConfig({ CIVITAS_HTTP_PORT: '70000' })).toThrow(ConfigError)
    expect(() => loadConfig({ CIVITAS_MQTT_MODE: 'carrier-pigeon' })).toThrow(/mqtt\/mode/)
  })

  it('returns a deeply frozen object', () => {
    const c = loadConfig({})
    expect(Object.isFrozen(c.http)).toBe(true)
    expect(() => {
      ;(c.http as { port: number }).port = 1
    }).toThrow()
  })

  it('masks secrets when printed', () => {
    const c = loadConfig({ CIVITAS_MQTT_PASSWORD: 'hunter2' })
    expect(JSON.stringify(maskConfig(c))).not.toContain('hunter2')
  })

  it('reads booleans strictly', () => {
    expect(loadConfig({ CIVITAS_DEMO_FAULTS: 'off' }).demo.faults).toBe(false)
    expect(loadConfig({}).demo.faults).toBe(true)
    expect(() => loadConfig({ CIVITAS_DEMO_FAULTS: 'maybe' })).toThrow(/true or false/)
  })

  it('lets CIVITAS_TILE_URL=none switch tiles off', () => {
    expect(loadConfig({ CIVITAS_TILE_URL: 'none' }).web.tileUrl).toBeNull()
  })

  it('keeps private callback addresses off unless CIVITAS_ALLOW_PRIVATE_CALLBACKS says so', () => {
    expect(loadConfig({}).callbacks.allowPrivate).toBe(false)
    expect(loadConfig({ CIVITAS_ALLOW_PRIVATE_CALLBACKS: 'true' }).callbacks.allowPrivate).toBe(
      true,
    )
  })
})
