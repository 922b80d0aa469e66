/**
 * The two query options that change how a q is read (§4.9), shared by GET and POST entity
 * queries and by subscriptions: `expandValues` lists attributes whose compared values are
 * expanded as IRIs with the @context (EXAMPLE 12; an unquoted term is then a value too), and
 * `jsonKeys` lists attributes whose trailing path (`attr[key.sub]`) names plain JSON keys, looked
 * up as written instead of being expanded as JSON-LD terms (also for orderBy paths, §4.23).
 *
 * @example
 *   const options = { expandValues: qNameList('category', 'expandValues') }
 *   const q = parseQWithOptions('category==commercial', options, ctx.expandTerm)
 */
import type { QNode, QPath, QScalar, QValue } from './q-ast.js'
import { parseQ } from './parse-q.js'
import { parseAttrsList } from './parse-projection.js'
import { expandName } from './names.js'
import { badRequest } from './query-syntax.js'

type Expand = (term: string) => string

export interface QOptions {
  /** Attribute names as written. */
  expandValues?: readonly string[] | undefined
  jsonKeys?: readonly string[] | undefined
}

/**
 * A list of attribute names: the comma-separated text of a URL parameter, or (in a Query or
 * Subscription body) that text or an array of names. undefined when absent.
 */
export function qNameList(raw: unknown, param: string): string[] | undefined {
  if (raw === undefined) return undefined
  if (typeof raw === 'string') return parseAttrsList(raw, param)
  if (Array.isArray(raw) && raw.length > 0 && raw.every((n) => typeof n === 'string'))
    return parseAttrsList(raw.join(','), param)
  throw badRequest(param, 'must be a comma-separated list or an array of attribute names')
}

/** parseQ, with values and trailing paths read as the options ask. */
export function parseQWithOptions(text: string, options: QOptions, expand: Expand): QNode {
  const expanding = listedAttribute(options.expandValues ?? [], expand)
  const jsonKeys = listedAttribute(options.jsonKeys ?? [], expand)
  // An unquoted term is a value only where expandValues turns it into an IRI (EXAMPLE 12).
  const node = parseQ(text, { bareTerms: expanding })
  if (!options.expandValues?.length && !options.jsonKeys?.length) return node
  const visit = (n: QNode): QNode => {
    if (n.kind !== 'term') return { ...n, children: n.children.map(visit) }
    const path = withJsonKeys(n.path, jsonKeys)
    const c = n.comparison
    if (!c || !('value' in c) || !expanding(n.path.attr)) return { ...n, path }
    if (c.op !== '==' && c.op !== '!=') return { ...n, path }
    return { ...n, path, comparison: { op: c.op, value: expandValue(c.value, expand) } }
  }
  return visit(node)
}

/** The path, its trailing members marked as JSON keys where jsonKeys lists the attribute. */
export function withJsonKeys(path: QPath, jsonKeys: (attr: string) => boolean): QPath {
  const linked = path.linked && { ...path.linked, path: withJsonKeys(path.linked.path, jsonKeys) }
  const marked = path.members !== undefined && jsonKeys(path.attr)
  if (!marked && !linked) return path
  return { ...path, ...(marked && { jsonKeys: true as const }), ...(linked && { linked }) }
}

/** Whether an attribute name (as written) is one of the listed ones, compared as expanded IRIs. */
export function listedAttribute(
  names: readonly string[],
  expand: Expand,
): (attr: string) => boolean {
  const listed = new Set(names.map((n) => expandName(n, expand)))
  return (attr) => listed.has(expandName(attr, expand))
}

function expandValue(v: QValue, expand: Expand): QValue {
  const scalar = (s: QScalar): QScalar =>
    s.kind === 'string' || s.kind === 'uri' ? { kind: 'uri', value: expand(s.value) } : s
  if (v.kind === 'list') return { kind: 'list', items: v.items.map(scalar) }
  // A range orders its bounds: IRIs have no order, so its values stay as written.
  return v.kind === 'range' ? v : scalar(v)
}
