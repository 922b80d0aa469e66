/**
 * Finds and authenticates devices for the transports. Device rows are cached for a few seconds so
 * a burst of messages does not become a burst of lookups; a rotated secret takes effect within
 * that time.
 *
 * @example
 *   const device = await directory.authenticate('default', 'aq-0001', secret) // undefined if wrong
 */
import type { Device } from '../core/device.js'
import { DEFAULT_TENANT } from '../core/ngsi.js'
import { verifyDeviceSecret } from '../security/device-secret.js'
import type { DeviceStore } from '../store/store.js'

export interface DeviceDirectory {
  get(tenant: string, id: string): Promise<Device | undefined>
  /** The device when the secret matches, else undefined. */
  authenticate(tenant: string, id: string, secret: string): Promise<Device | undefined>
  forget(tenant: string, id: string): void
}

export function createDeviceDirectory(
  devices: DeviceStore,
  ttlMs = 5_000,
  now: () => number = Date.now,
): DeviceDirectory {
  const cache = new Map<string, { device: Device; until: number }>()
  const get = async (tenant: string, id: string): Promise<Device | undefined> => {
    const key = `${tenant}\u0000${id}`
    const hit = cache.get(key)
    if (hit && hit.until > now()) return hit.device
    const device = await devices.get(tenant, id)
    if (cache.size > 100_000) cache.clear()
    // Only hits are cached: a device added by the CLI a moment ago must be able to connect.
    if (device) cache.set(key, { device, until: now() + ttlMs })
    return device
  }
  return {
    get,
    async authenticate(tenant, id, secret) {
      const d = await get(tenant, id)
      return d && verifyDeviceSecret(secret, d.secretHash) ? d : undefined
    },
    forget(tenant, id) {
      cache.delete(`${tenant}\u0000${id}`)
    },
  }
}

/** MQTT usernames are `deviceId` (default tenant) or `tenant/deviceId`. */
export function parseDeviceUsername(username: string): { tenant: string; id: string } {
  const slash = username.indexOf('/')
  return slash < 0
    ? { tenant: DEFAULT_TENANT, id: username }
    : { tenant: username.slice(0, slash), id: username.slice(slash + 1) }
}

export function deviceUsername(tenant: string, id: string): string {
  return tenant === DEFAULT_TENANT ? id : `${tenant}/${id}`
}
