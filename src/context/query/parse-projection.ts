/**
 * Projection parameters: pick / omit (NGSI-LD §4.21), whose members may nest braces to project
 * linked entities, and the older comma-separated `attrs` list.
 */
import { isValidName } from './names.js'
import { Cursor, badRequest, checkQueryText, describeChar } from './query-syntax.js'

export interface ProjectionNode {
  name: string
  children?: ProjectionNode[]
}

const MEMBER_NAME = /[^\s,|{};]+/y

/**
 * @example
 *   parseProjection('id,locatedAt{id,name}')
 *   // [{ name: 'id' }, { name: 'locatedAt', children: [{ name: 'id' }, { name: 'name' }] }]
 */
export function parseProjection(text: string): ProjectionNode[] {
  checkQueryText('pick/omit', text)
  const cur = new Cursor('pick/omit', text)
  const nodes = parseList(cur, 0)
  if (cur.peek() === '}') cur.fail("'}' without matching '{'")
  if (!cur.eof) cur.unexpected()
  return nodes
}

/**
 * Attribute names separated by commas; `id` and `type` are entity members, not attributes.
 * `param` names the parameter in messages (attrs, expandValues, jsonKeys).
 *
 * @example
 *   parseAttrsList('temperature,humidity') // ['temperature', 'humidity']
 */
export function parseAttrsList(text: string, param = 'attrs'): string[] {
  checkQueryText(param, text)
  const names = text.split(',').map((n) => n.trim())
  names.forEach((name, i) => {
    if (name === '') throw badRequest(param, `empty name in position ${i + 1} of the list`)
    if (name === 'id' || name === 'type') {
      throw badRequest(param, `'${name}' is not an attribute name`)
    }
    if (!isValidName(name)) throw badRequest(param, `invalid attribute name '${name}'`)
  })
  return [...new Set(names)]
}

function parseList(cur: Cursor, depth: number): ProjectionNode[] {
  const nodes = [parseMember(cur, depth)]
  while (cur.accept(',') || cur.accept('|')) nodes.push(parseMember(cur, depth))
  return nodes
}

function parseMember(cur: Cursor, depth: number): ProjectionNode {
  cur.skipSpaces()
  const start = cur.pos
  const name = cur.match(MEMBER_NAME)
  if (!name) {
    if (cur.peek() === ';') cur.fail("';' is not a separator here (use ',' or '|')")
    cur.fail(`expected a member name but found ${describeChar(cur.text, cur.pos)}`)
  }
  if (!isValidName(name)) cur.fail(`invalid member name '${name}'`, start)
  cur.skipSpaces()
  if (cur.peek() === ';') cur.fail("';' is not a separator here (use ',' or '|')")
  if (cur.peek() !== '{') return { name }
  const open = cur.pos
  cur.checkDepth(depth + 1)
  cur.pos++
  cur.skipSpaces()
  if (cur.peek() === '}') cur.fail(`empty '{}' after '${name}'`)
  const children = parseList(cur, depth + 1)
  cur.close('}', open)
  cur.skipSpaces()
  return { name, children }
}
