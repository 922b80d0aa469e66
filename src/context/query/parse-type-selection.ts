/**
 * Entity type selection (NGSI-LD §4.17): `A,B` and `A|B` mean either type, `A;B` both, with
 * parentheses. The result is in disjunctive normal form, the shape EntityQuery.types expects.
 */
import { expandName, isValidName } from './names.js'
import { Cursor, badRequest, checkQueryText, describeChar } from './query-syntax.js'

type Expand = (term: string) => string
type Dnf = string[][]

/** Distributing AND over OR can blow up (`(a|b);(c|d);…`); beyond this it is not a sane query. */
export const MAX_TYPE_CLAUSES = 256

const TYPE_NAME = /[^\s,|;()]+/y

/**
 * @example
 *   parseTypeSelection('(Building;Shop),Park', expand) // [[Building, Shop], [Park]] expanded
 */
export function parseTypeSelection(text: string, expand: Expand): string[][] {
  checkQueryText('type', text)
  const cur = new Cursor('type', text)
  const dnf = parseOr(cur, 0, expand)
  if (cur.peek() === ')') cur.fail("')' without matching '('")
  if (!cur.eof) cur.unexpected()
  return dnf
}

function parseOr(cur: Cursor, depth: number, expand: Expand): Dnf {
  const clauses = [...parseAnd(cur, depth, expand)]
  while (cur.accept(',') || cur.accept('|')) clauses.push(...parseAnd(cur, depth, expand))
  return simplify(clauses)
}

function parseAnd(cur: Cursor, depth: number, expand: Expand): Dnf {
  let clauses = parseFactor(cur, depth, expand)
  while (cur.accept(';')) {
    const right = parseFactor(cur, depth, expand)
    // Checked before distributing, so the work stays bounded whatever the input.
    checkSize(clauses.length * right.length)
    clauses = simplify(clauses.flatMap((l) => right.map((r) => [...new Set([...l, ...r])])))
  }
  return clauses
}

function checkSize(count: number): void {
  if (count > MAX_TYPE_CLAUSES) {
    throw badRequest('type', `selection expands to more than ${MAX_TYPE_CLAUSES} alternatives`)
  }
}

function parseFactor(cur: Cursor, depth: number, expand: Expand): Dnf {
  cur.skipSpaces()
  let clauses: Dnf
  if (cur.peek() === '(') {
    const open = cur.pos
    cur.checkDepth(depth + 1)
    cur.pos++
    clauses = parseOr(cur, depth + 1, expand)
    cur.close(')', open)
  } else {
    const start = cur.pos
    const name = cur.match(TYPE_NAME)
    if (!name) cur.fail(`expected a type name but found ${describeChar(cur.text, cur.pos)}`)
    if (!isValidName(name)) cur.fail(`invalid type name '${name}'`, start)
    clauses = [[expandName(name, expand)]]
  }
  cur.skipSpaces()
  return clauses
}

/**
 * Drops repeated clauses and, by absorption (A or (A and B) = A), clauses that contain another
 * one, so the store gets the smallest equivalent selection.
 */
function simplify(clauses: Dnf): Dnf {
  const seen = new Set<string>()
  const unique = clauses.filter((c) => {
    const key = JSON.stringify([...c].sort())
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  checkSize(unique.length)
  return unique.filter(
    (c) => !unique.some((o) => o.length < c.length && o.every((t) => c.includes(t))),
  )
}
