/**
 * Bulk import of historical measurements for many devices (operator): the CLI's `civitas import`
 * posts batches here so that the running server stays the only writer of history. Each row goes
 * through the same pipeline as live data; rows of one device in one request are all or nothing.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError, isAppError } from '../../core/errors.js'
import type { DeviceDirectory } from '../device-directory.js'
import type { IngestPipeline } from '../pipeline.js'
import { requestTenant } from './tenant-header.js'

const Row = Type.Object({ deviceId: Type.String() }, { additionalProperties: true })

export function registerImportRoutes(
  app: FastifyInstance,
  deps: {
    pipeline: IngestPipeline
    directory: DeviceDirectory
    requireOperator: (req: FastifyRequest) => void
  },
): void {
  app.post(
    '/api/v1/import/measurements',
    {
      schema: {
        summary: 'Import historical measurements of many devices (operator)',
        tags: ['ingest'],
        body: Type.Array(Row, { minItems: 1, maxItems: 20_000 }),
        response: {
          200: Type.Object({
            accepted: Type.Integer(),
            points: Type.Integer(),
            rejected: Type.Array(
              Type.Object({ deviceId: Type.String(), rows: Type.Integer(), reason: Type.String() }),
            ),
          }),
        },
      },
    },
    async (req, reply) => {
      deps.requireOperator(req)
      const tenant = requestTenant(req)
      if (!deps.pipeline.hasRoom()) {
        void reply.header('retry-after', '1')
        throw new AppError(
          'Unavailable',
          'ingest is saturated; retry after the delay given in Retry-After',
        )
      }
      const byDevice = new Map<string, Record<string, unknown>[]>()
      for (const row of req.body as { deviceId: string }[]) {
        const { deviceId, ...measurements } = row
        const list = byDevice.get(deviceId) ?? []
        list.push(measurements)
        byDevice.set(deviceId, list)
      }
      let accepted = 0
      let points = 0
      const rejected: { deviceId: string; rows: number; reason: string }[] = []
      await Promise.all(
        [...byDevice].map(async ([deviceId, rows]) => {
          const device = await deps.directory.get(tenant, deviceId)
          if (!device)
            return void rejected.push({ deviceId, rows: rows.length, reason: 'unknown device' })
          try {
            const r = await deps.pipeline.acceptMany(device, rows)
            accepted += rows.length
            points += r.points
          } catch (err) {
            if (!isAppError(err) || err.kind !== 'BadRequestData') throw err
            rejected.push({ deviceId, rows: rows.length, reason: err.message })
          }
        }),
      )
      return { accepted, points, rejected }
    },
  )
}
