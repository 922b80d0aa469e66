/**
 * Necessary conditions for the store, taken from a q: the top-level AND terms that compare a plain
 * attribute's value with one number or plain string. A database can test these without building
 * entities; the exact q still runs on what passes. Anything subtler (sub-attributes, members,
 * lists, ranges, dates, regexes, `!=`, OR) is left to the exact evaluation.
 *
 * @example
 *   valuePrefilter(parseQ('status=="free";occupancy>0.5'), expand)
 *   // [{ attr: '…/status', op: '==', value: 'free' }, { attr: '…/occupancy', op: '>', value: 0.5 }]
 */
import type { ValuePredicate } from '../../store/store.js'
import type { QNode, QTerm } from './q-ast.js'

export function valuePrefilter(node: QNode, expand: (term: string) => string): ValuePredicate[] {
  const terms = node.kind === 'and' ? node.children : [node]
  const out: ValuePredicate[] = []
  for (const t of terms) {
    if (t.kind !== 'term') continue
    const p = fromTerm(t, expand)
    if (p) out.push(p)
  }
  return out
}

/**
 * Whether q says no more than its prefilter: every top-level AND term became a predicate. For an
 * entity whose attributes in it have one plain instance each, q then holds exactly when the
 * predicates do (see EntityQuery.prefilterCovers).
 */
export function prefilterCoversQ(node: QNode, expand: (term: string) => string): boolean {
  const terms = node.kind === 'and' ? node.children : [node]
  return terms.every((t) => {
    if (t.kind !== 'term') return false
    const p = fromTerm(t, expand)
    // A Relationship's object passes a string ordering in the store, never in q (§4.9).
    return p !== undefined && (p.op === '==' || typeof p.value === 'number')
  })
}

// A string that reads like a date or time is compared temporally by q, not as text.
const TEMPORAL = /^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/

function fromTerm(t: QTerm, expand: (term: string) => string): ValuePredicate | undefined {
  const c = t.comparison
  if (!c || 'pattern' in c || c.op === '!=') return undefined
  if (t.path.sub.length > 0 || t.path.members || t.path.linked) return undefined
  // The store puts the name into a JSON path; names that would need escaping are left out.
  if (/["\\]/.test(expand(t.path.attr))) return undefined
  const v = c.value
  if (v.kind === 'number') return { attr: expand(t.path.attr), op: c.op, value: v.value }
  if (v.kind === 'string' && !TEMPORAL.test(v.value)) {
    return { attr: expand(t.path.attr), op: c.op, value: v.value }
  }
  return undefined
}
