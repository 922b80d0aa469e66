/**
 * Latest state of entities in SQLite: one row per entity with its attributes as JSON (expanded
 * names), a type table for type selection, and an R*Tree of location bounding boxes for geo
 * prefilters. Exact q/geo predicates run in JS on the candidates (EntityQuery.filter).
 */
import { AppError } from '../../core/errors.js'
import { expandBbox, geometryBbox, locationBbox, type Bbox } from '../../core/geo-bbox.js'
import { IRI, type Entity } from '../../core/ngsi.js'
import type {
  EntityPage,
  EntityQuery,
  EntityStore,
  GeoFilter,
  HistoryEvent,
  HistoryOf,
  SerializedEntity,
  SnapshotSerializer,
} from '../store.js'
import type { Statement } from 'better-sqlite3'
import type { Db } from './open-database.js'
import { createBatchedReads } from './batched-reads.js'
import type { EntityCache } from './entity-cache.js'
import type { TypeOrder } from './type-order.js'
import { FAILS, HOLDS, MAYBE, type RidTest, type ValueColumns } from './value-columns.js'
import {
  prepareUsageStatements,
  readAttributeSummaries,
  readTypeSummaries,
  recordUsage,
} from './sqlite-type-summaries.js'

interface EntityRow {
  rid: number
  id: string
  types: string
  scopes: string | null
  created_at: string
  modified_at: string
  attrs: string
}

export function rowToEntity(row: EntityRow): Entity {
  const e: Entity = {
    id: row.id,
    types: JSON.parse(row.types) as string[],
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    attrs: JSON.parse(row.attrs) as Entity['attrs'],
  }
  if (row.scopes !== null) e.scopes = JSON.parse(row.scopes) as string[]
  return e
}

/** The serialized columns of a row: the text and the serializer's id, or both NULL. */
type Serialized = [text: string | null, serializerId: number | null]

/**
 * Statements shared by the entity store and the ingest writer (same connection), and the
 * serialization every write stores beside the row (none without a serializer).
 */
export function prepareEntityStatements(db: Db, serializer?: SnapshotSerializer) {
  return {
    serializerId: serializer?.id,
    serialize: (e: Readonly<Entity>): Serialized =>
      serializer ? [serializer.serialize(e), serializer.id] : [null, null],
    get: db.prepare<[string, string], EntityRow>(
      'SELECT rid, id, types, scopes, created_at, modified_at, attrs FROM entity WHERE tenant = ? AND id = ?',
    ),
    getSerialized: db
      .prepare<[string, string, number], string>(
        'SELECT serialized FROM entity WHERE tenant = ? AND id = ? AND serialized_by = ?',
      )
      .pluck(),
    insert: db.prepare<
      [string, string, string, string | null, string, string, string, ...Serialized]
    >(
      'INSERT INTO entity (tenant, id, types, scopes, created_at, modified_at, attrs, serialized, serialized_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updateAttrs: db.prepare<[string, string, ...Serialized, number]>(
      'UPDATE entity SET attrs = ?, modified_at = ?, serialized = ?, serialized_by = ? WHERE rid = ?',
    ),
    updateAll: db.prepare<[string, string | null, string, string, ...Serialized, number]>(
      'UPDATE entity SET types = ?, scopes = ?, modified_at = ?, attrs = ?, serialized = ?, serialized_by = ? WHERE rid = ?',
    ),
    delete: db.prepare<[number]>('DELETE FROM entity WHERE rid = ?'),
    insertType: db.prepare<[string, string, string, number]>(
      'INSERT OR IGNORE INTO entity_type (tenant, type, id, rid) VALUES (?, ?, ?, ?)',
    ),
    deleteType: db.prepare<[string, string, string]>(
      'DELETE FROM entity_type WHERE tenant = ? AND type = ? AND id = ?',
    ),
    upsertGeo: db.prepare<[number, number, number, number, number]>(
      'INSERT OR REPLACE INTO entity_geo (rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteGeo: db.prepare<[number]>('DELETE FROM entity_geo WHERE rid = ?'),
    ensureTenant: db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO tenant (name, created_at) VALUES (?, ?)',
    ),
    usage: prepareUsageStatements(db),
  }
}
export type EntityStatements = ReturnType<typeof prepareEntityStatements>

