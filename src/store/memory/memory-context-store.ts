/**
 * In-memory ContextStore: stored @contexts for tests and throwaway runs, same semantics as SQLite.
 *
 * @example
 *   const contexts = createMemoryContextStore()
 *   await contexts.put({ localId: 'a1', kind: 'Hosted', createdAt, numberOfHits: 0, context: {} })
 */
import type { ContextStore, StoredContext } from '../store.js'

export function createMemoryContextStore(): ContextStore {
  const byId = new Map<string, StoredContext>()
  const copy = (c: StoredContext | undefined) => (c ? structuredClone(c) : undefined)
  return {
    get: (localId) => Promise.resolve(copy(byId.get(localId))),
    findByUrl: (url) =>
      Promise.resolve(copy([...byId.values()].find((c) => c.kind === 'Cached' && c.url === url))),
    list: () =>
      Promise.resolve(
        [...byId.values()]
          .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
          .map((c) => structuredClone(c)),
      ),
    put(context) {
      // A URL names at most one Cached entry, as the SQLite UNIQUE constraint enforces.
      for (const [id, c] of byId) {
        if (context.url !== undefined && c.url === context.url && id !== context.localId)
          byId.delete(id)
      }
      byId.set(context.localId, structuredClone(context))
      return Promise.resolve()
    },
    delete: (localId) => Promise.resolve(byId.delete(localId)),
    recordUsage(usage) {
      for (const u of usage) {
        const c = byId.get(u.localId)
        if (c) byId.set(u.localId, { ...c, lastUsage: u.lastUsage, numberOfHits: u.numberOfHits })
      }
      return Promise.resolve()
    },
  }
}
