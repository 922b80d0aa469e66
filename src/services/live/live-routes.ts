/**
 * Live data for the dashboard: a Server-Sent Events stream of entity changes and downsampled
 * history for charts. Plain JSON with short names; the standard API is /ngsi-ld/v1.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Bus, EntityChanged } from '../../bus/bus.js'
import { AppError } from '../../core/errors.js'
import { lttb, type Point } from '../../core/lttb.js'
import type { Entity } from '../../core/ngsi.js'
import { requestTenant } from '../../ingest/http/tenant-header.js'
import { aggregateValue } from '../../store/aggregate-series.js'
import type { TemporalStore } from '../../store/store.js'

interface LiveEvent {
  entityId: string
  type: string
  attrs: Record<string, unknown>
  observedAt?: string
}

function toLiveEvent(e: EntityChanged, shortName: (iri: string) => string): LiveEvent {
  const attrs: Record<string, unknown> = {}
  let observedAt: string | undefined
  for (const name of Object.keys(e.entity.attrs)) {
    const inst = e.entity.attrs[name]?.[0]
    if (!inst) continue
    attrs[shortName(name)] =
      inst.value ??
      inst.object ??
      inst.languageMap ??
      inst.vocab ??
      inst.json ??
      inst.valueList ??
      inst.objectList
    if (inst.observedAt && (!observedAt || inst.observedAt > observedAt))
      observedAt = inst.observedAt
  }
  return {
    entityId: e.entityId,
    type: shortName(e.types[0] ?? ''),
    attrs,
    ...(observedAt !== undefined && { observedAt }),
  }
}

export function registerLiveRoutes(
  app: FastifyInstance,
  deps: {
    bus: Bus
    temporal: TemporalStore
    entities: { get(t: string, id: string): Promise<Entity | undefined> }
    /** Names as the core @context gives them (the dashboard speaks plain JSON with short names). */
    compactName: (iri: string) => string
    expandName: (term: string) => string
    allStreamIntervalMs?: number
  },
): void {
  app.get(
    '/api/v1/events',
    {
      schema: {
        summary: 'Live entity changes (Server-Sent Events)',
        description:
          'Events named `entity` with `{entityId, type, attrs, observedAt}`. Without entityId: all entities, coalesced to one event per entity per second.',
        tags: ['live'],
        querystring: Type.Object({ entityId: Type.Optional(Type.String()) }),
      },
    },
    (req, reply) => {
      const tenant = requestTenant(req)
      const { entityId } = req.query as { entityId?: string }
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      res.write('retry: 3000\n\n')
      const send = (ev: LiveEvent) => res.write(`event: entity\ndata: ${JSON.stringify(ev)}\n\n`)
      const pending = new Map<string, EntityChanged>()
      const unsubscribe = deps.bus.subscribe('entity.changed', (e) => {
        if (e.tenant !== tenant || e.kind === 'deleted') return
        if (entityId !== undefined) {
          if (e.entityId === entityId) send(toLiveEvent(e, deps.compactName))
        } else {
          pending.set(e.entityId, e)
        }
      })
      const flush = setInterval(() => {
        for (const e of pending.values()) send(toLiveEvent(e, deps.compactName))
        pending.clear()
      }, deps.allStreamIntervalMs ?? 1000)
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 20_000)
      const stop = () => {
        unsubscribe()
        clearInterval(flush)
        clearInterval(heartbeat)
      }
      req.raw.on('close', stop)
      res.on('error', stop)
    },
  )

  app.get(
    '/api/v1/history',
    {
      schema: {
        summary: 'History of one numeric attribute, downsampled for charts (LTTB)',
        tags: ['live'],
        querystring: Type.Object({
          entityId: Type.String(),
          attr: Type.String(),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          maxPoints: Type.Optional(Type.Integer({ minimum: 3, maximum: 10_000, default: 1000 })),
        }),
      },
    },
    async (req) => {
      const tenant = requestTenant(req)
      const q = req.query as {
        entityId: string
        attr: string
        from?: string
        to?: string
        maxPoints?: number
      }
      const from = q.from !== undefined ? Date.parse(q.from) : Date.now() - 24 * 3_600_000
      const to = q.to !== undefined ? Date.parse(q.to) : Date.now() + 60_000
      if (Number.isNaN(from) || Number.isNaN(to) || from >= to)
        throw new AppError('BadRequestData', 'from and to must be date-times with from < to')
      const attr = deps.expandName(q.attr)
      const maxPoints = q.maxPoints ?? 1000
      const period = chartPeriod(to - from, maxPoints)
      const points: Point[] = []
      let unitCode: string | undefined
      const count = await pointsAbout(deps.temporal, tenant, q.entityId, attr, from, to)
      if (period === undefined || count <= RAW_POINTS_PER_CHART_POINT * maxPoints) {
        const series = await deps.temporal.query(tenant, {
          entityId: q.entityId,
          attrs: [attr],
          range: { from, to },
          limit: 5_000_000,
        })
        const obs = series.get(attr) ?? []
        for (const o of obs) if (typeof o.value === 'number') points.push([o.observedAt, o.value])
        unitCode = obs.find((o) => o.unitCode !== undefined)?.unitCode
      }
      // Long ranges, and ranges whose raw points retention removed (rollups outlive them): one
      // average per period from the rollups, each point mid-period; a coarser resolution when
      // retention removed the finer rollups too.
      const first = period ?? { ms: 60_000, align: 60_000 }
      const aligns = [...new Set([first.align, 3_600_000, 86_400_000])].filter(
        (a) => a >= first.align,
      )
      for (const align of aligns) {
        if (points.length > 0 || count === 0) break
        const ms = Math.ceil(first.ms / align) * align
        const start = Math.floor(from / align) * align
        const series = await deps.temporal.aggregate(tenant, {
          entityId: q.entityId,
          attrs: [attr],
          range: { from: start, to: Math.ceil(to / align) * align },
          methods: ['avg'],
          periodMs: ms,
        })
        const s = series.get(attr)
        for (let i = 0; s && i < s.length; i++) {
          const avg = aggregateValue(s, 'avg', i)
          if (typeof avg === 'number') points.push([(s.start[i]! + s.end[i]!) / 2, avg])
        }
        unitCode = series.get(attr)?.unitCode
      }
      return {
        attr: q.attr,
        ...(unitCode !== undefined && { unitCode }),
        points: lttb(points, maxPoints),
      }
    },
  )
}

