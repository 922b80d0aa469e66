/**
 * Resolves a q path against an entity to the values a comparison looks at ("target values" in
 * §4.9): every instance of a multi-attribute contributes, and each attribute kind offers its own
 * value member (object for Relationships, languageMap entries, vocab, json, valueList, objectList).
 */
import type { AttributeInstance, Entity } from '../../core/ngsi.js'
import { Q_INSTANCE_MEMBERS, type QPath } from './q-ast.js'
import { expandName } from './names.js'

/** `object` targets (Relationship objects) only support == and !=; `vocab` ones hold expanded IRIs. */
export interface QTarget {
  value: unknown
  kind: 'value' | 'object' | 'vocab'
}

type Expand = (term: string) => string

export function resolveTargets(path: QPath, entity: Entity, expand: Expand): QTarget[] {
  let instances: AttributeInstance[] = entity.attrs[expandName(path.attr, expand)] ?? []
  for (const name of path.sub) {
    if (Q_INSTANCE_MEMBERS.has(name)) {
      // The parser guarantees a member is the last step.
      return instances.flatMap((i) => (i[name] === undefined ? [] : [value(i[name])]))
    }
    const key = expandName(name, expand)
    instances = instances.flatMap((i) => asInstances(i[key]))
  }
  const members = path.members
  if (members === undefined) return instances.flatMap(instanceTargets)
  return instances.flatMap((i) =>
    // A JsonProperty's value is plain JSON (@json): its keys never were JSON-LD terms.
    memberTargets(i, members, path.jsonKeys || i.type === 'JsonProperty' ? verbatim : expand),
  )
}

/** jsonKeys (§4.9): a member is looked up only under the key as written. */
const verbatim: Expand = (term) => term

function value(v: unknown): QTarget {
  return { value: v, kind: 'value' }
}

/** A sub-attribute holds one instance; tolerate an array of them too. */
function asInstances(v: unknown): AttributeInstance[] {
  const list = Array.isArray(v) ? (v as unknown[]) : [v]
  return list.filter(isInstance)
}

function isInstance(v: unknown): v is AttributeInstance {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'
}

function instanceTargets(i: AttributeInstance): QTarget[] {
  switch (i.type) {
    case 'Relationship':
      return i.object === undefined ? [] : [{ value: i.object, kind: 'object' }]
    case 'ListRelationship':
      return i.objectList === undefined ? [] : [{ value: i.objectList, kind: 'object' }]
    case 'LanguageProperty':
      return Object.values(i.languageMap ?? {}).map(value)
    case 'VocabProperty':
      return i.vocab === undefined ? [] : [{ value: i.vocab, kind: 'vocab' }]
    case 'JsonProperty':
      return i.json === undefined ? [] : [value(i.json)]
    case 'ListProperty':
      return i.valueList === undefined ? [] : [value(i.valueList)]
    case 'Property':
    case 'GeoProperty':
      return i.value === undefined ? [] : [value(i.value)]
  }
}

/** `[a.b]` walks keys of a compound value; on a LanguageProperty `[fr]` / `[*]` picks languages. */
function memberTargets(i: AttributeInstance, members: string[], expand: Expand): QTarget[] {
  if (i.type === 'LanguageProperty' && members.length === 1) {
    const map = i.languageMap ?? {}
    const lang = members[0] ?? ''
    if (lang === '*') return Object.values(map).map(value)
    return map[lang] === undefined ? [] : [value(map[lang])]
  }
  let current = instanceTargets(i).map((t) => t.value)
  for (const member of members) current = current.flatMap((v) => step(v, member, expand))
  return current.map(value)
}

function step(v: unknown, member: string, expand: Expand): unknown[] {
  if (Array.isArray(v)) return v.flatMap((e) => step(e, member, expand))
  if (typeof v !== 'object' || v === null) return []
  const record = v as Record<string, unknown>
  if (member === '*') return Object.values(record)
  // Compound values may be stored with their keys as written or expanded by JSON-LD.
  const found = member in record ? record[member] : record[expandName(member, expand)]
  return found === undefined ? [] : [found]
}
