/**
 * Append Entity Attributes (§5.6.3): absent attributes and instances are added; present ones are
 * replaced (createdAt kept) unless `noOverwrite`, in which case they are reported as not updated.
 *
 * @example
 *   const { entity, updated, notUpdated } = appendAttributes(current, fragment, { noOverwrite: true, now })
 */
import type { Entity } from '../../core/ngsi.js'
import type { EntityFragment } from '../representation/index.js'
import { stampInstance, union } from './stamp.js'

export interface NotUpdated {
  /** Expanded attribute name (207 bodies are never compacted). */
  attributeName: string
  reason: string
}

export interface AppendResult {
  entity: Entity
  /** Expanded names of attributes added or replaced. */
  updated: string[]
  notUpdated: NotUpdated[]
  /** Whether anything at all changed (attributes, types or scopes). */
  changed: boolean
}

export function appendAttributes(
  current: Entity,
  fragment: EntityFragment,
  opts: { noOverwrite: boolean; now: string },
): AppendResult {
  const attrs = { ...current.attrs }
  const updated: string[] = []
  const notUpdated: NotUpdated[] = []
  for (const [iri, incoming] of Object.entries(fragment.attrs)) {
    const instances = [...(attrs[iri] ?? [])]
    let replacedOrAdded = false
    let kept = false
    for (const inst of incoming) {
      const i = instances.findIndex((x) => x.datasetId === inst.datasetId)
      if (i >= 0 && opts.noOverwrite) {
        kept = true
      } else {
        if (i >= 0) instances[i] = stampInstance(inst, opts.now, instances[i])
        else instances.push(stampInstance(inst, opts.now))
        replacedOrAdded = true
      }
    }
    attrs[iri] = instances
    if (replacedOrAdded) updated.push(iri)
    if (kept)
      notUpdated.push({
        attributeName: iri,
        reason: 'the attribute already exists and options=noOverwrite was given',
      })
  }
  const types = fragment.types ? union(current.types, fragment.types) : current.types
  let scopes = current.scopes
  if (fragment.scopes)
    scopes = opts.noOverwrite ? union(current.scopes ?? [], fragment.scopes) : fragment.scopes
  const changed =
    updated.length > 0 || types.length !== current.types.length || scopes !== current.scopes
  const entity: Entity = {
    ...current,
    types,
    attrs,
    modifiedAt: changed ? opts.now : current.modifiedAt,
  }
  if (scopes && scopes.length > 0) entity.scopes = scopes
  return { entity, updated, notUpdated, changed }
}
