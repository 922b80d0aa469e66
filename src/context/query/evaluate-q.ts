/**
 * Evaluates a parsed q (§4.9) against one entity of the internal model. A term matches when any
 * target value of any attribute instance satisfies it; a missing target never matches (and so
 * always satisfies a negated `!path`).
 *
 * Values are compared as written: a VocabProperty holds an expanded IRI, so a short term matches
 * it only once expandValues has expanded the query value (§4.9 EXAMPLE 12), or when the query
 * names the IRI itself.
 */
import type { Entity } from '../../core/ngsi.js'
import type { QComparison, QNode, QPath, QScalar, QTerm, QValue } from './q-ast.js'
import { expandName } from './names.js'
import { resolveTargets, type QTarget } from './q-targets.js'
import { parseInstant, parseTime } from './temporal.js'

type Expand = (term: string) => string

/**
 * expand(term) turns a short attribute name into its expanded IRI (the caller supplies @context handling).
 *
 * @example
 *   evaluateQ(parseQ('speed>50'), entity, (t) => `${DEFAULT_VOCAB}${t}`) // true if speed is 60
 */
export function evaluateQ(
  node: QNode,
  entity: Entity,
  expand: Expand,
  linked?: LinkedResolver,
): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluateQ(c, entity, expand, linked))
    case 'or':
      return node.children.some((c) => evaluateQ(c, entity, expand, linked))
    case 'term': {
      const hit = evaluateTerm(node, entity, expand, linked)
      return node.negated ? !hit : hit
    }
  }
}

/** The entities a Relationship may point to, loaded beforehand (linked-entity terms, §4.9). */
export type LinkedResolver = (id: string) => Entity | undefined

/** The objects of the Relationship (or ListRelationship) attribute a linked path starts from. */
export function linkedObjects(path: QPath, entity: Entity, expand: Expand): string[] {
  const instances = entity.attrs[expandName(path.attr, expand)] ?? []
  return instances.flatMap((i) => {
    if (i.type === 'Relationship')
      return Array.isArray(i.object) ? i.object : i.object === undefined ? [] : [i.object]
    return i.type === 'ListRelationship' ? (i.objectList ?? []) : []
  })
}

/**
 * The expanded attribute IRIs a q mentions at top level (negated terms included): the only
 * attributes its outcome depends on.
 */
export function qAttributes(node: QNode, expand: Expand): string[] {
  const found = new Set<string>()
  const visit = (n: QNode): void => {
    if (n.kind === 'term') found.add(expandName(n.path.attr, expand))
    else n.children.forEach(visit)
  }
  visit(node)
  return [...found]
}

function evaluateTerm(
  term: QTerm,
  entity: Entity,
  expand: Expand,
  linked: LinkedResolver | undefined,
): boolean {
  // Linked-entity paths (`sensor{Device:humidity}`) look into the entities the Relationship
  // points to (of the hinted types, if any); without a resolver they never match.
  const link = term.path.linked
  if (link) {
    if (!linked) return false
    const types = link.entityTypes.map((t) => expandName(t, expand))
    return linkedObjects(term.path, entity, expand).some((id) => {
      const target = linked(id)
      if (!target || (types.length > 0 && !types.some((t) => target.types.includes(t))))
        return false
      return evaluateTerm({ ...term, path: link.path }, target, expand, linked)
    })
  }
  const targets = resolveTargets(term.path, entity, expand)
  const comparison = term.comparison
  if (!comparison) return targets.length > 0
  // `lang[*]!=v`: no value in any language equals v (§4.9 Unequal on a languageMap).
  if (comparison.op === '!=' && term.path.members?.length === 1 && term.path.members[0] === '*')
    return targets.length > 0 && !targets.some((t) => equals(t, comparison.value))
  return targets.some((t) => compare(t, comparison))
}

function compare(t: QTarget, c: QComparison): boolean {
  switch (c.op) {
    case '==':
      return equals(t, c.value)
    // Negation of ==, so a type mismatch matches and an array matches when it lacks the value.
    case '!=':
      return !equals(t, c.value)
    case '~=':
    case '!~=': {
      if (t.kind === 'object') return false
      const strings = elements(t.value).filter((v): v is string => typeof v === 'string')
      const hit = strings.some((s) => c.pattern.test(s))
      return c.op === '~=' ? hit : strings.length > 0 && !hit
    }
    case '>':
    case '>=':
    case '<':
    case '<=': {
      if (t.kind === 'object') return false
      const op = c.op
      return elements(t.value).some((v) => {
        const d = order(v, c.value)
        if (d === undefined) return false
        return op === '>' ? d > 0 : op === '>=' ? d >= 0 : op === '<' ? d < 0 : d <= 0
      })
    }
  }
}

function equals(t: QTarget, q: QValue): boolean {
  const values = elements(t.value)
  if (q.kind === 'list') {
    return q.items.some((item) => values.some((v) => same(v, item)))
  }
  if (q.kind === 'range') {
    return values.some((v) => {
      const low = order(v, q.from)
      const high = order(v, q.to)
      return low !== undefined && high !== undefined && low >= 0 && high <= 0
    })
  }
  return values.some((v) => same(v, q))
}

function same(v: unknown, q: QScalar): boolean {
  switch (q.kind) {
    case 'string':
    case 'uri':
      return typeof v === 'string' && v === q.value
    case 'number':
    case 'boolean':
      return v === q.value
    case 'dateTime':
    case 'date':
    case 'time':
      return order(v, q) === 0
  }
}

/** Sign of (stored - literal), or undefined when the two cannot be ordered. */
function order(v: unknown, q: QScalar): number | undefined {
  switch (q.kind) {
    case 'number':
      return typeof v === 'number' ? Math.sign(v - q.value) : undefined
    case 'string':
      if (typeof v !== 'string') return undefined
      return v < q.value ? -1 : v > q.value ? 1 : 0
    case 'dateTime':
    case 'date': {
      const epoch = typeof v === 'string' ? parseInstant(v) : undefined
      return epoch === undefined ? undefined : Math.sign(epoch - q.epoch)
    }
    case 'time': {
      const seconds = typeof v === 'string' ? parseTime(v) : undefined
      return seconds === undefined ? undefined : Math.sign(seconds - q.seconds)
    }
    case 'boolean':
    case 'uri':
      return undefined
  }
}

/** An array target matches if any element does; JSON-LD typed literals compare by @value. */
function elements(v: unknown): unknown[] {
  return (Array.isArray(v) ? (v as unknown[]) : [v]).map(unwrap)
}

function unwrap(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && '@value' in v) return v['@value']
  return v
}
