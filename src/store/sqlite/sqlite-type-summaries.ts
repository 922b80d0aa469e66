/**
 * Type summaries (entity counts and attribute usage per type) aggregated inside SQLite: entity
 * counts come from the (tenant, type, id) index alone; attribute names and kinds need the
 * attribute JSON of the type's entities, which json_each reads in C without building JS objects.
 * That part is still a scan of the selected types' entities (see docs/architecture.md).
 */
import type { AttributeType } from '../../core/ngsi.js'
import type { AttributeSummary, TypeSummary } from '../store.js'
import { byCodeUnits } from '../type-summaries.js'
import type { Db } from './open-database.js'

interface UsageRow {
  type: string
  attr: string
  instances: number
  kinds: string
}

export function createTypeSummaries(
  db: Db,
): (tenant: string, types?: readonly string[]) => TypeSummary[] {
  const countsAll = db.prepare<[string], { type: string; n: number }>(
    'SELECT type, count(*) AS n FROM entity_type WHERE tenant = ? GROUP BY type',
  )
  const countOne = db.prepare<[string, string], { type: string; n: number }>(
    'SELECT type, count(*) AS n FROM entity_type WHERE tenant = ? AND type = ? GROUP BY type',
  )
  // One row per (type, attribute): instances counted over every datasetId, kinds de-duplicated.
  // Two statements, so that a single type walks only its own range of the (tenant, type) index.
  const usageSql = (typeCondition: string) =>
    `SELECT t.type AS type, a.key AS attr, count(*) AS instances,
            group_concat(DISTINCT json_extract(i.value, '$.type')) AS kinds
       FROM entity_type t
       JOIN entity e ON e.rid = t.rid,
            json_each(e.attrs) a,
            json_each(a.value) i
      WHERE t.tenant = ? ${typeCondition}
      GROUP BY t.type, a.key`
  const usageAll = db.prepare<[string], UsageRow>(usageSql(''))
  const usageOne = db.prepare<[string, string], UsageRow>(usageSql('AND t.type = ?'))

  return (tenant, types) => {
    const counts = types ? types.flatMap((t) => countOne.all(tenant, t)) : countsAll.all(tenant)
    const rows = types ? types.flatMap((t) => usageOne.all(tenant, t)) : usageAll.all(tenant)
    const attrsOf = new Map<string, UsageRow[]>()
    for (const r of rows) attrsOf.set(r.type, [...(attrsOf.get(r.type) ?? []), r])
    return counts
      .sort((a, b) => byCodeUnits(a.type, b.type))
      .map(({ type, n }) => ({
        type,
        entities: n,
        attrs: (attrsOf.get(type) ?? [])
          .sort((a, b) => byCodeUnits(a.attr, b.attr))
          .map((r) => ({
            attr: r.attr,
            instances: r.instances,
            kinds: (r.kinds.split(',') as AttributeType[]).sort(byCodeUnits),
          })),
      }))
  }
}

export function createAttributeSummaries(db: Db): (tenant: string) => AttributeSummary[] {
  const usage = db.prepare<[string], Omit<UsageRow, 'type'>>(
    `SELECT a.key AS attr, count(*) AS instances,
            group_concat(DISTINCT json_extract(i.value, '$.type')) AS kinds
       FROM entity e, json_each(e.attrs) a, json_each(a.value) i
      WHERE e.tenant = ?
      GROUP BY a.key`,
  )
  return (tenant) =>
    usage
      .all(tenant)
      .sort((a, b) => byCodeUnits(a.attr, b.attr))
      .map((r) => ({
        attr: r.attr,
        instances: r.instances,
        kinds: (r.kinds.split(',') as AttributeType[]).sort(byCodeUnits),
      }))
}
