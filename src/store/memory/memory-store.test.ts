import { describe, expect, it } from 'vitest'
import { isAppError } from '../../core/errors.js'
import { DEFAULT_VOCAB, type Entity } from '../../core/ngsi.js'
import { createMemoryEntityStore } from './memory-store.js'

const V = (n: string) => DEFAULT_VOCAB + n
const now = '2026-01-01T00:00:00.000Z'

function entity(id: string, types: string[], attrs: string[] = []): Entity {
  const e: Entity = { id, types: types.map(V), createdAt: now, modifiedAt: now, attrs: {} }
  for (const a of attrs) e.attrs[V(a)] = [{ type: 'Property', value: 1 }]
  return e
}

async function kindOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (isAppError(e) ? e.kind : 'not an AppError'),
  )
}

describe('createMemoryEntityStore', () => {
  it('creates, gets, and refuses duplicates with AlreadyExists; tenants are separate', async () => {
    const store = createMemoryEntityStore()
    const e = entity('urn:a:1', ['Room'], ['t'])
    await store.create('default', e)
    expect(await store.get('default', 'urn:a:1')).toEqual(e)
    expect(await store.get('other', 'urn:a:1')).toBeUndefined()
    expect(await kindOf(store.create('default', e))).toBe('AlreadyExists')
    await store.create('other', e)
    expect(await store.get('other', 'urn:a:1')).toEqual(e)
  })

  it('never shares objects with callers', async () => {
    const store = createMemoryEntityStore()
    const e = entity('urn:a:1', ['Room'], ['t'])
    await store.create('default', e)
    e.types.push('x')
    const got = await store.get('default', 'urn:a:1')
    got!.attrs = {}
    expect(await store.get('default', 'urn:a:1')).toEqual(entity('urn:a:1', ['Room'], ['t']))
  })

  it('updates atomically, keeps the entity when change returns undefined, and 404s when absent', async () => {
    const store = createMemoryEntityStore()
    await store.create('default', entity('urn:a:1', ['Room']))
    const updated = await store.update('default', 'urn:a:1', (cur) => ({
      ...cur,
      types: [...cur.types, V('Shop')],
    }))
    expect(updated.types).toEqual([V('Room'), V('Shop')])
    expect(await store.update('default', 'urn:a:1', () => undefined)).toEqual(updated)
    expect(await kindOf(store.update('default', 'urn:none', (c) => c))).toBe('ResourceNotFound')
    expect(await kindOf(store.update('t2', 'urn:a:1', (c) => c))).toBe('ResourceNotFound')
  })

  it('propagates errors thrown by the change function and leaves the entity unchanged', async () => {
    const store = createMemoryEntityStore()
    await store.create('default', entity('urn:a:1', ['Room']))
    const failing = store.update('default', 'urn:a:1', (cur) => {
      cur.types = []
      throw new Error('boom')
    })
    await expect(failing).rejects.toThrow('boom')
    expect((await store.get('default', 'urn:a:1'))?.types).toEqual([V('Room')])
  })

  it('deletes and returns the deleted entity', async () => {
    const store = createMemoryEntityStore()
    await store.create('default', entity('urn:a:1', ['Room']))
    expect((await store.delete('default', 'urn:a:1'))?.id).toBe('urn:a:1')
    expect(await store.delete('default', 'urn:a:1')).toBeUndefined()
  })

  it('queries by ids, idPattern, type DNF, anyAttrs and filter, ordered by id, paged, counted', async () => {
    const store = createMemoryEntityStore()
    await store.create('default', entity('urn:c', ['Room', 'Shop'], ['t']))
    await store.create('default', entity('urn:a', ['Room'], ['h']))
    await store.create('default', entity('urn:b', ['Park'], ['t']))
    const base = { limit: 10, offset: 0, count: true }
    const ids = async (q: Partial<Parameters<typeof store.query>[1]>) =>
      (await store.query('default', { ...base, ...q })).entities.map((e) => e.id)

    expect(await ids({})).toEqual(['urn:a', 'urn:b', 'urn:c'])
    expect(await ids({ ids: ['urn:c', 'urn:a'] })).toEqual(['urn:a', 'urn:c'])
    expect(await ids({ idPattern: '^urn:[bc]$' })).toEqual(['urn:b', 'urn:c'])
    expect(await ids({ types: [[V('Room'), V('Shop')], [V('Park')]] })).toEqual(['urn:b', 'urn:c'])
    expect(await ids({ anyAttrs: [V('h')] })).toEqual(['urn:a'])
    expect(await ids({ filter: (e) => e.id !== 'urn:b' })).toEqual(['urn:a', 'urn:c'])

    const page = await store.query('default', { limit: 1, offset: 1, count: true })
    expect(page.entities.map((e) => e.id)).toEqual(['urn:b'])
    expect(page.count).toBe(3)
    expect(
      (await store.query('default', { limit: 1, offset: 0, count: false })).count,
    ).toBeUndefined()
    expect((await store.query('default', { limit: 0, offset: 0, count: true })).entities).toEqual(
      [],
    )
    expect(await store.types('default')).toEqual([V('Park'), V('Room'), V('Shop')])
  })

  it('knows the default tenant and the ones ensured', async () => {
    const store = createMemoryEntityStore()
    expect(await store.tenants.exists('default')).toBe(true)
    expect(await store.tenants.exists('city')).toBe(false)
    await store.tenants.ensure('city')
    expect(await store.tenants.exists('city')).toBe(true)
    expect(await store.tenants.list()).toEqual(['city', 'default'])
  })
})
