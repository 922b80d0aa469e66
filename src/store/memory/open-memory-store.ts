/**
 * A complete in-memory Store (entities, devices, history, ingest) that passes the same contract
 * suite as SQLite: for unit tests and for trying Civitas without a disk. Nothing survives a restart.
 *
 * @example
 *   const store = openMemoryStore()
 */
import type { Observation } from '../../core/observation.js'
import { applyPatch, entityFromPatch } from '../apply-patch.js'
import type { PatchResult, Store } from '../store.js'
import { createMemoryContextStore } from './memory-context-store.js'
import { createMemoryDeviceStore } from './memory-devices.js'
import { createMemoryRegistrationStore } from './memory-registration-store.js'
import { createMemoryEntityStore } from './memory-store.js'

export function openMemoryStore(now: () => number = Date.now): Store {
  const entities = createMemoryEntityStore()
  const devices = createMemoryDeviceStore((t) => void entities.tenants.ensure(t))
  /** tenant → entity → observations (unsorted; sorted on read). */
  const history = new Map<string, Map<string, Observation[]>>()
  const seriesOf = (tenant: string, id: string): Observation[] => {
    let byEntity = history.get(tenant)
    if (!byEntity) history.set(tenant, (byEntity = new Map<string, Observation[]>()))
    let list = byEntity.get(id)
    if (!list) byEntity.set(id, (list = []))
    return list
  }

  return {
    entities,
    devices,
    tenants: entities.tenants,
    contexts: createMemoryContextStore(),
    registrations: createMemoryRegistrationStore(),
    temporal: {
      query(tenant, q) {
        const out = new Map<string, Observation[]>()
        const from = q.range.from ?? -Infinity
        const to = q.range.to ?? Infinity
        const all = (history.get(tenant)?.get(q.entityId) ?? [])
          .map((o, i) => ({ o, i }))
          .filter(
            ({ o }) =>
              o.observedAt >= from && o.observedAt < to && (!q.attrs || q.attrs.includes(o.attr)),
          )
          .sort((a, b) => a.o.observedAt - b.o.observedAt || a.i - b.i)
        for (const { o } of all) {
          const list = out.get(o.attr) ?? []
          list.push(structuredClone(o))
          out.set(o.attr, list)
        }
        for (const [attr, list] of out) {
          let start = q.lastN !== undefined ? Math.max(0, list.length - q.lastN) : 0
          let end = list.length
          if (end - start > q.limit) {
            if (q.lastN !== undefined) start = end - q.limit
            else end = start + q.limit
          }
          out.set(attr, list.slice(start, end))
        }
        return Promise.resolve(out)
      },
      deleteEntity(tenant, id) {
        history.get(tenant)?.delete(id)
        return Promise.resolve()
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
        for (const o of b.observations) seriesOf(b.tenant, o.entityId).push(structuredClone(o))
        for (const a of b.activity) await devices.recordActivity(b.tenant, a.deviceId, a)
      }
      return results
    },
    migrate: () => Promise.resolve({ applied: [], current: 0 }),
    close: () => Promise.resolve(),
  }
}
