import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import { createBatchedReads } from './batched-reads.js'
import { openDatabase } from './open-database.js'

function setup() {
  const db = openDatabase(':memory:')
  db.exec('CREATE TABLE e (tenant TEXT, id TEXT, body TEXT, PRIMARY KEY (tenant, id))')
  const get = db.prepare<[string, string], { body: string }>(
    'SELECT body FROM e WHERE tenant = ? AND id = ?',
  )
  const put = db.prepare('INSERT OR REPLACE INTO e VALUES (?, ?, ?)')
  const loads: boolean[] = []
  const cache = new Map<string, Entity>()
  const reads = createBatchedReads(db, {
    cached: (tenant, id) => cache.get(`${tenant}/${id}`),
    load: (tenant, id) => {
      loads.push(db.inTransaction)
      const row = get.get(tenant, id)
      return row ? (JSON.parse(row.body) as Entity) : undefined
    },
    loadSerialized: (tenant, id) => {
      loads.push(db.inTransaction)
      const row = get.get(tenant, id)
      return row ? { serialized: row.body } : undefined
    },
  })
  const entity = (id: string, v: number) =>
    JSON.stringify({ id, types: ['T'], createdAt: 'c', modifiedAt: 'm', attrs: { v } })
  return { db, put, reads, loads, entity, cache }
}

describe('batched point reads', () => {
  it('answers the reads of one turn together, in one read transaction', async () => {
    const { put, reads, loads, entity } = setup()
    put.run('t', 'a', entity('a', 1))
    put.run('t', 'b', entity('b', 2))
    const [a, b, missing, other] = await Promise.all([
      reads.read('t', 'a'),
      reads.read('t', 'b'),
      reads.read('t', 'c'),
      reads.read('u', 'a'),
    ])
    expect(a?.attrs).toEqual({ v: 1 })
    expect(b?.attrs).toEqual({ v: 2 })
    expect(missing).toBeUndefined()
    expect(other).toBeUndefined()
    expect(loads).toEqual([true, true, true, true])
  })

  it('answers cached entities without a statement, and reads only the misses', async () => {
    const { put, reads, loads, entity, cache } = setup()
    put.run('t', 'a', entity('a', 1))
    cache.set('t/b', JSON.parse(entity('b', 2)) as Entity)
    let settled = false
    const both = Promise.all([reads.read('t', 'a'), reads.read('t', 'b')])
    void both.then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false) // answered at the end of the turn, not at once
    const [a, b] = await both
    expect([a?.attrs, b?.attrs]).toEqual([{ v: 1 }, { v: 2 }])
    expect(loads).toEqual([false])
  })

  it('answers serialized reads of misses from their source, in the same transaction as the rest', async () => {
    const { put, reads, loads, entity, cache } = setup()
    put.run('t', 'a', entity('a', 1))
    put.run('t', 'b', entity('b', 2))
    cache.set('t/c', JSON.parse(entity('c', 3)) as Entity)
    const [a, b, c, none] = await Promise.all([
      reads.read('t', 'a'),
      reads.readSerialized('t', 'b'),
      reads.readSerialized('t', 'c'),
      reads.readSerialized('t', 'x'),
    ])
    expect(a).toMatchObject({ id: 'a' })
    expect(b).toEqual({ serialized: entity('b', 2) })
    expect(c).toMatchObject({ id: 'c' }) // cached: the entity itself
    expect(none).toBeUndefined()
    expect(loads).toEqual([true, true, true])
  })

  it('reads a lone miss without an explicit transaction', async () => {
    const { put, reads, loads, entity } = setup()
    put.run('t', 'a', entity('a', 1))
    expect((await reads.read('t', 'a'))?.id).toBe('a')
    expect(loads).toEqual([false])
  })

  it('sees every write committed before the batch runs, even one made after the read was asked', async () => {
    const { put, reads, entity } = setup()
    put.run('t', 'a', entity('a', 1))
    const pending = reads.read('t', 'a')
    put.run('t', 'a', entity('a', 2))
    expect((await pending)?.attrs).toEqual({ v: 2 })
  })

  it('runs queued jobs in the same turn, and a failing job rejects only itself', async () => {
    const { put, reads, entity } = setup()
    put.run('t', 'a', entity('a', 1))
    const order: string[] = []
    const job = reads.run(() => {
      order.push('job')
      return 42
    })
    const failing = reads.run(() => {
      throw new Error('job failed')
    })
    const read = reads.read('t', 'a').then((e) => order.push(`read ${e?.id}`))
    expect(await job).toBe(42)
    await expect(failing).rejects.toThrow('job failed')
    await read
    expect(order).toEqual(['job', 'read a'])
  })

  it('rejects every read of a batch that fails, and keeps answering later ones', async () => {
    const { db, put, reads, entity } = setup()
    put.run('t', 'a', entity('a', 1))
    db.exec('ALTER TABLE e RENAME TO gone')
    const failed = await Promise.allSettled([reads.read('t', 'a'), reads.read('t', 'b')])
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    db.exec('ALTER TABLE gone RENAME TO e')
    expect((await reads.read('t', 'a'))?.id).toBe('a')
  })
})
