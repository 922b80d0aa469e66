/**
 * The device registry over HTTP. Reading is open to the dashboard (secrets are never returned, not
 * even hashed); changes need the operator token until the full role model arrives.
 */
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { timingSafeEqual } from 'node:crypto'
import { CONNECTIVITY, type Device, type DeviceProfile } from '../../core/device.js'
import { AppError } from '../../core/errors.js'
import type { DeviceStore } from '../../store/store.js'
import type { DeviceDirectory } from '../device-directory.js'
import type { DeviceRegistry, DeviceSpec } from '../device-registry.js'
import { bearerToken, requestTenant } from './tenant-header.js'

const Location = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
})
export const DeviceSpecSchema = Type.Object(
  {
    id: Type.String({ description: 'Device id, also the MQTT username' }),
    profile: Type.String({ description: 'Device profile (see GET /api/v1/profiles)' }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    entityId: Type.Optional(
      Type.String({
        description: 'NGSI-LD entity the device feeds; default urn:ngsi-ld:<Type>:<id>',
      }),
    ),
    location: Type.Optional(Location),
    connectivity: Type.Optional(Type.Union(CONNECTIVITY.map((c) => Type.Literal(c)))),
  },
  { additionalProperties: false },
)
const DeviceView = Type.Object({
  id: Type.String(),
  profile: Type.String(),
  name: Type.Optional(Type.String()),
  entityId: Type.String(),
  entityType: Type.String(),
  location: Type.Optional(Location),
  connectivity: Type.Optional(Type.String()),
  createdAt: Type.String(),
  lastSeenAt: Type.Optional(Type.String()),
  messages: Type.Integer(),
  rejected: Type.Integer(),
  lastError: Type.Optional(Type.Object({ at: Type.String(), reason: Type.String() })),
  health: Type.Union([
    Type.Literal('ok'),
    Type.Literal('stale'),
    Type.Literal('silent'),
    Type.Literal('never'),
  ]),
})
const Provisioned = Type.Object({
  id: Type.String(),
  tenant: Type.String(),
  profile: Type.String(),
  secret: Type.String({ description: 'Shown once; store it in the device' }),
  entityId: Type.String(),
  entityType: Type.String(),
  topic: Type.String({ description: 'MQTT topic to publish measurements to' }),
  username: Type.String({ description: 'MQTT username' }),
})
const IdParams = Type.Object({ id: Type.String() })
const Paging = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
})

export interface DeviceRouteDeps {
  devices: DeviceStore
  registry: DeviceRegistry
  directory: DeviceDirectory
  profiles: ReadonlyMap<string, DeviceProfile>
  adminToken: string
}

/** Guards operator-only routes with the operator token. */
export function operatorGuard(adminToken: string): (req: FastifyRequest) => void {
  const b = Buffer.from(adminToken)
  return (req) => {
    const t = bearerToken(req)
    const a = Buffer.from(t ?? '')
    if (!t || a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new AppError(
        'Unauthorized',
        'this operation needs the operator token: "Authorization: Bearer <token>" (printed at start)',
      )
    }
  }
}

export function registerDeviceRoutes(app: FastifyInstance, deps: DeviceRouteDeps): void {
  const admin = operatorGuard(deps.adminToken)
  const view = (d: Device): Static<typeof DeviceView> => {
    const { tenant: _t, secretHash: _s, ...rest } = d
    return { ...rest, health: deps.registry.health(d) }
  }

  app.get(
    '/api/v1/devices',
    {
      schema: {
        summary: 'List devices with health',
        tags: ['devices'],
        querystring: Paging,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(DeviceView) }) },
      },
    },
    async (req) => {
      const tenant = requestTenant(req)
      const q = req.query as { limit?: number; offset?: number }
      const [total, items] = await Promise.all([
        deps.devices.count(tenant),
        deps.devices.list(tenant, { limit: q.limit ?? 100, offset: q.offset ?? 0 }),
      ])
      return { total, items: items.map(view) }
    },
  )

  app.get(
    '/api/v1/devices/:id',
    {
      schema: {
        summary: 'One device',
        tags: ['devices'],
        params: IdParams,
        response: { 200: DeviceView },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string }
      const d = await deps.devices.get(requestTenant(req), id)
      if (!d) throw new AppError('ResourceNotFound', `device ${id} not found`)
      return view(d)
    },
  )

  app.post(
    '/api/v1/devices',
    {
      schema: {
        summary: 'Register devices (operator)',
        description:
          'One device object or an array (bulk). Each answer carries the secret, shown only now.',
        tags: ['devices'],
        body: Type.Union([
          DeviceSpecSchema,
          Type.Array(DeviceSpecSchema, { minItems: 1, maxItems: 100_000 }),
        ]),
        response: { 201: Type.Union([Provisioned, Type.Array(Provisioned)]) },
      },
    },
    async (req, reply) => {
      admin(req)
      const tenant = requestTenant(req)
      const body = req.body as DeviceSpec | DeviceSpec[]
      const specs = (Array.isArray(body) ? body : [body]).map((s) => ({ ...s, tenant }))
      const out = await deps.registry.provision(specs)
      return reply.code(201).send(Array.isArray(body) ? out : out[0])
    },
  )

  app.post(
    '/api/v1/devices/:id/secret',
    {
      schema: {
        summary: 'Rotate a device secret (operator)',
        tags: ['devices'],
        params: IdParams,
        response: { 200: Provisioned },
      },
    },
    async (req) => {
      admin(req)
      const { id } = req.params as { id: string }
      return deps.registry.rotateSecret(requestTenant(req), id)
    },
  )

  app.delete(
    '/api/v1/devices/:id',
    { schema: { summary: 'Remove a device (operator)', tags: ['devices'], params: IdParams } },
    async (req, reply) => {
      admin(req)
      const { id } = req.params as { id: string }
      const tenant = requestTenant(req)
      if (!(await deps.devices.delete(tenant, id)))
        throw new AppError('ResourceNotFound', `device ${id} not found`)
      deps.directory.forget(tenant, id)
      return reply.code(204).send()
    },
  )

  app.get('/api/v1/profiles', { schema: { summary: 'Device profiles', tags: ['devices'] } }, () =>
    [...deps.profiles.values()].map((p) => ({ ...p })),
  )
}
