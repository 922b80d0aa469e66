/**
 * History export for open data and a citizen's own data: `GET /api/v1/history/export` streams
 * the history of a selection (entities by id or type, attributes, time range) as CSV or as
 * NGSI-LD temporal entities (normalized), written as stored chunks are decoded, so memory holds
 * one chunk at a time whatever the size of the answer.
 *
 * @example
 *   GET /api/v1/history/export?type=AirQualityObserved&attrs=no2&from=2026-01-01T00:00:00Z&format=csv
 */
import { Readable } from 'node:stream'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../core/errors.js'
import { CORE_CONTEXT_URL, type Entity } from '../../core/ngsi.js'
import type { Observation } from '../../core/observation.js'
import { requestTenant } from '../../ingest/http/tenant-header.js'
import type { EntityStore, TemporalStore } from '../../store/store.js'

const Query = Type.Object({
  id: Type.Optional(Type.String({ description: 'comma-separated entity ids' })),
  type: Type.Optional(Type.String({ description: 'entity type (short name or IRI)' })),
  attrs: Type.Optional(Type.String({ description: 'comma-separated attribute names' })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('ngsi-ld')])),
})

export interface ExportRouteDeps {
  temporal: TemporalStore
  entities: Pick<EntityStore, 'get' | 'query'>
  expandName: (term: string) => string
  compactName: (iri: string) => string
}

/** Entities of one type are read from the store this many at a time. */
const PAGE = 500

export function registerExportRoutes(app: FastifyInstance, deps: ExportRouteDeps): void {
  app.get(
    '/api/v1/history/export',
    {
      schema: {
        summary: 'Export history as CSV or NGSI-LD temporal JSON (streamed)',
        tags: ['history'],
        querystring: Query,
      },
    },
    async (req, reply) => {
      const tenant = requestTenant(req)
      const q = req.query as Static<typeof Query>
      if (q.id === undefined && q.type === undefined)
        throw new AppError('BadRequestData', 'select entities with id or type')
      const from = q.from === undefined ? undefined : Date.parse(q.from)
      const to = q.to === undefined ? undefined : Date.parse(q.to)
      if (
        Number.isNaN(from) ||
        Number.isNaN(to) ||
        (from !== undefined && to !== undefined && from >= to)
      )
        throw new AppError('BadRequestData', 'from and to must be date-times with from < to')
      const attrs = q.attrs?.split(',').map((a) => deps.expandName(a.trim()))
      const ids =
        q.id === undefined ? undefined : [...new Set(q.id.split(',').map((s) => s.trim()))]
      const type = q.type === undefined ? undefined : deps.expandName(q.type)
      const selection = selectEntities(deps, tenant, ids, type)
      const scan = async function* (): AsyncGenerator<Observation[]> {
        for await (const entities of selection) {
          yield* deps.temporal.scan(tenant, {
            entityIds: entities.map((e) => e.id),
            ...(attrs && { attrs }),
            range: { ...(from !== undefined && { from }), ...(to !== undefined && { to }) },
          })
        }
      }
      const csv = (q.format ?? 'csv') === 'csv'
      const types = new Map<string, string[]>()
      const body = csv ? toCsv(scan(), deps.compactName) : toNgsiLd(scan(), deps, types, tenant)
      return reply
        .header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/json')
        .header('content-disposition', `attachment; filename="history.${csv ? 'csv' : 'json'}"`)
        .header(
          'link',
          `<${CORE_CONTEXT_URL}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
        )
        .send(Readable.from(body))
    },
  )
}

/** Entities in pages: the listed ids (whether or not they still exist), or those of a type. */
async function* selectEntities(
  deps: ExportRouteDeps,
  tenant: string,
  ids: string[] | undefined,
  type: string | undefined,
): AsyncGenerator<Pick<Entity, 'id'>[]> {
  if (ids && type === undefined) {
    yield ids.map((id) => ({ id }))
    return
  }
  for (let offset = 0; ; offset += PAGE) {
    const page = await deps.entities.query(tenant, {
      ...(ids && { ids }),
      ...(type !== undefined && { types: [[type]] }),
      limit: PAGE,
      offset,
      count: false,
    })
    if (page.entities.length > 0) yield page.entities.map((e) => ({ id: e.id }))
    if (page.entities.length < PAGE) return
  }
}

async function* toCsv(
  batches: AsyncIterable<Observation[]>,
  compactName: (iri: string) => string,
): AsyncGenerator<string> {
  yield 'entityId,attribute,observedAt,value,unitCode,datasetId\n'
  for await (const batch of batches) {
    let out = ''
    for (const o of batch) {
      out += `${cell(o.entityId)},${cell(compactName(o.attr))},${new Date(o.observedAt).toISOString()},${cell(csvValue(o.value))},${cell(o.unitCode ?? '')},${cell(o.datasetId ?? '')}\n`
    }
    yield out
  }
}

function csvValue(v: Observation['value']): string {
  if (v === null) return ''
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * An array of temporal entities, written incrementally: batches arrive entity by entity and,
 * within an entity, attribute by attribute, so each opens when its first batch arrives.
 */
async function* toNgsiLd(
  batches: AsyncIterable<Observation[]>,
  deps: ExportRouteDeps,
  types: Map<string, string[]>,
  tenant: string,
): AsyncGenerator<string> {
  let entity: string | undefined
  let attr: string | undefined
  yield '['
  for await (const batch of batches) {
    let out = ''
    for (const o of batch) {
      if (o.entityId !== entity) {
        if (entity !== undefined) out += ']},'
        entity = o.entityId
        attr = undefined
        let t = types.get(o.entityId)
        if (!t) {
          const e = await deps.entities.get(tenant, o.entityId)
          t = (e?.types ?? []).map(deps.compactName)
          types.set(o.entityId, t)
        }
        out += `{"id":${JSON.stringify(o.entityId)},"type":${JSON.stringify(t.length === 1 ? t[0] : t)}`
      }
      if (o.attr !== attr) {
        out += attr === undefined ? ',' : '],'
        out += `${JSON.stringify(deps.compactName(o.attr))}:[`
        attr = o.attr
      } else {
        out += ','
      }
      const inst: Record<string, unknown> = {
        type: 'Property',
        value: o.value,
        observedAt: new Date(o.observedAt).toISOString(),
      }
      if (o.unitCode !== undefined) inst['unitCode'] = o.unitCode
      if (o.datasetId !== undefined) inst['datasetId'] = o.datasetId
      out += JSON.stringify(inst)
    }
    yield out
  }
  yield entity === undefined ? ']' : ']}]'
}
