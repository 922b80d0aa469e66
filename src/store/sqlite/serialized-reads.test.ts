import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB, type Entity } from '../../core/ngsi.js'
import type { SnapshotSerializer } from '../store.js'
import { openSqliteStore } from './sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'civitas-serialized-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const history = { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 }
const V = DEFAULT_VOCAB
const AT = '2026-01-01T00:00:00.000Z'

/** Any deterministic text of the entity will do for the store: it only keeps and serves it. */
const serializer = (id: number): SnapshotSerializer => ({
  id,
  serialize: (e) => JSON.stringify({ v: id, id: e.id, attrs: e.attrs }),
})
const entity = (id: string, value: number): Entity => ({
  id,
  types: [`${V}T`],
  createdAt: AT,
  modifiedAt: AT,
  attrs: { [`${V}n`]: [{ type: 'Property', value }] },
})
const open = (file: string, s?: SnapshotSerializer) =>
  openSqliteStore({
    file: join(dir, file),
    history,
    sealIntervalMs: 0,
    ...(s && { serializer: s }),
  })

describe('reads answered from the stored serialization', () => {
  it('answers a first read of an entity not in memory with its text, and caches it on the second', async () => {
    let store = open('cold.db', serializer(7))
    await store.entities.create('t', entity('urn:e:1', 1))
    await store.close()
    store = open('cold.db', serializer(7))
    const first = await store.entities.readSerialized!('t', 'urn:e:1')
    expect(first).toEqual({ serialized: serializer(7).serialize(entity('urn:e:1', 1)) })
    const second = await store.entities.readSerialized!('t', 'urn:e:1')
    expect(second).toMatchObject({ id: 'urn:e:1' })
    // Now cached: the same shared snapshot for every reader.
    expect(await store.entities.readSerialized!('t', 'urn:e:1')).toBe(second)
    expect(await store.entities.read('t', 'urn:e:1')).toBe(second)
    expect(await store.entities.readSerialized!('t', 'urn:e:2')).toBeUndefined()
    expect(await store.entities.readSerialized!('other', 'urn:e:1')).toBeUndefined()
    await store.close()
  })

  it('never serves text another serializer wrote, nor rows written without one', async () => {
    let store = open('stale.db', serializer(7))
    await store.entities.create('t', entity('urn:e:1', 1))
    await store.close()
    store = open('stale.db', serializer(8))
    expect(await store.entities.readSerialized!('t', 'urn:e:1')).toMatchObject({ id: 'urn:e:1' })
    await store.entities.create('t', entity('urn:e:2', 2))
    await store.close()
    // Without a serializer the store offers no such read and writes none.
    store = open('stale.db')
    expect('readSerialized' in store.entities).toBe(false)
    await store.entities.update('t', 'urn:e:2', (e) => ({ ...e, modifiedAt: AT }))
    await store.close()
    store = open('stale.db', serializer(8))
    expect(await store.entities.readSerialized!('t', 'urn:e:2')).toMatchObject({ id: 'urn:e:2' })
    await store.close()
  })

  it('keeps the text in step with Core API updates and ingested patches', async () => {
    let store = open('writes.db', serializer(7))
    await store.entities.create('t', entity('urn:e:1', 1))
    await store.entities.update('t', 'urn:e:1', (e) => ({
      ...e,
      attrs: { ...e.attrs, [`${V}m`]: [{ type: 'Property', value: 'x' }] },
    }))
    await store.ingest([
      {
        tenant: 't',
        patches: [
          {
            entityId: 'urn:e:1',
            entityType: `${V}T`,
            attrs: { [`${V}n`]: { type: 'Property', value: 42, observedAt: AT } },
          },
          {
            entityId: 'urn:e:new',
            entityType: `${V}T`,
            attrs: { [`${V}n`]: { type: 'Property', value: 5, observedAt: AT } },
          },
        ],
        observations: [],
        activity: [],
      },
    ])
    const now = await store.entities.get('t', 'urn:e:1')
    const created = await store.entities.get('t', 'urn:e:new')
    await store.close()
    store = open('writes.db', serializer(7))
    const s7 = serializer(7)
    expect(await store.entities.readSerialized!('t', 'urn:e:1')).toEqual({
      serialized: s7.serialize(now!),
    })
    expect(await store.entities.readSerialized!('t', 'urn:e:new')).toEqual({
      serialized: s7.serialize(created!),
    })
    expect(JSON.stringify(now)).toContain('42')
    await store.close()
  })
})
