/**
 * The retention API (operator token): policies saying how long raw points and each rollup
 * resolution are kept, per tenant, entity type and attribute, and the record of enforcement runs.
 *
 *   GET    /api/v1/retention             policies
 *   PUT    /api/v1/retention/{id}        create or replace a policy
 *   DELETE /api/v1/retention/{id}
 *   GET    /api/v1/retention/runs        recent runs: when, how many points and buckets, bytes freed
 *   POST   /api/v1/retention/runs        enforce now
 *
 * Ages are ISO 8601 durations of fixed length (`P90D`, `PT12H`); names are short names of the
 * core @context or full IRIs.
 */
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { TENANT_PATTERN } from '../../core/device.js'
import { AppError } from '../../core/errors.js'
import { parseIsoDuration } from '../../core/iso-duration.js'
import { requestTenant } from '../../ingest/http/tenant-header.js'
import type { RetentionPolicy, RetentionStore } from '../../store/store.js'

const KINDS = ['raw', 'minute', 'hour', 'day'] as const

const Keep = Type.Object(
  {
    raw: Type.Optional(Type.String()),
    minute: Type.Optional(Type.String()),
    hour: Type.Optional(Type.String()),
    day: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
const PolicyBody = Type.Object(
  {
    tenant: Type.Optional(
      Type.String({ description: 'a tenant or * (default: the request tenant)' }),
    ),
    entityType: Type.Optional(Type.String()),
    attr: Type.Optional(Type.String()),
    keep: Keep,
  },
  { additionalProperties: false },
)
const PolicyView = Type.Object({
  id: Type.String(),
  tenant: Type.String(),
  entityType: Type.Optional(Type.String()),
  attr: Type.Optional(Type.String()),
  keep: Keep,
})
const RunView = Type.Object({
  id: Type.Integer(),
  startedAt: Type.String(),
  finishedAt: Type.String(),
  series: Type.Integer(),
  removedPoints: Type.Integer(),
  removedBuckets: Type.Integer(),
  bytesFreed: Type.Integer(),
})
const ID = /^[A-Za-z0-9._-]{1,64}$/

export interface RetentionRouteDeps {
  retention: RetentionStore
  requireOperator: (req: FastifyRequest) => void
  expandName: (term: string) => string
  compactName: (iri: string) => string
  now?: () => number
}

export function registerRetentionRoutes(app: FastifyInstance, deps: RetentionRouteDeps): void {
  const now = deps.now ?? Date.now
  const view = (p: RetentionPolicy): Static<typeof PolicyView> => ({
    id: p.id,
    tenant: p.tenant,
    ...(p.entityType !== undefined && { entityType: deps.compactName(p.entityType) }),
    ...(p.attr !== undefined && { attr: deps.compactName(p.attr) }),
    keep: Object.fromEntries(
      KINDS.flatMap((k) => (p.keep[k] === undefined ? [] : [[k, formatDuration(p.keep[k])]])),
    ),
  })
  const tags = ['history']
  // Checked before the body is validated: without the token, nothing else is answered.
  const operator = (req: FastifyRequest, _reply: unknown, done: (err?: Error) => void) => {
    try {
      deps.requireOperator(req)
      done()
    } catch (err) {
      done(err as Error)
    }
  }

  app.get(
    '/api/v1/retention',
    {
      schema: {
        summary: 'Retention policies',
        tags,
        response: { 200: Type.Object({ items: Type.Array(PolicyView) }) },
      },
      onRequest: operator,
    },
    async () => ({ items: (await deps.retention.policies()).map(view) }),
  )

  app.put(
    '/api/v1/retention/:id',
    {
      schema: {
        summary: 'Create or replace a retention policy',
        tags,
        params: Type.Object({ id: Type.String() }),
        body: PolicyBody,
        response: { 200: PolicyView },
      },
      onRequest: operator,
    },
    async (req) => {
      const { id } = req.params as { id: string }
      const body = req.body as Static<typeof PolicyBody>
      if (!ID.test(id))
        throw new AppError('BadRequestData', 'a policy id is 1-64 letters, digits, ".", "_" or "-"')
      const tenant = body.tenant ?? requestTenant(req)
      if (tenant !== '*' && !TENANT_PATTERN.test(tenant))
        throw new AppError('BadRequestData', `"${tenant}" is not a tenant name or *`)
      const keep: RetentionPolicy['keep'] = {}
      for (const k of KINDS) {
        const text = body.keep[k]
        if (text === undefined) continue
        const ms = parseIsoDuration(text, `keep.${k}`)
        if (ms <= 0) throw new AppError('BadRequestData', `keep.${k} must be longer than zero`)
        keep[k] = ms
      }
      const policy: RetentionPolicy = {
        id,
        tenant,
        ...(body.entityType !== undefined && { entityType: deps.expandName(body.entityType) }),
        ...(body.attr !== undefined && { attr: deps.expandName(body.attr) }),
        keep,
      }
      await deps.retention.putPolicy(policy)
      return view(policy)
    },
  )

  app.delete(
    '/api/v1/retention/:id',
    {
      schema: {
        summary: 'Delete a retention policy',
        tags,
        params: Type.Object({ id: Type.String() }),
      },
      onRequest: operator,
    },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      if (!(await deps.retention.deletePolicy(id)))
        throw new AppError('ResourceNotFound', `no retention policy ${id}`)
      return reply.code(204).send()
    },
  )

  app.get(
    '/api/v1/retention/runs',
    {
      schema: {
        summary: 'Recent retention runs: what was removed, when, how much space came back',
        tags,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(RunView) }) },
      },
      onRequest: operator,
    },
    async (req) => ({
      items: await deps.retention.runs((req.query as { limit?: number }).limit ?? 50),
    }),
  )

  app.post(
    '/api/v1/retention/runs',
    {
      schema: { summary: 'Enforce the retention policies now', tags, response: { 200: RunView } },
      onRequest: operator,
    },
    () => deps.retention.enforce(now()),
  )
}

/** A duration in the largest whole unit: P90D, PT12H, PT5M, PT30S. */
export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `P${ms / 86_400_000}D`
  if (ms % 3_600_000 === 0) return `PT${ms / 3_600_000}H`
  if (ms % 60_000 === 0) return `PT${ms / 60_000}M`
  return `PT${ms / 1000}S`
}
