/**
 * Provisioning: registers devices, makes their secrets (shown once), rotates them. Used by the REST
 * API, the CLI and the demo, so every path validates the same way.
 *
 * @example
 *   const [d] = await registry.provision([{ id: 'aq-0001', profile: 'air-quality' }])
 *   d.secret // only now
 */
import {
  CONNECTIVITY,
  defaultEntityId,
  DEVICE_ID_PATTERN,
  deviceTopic,
  TENANT_PATTERN,
  type Connectivity,
  type Device,
  type DeviceProfile,
  type ProvisionedDevice,
} from '../core/device.js'
import { AppError } from '../core/errors.js'
import { DEFAULT_TENANT } from '../core/ngsi.js'
import { hashDeviceSecret, newDeviceSecret } from '../security/device-secret.js'
import type { DeviceStore } from '../store/store.js'
import { deviceUsername } from './device-directory.js'

export interface DeviceSpec {
  id: string
  profile: string
  tenant?: string
  name?: string
  entityId?: string
  location?: { lon: number; lat: number }
  connectivity?: string
}

export type ProvisionResult = ProvisionedDevice & { username: string }

export type DeviceHealth = 'ok' | 'stale' | 'silent' | 'never'

export interface DeviceRegistry {
  provision(specs: readonly DeviceSpec[]): Promise<ProvisionResult[]>
  rotateSecret(tenant: string, id: string): Promise<ProvisionResult>
  health(d: Device, now?: number): DeviceHealth
}

export function createDeviceRegistry(deps: {
  devices: DeviceStore
  profiles: ReadonlyMap<string, DeviceProfile>
  now?: () => number
  onChange?: (tenant: string, id: string) => void
}): DeviceRegistry {
  const now = deps.now ?? Date.now
  const result = (d: Device, secret: string): ProvisionResult => ({
    id: d.id,
    tenant: d.tenant,
    profile: d.profile,
    secret,
    entityId: d.entityId,
    entityType: d.entityType,
    topic: deviceTopic(d.tenant, d.id),
    username: deviceUsername(d.tenant, d.id),
  })
  return {
    async provision(specs) {
      const at = new Date(now()).toISOString()
      const seen = new Set<string>()
      const out: { device: Device; secret: string }[] = specs.map((s, i) => {
        const device = validate(s, deps.profiles, at, specs.length > 1 ? `row ${i + 1}: ` : '')
        const key = `${device.tenant}/${device.id}`
        if (seen.has(key)) throw new AppError('BadRequestData', `device ${device.id} appears twice`)
        seen.add(key)
        const secret = newDeviceSecret()
        device.secretHash = hashDeviceSecret(secret)
        return { device, secret }
      })
      await deps.devices.addMany(out.map((o) => o.device))
      return out.map((o) => result(o.device, o.secret))
    },
    async rotateSecret(tenant, id) {
      const d = await deps.devices.get(tenant, id)
      if (!d) throw new AppError('ResourceNotFound', `device ${id} not found in tenant ${tenant}`)
      const secret = newDeviceSecret()
      await deps.devices.setSecretHash(tenant, id, hashDeviceSecret(secret))
      deps.onChange?.(tenant, id)
      return result(d, secret)
    },
    health(d, at = now()) {
      if (!d.lastSeenAt) return 'never'
      const age = at - Date.parse(d.lastSeenAt)
      if (age < 15 * 60_000) return 'ok'
      if (age < 6 * 3_600_000) return 'stale'
      return 'silent'
    },
  }
}

function validate(
  s: DeviceSpec,
  profiles: ReadonlyMap<string, DeviceProfile>,
  at: string,
  where: string,
): Device {
  const tenant = s.tenant ?? DEFAULT_TENANT
  if (typeof s.id !== 'string' || !DEVICE_ID_PATTERN.test(s.id)) {
    throw new AppError(
      'BadRequestData',
      `${where}device id "${String(s.id)}" must be 1–128 characters of letters, digits, . _ : -`,
    )
  }
  if (!TENANT_PATTERN.test(tenant))
    throw new AppError('BadRequestData', `${where}tenant "${tenant}" is not a valid tenant name`)
  const profile = profiles.get(s.profile)
  if (!profile) {
    throw new AppError(
      'BadRequestData',
      `${where}unknown device profile "${s.profile}"; known: ${[...profiles.keys()].join(', ')}`,
    )
  }
  if (
    s.connectivity !== undefined &&
    !(CONNECTIVITY as readonly string[]).includes(s.connectivity)
  ) {
    throw new AppError(
      'BadRequestData',
      `${where}connectivity must be one of ${CONNECTIVITY.join(', ')}`,
    )
  }
  if (s.location) {
    const { lon, lat } = s.location
    if (!(
      Number.isFinite(lon) &&
      Number.isFinite(lat) &&
      Math.abs(lon) <= 180 &&
      Math.abs(lat) <= 90
    )) {
      throw new AppError(
        'BadRequestData',
        `${where}location must have lon in [-180, 180] and lat in [-90, 90]`,
      )
    }
  }
  const entityId = s.entityId ?? defaultEntityId(profile.entityType, s.id)
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(entityId))
    throw new AppError('BadRequestData', `${where}entityId must be a URI`)
  const d: Device = {
    tenant,
    id: s.id,
    profile: profile.name,
    entityId,
    entityType: profile.entityType,
    secretHash: '',
    createdAt: at,
    messages: 0,
    rejected: 0,
  }
  if (s.name !== undefined) d.name = s.name
  if (s.location) d.location = { lon: s.location.lon, lat: s.location.lat }
  if (s.connectivity !== undefined) d.connectivity = s.connectivity as Connectivity
  return d
}