export function writeGeo(st: EntityStatements, rid: number, e: Entity): void {
  const box = locationBbox(e.attrs)
  if (box) st.upsertGeo.run(rid, box[0], box[2], box[1], box[3])
  else st.deleteGeo.run(rid)
}

export function insertEntity(st: EntityStatements, tenant: string, e: Entity): number {
  st.ensureTenant.run(tenant, e.createdAt)
  const info = st.insert.run(
    tenant,
    e.id,
    JSON.stringify(e.types),
    e.scopes ? JSON.stringify(e.scopes) : null,
    e.createdAt,
    e.modifiedAt,
    JSON.stringify(e.attrs),
    ...st.serialize(e),
  )
  const rid = Number(info.lastInsertRowid)
  for (const t of e.types) st.insertType.run(tenant, t, e.id, rid)
  writeGeo(st, rid, e)
  recordUsage(st.usage, tenant, undefined, e)
  return rid
}

/**
 * The cached entity, or the row parsed: cached at once for writers (`fill`, the entity is about
 * to change and be read again), admitted on a second read for readers (`admit`), or not cached
 * (`none`, the caller has decided).
 */
export function loadEntity(
  st: EntityStatements,
  cache: EntityCache,
  tenant: string,
  id: string,
  mode: 'fill' | 'admit' | 'none' = 'fill',
): { rid: number; entity: Entity } | undefined {
  const hit = cache.get(tenant, id)
  if (hit) return hit
  const row = st.get.get(tenant, id)
  if (!row) return undefined
  const loaded = { rid: row.rid, entity: rowToEntity(row) }
  if (mode === 'fill') cache.set(tenant, id, loaded)
  else if (mode === 'admit') cache.admit(tenant, id, loaded)
  return loaded
}

