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
import type { NotifiedEntity } from './build-notification.js'
import type { CompiledSubscription } from './compile-subscription.js'

export function matchChange(
  c: CompiledSubscription,
  event: EntityChanged,
): NotifiedEntity | undefined {
  const { triggers, watched } = c
  const entity = event.entity
  if (event.kind === 'created' || event.kind === 'deleted') {
    if (!triggers.has(event.kind === 'created' ? 'entityCreated' : 'entityDeleted')) return
    if (watched && !event.attrs.some((a) => watched.has(a))) return
    if (!c.selects(entity) || !c.filters(entity)) return
    return event.kind === 'deleted' ? { entity, deleted: true } : { entity }
  }
  if (!updateIsDue(c, event) || !c.selects(entity) || !c.filters(entity)) return
  const updated: string[] = []
  const removed: string[] = []
  for (const attr of event.attrs) {
    if (watched && !watched.has(attr)) continue
    const after = entity.attrs[attr]
    if (after === undefined || after.length === 0) removed.push(attr)
    else updated.push(attr)
  }
  const item: NotifiedEntity = { entity, updated, removed }
  if (event.previous) item.previous = event.previous
  return item
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
    const created = event.previous !== undefined && (before === undefined || before.length === 0)
    if (triggers.has(created ? 'attributeCreated' : 'attributeUpdated')) return true
  }
  return false
}
