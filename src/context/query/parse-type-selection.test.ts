import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import { parseTypeSelection } from './parse-type-selection.js'

const V = 'https://ex.org/'
const expand = (t: string): string => (t.includes(':') ? t : `${V}${t}`)
const e = (...names: string[]): string[] => names.map(expand)

describe('parseTypeSelection', () => {
  const cases: [string, string[][]][] = [
    ['Building', [e('Building')]],
    ['A,B', [e('A'), e('B')]],
    ['A|B', [e('A'), e('B')]],
    ['A;B', [e('A', 'B')]],
    ['(A;B)', [e('A', 'B')]],
    ['(A;B),C', [e('A', 'B'), e('C')]],
    ['A;B,C', [e('A', 'B'), e('C')]],
    ['A,B;C', [e('A'), e('B', 'C')]],
    ['(A,B);C', [e('A', 'C'), e('B', 'C')]],
    ['(A|B);(C|D)', [e('A', 'C'), e('A', 'D'), e('B', 'C'), e('B', 'D')]],
    ['A,A', [e('A')]],
    ['A;A', [e('A')]],
    ['(A;B),(B;A)', [e('A', 'B')]],
    ['A,A;B', [e('A')]],
    ['A;B,A', [e('A')]],
    ['(A|B);(A|B)', [e('A'), e('B')]],
    ['https://schema.org/Place', [['https://schema.org/Place']]],
    ['ex:Shop;Building', [['ex:Shop', `${V}Building`]]],
    [' A , ( B ; C ) ', [e('A'), e('B', 'C')]],
  ]
  it.each(cases)('%s', (text, expected) => {
    expect(parseTypeSelection(text, expand)).toEqual(expected)
  })

  const errors: [string, string, number | undefined][] = [
    ['', 'type: must not be empty', undefined],
    ['A,', 'type: expected a type name but found end of input', 2],
    [',A', "type: expected a type name but found ','", 0],
    ['A;;B', "type: expected a type name but found ';'", 2],
    ['(A', "type: expected ')' for the '(' at 0 but found end of input", 2],
    ['A)', "type: ')' without matching '('", 1],
    ['A B', "type: unexpected 'B'", 2],
    ['*', "type: invalid type name '*'", 0],
    ['1A', "type: invalid type name '1A'", 0],
    ['A"', `type: invalid type name 'A"'`, 0],
    [`${'('.repeat(33)}A${')'.repeat(33)}`, 'type: nesting deeper than 32 levels', 32],
    [
      Array.from({ length: 9 }, (_, i) => `(a${i}|b${i})`).join(';'),
      'type: selection expands to more than 256 alternatives',
      undefined,
    ],
  ]
  it.each(errors)('rejects %s', (text, message, position) => {
    const error = catchError(() => parseTypeSelection(text, expand))
    expect(error).toBeInstanceOf(AppError)
    expect(error.kind).toBe('BadRequestData')
    expect(error.message).toContain(message)
    expect(error.detail?.['position']).toBe(position)
  })

  it('caps a plain list of types too', () => {
    const many = Array.from({ length: 257 }, (_, i) => `T${i}`).join(',')
    expect(() => parseTypeSelection(many, expand)).toThrow('more than 256 alternatives')
    expect(parseTypeSelection(many.replace(/,T256$/, ''), expand)).toHaveLength(256)
  })

  it('accepts the largest DNF under the cap (8 binary choices = 256 clauses)', () => {
    expect(parseTypeSelection(Array(12).fill('(a|b)').join(';'), expand)).toEqual([e('a'), e('b')])
    const distinct = Array.from({ length: 8 }, (_, i) => `(a${i}|b${i})`).join(';')
    expect(parseTypeSelection(distinct, expand)).toHaveLength(256)
  })

  it('throws nothing but BadRequestData on arbitrary input', () => {
    const unit = fc.constantFrom(...'AB,;|() :'.split(''))
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit, maxLength: 20 })), (text) => {
        try {
          parseTypeSelection(text, expand)
        } catch (err) {
          if (!(err instanceof AppError) || err.kind !== 'BadRequestData') throw err
        }
      }),
      { numRuns: 1000 },
    )
  })
})

function catchError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    return err as AppError
  }
  throw new Error('expected an error')
}
