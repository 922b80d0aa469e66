/**
 * Operations endpoints: liveness, readiness and Prometheus metrics.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Metrics } from './metrics.js'

export function registerOpsRoutes(
  app: FastifyInstance,
  deps: { metrics: Metrics; ready: () => { ready: boolean; checks: Record<string, string> } },
): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        tags: ['operations'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    () => ({
      status: 'ok' as const,
    }),
  )
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: store open, broker listening, ingest not saturated',
        tags: ['operations'],
      },
    },
    (_req, reply) => {
      const r = deps.ready()
      return reply
        .code(r.ready ? 200 : 503)
        .send({ status: r.ready ? 'ready' : 'not-ready', checks: r.checks })
    },
  )
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags: ['operations'] } },
    async (_req, reply) => {
      const body = await deps.metrics.registry.metrics()
      return reply.type(deps.metrics.registry.contentType).send(body)
    },
  )
}
