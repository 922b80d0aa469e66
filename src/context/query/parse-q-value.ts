/**
 * The right-hand side of a q term (NGSI-LD §4.9): literals, lists, ranges and regex patterns,
 * checked against what each operator allows.
 */
import type { QComparison, QScalar, QValue } from './q-ast.js'
import { parseDate, parseDateTime, parseTime } from './temporal.js'
import type { Cursor } from './query-syntax.js'

const DATE_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/y
const DATE = /\d{4}-\d{2}-\d{2}/y
const TIME = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?/y
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const KEYWORD = /(?:true|false)(?![A-Za-z0-9_:])/y
/** Unquoted URIs end where q syntax resumes: `;` `|` `)` `,` or whitespace. */
const URI = /[A-Za-z][A-Za-z0-9+.-]*:[^\s;|(),]+/y
/** An unquoted term (a JSON-LD term like an AttrName of §4.9), for expandValues attributes only. */
const BARE_TERM = /\p{L}[\p{L}\p{N}_]*/uy
const VALUE_END = /[\s;|),]/

const ORDERABLE = new Set(['number', 'string', 'dateTime', 'date', 'time'])

/**
 * `bare`: an unquoted term is taken as a string (the caller expands it as an IRI, §4.9
 * EXAMPLE 12); otherwise it is a syntax error, as the ABNF has it.
 */
export function parseComparison(
  cur: Cursor,
  op: QComparison['op'],
  opPos: number,
  bare = false,
): QComparison {
  cur.skipSpaces()
  if (op === '~=' || op === '!~=') return { op, pattern: parsePattern(cur) }
  const start = cur.pos
  const first = parseScalar(cur, bare)
  let value: QValue = first
  if (cur.startsWith('..')) {
    // A term names an IRI, which has no order: no ranges of unquoted terms.
    if (first.kind === 'string' && cur.text[start] !== '"')
      cur.fail('invalid value: range bounds must not be unquoted terms', start)
    cur.pos += 2
    value = { kind: 'range', from: first, to: parseScalar(cur, false) }
    checkRange(cur, value.from, value.to, start)
  } else if (cur.peek() === ',') {
    const items = [first]
    while (cur.accept(',')) items.push(parseScalar(cur, bare))
    value = { kind: 'list', items }
  }
  if (op === '==' || op === '!=') return { op, value }
  if (value.kind === 'list' || value.kind === 'range') {
    cur.fail(`a ${value.kind} value is only allowed with == and !=, not ${op}`, opPos)
  }
  if (value.kind === 'uri') cur.fail(`a URI value is only allowed with == and !=, not ${op}`, start)
  return { op, value }
}

function parseScalar(cur: Cursor, bare: boolean): QScalar {
  const start = cur.pos
  const scalar = readScalar(cur, start, bare)
  // Whatever follows a literal must be q syntax; this catches `12abc` or `"a"b`.
  if (!cur.eof && !VALUE_END.test(cur.peek()) && !cur.startsWith('..')) {
    cur.fail(`unexpected '${cur.peek()}' after value`)
  }
  return scalar
}

function readScalar(cur: Cursor, start: number, bare: boolean): QScalar {
  if (cur.peek() === '"') return { kind: 'string', value: readString(cur) }
  let text = cur.match(DATE_TIME)
  if (text) {
    const epoch = parseDateTime(text)
    if (epoch === undefined) cur.fail(`invalid dateTime '${text}'`, start)
    return { kind: 'dateTime', value: text, epoch }
  }
  if ((text = cur.match(DATE))) {
    const epoch = parseDate(text)
    if (epoch === undefined) cur.fail(`invalid date '${text}'`, start)
    return { kind: 'date', value: text, epoch }
  }
  if ((text = cur.match(TIME))) {
    const seconds = parseTime(text)
    if (seconds === undefined) cur.fail(`invalid time '${text}'`, start)
    return { kind: 'time', value: text, seconds }
  }
  if ((text = cur.match(NUMBER))) return { kind: 'number', value: Number(text) }
  if ((text = cur.match(KEYWORD))) return { kind: 'boolean', value: text === 'true' }
  if ((text = cur.match(URI))) return { kind: 'uri', value: text }
  if (bare && (text = cur.match(BARE_TERM))) return { kind: 'string', value: text }
  if (cur.eof || VALUE_END.test(cur.peek())) cur.fail('missing value')
  cur.fail(
    'invalid value: strings must be in double quotes (an unquoted term is only taken for an attribute listed in expandValues)',
  )
}

/** A double-quoted string; backslash escapes the next character (`\"`, `\\`). */
function readString(cur: Cursor): string {
  const start = cur.pos
  cur.pos++
  let out = ''
  for (;;) {
    const ch = cur.peek()
    if (ch === '') cur.fail('unterminated string', start)
    cur.pos++
    if (ch === '"') return out
    if (ch === '\\') {
      const next = cur.peek()
      if (next === '') cur.fail('unterminated string', start)
      out += next
      cur.pos++
    } else {
      out += ch
    }
  }
}

function checkRange(cur: Cursor, from: QScalar, to: QScalar, start: number): void {
  const temporal = (k: string): boolean => k === 'dateTime' || k === 'date'
  const sameLine = from.kind === to.kind || (temporal(from.kind) && temporal(to.kind))
  if (!ORDERABLE.has(from.kind) || !sameLine) {
    cur.fail(`range bounds must be two numbers, strings, dates or times`, start)
  }
}

/**
 * A regex is compiled once here so evaluation never meets an invalid pattern. `(?i)` at the start
 * asks for case-insensitive matching (a common POSIX/PCRE habit JavaScript lacks).
 */
function parsePattern(cur: Cursor): RegExp {
  const start = cur.pos
  if (cur.peek() !== '"') cur.fail('a regular expression must be a double-quoted string')
  const source = readString(cur)
  if (!cur.eof && !VALUE_END.test(cur.peek())) cur.fail(`unexpected '${cur.peek()}' after pattern`)
  const insensitive = source.startsWith('(?i)')
  try {
    return new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'i' : '')
  } catch (err) {
    const reason = (err as Error).message.replace(
      /^Invalid regular expression: \/.*\/[a-z]*: /s,
      '',
    )
    return cur.fail(`invalid regular expression "${source}": ${reason}`, start)
  }
}