export function createSqliteEntityStore(
  db: Db,
  st: EntityStatements,
  cache: EntityCache,
  columns: ValueColumns,
  order: TypeOrder,
  /** Inserts history events; called inside the write's transaction. */
  recordEvents: (tenant: string, events: readonly HistoryEvent[]) => void,
  geoCandidates = GEO_CANDIDATES,
): EntityStore {
  const reader = createQueryReader(db, cache, columns, order, geoCandidates)
  const typesOf = db.prepare<[string], { type: string }>(
    'SELECT DISTINCT type FROM entity_type WHERE tenant = ? ORDER BY type',
  )

  const serializerId = st.serializerId
  const batchedReads = createBatchedReads(db, {
    cached: (tenant, id) => cache.get(tenant, id)?.entity,
    load: (tenant, id) => loadEntity(st, cache, tenant, id, 'admit')?.entity,
    // Not in the cache (the batch asked it first): a first read in a while answers the stored
    // text; a second one loads and caches the entity, as `read` would.
    loadSerialized: (tenant, id): Entity | SerializedEntity | undefined => {
      if (serializerId === undefined || cache.readAgain(tenant, id))
        return loadEntity(st, cache, tenant, id, 'fill')?.entity
      const serialized = st.getSerialized.get(tenant, id, serializerId)
      if (serialized !== undefined) return { serialized }
      // Written before the serializer, or by another one: parsed, and remembered as read once.
      return loadEntity(st, cache, tenant, id, 'none')?.entity
    },
  })

  // Callers of the port may mutate what they get, so they get copies; the cache keeps its own.
  const updateTx = db.transaction(
    (
      tenant: string,
      id: string,
      change: (e: Entity) => Entity | undefined,
      history: HistoryOf | undefined,
    ): { rid: number; next: Entity; typesChanged: boolean; before: string[] } | undefined => {
      const loaded = loadEntity(st, cache, tenant, id)
      if (!loaded) throw new AppError('ResourceNotFound', `entity ${id} not found`)
      const next = change(structuredClone(loaded.entity))
      if (!next) return undefined
      if (history)
        recordEvents(tenant, history({ kind: 'updated', entity: next, previous: loaded.entity }))
      const typesChanged = JSON.stringify(next.types) !== JSON.stringify(loaded.entity.types)
      st.updateAll.run(
        JSON.stringify(next.types),
        next.scopes ? JSON.stringify(next.scopes) : null,
        next.modifiedAt,
        JSON.stringify(next.attrs),
        ...st.serialize(next),
        loaded.rid,
      )
      if (typesChanged) {
        for (const t of loaded.entity.types) st.deleteType.run(tenant, t, id)
        for (const t of next.types) st.insertType.run(tenant, t, id, loaded.rid)
      }
      writeGeo(st, loaded.rid, next)
      recordUsage(st.usage, tenant, loaded.entity, next)
      return { rid: loaded.rid, next, typesChanged, before: loaded.entity.types }
    },
  )

  const deleteTx = db.transaction(
    (
      tenant: string,
      id: string,
      history: HistoryOf | undefined,
    ): { rid: number; gone: Entity } | undefined => {
      const row = st.get.get(tenant, id)
      if (!row) return undefined
      const gone = rowToEntity(row)
      if (history) recordEvents(tenant, history({ kind: 'deleted', entity: gone }))
      st.delete.run(row.rid)
      for (const t of gone.types) st.deleteType.run(tenant, t, id)
      st.deleteGeo.run(row.rid)
      recordUsage(st.usage, tenant, gone, undefined)
      return { rid: row.rid, gone }
    },
  )

  return {
    get(tenant, id) {
      // Reads use the cache too: a SQLite point read costs ~14 µs here (WAL read locks are
      // syscalls on this VM), a clone of a cached entity a few. Callers get a copy to mutate.
      const loaded = loadEntity(st, cache, tenant, id, 'admit')
      return Promise.resolve(loaded ? structuredClone(loaded.entity) : undefined)
    },
    read(tenant, id) {
      return batchedReads.read(tenant, id)
    },
    ...(serializerId !== undefined && {
      readSerialized: (tenant: string, id: string) => batchedReads.readSerialized(tenant, id),
    }),
    create(tenant, entity, history) {
      try {
        const rid = db.transaction(() => {
          const inserted = insertEntity(st, tenant, entity)
          if (history) recordEvents(tenant, history({ kind: 'created', entity }))
          return inserted
        })()
        const copy = structuredClone(entity)
        cache.set(tenant, entity.id, { rid, entity: copy })
        columns.set(rid, copy.attrs)
        order.created(tenant, copy.types, copy.id, rid)
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          return Promise.reject(new AppError('AlreadyExists', `entity ${entity.id} already exists`))
        }
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
      return Promise.resolve()
    },
    update(tenant, id, change, history) {
      try {
        const r = updateTx(tenant, id, change, history)
        if (!r)
          return Promise.resolve(
            structuredClone((loadEntity(st, cache, tenant, id) as { entity: Entity }).entity),
          )
        const copy = structuredClone(r.next)
        cache.set(tenant, id, { rid: r.rid, entity: copy })
        columns.set(r.rid, copy.attrs)
        if (r.typesChanged) order.changed(tenant, [...r.before, ...copy.types])
        return Promise.resolve(r.next)
      } catch (err) {
        cache.delete(tenant, id)
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    },
    delete(tenant, id, history) {
      cache.delete(tenant, id)
      let deleted: ReturnType<typeof deleteTx>
      try {
        deleted = deleteTx(tenant, id, history)
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
      if (!deleted) return Promise.resolve(undefined)
      columns.clear(deleted.rid)
      order.changed(tenant, deleted.gone.types)
      return Promise.resolve(deleted.gone)
    },
    query(tenant, q) {
      return batchedReads.run(() => reader.query(tenant, q))
    },
    types(tenant) {
      return Promise.resolve(typesOf.all(tenant).map((r) => r.type))
    },
    typeSummaries: (tenant, types) => Promise.resolve(readTypeSummaries(st.usage, tenant, types)),
    attributeSummaries: (tenant) => Promise.resolve(readAttributeSummaries(st.usage, tenant)),
  }
}

/**
 * Entity queries. Two plans:
 * - value columns (the common dashboard query: one type or none, plain comparisons in q): walk the
 *   type index (or the id index) in id order in growing batches of bare (rid, id) pairs, test each
 *   rid against the in-memory value columns, and read only the entities that pass;
 * - SQL (anything else, or while the columns are being built): one statement with every
 *   condition SQLite can test, entities parsed in id order.
 * Both apply the exact `filter` to what they read, so both answer exactly.
 */
function createQueryReader(
  db: Db,
  cache: EntityCache,
  columns: ValueColumns,
  order: TypeOrder,
  geoCandidates: number,
) {
  const statements = new Map<string, Statement<unknown[], EntityRow>>()
  /** Prepared once per distinct SQL text (a handful of shapes), not once per request. */
  function prepared(sql: string): Statement<unknown[], EntityRow> {
    let stmt = statements.get(sql)
    if (!stmt) {
      stmt = db.prepare<unknown[], EntityRow>(sql)
      if (statements.size > 200) statements.clear()
      statements.set(sql, stmt)
    }
    return stmt
  }
  const byRids = db.prepare<[string, string], EntityRow>(
    'SELECT rid, id, types, scopes, created_at, modified_at, attrs FROM entity WHERE rid IN (SELECT value FROM json_each(?)) AND tenant = ?',
  )
  /**
   * Geo queries over a small area: the entities in the area (from the in-memory grid), narrowed
   * by the value columns, read, checked exactly and put in id order. Over a large area walking
   * the type in id order, which stops at the page's end, is the better plan.
   */
  function viaGeo(tenant: string, q: EntityQuery, tests: RidTest[], box: Bbox): EntityPage {
    // Of this tenant and type (rank > 0), passing the columns, in id order without reading ids.
    const rank = order.rank(tenant, q.types?.[0]?.[0])
    const candidates = columns.inArea(box, (rid) => {
      if ((rank[rid] ?? 0) === 0) return false
      for (let i = 0; i < tests.length; i++) if (tests[i]!(rid) === FAILS) return false
      return true
    })
    candidates.sort((a, b) => rank[a]! - rank[b]!)
    const pattern = q.idPattern !== undefined ? new RegExp(q.idPattern) : undefined
    const end = q.offset + q.limit
    const entities: Entity[] = []
    let matched = 0
    // Read in growing batches: a page usually fills long before the candidates run out.
    for (let from = 0, batch = Math.max(32, end * 2); from < candidates.length;) {
      const slice = candidates.slice(from, from + batch)
      const read = readEntities(tenant, slice, !q.count)
      for (const rid of slice) {
        const e = read.get(rid)
        if (!e) continue
        if (pattern && !pattern.test(e.id)) continue
        if (q.anyAttrs && q.anyAttrs.length > 0 && !q.anyAttrs.some((a) => a in e.attrs)) continue
        if (q.filter && !q.filter(e)) continue
        if (matched >= q.offset && matched < end) entities.push(e)
        matched++
        if (!q.count && matched >= end) return { entities }
      }
      from += slice.length
      batch = Math.min(batch * 4, 16384)
    }
    return q.count ? { entities, count: matched } : { entities }
  }

  function viaColumns(tenant: string, q: EntityQuery, tests: RidTest[]): EntityPage {
    const single = q.types?.[0]?.[0]
    const pattern = q.idPattern !== undefined ? new RegExp(q.idPattern) : undefined
    // Entities the columns decide exactly need reading only when they fall on the page.
    const decidable =
      q.prefilterCovers === true && !pattern && !(q.anyAttrs && q.anyAttrs.length > 0)
    const end = q.offset + q.limit
    const entities: Entity[] = []
    let matched = 0
    const rids = order.rids(tenant, single)
    let batch = Math.max(32, end * 2)
    for (let from = 0; from < rids.length;) {
      const to = Math.min(rids.length, from + batch)
      // rid, and whether the columns alone say it matches
      const candidates: number[] = []
      const sure: boolean[] = []
      for (let i = from; i < to; i++) {
        const rid = rids[i]!
        let verdict: number = HOLDS
        for (const t of tests) {
          const r = t(rid)
          if (r === FAILS) {
            verdict = FAILS
            break
          }
          if (r === MAYBE) verdict = MAYBE
        }
        if (verdict === FAILS) continue
        candidates.push(rid)
        sure.push(decidable && verdict === HOLDS)
      }
      const unsure = candidates.filter((_, i) => !sure[i])
      const read = readEntities(tenant, unsure, !q.count)
      for (let i = 0; i < candidates.length; i++) {
        const onPage = matched >= q.offset && matched < end
        if (sure[i]) {
          if (onPage) {
            const e = readEntities(tenant, [candidates[i]!], true).get(candidates[i]!)
            if (e) entities.push(e)
          }
        } else {
          const e = read.get(candidates[i]!)
          if (!e) continue
          if (pattern && !pattern.test(e.id)) continue
          if (q.anyAttrs && q.anyAttrs.length > 0 && !q.anyAttrs.some((a) => a in e.attrs)) continue
          if (q.filter && !q.filter(e)) continue
          if (onPage) entities.push(e)
        }
        matched++
        if (!q.count && matched >= end) return { entities }
      }
      from = to
      batch = Math.min(batch * 4, 16384)
    }
    return q.count ? { entities, count: matched } : { entities }
  }

  /**
   * Candidates in walk order: cached entities as they are (shared, never mutated), the others read
   * in one statement. A page's entities are likely asked for again, so they are cached; a counting
   * scan over many is not (it would evict the ingest hot set).
   */
  function readEntities(tenant: string, rids: number[], fill: boolean): Map<number, Entity> {
    if (rids.length === 0) return new Map()
    const byRid = new Map<number, Entity>()
    const missing: number[] = []
    for (const rid of rids) {
      const hit = cache.peekRid(rid)
      if (hit && hit.tenant === tenant) byRid.set(rid, hit.entity)
      else missing.push(rid)
    }
    if (missing.length > 0) {
      for (const row of byRids.all(JSON.stringify(missing), tenant)) {
        const entity = rowToEntity(row)
        byRid.set(row.rid, entity)
        if (fill) cache.set(tenant, entity.id, { rid: row.rid, entity })
      }
    }
    return byRid
  }

  function viaSql(tenant: string, q: EntityQuery): EntityPage {
    const single = q.types?.length === 1 && q.types[0]?.length === 1 ? q.types[0][0] : undefined
    // One type (the common case): walk that type's index, already in id order, joining entities.
    // Otherwise: walk entities in id order and test each type condition with a point lookup.
    const where: string[] = single !== undefined ? ['t.tenant = ?', 't.type = ?'] : ['e.tenant = ?']
    const params: unknown[] = single !== undefined ? [tenant, single] : [tenant]
    if (q.ids && q.ids.length > 0) {
      where.push(`e.id IN (${q.ids.map(() => '?').join(',')})`)
      params.push(...q.ids)
    }
    if (single === undefined && q.types && q.types.length > 0) {
      const ors = q.types.map((conj) => {
        const ands = conj.map(
          () =>
            'EXISTS (SELECT 1 FROM entity_type t WHERE t.tenant = e.tenant AND t.type = ? AND t.id = e.id)',
        )
        params.push(...conj)
        return `(${ands.join(' AND ')})`
      })
      where.push(`(${ors.join(' OR ')})`)
    }
    for (const p of q.prefilter ?? []) {
      // Some instance's value (or, for a Relationship, object) compares so. Everything q might
      // match in another way passes and is left to the exact filter: array or object values and
      // objects, and kinds other than Property/Relationship (language maps, vocab, json, lists).
      where.push(
        `EXISTS (SELECT 1 FROM json_each(e.attrs, ?) i WHERE json_extract(i.value, '$.value') ${p.op} ? OR json_extract(i.value, '$.object') ${p.op} ? OR json_type(i.value, '$.value') IN ('array', 'object') OR json_type(i.value, '$.object') = 'array' OR json_extract(i.value, '$.type') NOT IN ('Property', 'Relationship'))`,
      )
      params.push(`$."${p.attr}"`, p.value, p.value)
    }
    const box = q.geo ? prefilterBox(q.geo) : undefined
    if (box) {
      where.push(
        'e.rid IN (SELECT rid FROM entity_geo WHERE max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?)',
      )
      params.push(box[0], box[2], box[1], box[3])
    }
    const columns = 'e.rid, e.id, e.types, e.scopes, e.created_at, e.modified_at, e.attrs'
    const sql =
      single !== undefined
        ? `SELECT ${columns} FROM entity_type t JOIN entity e ON e.rid = t.rid WHERE ${where.join(' AND ')} ORDER BY t.id`
        : `SELECT ${columns} FROM entity e WHERE ${where.join(' AND ')} ORDER BY e.id`
    const pattern = q.idPattern !== undefined ? new RegExp(q.idPattern) : undefined
    const entities: Entity[] = []
    let matched = 0
    const end = q.offset + q.limit
    for (const row of prepared(sql).iterate(...params)) {
      if (pattern && !pattern.test(row.id)) continue
      const e = rowToEntity(row)
      if (q.anyAttrs && q.anyAttrs.length > 0 && !q.anyAttrs.some((a) => a in e.attrs)) continue
      if (q.filter && !q.filter(e)) continue
      if (matched >= q.offset && matched < end) entities.push(e)
      matched++
      if (!q.count && matched >= end) break
    }
    return q.count ? { entities, count: matched } : { entities }
  }

  return {
    query(tenant: string, q: EntityQuery): EntityPage {
      const simple =
        columns.ready && !q.ids && (!q.types || (q.types.length === 1 && q.types[0]?.length === 1))
      const box = q.geo ? prefilterBox(q.geo) : undefined
      if (!simple || (q.geo && !box)) return viaSql(tenant, q)
      const tests = columns.compile(q.prefilter ?? [])
      if (!tests) return q.count ? { entities: [], count: 0 } : { entities: [] }
      if (box) {
        // Few entities in the area: start from them. Many: walk the type in id order with the
        // area as one more in-memory test, stopping when the page is full.
        if (columns.areaEstimate(box) <= geoCandidates) return viaGeo(tenant, q, tests, box)
        return viaColumns(tenant, q, [...tests, columns.overlaps(box)])
      }
      return viaColumns(tenant, q, tests)
    },
  }
}

/**
 * Above this many entities in its box, a geo query walks the type instead of the area's list:
 * testing a candidate costs ~10 ns, so the list plan stays well under a millisecond.
 */
const GEO_CANDIDATES = 50_000

/** A conservative box for the geo filter, or undefined when no box can narrow it. */
function prefilterBox(geo: GeoFilter): Bbox | undefined {
  if (geo.geoproperty !== IRI.location) return undefined
  const box = geometryBbox(geo.geometry)
  if (!box) return undefined
  if (geo.georel === 'near')
    return geo.maxDistance !== undefined ? expandBbox(box, geo.maxDistance) : undefined
  if (geo.georel === 'disjoint') return undefined
  return box
}
