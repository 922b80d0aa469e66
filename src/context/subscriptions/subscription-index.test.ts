import { describe, expect, it } from 'vitest'
import { DEFAULT_VOCAB } from '../../core/ngsi.js'
import type { Subscription } from '../../core/subscription.js'
import { createBundledContextResolver, createContextProcessor } from '../jsonld/index.js'
import { compileSubscription } from './compile-subscription.js'
import { SubscriptionIndex } from './subscription-index.js'

const V = (n: string) => DEFAULT_VOCAB + n
const contexts = createContextProcessor({ resolver: createBundledContextResolver() })

function sub(id: string, entities?: Subscription['entities']): Subscription {
  const s: Subscription = {
    id,
    notification: { endpoint: { uri: 'http://a.example/' } },
    createdAt: '2026-01-01T00:00:00Z',
    modifiedAt: '2026-01-01T00:00:00Z',
  }
  if (entities) s.entities = entities
  else s.watchedAttributes = [V('x')]
  return s
}

describe('SubscriptionIndex', () => {
  it('offers only subscriptions that could match: by id, by type, and type-less ones', async () => {
    const index = new SubscriptionIndex()
    const add = async (s: Subscription, tenant = 'default') =>
      index.add(await compileSubscription(tenant, s, contexts))
    await add(sub('urn:s:room', [{ types: [[V('Room')]] }]))
    await add(sub('urn:s:room7', [{ id: 'urn:r:7', types: [[V('Room')]] }]))
    await add(sub('urn:s:and', [{ types: [[V('Hall'), V('Room')]] }]))
    await add(sub('urn:s:any'))
    await add(sub('urn:s:other-tenant', [{ types: [[V('Room')]] }]), 'b')
    const ids = (id: string, types: string[]) =>
      index
        .candidates('default', id, types)
        .map((c) => c.sub.id)
        .sort()
    expect(ids('urn:r:1', [V('Room')])).toEqual(['urn:s:any', 'urn:s:room'])
    expect(ids('urn:r:7', [V('Room')])).toEqual(['urn:s:any', 'urn:s:room', 'urn:s:room7'])
    expect(ids('urn:h:1', [V('Hall')])).toEqual(['urn:s:and', 'urn:s:any'])
    expect(ids('urn:p:1', [V('Park')])).toEqual(['urn:s:any'])
    expect(index.candidates('zzz', 'urn:r:1', [V('Room')])).toEqual([])
    expect(index.size).toBe(5)
    index.remove('default', 'urn:s:room')
    expect(ids('urn:r:1', [V('Room')])).toEqual(['urn:s:any'])
    expect(index.size).toBe(4)
  })

  it('re-adding a subscription replaces its index entries', async () => {
    const index = new SubscriptionIndex()
    index.add(
      await compileSubscription('default', sub('urn:s:1', [{ types: [[V('Room')]] }]), contexts),
    )
    index.add(
      await compileSubscription('default', sub('urn:s:1', [{ types: [[V('Park')]] }]), contexts),
    )
    expect(index.candidates('default', 'urn:r:1', [V('Room')])).toEqual([])
    expect(index.candidates('default', 'urn:p:1', [V('Park')])).toHaveLength(1)
  })

  it('offers type-less subscriptions only for changes of an attribute they watch', async () => {
    const index = new SubscriptionIndex()
    const add = async (s: Subscription) =>
      index.add(await compileSubscription('default', s, contexts))
    await add(sub('urn:s:x')) // watches x
    await add({ ...sub('urn:s:xy'), watchedAttributes: [V('x'), V('y')] })
    await add(sub('urn:s:room', [{ types: [[V('Room')]] }]))
    // Both an id and a type selector: offered once.
    await add(
      sub('urn:s:both', [{ id: 'urn:r:7', types: [[V('Room')]] }, { types: [[V('Room')]] }]),
    )
    const ids = (id: string, types: string[], attrs?: string[]) =>
      index
        .candidates('default', id, types, attrs)
        .map((c) => c.sub.id)
        .sort()
    expect(ids('urn:r:1', [V('Room')], [V('z')])).toEqual(['urn:s:both', 'urn:s:room'])
    expect(ids('urn:r:1', [V('Room')], [V('y')])).toEqual(['urn:s:both', 'urn:s:room', 'urn:s:xy'])
    expect(ids('urn:r:1', [V('Room')], [V('x'), V('y')])).toEqual([
      'urn:s:both',
      'urn:s:room',
      'urn:s:x',
      'urn:s:xy',
    ])
    expect(ids('urn:r:7', [V('Room')], [V('z')])).toEqual(['urn:s:both', 'urn:s:room'])
    // Unknown changed attributes (deletions): every watcher is a candidate.
    expect(ids('urn:r:1', [V('Room')])).toEqual(['urn:s:both', 'urn:s:room', 'urn:s:x', 'urn:s:xy'])
    expect(ids('urn:h:1', [V('Hall'), V('Room')], [V('y')])).toEqual([
      'urn:s:both',
      'urn:s:room',
      'urn:s:xy',
    ])
    index.remove('default', 'urn:s:xy')
    expect(ids('urn:r:1', [V('Room')], [V('y')])).toEqual(['urn:s:both', 'urn:s:room'])
  })
})
