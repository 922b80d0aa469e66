/**
 * API reads run on a second connection in a read transaction kept open for a turn of the event
 * loop. They must still see every write this process made, in the same turn, through every write
 * path (create, update, ingest, delete), even when the entity is not in the cache.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB, type Entity } from '../../core/ngsi.js'
import { openDatabase } from './open-database.js'
import { ReadSnapshot, WriteEpoch } from './read-snapshot.js'
import { openSqliteStore } from './sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'civitas-snapshot-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const history = { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 1_000_000 }
const X = DEFAULT_VOCAB + 'x'
const AT = '2026-01-01T00:00:00.000Z'

const entity = (id: string, x: number): Entity => ({
  id,
  types: [DEFAULT_VOCAB + 'T'],
  createdAt: AT,
  modifiedAt: AT,
  attrs: { [X]: [{ type: 'Property', value: x }] },
})

describe('read snapshot', () => {
  it('without an epoch bump a reader keeps its snapshot; with one it sees the new commit', () => {
    const file = join(dir, 'raw.db')
    const writer = openDatabase(file)
    writer.exec('CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)')
    const epoch = new WriteEpoch()
    const snapshot = new ReadSnapshot(openDatabase(file, { readonly: true }), epoch)
    const read = snapshot.db.prepare<[], number>('SELECT v FROM t').pluck()
    snapshot.enter()
    expect(read.get()).toBe(1)
    writer.exec('UPDATE t SET v = 2')
    snapshot.enter()
    // The mechanism the epoch exists for: an open read transaction does not see the commit.
    expect(read.get()).toBe(1)
    epoch.changed()
    snapshot.enter()
    expect(read.get()).toBe(2)
    snapshot.close()
    writer.close()
  })

  it('reads see every write of the same turn, whatever the cache holds', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            op: fc.constantFrom('create', 'update', 'ingest', 'delete', 'read'),
            id: fc.integer({ min: 0, max: 3 }),
            x: fc.integer({ min: 0, max: 100 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (ops) => {
          // A one-entry cache: most reads miss it and go to the snapshot connection.
          const store = openSqliteStore({
            file: join(dir, `p${run++}.db`),
            history,
            sealIntervalMs: 0,
            entityCacheSize: 1,
          })
          const model = new Map<string, number>()
          for (const { op, id: n, x } of ops) {
            const id = `urn:e:${n}`
            if (op === 'create' && !model.has(id)) {
              await store.entities.create('t', entity(id, x))
              model.set(id, x)
            } else if (op === 'update' && model.has(id)) {
              await store.entities.update('t', id, (e) => ({
                ...e,
                attrs: { [X]: [{ type: 'Property', value: x }] },
              }))
              model.set(id, x)
            } else if (op === 'ingest') {
              await store.ingest([
                {
                  tenant: 't',
                  patches: [
                    {
                      entityId: id,
                      entityType: DEFAULT_VOCAB + 'T',
                      attrs: { [X]: { type: 'Property', value: x, observedAt: AT } },
                    },
                  ],
                  observations: [],
                  activity: [],
                },
              ])
              model.set(id, x)
            } else if (op === 'delete') {
              await store.entities.delete('t', id)
              model.delete(id)
            }
            // Read every id after every step: all in one turn of the event loop.
            for (let k = 0; k < 4; k++) {
              const got = await store.entities.read('t', `urn:e:${k}`)
              expect(got?.attrs[X]?.[0]?.value).toBe(model.get(`urn:e:${k}`))
            }
          }
          await store.close()
        },
      ),
      { numRuns: 40 },
    )
  })
})
