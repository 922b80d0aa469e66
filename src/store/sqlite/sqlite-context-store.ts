/**
 * Stored @contexts in SQLite (table jsonld_context).
 *
 * @example
 *   const contexts = createSqliteContextStore(db)
 *   await contexts.findByUrl('https://example.org/ctx.jsonld')
 */
import type { ContextStore, StoredContext, StoredContextKind } from '../store.js'
import type { Db } from './open-database.js'

interface ContextRow {
  local_id: string
  url: string | null
  kind: string
  created_at: string
  expires_at: string | null
  last_usage: string | null
  hits: number
  body: string
  tenant: string | null
}

function rowToContext(r: ContextRow): StoredContext {
  const c: StoredContext = {
    localId: r.local_id,
    kind: r.kind as StoredContextKind,
    createdAt: r.created_at,
    numberOfHits: r.hits,
    context: JSON.parse(r.body) as unknown,
  }
  if (r.url !== null) c.url = r.url
  if (r.expires_at !== null) c.expiresAt = r.expires_at
  if (r.last_usage !== null) c.lastUsage = r.last_usage
  if (r.tenant !== null) c.tenant = r.tenant
  return c
}

export function createSqliteContextStore(db: Db): ContextStore {
  const get = db.prepare<[string], ContextRow>('SELECT * FROM jsonld_context WHERE local_id = ?')
  const byUrl = db.prepare<[string], ContextRow>(
    "SELECT * FROM jsonld_context WHERE url = ? AND kind = 'Cached'",
  )
  const list = db.prepare<[], ContextRow>(
    'SELECT * FROM jsonld_context ORDER BY created_at, local_id',
  )
  const dropUrl = db.prepare<[string, string]>(
    'DELETE FROM jsonld_context WHERE url = ? AND local_id <> ?',
  )
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO jsonld_context (local_id, url, kind, created_at, expires_at, last_usage, hits, body, tenant)
     VALUES (@localId, @url, @kind, @createdAt, @expiresAt, @lastUsage, @hits, @body, @tenant)`,
  )
  const del = db.prepare<[string]>('DELETE FROM jsonld_context WHERE local_id = ?')
  const usage = db.prepare<[string, number, string]>(
    'UPDATE jsonld_context SET last_usage = ?, hits = ? WHERE local_id = ?',
  )
  const put = db.transaction((c: StoredContext) => {
    // A URL names one Cached entry: a re-download under a new id replaces the old one.
    if (c.url !== undefined) dropUrl.run(c.url, c.localId)
    upsert.run({
      localId: c.localId,
      url: c.url ?? null,
      kind: c.kind,
      createdAt: c.createdAt,
      expiresAt: c.expiresAt ?? null,
      lastUsage: c.lastUsage ?? null,
      hits: c.numberOfHits,
      body: JSON.stringify(c.context),
      tenant: c.tenant ?? null,
    })
  })
  const recordUsage = db.transaction((rows: Parameters<ContextStore['recordUsage']>[0]) => {
    for (const u of rows) usage.run(u.lastUsage, u.numberOfHits, u.localId)
  })
  const wrap = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn())
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
  }
  return {
    get: (localId) =>
      wrap(() => {
        const r = get.get(localId)
        return r ? rowToContext(r) : undefined
      }),
    findByUrl: (url) =>
      wrap(() => {
        const r = byUrl.get(url)
        return r ? rowToContext(r) : undefined
      }),
    list: () => wrap(() => list.all().map(rowToContext)),
    put: (c) => wrap(() => put(c)),
    delete: (localId) => wrap(() => del.run(localId).changes > 0),
    recordUsage: (rows) => wrap(() => recordUsage(rows)),
  }
}
