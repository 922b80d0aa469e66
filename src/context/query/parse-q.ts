/**
 * Parser for the NGSI-LD query language q (GS CIM 009 §4.9): terms joined by `;` (AND, binds
 * tighter) and `|` (OR), parentheses, attribute paths with sub-attributes, compound members,
 * languages and linked entities. Recursive descent with bounded depth and length.
 *
 * Two forms go beyond the V1.9.1 ABNF, each with a narrow reading:
 * - `!attr` asks that the attribute does not exist (negated existence, as Orion-LD reads it);
 *   `!` only ever stands before an attribute path without an operator.
 * - An unquoted term as the value of `==` / `!=` (`category==commercial`) is accepted only for
 *   the attributes `bareTerms` allows — those listed in expandValues, as in §4.9 EXAMPLE 12,
 *   where the term is then expanded to an IRI against the @context. Anywhere else the ABNF
 *   holds: a string must be in double quotes (BadRequestData).
 */
import {
  Q_INSTANCE_MEMBERS,
  type QComparison,
  type QNode,
  type QPath,
  type QTerm,
} from './q-ast.js'
import { isValidName } from './names.js'
import { parseComparison } from './parse-q-value.js'
import { Cursor, checkQueryText, describeChar } from './query-syntax.js'

const IDENT = /[A-Za-z][A-Za-z0-9_]*/y
/** What may follow `scheme:` in an attribute IRI (stops at any q punctuation). */
const IRI_REST = /:[^\s"<>{}|\\^`;()[\]=!~,]*/y
/** A key inside `[...]`: a JSON member name, a language tag (fr-CH, @none) or `*`. */
const MEMBER = /\*|[A-Za-z0-9_@-]+/y
/** Longest first, so `!~=` is not read as `!` and `>=` not as `>`. */
const OPERATORS = ['!~=', '==', '!=', '>=', '<=', '~=', '>', '<'] as const

export interface QParseOptions {
  /** Whether an unquoted term may be the value compared with this attribute (as written). */
  bareTerms?: (attr: string) => boolean
}

/** The cursor of one q, carrying the parse options down to the values. */
class QCursor extends Cursor {
  constructor(
    param: string,
    text: string,
    readonly options: QParseOptions,
  ) {
    super(param, text)
  }
}

/**
 * @example
 *   parseQ('speed>50;brandName!="Mercedes"') // { kind: 'and', children: [term, term] }
 *   parseQ('temperature') // a bare path: the attribute must exist
 *   parseQ('!heading') // negated: the attribute must not exist
 */
export function parseQ(text: string, options: QParseOptions = {}): QNode {
  checkQueryText('q', text)
  const cur = new QCursor('q', text, options)
  const node = parseOr(cur, 0)
  cur.skipSpaces()
  if (cur.peek() === ')') cur.fail("')' without matching '('")
  if (!cur.eof) cur.unexpected()
  return node
}

function parseOr(cur: QCursor, depth: number): QNode {
  const children = [parseAnd(cur, depth)]
  while (cur.accept('|')) children.push(parseAnd(cur, depth))
  return children.length === 1 ? children[0]! : { kind: 'or', children }
}

function parseAnd(cur: QCursor, depth: number): QNode {
  const children = [parseFactor(cur, depth)]
  while (cur.accept(';')) children.push(parseFactor(cur, depth))
  cur.skipSpaces()
  return children.length === 1 ? children[0]! : { kind: 'and', children }
}

function parseFactor(cur: QCursor, depth: number): QNode {
  cur.skipSpaces()
  if (cur.peek() !== '(') return parseTerm(cur, depth)
  const open = cur.pos
  cur.checkDepth(depth + 1)
  cur.pos++
  const inner = parseOr(cur, depth + 1)
  cur.skipSpaces()
  cur.close(')', open)
  cur.skipSpaces()
  return inner
}

function parseTerm(cur: QCursor, depth: number): QTerm {
  const position = cur.pos
  const negated = cur.accept('!')
  if (negated) cur.skipSpaces()
  const path = parsePath(cur, depth)
  cur.skipSpaces()
  const opPos = cur.pos
  const op = OPERATORS.find((o) => cur.startsWith(o))
  if (op === undefined) {
    if (cur.peek() === '=') cur.fail("unknown operator '=' (did you mean '==')")
    if (cur.peek() === '!') cur.fail("unknown operator '!'")
    return negated ? { kind: 'term', path, negated, position } : { kind: 'term', path, position }
  }
  if (negated) cur.fail(`'!' only negates the existence of an attribute, it takes no operator`)
  cur.pos += op.length
  const bare = (op === '==' || op === '!=') && (cur.options.bareTerms?.(path.attr) ?? false)
  const comparison: QComparison = parseComparison(cur, op, opPos, bare)
  cur.skipSpaces()
  return { kind: 'term', path, comparison, position }
}

function parsePath(cur: Cursor, depth: number): QPath {
  const attr = parseAttributeName(cur)
  if (cur.peek() === '{') return { attr, sub: [], linked: parseLinked(cur, depth) }
  const sub: string[] = []
  while (cur.peek() === '.') {
    const last = sub.at(-1)
    if (last !== undefined && Q_INSTANCE_MEMBERS.has(last)) {
      cur.fail(`'${last}' is an attribute member and has no sub-attributes`)
    }
    cur.pos++
    const name = cur.match(IDENT)
    if (!name) cur.fail(`expected a sub-attribute name after '.' but found ${here(cur)}`)
    sub.push(name)
  }
  if (cur.peek() !== '[') return { attr, sub }
  const last = sub.at(-1)
  if (last !== undefined && Q_INSTANCE_MEMBERS.has(last)) {
    cur.fail(`'${last}' is an attribute member and has no value members`)
  }
  return { attr, sub, members: parseMembers(cur) }
}

/**
 * A short name, or an IRI. An IRI's path may itself contain dots, so the name ends at the first
 * '.' after its last '/', '#' or ':'; the rest are sub-attributes (`https://ex.org/temp.observedAt`).
 */
function parseAttributeName(cur: Cursor): string {
  const start = cur.pos
  const ident = cur.match(IDENT)
  if (!ident) cur.fail(`expected an attribute name but found ${here(cur)}`)
  if (cur.peek() !== ':') return ident
  const iri = ident + cur.match(IRI_REST)
  const tail = Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#'), iri.lastIndexOf(':'))
  const dot = iri.indexOf('.', tail)
  const name = dot < 0 ? iri : iri.slice(0, dot)
  cur.pos = start + name.length
  if (!isValidName(name)) cur.fail(`invalid attribute name '${name}'`, start)
  return name
}

/** `rel{Type1,Type2:path}` or `rel{path}`; the types are short names (a ':' then separates them). */
function parseLinked(cur: Cursor, depth: number): { entityTypes: string[]; path: QPath } {
  const open = cur.pos
  cur.checkDepth(depth + 1)
  cur.pos++
  const entityTypes = readEntityTypes(cur)
  const path = parsePath(cur, depth + 1)
  cur.close('}', open)
  return { entityTypes, path }
}

function readEntityTypes(cur: Cursor): string[] {
  const start = cur.pos
  const types: string[] = []
  for (let name = cur.match(IDENT); name; name = cur.match(IDENT)) {
    types.push(name)
    // `urn:x` or `https://…` inside braces is an attribute IRI, not a type list.
    if (cur.peek() === ':' && cur.peek(1) !== '/') {
      cur.pos++
      return types
    }
    if (!cur.accept(',')) break
  }
  cur.pos = start
  return []
}

function parseMembers(cur: Cursor): string[] {
  const open = cur.pos
  cur.pos++
  const members: string[] = []
  do {
    const name = cur.match(MEMBER)
    if (!name) cur.fail(`expected a member name inside '[...]' but found ${here(cur)}`)
    members.push(name)
  } while (cur.accept('.'))
  cur.close(']', open)
  return members
}

function here(cur: Cursor): string {
  return describeChar(cur.text, cur.pos)
}
