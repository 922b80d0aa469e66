/**
 * The rids of a tenant's entities of one type (or of all types) in id order, held in memory so a
 * query walks them at array speed instead of stepping an SQLite index row by row (~0.3 µs a row
 * handed to JS here, against a few ns). A list is built on first use and dropped whenever an
 * entity joins or leaves it (create, delete, change of types); updates of attributes, which is
 * what ingest does all day, leave it alone. A new entity whose id sorts last is appended instead
 * (sequential device ids), so steady provisioning does not rebuild the list either.
 */
import type { Db } from './open-database.js'

interface Order {
  rids: number[]
  lastId: string
  /** rank[rid] = 1 + the rid's position in `rids`, 0 when absent; built on first use. */
  rank?: Int32Array
}

const ASCII = /^[\x20-\x7e]*$/

/** Key for "every type" walks. */
const ALL = '\u0001*'

export class TypeOrder {
  private readonly lists = new Map<string, Order>()
  private readonly byType
  private readonly byTenant

  constructor(db: Db) {
    // Bare rids (a million in well under a second) and the last id apart: returning every id as
    // a string made building the list of a million entities take seconds.
    const rids = (sql: string) => db.prepare<string[], number>(sql).pluck()
    this.byType = {
      rids: rids('SELECT rid FROM entity_type WHERE tenant = ? AND type = ? ORDER BY id'),
      last: rids('SELECT max(id) FROM entity_type WHERE tenant = ? AND type = ?'),
    }
    this.byTenant = {
      rids: rids('SELECT rid FROM entity WHERE tenant = ? ORDER BY id'),
      last: rids('SELECT max(id) FROM entity WHERE tenant = ?'),
    }
  }

  /** Rids in id order; `type` undefined for all entities of the tenant. Do not mutate. */
  rids(tenant: string, type: string | undefined): readonly number[] {
    return this.order(tenant, type).rids
  }

  /**
   * Position by rid in the same order (1-based; 0 = not of this tenant and type): puts any set of
   * rids, e.g. an R*Tree's candidates, in id order without reading their ids. Do not mutate.
   */
  rank(tenant: string, type: string | undefined): Int32Array {
    const order = this.order(tenant, type)
    if (!order.rank) {
      let max = 0
      for (const rid of order.rids) if (rid > max) max = rid
      const rank = new Int32Array(max + 1)
      order.rids.forEach((rid, i) => (rank[rid] = i + 1))
      order.rank = rank
    }
    return order.rank
  }

  private order(tenant: string, type: string | undefined): Order {
    const key = tenant + '\u0000' + (type ?? ALL)
    let order = this.lists.get(key)
    if (!order) {
      const args = type === undefined ? [tenant] : [tenant, type]
      const st = type === undefined ? this.byTenant : this.byType
      order = { rids: st.rids.all(...args), lastId: String(st.last.get(...args) ?? '') }
      this.lists.set(key, order)
    }
    return order
  }

  /** After a commit that created an entity. */
  created(tenant: string, types: readonly string[], id: string, rid: number): void {
    for (const key of keys(tenant, types)) {
      const order = this.lists.get(key)
      if (!order) continue
      // JS compares UTF-16 units, SQLite UTF-8 bytes: they agree on ASCII, which ids nearly are.
      if (id > order.lastId && ASCII.test(id)) {
        order.rids.push(rid)
        order.lastId = id
        if (order.rank) {
          if (rid >= order.rank.length) {
            const grown = new Int32Array(Math.max(rid + 1, order.rank.length * 2))
            grown.set(order.rank)
            order.rank = grown
          }
          order.rank[rid] = order.rids.length
        }
      } else this.lists.delete(key)
    }
  }

  /** After a commit that deleted an entity or changed its types. */
  changed(tenant: string, types: readonly string[]): void {
    for (const key of keys(tenant, types)) this.lists.delete(key)
  }
}

function keys(tenant: string, types: readonly string[]): string[] {
  return [tenant + '\u0000' + ALL, ...types.map((t) => tenant + '\u0000' + t)]
}
