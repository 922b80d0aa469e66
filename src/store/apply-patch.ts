/**
 * How a device measurement patch changes an entity's latest state: shared by every store adapter so
 * they agree exactly. Late data (older observedAt than stored) never overwrites the latest value;
 * it still goes to history. Nothing is mutated: the result shares unchanged parts with the input,
 * so the input can serve as the "previous" entity for notifications at no cost.
 */
import type { AttributeInstance, Entity } from '../core/ngsi.js'
import type { EntityPatch } from './store.js'

export function entityFromPatch(patch: EntityPatch, now: string): Entity {
  const attrs: Entity['attrs'] = {}
  for (const [name, inst] of Object.entries({ ...patch.onCreate, ...patch.attrs })) {
    attrs[name] = [stamped(inst, now, now)]
  }
  return { id: patch.entityId, types: [patch.entityType], createdAt: now, modifiedAt: now, attrs }
}

/** The entity after the patch and the names of attributes that changed (none → same object). */
export function applyPatch(
  entity: Entity,
  patch: EntityPatch,
  now: string,
): { next: Entity; changed: string[] } {
  const changed: string[] = []
  let attrs: Entity['attrs'] | undefined
  for (const name in patch.attrs) {
    const inst = patch.attrs[name] as AttributeInstance
    const instances = entity.attrs[name]
    let i = -1
    if (instances) {
      for (let k = 0; k < instances.length; k++) {
        if ((instances[k] as AttributeInstance).datasetId === undefined) {
          i = k
          break
        }
      }
    }
    const current = i >= 0 ? instances?.[i] : undefined
    if (current && isNewer(current, inst)) continue
    const next = stamped(inst, current?.createdAt ?? now, now)
    attrs ??= { ...entity.attrs }
    if (instances && i >= 0) {
      const copy = instances.slice()
      copy[i] = next
      attrs[name] = copy
    } else {
      attrs[name] = instances ? [...instances, next] : [next]
    }
    changed.push(name)
  }
  if (!attrs) return { next: entity, changed }
  return { next: { ...entity, attrs, modifiedAt: now }, changed }
}

/**
 * A copy of the instance with system times. Written as a loop on purpose: V8 takes a slow path for
 * `{ ...inst, createdAt, modifiedAt }` (measured 40–80 µs against ~1 µs per patch of 10 attributes).
 */
function stamped(
  inst: AttributeInstance,
  createdAt: string,
  modifiedAt: string,
): AttributeInstance {
  const out = {} as AttributeInstance
  for (const k in inst) out[k] = inst[k]
  out.createdAt = createdAt
  out.modifiedAt = modifiedAt
  return out
}

function isNewer(stored: AttributeInstance, incoming: AttributeInstance): boolean {
  // ISO 8601 UTC strings of the same shape compare in time order as strings; parse otherwise.
  const a = stored.observedAt
  const b = incoming.observedAt
  if (a === undefined || b === undefined) return false
  if (a.length === b.length && a.endsWith('Z') && b.endsWith('Z')) return a > b
  return Date.parse(a) > Date.parse(b)
}
