/**
 * How a device measurement patch changes an entity's latest state: shared by every store adapter so
 * they agree exactly. Late data (older observedAt than stored) never overwrites the latest value;
 * it still goes to history.
 */
import type { AttributeInstance, Entity } from '../core/ngsi.js'
import type { EntityPatch } from './store.js'

export function entityFromPatch(patch: EntityPatch, now: string): Entity {
  const attrs: Entity['attrs'] = {}
  for (const [name, inst] of Object.entries({ ...patch.onCreate, ...patch.attrs })) {
    attrs[name] = [{ ...inst, createdAt: now, modifiedAt: now }]
  }
  return { id: patch.entityId, types: [patch.entityType], createdAt: now, modifiedAt: now, attrs }
}

/** Applies the patch in place; returns the names of attributes that changed. */
export function applyPatch(entity: Entity, patch: EntityPatch, now: string): string[] {
  const changed: string[] = []
  for (const [name, inst] of Object.entries(patch.attrs)) {
    const instances = entity.attrs[name] ?? []
    const i = instances.findIndex((x) => x.datasetId === undefined)
    const current = i >= 0 ? instances[i] : undefined
    if (current && isNewer(current, inst)) continue
    const next: AttributeInstance = { ...inst, createdAt: current?.createdAt ?? now, modifiedAt: now }
    if (i >= 0) instances[i] = next
    else instances.push(next)
    entity.attrs[name] = instances
    changed.push(name)
  }
  if (changed.length > 0) entity.modifiedAt = now
  return changed
}

function isNewer(stored: AttributeInstance, incoming: AttributeInstance): boolean {
  return (
    stored.observedAt !== undefined &&
    incoming.observedAt !== undefined &&
    Date.parse(stored.observedAt) > Date.parse(incoming.observedAt)
  )
}
