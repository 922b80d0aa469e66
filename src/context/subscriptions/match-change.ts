/**
 * Whether one entity change concerns one subscription (§5.8.6) and what the notification must
 * report: the trigger (entityCreated, entityUpdated = attributeCreated + attributeUpdated +
 * attributeDeleted, entityDeleted, or the attribute-level ones), watchedAttributes, then the
 * selectors and q / scopeQ / geoQ on the entity. Cheap checks run first.
 *
 * @example
 *   const item = matchChange(compiled, event) // undefined when no notification is due
 */
import type { EntityChanged } from '../../bus/bus.js'
import type { AttributeInstance } from '../../core/ngsi.js'
import type { NotifiedEntity } from './build-notification.js'
import type { CompiledSubscription } from './compile-subscription.js'

export function matchChange(
  c: CompiledSubscription,
  event: EntityChanged,
): NotifiedEntity | undefined {
  const { triggers, watched } = c
  const entity = event.entity
  if (event.kind === 'deleted' && !triggers.has('entityDeleted')) {
    // An entity's deletion deletes its attributes too: attributeDeleted reports the watched ones.
    if (!triggers.has('attributeDeleted')) return
    const removed = Object.keys(entity.attrs).filter((a) => !watched || watched.has(a))
    if (removed.length === 0 || !c.selects(entity) || !c.filters(entity)) return
    return { entity, deleted: true, removed }
  }
  if (event.kind === 'created' || event.kind === 'deleted') {
    if (!triggers.has(event.kind === 'created' ? 'entityCreated' : 'entityDeleted')) return
    if (watched && !event.attrs.some((a) => watched.has(a))) return
    if (!c.selects(entity) || !c.filters(entity)) return
    return event.kind === 'deleted' ? { entity, deleted: true } : { entity }
  }
  if (!updateIsDue(c, event) || !c.selects(entity) || !c.filters(entity)) return
  const updated: string[] = []
  const removed: string[] = []
  const removedInstances: Record<string, AttributeInstance[]> = {}
  for (const attr of event.attrs) {
    if (watched && !watched.has(attr)) continue
    const after = entity.attrs[attr]
    if (after === undefined || after.length === 0) removed.push(attr)
    else {
      updated.push(attr)
      const dropped = droppedInstances(event.previous?.attrs[attr], after)
      if (dropped.length > 0) removedInstances[attr] = dropped
    }
  }
  const item: NotifiedEntity = { entity, updated, removed }
  if (Object.keys(removedInstances).length > 0) item.removedInstances = removedInstances
  if (event.previous) item.previous = event.previous
  return item
}

/** The instances (by datasetId) an attribute had before a change and no longer has. */
function droppedInstances(
  before: readonly AttributeInstance[] | undefined,
  after: readonly AttributeInstance[],
): AttributeInstance[] {
  if (!before) return []
  const kept = new Set(after.map((i) => i.datasetId))
  return before.filter((i) => !kept.has(i.datasetId))
}

/** Whether some reported attribute (watched, if any are) changed in a way the triggers name. */
function updateIsDue(c: CompiledSubscription, event: EntityChanged): boolean {
  const { triggers, watched } = c
  if (triggers.has('entityUpdated')) {
    return !watched || event.attrs.some((a) => watched.has(a))
  }
  for (const attr of event.attrs) {
    if (watched && !watched.has(attr)) continue
    const after = event.entity.attrs[attr]
    if (after === undefined || after.length === 0) {
      if (triggers.has('attributeDeleted')) return true
      continue
    }
    // Without the previous entity (never from the stores here) a change counts as an update.
    const before = event.previous?.attrs[attr]
    if (triggers.has('attributeDeleted') && droppedInstances(before, after).length > 0) return true
    const created = event.previous !== undefined && (before === undefined || before.length === 0)
    if (triggers.has(created ? 'attributeCreated' : 'attributeUpdated')) return true
  }
  return false
}
