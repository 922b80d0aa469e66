/**
 * A complete in-memory Store (entities, devices, history, ingest) that passes the same contract
 * suite as SQLite: for unit tests and for trying Civitas without a disk. Nothing survives a restart.
 *
 * @example
 *   const store = openMemoryStore()
 */
import { applyPatch, entityFromPatch } from '../apply-patch.js'
import type { PatchResult, Store } from '../store.js'
import { createMemoryContextStore } from './memory-context-store.js'
import { createMemoryDeviceStore } from './memory-devices.js'
import { createMemoryRegistrationStore } from './memory-registration-store.js'
import { createMemoryEntityStore } from './memory-store.js'
import { createMemoryTemporal } from './memory-temporal.js'
import { createMemorySubscriptionStore } from './memory-subscription-store.js'

export function openMemoryStore(now: () => number = Date.now): Store {
  const history = createMemoryTemporal(now)
  const entities = createMemoryEntityStore((tenant, events) => {
    void history.temporal.recordEvents(tenant, events)
  })
  const devices = createMemoryDeviceStore((t) => void entities.tenants.ensure(t))

  return {
    entities,
    devices,
    tenants: entities.tenants,
    subscriptions: createMemorySubscriptionStore((t) => void entities.tenants.ensure(t)),
    contexts: createMemoryContextStore(),
    registrations: createMemoryRegistrationStore(),
    temporal: {
      ...history.temporal,
      // As ingest: the tenant exists once it has history.
      async append(tenant, observations) {
        if (observations.length > 0) await entities.tenants.ensure(tenant)
        await history.temporal.append(tenant, observations)
      },
    },
    async ingest(batches) {
      const at = new Date(now()).toISOString()
      const results: PatchResult[] = []
      for (const b of batches) {
        if (b.patches.length > 0 || b.observations.length > 0)
          await entities.tenants.ensure(b.tenant)
        for (const p of b.patches) {
          const current = await entities.get(b.tenant, p.entityId)
          if (!current) {
            const entity = entityFromPatch(p, at)
            await entities.create(b.tenant, entity)
            results.push({
              tenant: b.tenant,
              kind: 'created',
              changed: Object.keys(entity.attrs),
              entity,
            })
            continue
          }
          const { next, changed } = applyPatch(current, p, at)
          if (changed.length === 0) continue
          await entities.update(b.tenant, p.entityId, () => next)
          results.push({
            tenant: b.tenant,
            kind: 'updated',
            changed,
            entity: next,
            previous: current,
          })
        }
        history.append(b.tenant, b.observations)
        for (const a of b.activity) await devices.recordActivity(b.tenant, a.deviceId, a)
      }
      return results
    },
    migrate: () => Promise.resolve({ applied: [], current: 0 }),
    close: () => Promise.resolve(),
  }
}