/**
 * The averaging period for a chart of `span` ms in at most `maxPoints` points, a multiple of the
 * coarsest rollup resolution that fits (so the rollups answer it); undefined when raw points are
 * few enough (periods under a minute).
 */
export function chartPeriod(
  span: number,
  maxPoints: number,
): { ms: number; align: number } | undefined {
  const wanted = Math.ceil(span / maxPoints)
  if (wanted < 60_000) return undefined
  const align = [86_400_000, 3_600_000, 60_000].find((r) => wanted >= r) ?? 60_000
  return { ms: Math.ceil(wanted / align) * align, align }
}

/** Up to this many raw points per chart point, LTTB over raw points keeps exact peaks and times. */
const RAW_POINTS_PER_CHART_POINT = 20

/** An upper bound on the points in [from, to) from the daily rollup (the range widened to days). */
async function pointsAbout(
  temporal: TemporalStore,
  tenant: string,
  entityId: string,
  attr: string,
  from: number,
  to: number,
): Promise<number> {
  const day = 86_400_000
  const whole = await temporal.aggregate(tenant, {
    entityId,
    attrs: [attr],
    range: { from: Math.floor(from / day) * day, to: Math.ceil(to / day) * day },
    methods: ['totalCount'],
    periodMs: 0,
  })
  const series = whole.get(attr)
  const count = series && series.length > 0 ? aggregateValue(series, 'totalCount', 0) : 0
  return typeof count === 'number' ? count : 0
}
