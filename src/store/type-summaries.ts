/**
 * Type summaries computed from entities in memory: the reference the memory adapter uses and the
 * contract suite checks the SQLite aggregate against.
 *
 * @example
 *   summarizeTypes(entities, ['https://uri.etsi.org/ngsi-ld/default-context/Building'])
 */
import type { AttributeType, Entity } from '../core/ngsi.js'
import type { AttributeSummary, TypeSummary } from './store.js'

export function summarizeTypes(
  entities: Iterable<Entity>,
  only?: readonly string[],
): TypeSummary[] {
  const wanted = only ? new Set(only) : undefined
  const byType = new Map<
    string,
    { entities: number; attrs: Map<string, { n: number; kinds: Set<AttributeType> }> }
  >()
  for (const e of entities) {
    for (const type of e.types) {
      if (wanted && !wanted.has(type)) continue
      let t = byType.get(type)
      if (!t) byType.set(type, (t = { entities: 0, attrs: new Map() }))
      t.entities++
      for (const [attr, instances] of Object.entries(e.attrs)) {
        let a = t.attrs.get(attr)
        if (!a) t.attrs.set(attr, (a = { n: 0, kinds: new Set() }))
        a.n += instances.length
        for (const inst of instances) a.kinds.add(inst.type)
      }
    }
  }
  return [...byType.keys()].sort(byCodeUnits).map((type) => {
    const t = byType.get(type)!
    return {
      type,
      entities: t.entities,
      attrs: [...t.attrs.keys()].sort(byCodeUnits).map((attr) => {
        const a = t.attrs.get(attr)!
        return { attr, instances: a.n, kinds: [...a.kinds].sort(byCodeUnits) }
      }),
    }
  })
}

export function summarizeAttributes(entities: Iterable<Entity>): AttributeSummary[] {
  const byAttr = new Map<string, { n: number; kinds: Set<AttributeType> }>()
  for (const e of entities) {
    for (const [attr, instances] of Object.entries(e.attrs)) {
      let a = byAttr.get(attr)
      if (!a) byAttr.set(attr, (a = { n: 0, kinds: new Set() }))
      a.n += instances.length
      for (const inst of instances) a.kinds.add(inst.type)
    }
  }
  return [...byAttr.keys()].sort(byCodeUnits).map((attr) => {
    const a = byAttr.get(attr)!
    return { attr, instances: a.n, kinds: [...a.kinds].sort(byCodeUnits) }
  })
}

/** Binary (code unit) order, the order SQLite's default collation gives. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
