/**
 * Merge Entity (§5.6.17, merge-patch behaviour §5.5.12): like JSON Merge Patch (RFC 7396) but
 * aware of attributes. Absent attributes and instances are added; present ones are merged member
 * by member (a JSON object `value` key by key, sub-attributes recursively, others replaced);
 * NGSI-LD Null deletes an instance, a sub-attribute or (inside an object value) a key.
 *
 * @example
 *   const { entity, changed } = mergeEntity(current, fragment, { now, observedAt: '2026-05-01T10:00:00Z' })
 */
import {
  INSTANCE_MEMBERS,
  NGSI_LD_NULL,
  type AttributeInstance,
  type Entity,
} from '../../core/ngsi.js'
import { isJsonObject } from '../jsonld/core-context.js'
import { isNullInstance, type EntityFragment } from '../representation/index.js'
import { stampInstance, union } from './stamp.js'
import { withoutNullSubAttributes, type UpdateResult } from './update-attributes.js'

export interface MergeOptions {
  now: string
  /** `observedAt=` URL parameter: stamped on every merged instance that does not carry its own. */
  observedAt?: string | undefined
  /** `lang=` URL parameter: a string merged into a LanguageProperty sets this language's entry. */
  lang?: string | undefined
}

export function mergeEntity(
  current: Entity,
  fragment: EntityFragment,
  opts: MergeOptions,
): UpdateResult {
  const attrs = { ...current.attrs }
  const changed: string[] = []
  for (const [iri, incoming] of Object.entries(fragment.attrs)) {
    const instances = [...(attrs[iri] ?? [])]
    let touched = false
    for (const inst of incoming) {
      const i = instances.findIndex((x) => x.datasetId === inst.datasetId)
      const old = instances[i]
      if (isNullInstance(inst)) {
        if (old) {
          instances.splice(i, 1)
          touched = true
        }
        continue
      }
      const given = withObservedAt(inst, opts.observedAt)
      if (old) instances[i] = stampInstance(mergeInstance(old, given, opts.lang), opts.now, old)
      else instances.push(stampInstance(withoutNullSubAttributes(given), opts.now))
      touched = true
    }
    if (instances.length > 0) attrs[iri] = instances
    else delete attrs[iri]
    if (touched) changed.push(iri)
  }
  const types = fragment.types ? union(current.types, fragment.types) : current.types
  // RFC 7396: a given member replaces the old one whole (arrays are not merged), null removes it.
  let scopes = current.scopes
  if (fragment.scopes === null) scopes = undefined
  else if (fragment.scopes) scopes = fragment.scopes
  const modified =
    changed.length > 0 ||
    types.length !== current.types.length ||
    JSON.stringify(scopes ?? []) !== JSON.stringify(current.scopes ?? [])
  const { scopes: _old, ...rest } = current
  const entity: Entity = {
    ...rest,
    types,
    attrs,
    modifiedAt: modified ? opts.now : current.modifiedAt,
  }
  if (scopes && scopes.length > 0) entity.scopes = scopes
  return { entity, changed, modified }
}

function withObservedAt(
  inst: AttributeInstance,
  observedAt: string | undefined,
): AttributeInstance {
  return observedAt === undefined || inst.observedAt !== undefined ? inst : { ...inst, observedAt }
}

/**
 * One stored instance merged with an incoming one of the same datasetId. A different kind cannot
 * be merged member by member, so it replaces the instance (a LanguageProperty receiving a string
 * under `lang=` is the exception: that language's entry is set).
 */
function mergeInstance(
  old: AttributeInstance,
  inst: AttributeInstance,
  lang: string | undefined,
): AttributeInstance {
  if (
    old.type === 'LanguageProperty' &&
    inst.type === 'Property' &&
    lang !== undefined &&
    typeof inst.value === 'string'
  ) {
    const { value, type: _type, ...meta } = inst
    return mergeInstance(
      old,
      { ...meta, type: 'LanguageProperty', languageMap: { [lang]: value } },
      undefined,
    )
  }
  if (inst.type !== old.type) return withoutNullSubAttributes(inst)
  const out: AttributeInstance = { ...old }
  for (const [key, value] of Object.entries(inst)) {
    if (key === 'type') continue
    if (!INSTANCE_MEMBERS.has(key)) {
      const sub = value as AttributeInstance
      const before = old[key] as AttributeInstance | undefined
      if (isNullInstance(sub)) delete out[key]
      else out[key] = before ? mergeInstance(before, sub, lang) : withoutNullSubAttributes(sub)
      continue
    }
    if ((key === 'value' && old.type === 'Property') || key === 'languageMap') {
      ;(out as Record<string, unknown>)[key] = mergeJson(old[key], value)
      continue
    }
    out[key] = value
  }
  return out
}

/** RFC 7396 on JSON objects, with NGSI-LD Null (not JSON null, which JSON-LD drops) deleting keys. */
function mergeJson(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch) || !isJsonObject(target)) return stripNullKeys(patch)
  const out: Record<string, unknown> = { ...target }
  for (const [key, value] of Object.entries(patch)) {
    if (value === NGSI_LD_NULL) delete out[key]
    else out[key] = mergeJson(out[key], value)
  }
  return out
}

function stripNullKeys(value: unknown): unknown {
  if (!isJsonObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) if (v !== NGSI_LD_NULL) out[key] = stripNullKeys(v)
  return out
}
