import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import { parseAttrsList, parseProjection, type ProjectionNode } from './parse-projection.js'

describe('parseProjection (pick / omit)', () => {
  const cases: [string, ProjectionNode[]][] = [
    ['id', [{ name: 'id' }]],
    ['id,type,scope,name', [{ name: 'id' }, { name: 'type' }, { name: 'scope' }, { name: 'name' }]],
    ['id|name', [{ name: 'id' }, { name: 'name' }]],
    ['a,b|c', [{ name: 'a' }, { name: 'b' }, { name: 'c' }]],
    ['https://ex.org/speed', [{ name: 'https://ex.org/speed' }]],
    ['a{b|c}', [{ name: 'a', children: [{ name: 'b' }, { name: 'c' }] }]],
    [
      'id,locatedAt{id,name,isInCountry{id,description}}',
      [
        { name: 'id' },
        {
          name: 'locatedAt',
          children: [
            { name: 'id' },
            { name: 'name' },
            { name: 'isInCountry', children: [{ name: 'id' }, { name: 'description' }] },
          ],
        },
      ],
    ],
    [' a { b } , c ', [{ name: 'a', children: [{ name: 'b' }] }, { name: 'c' }]],
  ]
  it.each(cases)('%s', (text, expected) => {
    expect(parseProjection(text)).toEqual(expected)
  })

  const errors: [string, string, number | undefined][] = [
    ['', 'pick/omit: must not be empty', undefined],
    ['a,,b', "pick/omit: expected a member name but found ','", 2],
    [',a', "pick/omit: expected a member name but found ','", 0],
    ['a,', 'pick/omit: expected a member name but found end of input', 2],
    ['a{}', "pick/omit: empty '{}' after 'a'", 2],
    ['a{b', "pick/omit: expected '}' for the '{' at 1 but found end of input", 3],
    ['a{b{c}', "pick/omit: expected '}' for the '{' at 1", 6],
    ['a}', "pick/omit: '}' without matching '{'", 1],
    ['a;b', "pick/omit: ';' is not a separator here (use ',' or '|')", 1],
    [';a', "pick/omit: ';' is not a separator here", 0],
    ['{a}', "pick/omit: expected a member name but found '{'", 0],
    ['1a', "pick/omit: invalid member name '1a'", 0],
    ['a{b}{c}', "pick/omit: unexpected '{'", 4],
    [`${'a{'.repeat(33)}b${'}'.repeat(33)}`, 'pick/omit: nesting deeper than 32 levels', 65],
  ]
  it.each(errors)('rejects %s', (text, message, position) => {
    const error = catchError(() => parseProjection(text))
    expect(error).toBeInstanceOf(AppError)
    expect(error.kind).toBe('BadRequestData')
    expect(error.message).toContain(message)
    expect(error.detail?.['position']).toBe(position)
  })

  it('throws nothing but BadRequestData on arbitrary input', () => {
    const unit = fc.constantFrom(...'ab,|{};: '.split(''))
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit, maxLength: 20 })), (text) => {
        try {
          parseProjection(text)
        } catch (err) {
          if (!(err instanceof AppError) || err.kind !== 'BadRequestData') throw err
        }
      }),
      { numRuns: 1000 },
    )
  })
})

describe('parseAttrsList', () => {
  const cases: [string, string[]][] = [
    ['temperature', ['temperature']],
    ['temperature,humidity', ['temperature', 'humidity']],
    ['a, b ,c', ['a', 'b', 'c']],
    ['a,b,a', ['a', 'b']],
    ['https://ex.org/speed,ex:x', ['https://ex.org/speed', 'ex:x']],
    ['scope', ['scope']],
  ]
  it.each(cases)('%s', (text, expected) => {
    expect(parseAttrsList(text)).toEqual(expected)
  })

  const errors: [string, string][] = [
    ['', 'attrs: must not be empty'],
    ['a,,b', 'attrs: empty name in position 2 of the list'],
    ['a,', 'attrs: empty name in position 2 of the list'],
    ['id', "attrs: 'id' is not an attribute name"],
    ['a,type', "attrs: 'type' is not an attribute name"],
    ['a b', "attrs: invalid attribute name 'a b'"],
    ['@id', "attrs: invalid attribute name '@id'"],
    ['a|b', "attrs: invalid attribute name 'a|b'"],
  ]
  it.each(errors)('rejects %s', (text, message) => {
    const error = catchError(() => parseAttrsList(text))
    expect(error).toBeInstanceOf(AppError)
    expect(error.kind).toBe('BadRequestData')
    expect(error.message).toBe(message)
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
