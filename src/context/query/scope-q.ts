/**
 * scopeQ (NGSI-LD §4.19): scope patterns like `/Madrid/+/Parque` and `/Madrid/#`, combined with
 * `;` (AND, binds tighter), `|` or `,` (OR) and parentheses.
 */
import { Cursor, checkQueryText, describeChar } from './query-syntax.js'

/** `segments` may hold `+` (any one level) and, last, `#` (this scope and everything below). */
export type ScopeQNode =
  { kind: 'scope'; segments: string[] } | { kind: 'and' | 'or'; children: ScopeQNode[] }

const SEGMENT = /[\p{L}\p{N}_.~-]+/uy

/**
 * @example
 *   parseScopeQ('(/Madrid/Districts;/CompanyA),/CompanyB')
 *   parseScopeQ('/Madrid/#')
 */
export function parseScopeQ(text: string): ScopeQNode {
  checkQueryText('scopeQ', text)
  const cur = new Cursor('scopeQ', text)
  const node = parseOr(cur, 0)
  if (cur.peek() === ')') cur.fail("')' without matching '('")
  if (!cur.eof) cur.unexpected()
  return node
}

/** True when the entity's scopes satisfy the query; an entity without scopes never does. */
export function evaluateScopeQ(node: ScopeQNode, scopes: readonly string[] | undefined): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluateScopeQ(c, scopes))
    case 'or':
      return node.children.some((c) => evaluateScopeQ(c, scopes))
    case 'scope':
      return (scopes ?? []).some((s) => scopeMatches(node.segments, s))
  }
}

function scopeMatches(pattern: string[], scope: string): boolean {
  if (!scope.startsWith('/')) return false
  const segments = scope.slice(1).split('/')
  const subtree = pattern.at(-1) === '#'
  const fixed = subtree ? pattern.slice(0, -1) : pattern
  if (subtree ? segments.length < fixed.length : segments.length !== fixed.length) return false
  return fixed.every((p, i) => p === '+' || p === segments[i])
}

function parseOr(cur: Cursor, depth: number): ScopeQNode {
  const children = [parseAnd(cur, depth)]
  while (cur.accept('|') || cur.accept(',')) children.push(parseAnd(cur, depth))
  return children.length === 1 ? children[0]! : { kind: 'or', children }
}

function parseAnd(cur: Cursor, depth: number): ScopeQNode {
  const children = [parseFactor(cur, depth)]
  while (cur.accept(';')) children.push(parseFactor(cur, depth))
  return children.length === 1 ? children[0]! : { kind: 'and', children }
}

function parseFactor(cur: Cursor, depth: number): ScopeQNode {
  cur.skipSpaces()
  let node: ScopeQNode
  if (cur.peek() === '(') {
    const open = cur.pos
    cur.checkDepth(depth + 1)
    cur.pos++
    node = parseOr(cur, depth + 1)
    cur.close(')', open)
  } else {
    node = parseScope(cur)
  }
  cur.skipSpaces()
  return node
}

function parseScope(cur: Cursor): ScopeQNode {
  if (cur.peek() !== '/') cur.fail(`expected a scope starting with '/' but found ${here(cur)}`)
  const segments: string[] = []
  while (cur.accept('/')) {
    if (segments.at(-1) === '#') cur.fail("'#' must be the last segment of a scope")
    const segment = cur.accept('#') ? '#' : cur.accept('+') ? '+' : cur.match(SEGMENT)
    if (!segment) cur.fail(`expected a scope segment after '/' but found ${here(cur)}`)
    segments.push(segment)
  }
  // `/Madrid+` or `/Mad#rid`: wildcards must fill a whole segment.
  if (cur.peek() === '#' || cur.peek() === '+') cur.fail(`'${cur.peek()}' must be a whole segment`)
  return { kind: 'scope', segments }
}

function here(cur: Cursor): string {
  return describeChar(cur.text, cur.pos)
}
