/**
 * HTTP ingest: a device posts one measurement object or an array of them with its own secret as a
 * bearer token. 200 means durable: the response is sent only after the commit.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../core/errors.js'
import type { DeviceDirectory } from '../device-directory.js'
import type { IngestPipeline } from '../pipeline.js'
import { bearerToken, requestTenant } from './tenant-header.js'

const Params = Type.Object({ id: Type.String({ description: 'Device id' }) })
const Accepted = Type.Object({
  accepted: Type.Integer({ description: 'Messages stored' }),
  points: Type.Integer({ description: 'Data points stored' }),
})
const Measurements = Type.Union(
  [
    Type.Object(
      { observedAt: Type.Optional(Type.String({ format: 'date-time' })) },
      { additionalProperties: true },
    ),
    Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: 10_000 }),
  ],
  {
    description:
      'One measurement object or an array of them: {"observedAt": ISO 8601, "<name>": value, ...}',
  },
)

export function registerMeasurementRoutes(
  app: FastifyInstance,
  deps: { pipeline: IngestPipeline; directory: DeviceDirectory; retryAfterSeconds?: number },
): void {
  app.post(
    '/api/v1/devices/:id/measurements',
    {
      schema: {
        summary: 'Send measurements as a device',
        description:
          'Authenticate with `Authorization: Bearer <device secret>`. The answer comes after the data is committed to disk. 503 with Retry-After when ingest is saturated.',
        tags: ['ingest'],
        params: Params,
        headers: Type.Object({
          authorization: Type.Optional(Type.String()),
          'ngsild-tenant': Type.Optional(Type.String()),
        }),
        body: Measurements,
        response: { 200: Accepted },
      },
      // Parsing happens in the pipeline so that every transport validates the same way.
      attachValidation: true,
    },
    async (req, reply) => {
      const tenant = requestTenant(req)
      const { id } = req.params as { id: string }
      const token = bearerToken(req)
      if (!token) {
        void reply.header('www-authenticate', 'Bearer realm="civitas-devices"')
        throw new AppError(
          'Unauthorized',
          'send the device secret as "Authorization: Bearer <secret>"',
        )
      }
      const device = await deps.directory.authenticate(tenant, id, token)
      if (!device) {
        const known = await deps.directory.get(tenant, id)
        if (known) deps.pipeline.noteRejected(known, 'wrong secret over HTTP')
        void reply.header(
          'www-authenticate',
          'Bearer realm="civitas-devices", error="invalid_token"',
        )
        throw new AppError('Unauthorized', 'unknown device or wrong secret')
      }
      if (!deps.pipeline.hasRoom()) {
        void reply.header('retry-after', String(deps.retryAfterSeconds ?? 1))
        throw new AppError(
          'Unavailable',
          'ingest is saturated; retry after the delay given in Retry-After',
        )
      }
      const body = req.body
      const items = Array.isArray(body) ? (body as unknown[]) : [body]
      const r = Array.isArray(body)
        ? await deps.pipeline.acceptMany(device, items, Date.now())
        : await deps.pipeline.accept(device, body, Date.now())
      return { accepted: items.length, points: r.points }
    },
  )
}
