/**
 * System attributes on writes (§4.8): createdAt / modifiedAt on the entity and on every instance
 * and sub-attribute; an instance's createdAt survives its replacement.
 *
 * @example
 *   const stored = stampInstance(incoming, now, previousInstance)
 */
import { INSTANCE_MEMBERS, type AttributeInstance, type Entity } from '../../core/ngsi.js'
import type { EntityInput } from '../representation/index.js'

export function stampInstance(
  inst: AttributeInstance,
  now: string,
  previous?: AttributeInstance,
): AttributeInstance {
  const out: AttributeInstance = { ...inst, createdAt: previous?.createdAt ?? now, modifiedAt: now }
  for (const [key, value] of Object.entries(out)) {
    if (INSTANCE_MEMBERS.has(key)) continue
    out[key] = stampInstance(
      value as AttributeInstance,
      now,
      previous?.[key] as AttributeInstance | undefined,
    )
  }
  return out
}

export function newEntity(input: EntityInput, now: string): Entity {
  const attrs: Entity['attrs'] = {}
  for (const [iri, instances] of Object.entries(input.attrs))
    attrs[iri] = instances.map((i) => stampInstance(i, now))
  const entity: Entity = {
    id: input.id,
    types: input.types,
    createdAt: now,
    modifiedAt: now,
    attrs,
  }
  if (input.scopes) entity.scopes = input.scopes
  return entity
}

/** The union of two lists, first-seen order. */
export function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])]
}
