/**
 * Shared plumbing for the hand-written query-language parsers: input limits, a character cursor
 * and the one way they report a syntax error (BadRequestData naming the parameter and position).
 */
import { AppError } from '../../core/errors.js'

/** Longest query text accepted; real queries are far shorter, so longer input is abuse or a bug. */
export const MAX_QUERY_LENGTH = 8192
/** Deepest nesting of parentheses / braces; keeps recursion bounded whatever the input. */
export const MAX_NESTING = 32

export function badRequest(param: string, message: string, position?: number): AppError {
  const where = position === undefined ? '' : ` at position ${position}`
  const detail = position === undefined ? { parameter: param } : { parameter: param, position }
  return new AppError('BadRequestData', `${param}: ${message}${where}`, detail)
}

/** Rejects empty and oversized input before any parsing work is done. */
export function checkQueryText(param: string, text: string): void {
  if (typeof text !== 'string' || text.trim() === '') throw badRequest(param, 'must not be empty')
  if (text.length > MAX_QUERY_LENGTH) {
    throw badRequest(param, `is longer than ${MAX_QUERY_LENGTH} characters`)
  }
}

/** Describes the character at a position for error messages ("end of input" past the end). */
export function describeChar(text: string, pos: number): string {
  const ch = text[pos]
  return ch === undefined ? 'end of input' : `'${ch}'`
}

/** A read position over query text; every parse error goes through fail() so it carries a position. */
export class Cursor {
  pos = 0

  constructor(
    readonly param: string,
    readonly text: string,
  ) {}

  get eof(): boolean {
    return this.pos >= this.text.length
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? ''
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos)
  }

  /** Consumes `s` if it comes next. */
  accept(s: string): boolean {
    if (!this.startsWith(s)) return false
    this.pos += s.length
    return true
  }

  expect(s: string, what: string): void {
    if (!this.accept(s))
      this.fail(`expected ${what} but found ${describeChar(this.text, this.pos)}`)
  }

  /** Whitespace is not part of any grammar here, but decoded URLs and POST bodies often contain it. */
  skipSpaces(): void {
    while (/\s/.test(this.peek())) this.pos++
  }

  /** Consumes what the sticky (`y`) regex `re` matches at the cursor; '' when nothing does. */
  match(re: RegExp): string {
    re.lastIndex = this.pos
    const m = re.exec(this.text)
    if (!m) return ''
    this.pos += m[0].length
    return m[0]
  }

  /** Consumes the closing bracket `ch` of the one opened at `open`. */
  close(ch: string, open: number): void {
    if (this.accept(ch)) return
    const opener = this.text[open] ?? ''
    this.fail(
      `expected '${ch}' for the '${opener}' at ${open} but found ${describeChar(this.text, this.pos)}`,
    )
  }

  fail(message: string, position = this.pos): never {
    throw badRequest(this.param, message, position)
  }

  unexpected(): never {
    this.fail(`unexpected ${describeChar(this.text, this.pos)}`)
  }

  checkDepth(depth: number): void {
    if (depth > MAX_NESTING) this.fail(`nesting deeper than ${MAX_NESTING} levels`)
  }
}
