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
  const whole = triggers.has('entityUpdated')
  const updated: string[] = []
  const removed: string[] = []
  let due = false
  for (const attr of event.attrs) {
    if (watched && !watched.has(attr)) continue
    const before = event.previous?.attrs[attr]
    const after = entity.attrs[attr]
    if (after === undefined || after.length === 0) {
      removed.push(attr)
      due ||= whole || triggers.has('attributeDeleted')
    } else {
      updated.push(attr)
      // Without the previous entity (never from the stores here) a change counts as an update.
      const created = event.previous !== undefined && (before === undefined || before.length === 0)
      due ||= whole || triggers.has(created ? 'attributeCreated' : 'attributeUpdated')
    }
  }
  if (!due || !c.selects(entity) || !c.filters(entity)) return
  const item: NotifiedEntity = { entity, updated, removed }
  if (event.previous) item.previous = event.previous
  return item
}
