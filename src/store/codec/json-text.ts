/**
 * Objects and arrays in history are stored as JSON text. Plain JSON would turn -0 into 0 and
 * NaN/±Infinity into null, so a value holding any of them is written in a tagged form instead:
 * '~' + JSON in which every string is prefixed with "'" and those numbers become "#-0", "#NaN",
 * "#Inf", "#-Inf". Everything else follows JSON semantics (undefined members are dropped, toJSON
 * applies), as it does everywhere else values are persisted.
 *
 * @example
 *   toJsonText({ a: -0 }) // → '~{"a":"#-0"}'
 *   fromJsonText('~{"a":"#-0"}') // → { a: -0 }
 */
import type { ObservedValue } from '../../core/observation.js'
import { isAppError } from '../../core/errors.js'
import { corruptChunk, unsupportedValue } from './codec-error.js'

const TAGGED = '~'
const SPECIALS = new Map<string, number>([
  ['#-0', -0],
  ['#NaN', NaN],
  ['#Inf', Infinity],
  ['#-Inf', -Infinity],
])

function isSpecialNumber(x: unknown): x is number {
  return typeof x === 'number' && (x === 0 ? Object.is(x, -0) : !Number.isFinite(x))
}

function tagSpecial(x: number): string {
  if (Number.isNaN(x)) return '#NaN'
  if (x === Infinity) return '#Inf'
  if (x === -Infinity) return '#-Inf'
  return '#-0'
}

export function toJsonText(value: object): string {
  let special = false
  try {
    const plain = JSON.stringify(value, (_key, x: unknown) => {
      if (isSpecialNumber(x)) special = true
      return x
    })
    if (!special) return plain
    const tagged = JSON.stringify(value, (_key, x: unknown) => {
      if (typeof x === 'string') return `'${x}`
      if (isSpecialNumber(x)) return tagSpecial(x)
      return x
    })
    return TAGGED + tagged
  } catch (err) {
    // BigInt members and cycles: not representable in history.
    throw unsupportedValue(String(err))
  }
}

export function fromJsonText(text: string): ObservedValue {
  try {
    if (!text.startsWith(TAGGED)) return JSON.parse(text) as ObservedValue
    return JSON.parse(text.slice(1), (_key, x: unknown) => {
      if (typeof x !== 'string') return x
      if (x.startsWith("'")) return x.slice(1)
      const n = SPECIALS.get(x)
      if (n === undefined) throw corruptChunk(`unknown tag ${x}`)
      return n
    }) as ObservedValue
  } catch (err) {
    throw isAppError(err) ? err : corruptChunk(`invalid JSON value (${String(err)})`)
  }
}
