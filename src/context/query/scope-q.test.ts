import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import { evaluateScopeQ, parseScopeQ, type ScopeQNode } from './scope-q.js'

const s = (...segments: string[]): ScopeQNode => ({ kind: 'scope', segments })

describe('parseScopeQ', () => {
  const cases: [string, ScopeQNode][] = [
    ['/Madrid', s('Madrid')],
    ['/Madrid/Gardens/ParqueNorte', s('Madrid', 'Gardens', 'ParqueNorte')],
    ['/Madrid/#', s('Madrid', '#')],
    ['/Madrid/+/Parque', s('Madrid', '+', 'Parque')],
    ['/#', s('#')],
    ['/+', s('+')],
    ['/Zone_1-a.b~c', s('Zone_1-a.b~c')],
    ['/Málaga', s('Málaga')],
    ['/A;/B', { kind: 'and', children: [s('A'), s('B')] }],
    ['/A|/B', { kind: 'or', children: [s('A'), s('B')] }],
    ['/A,/B', { kind: 'or', children: [s('A'), s('B')] }],
    ['/A;/B|/C', { kind: 'or', children: [{ kind: 'and', children: [s('A'), s('B')] }, s('C')] }],
    ['/A,/B;/C', { kind: 'or', children: [s('A'), { kind: 'and', children: [s('B'), s('C')] }] }],
    [
      '(/Madrid/Districts;/CompanyA),/CompanyB',
      {
        kind: 'or',
        children: [
          { kind: 'and', children: [s('Madrid', 'Districts'), s('CompanyA')] },
          s('CompanyB'),
        ],
      },
    ],
    [
      ' ( /A | /B ) ; /C ',
      { kind: 'and', children: [{ kind: 'or', children: [s('A'), s('B')] }, s('C')] },
    ],
  ]
  it.each(cases)('%s', (text, expected) => {
    expect(parseScopeQ(text)).toEqual(expected)
  })

  const errors: [string, string, number | undefined][] = [
    ['', 'scopeQ: must not be empty', undefined],
    [`/${'a'.repeat(8192)}`, 'scopeQ: is longer than 8192 characters', undefined],
    [`${'('.repeat(33)}/a${')'.repeat(33)}`, 'scopeQ: nesting deeper than 32 levels', 32],
    ['Madrid', "scopeQ: expected a scope starting with '/' but found 'M'", 0],
    ['/', "scopeQ: expected a scope segment after '/' but found end of input", 1],
    ['/A//B', "scopeQ: expected a scope segment after '/' but found '/'", 3],
    ['/A/', 'scopeQ: expected a scope segment', 3],
    ['/#/A', "scopeQ: '#' must be the last segment of a scope", 3],
    ['/Mad#rid', "scopeQ: '#' must be a whole segment", 4],
    ['/A+', "scopeQ: '+' must be a whole segment", 2],
    ['(/A', "scopeQ: expected ')' for the '(' at 0 but found end of input", 3],
    ['/A)', "scopeQ: ')' without matching '('", 2],
    ['/A;', "scopeQ: expected a scope starting with '/' but found end of input", 3],
    ['/A|', "scopeQ: expected a scope starting with '/'", 3],
    ['/A /B', "scopeQ: unexpected '/'", 3],
    ['/A?', "scopeQ: unexpected '?'", 2],
  ]
  it.each(errors)('rejects %s', (text, message, position) => {
    const error = catchError(() => parseScopeQ(text))
    expect(error).toBeInstanceOf(AppError)
    expect(error.kind).toBe('BadRequestData')
    expect(error.message).toContain(message)
    expect(error.detail?.['position']).toBe(position)
  })

  it('throws nothing but BadRequestData on arbitrary input', () => {
    const unit = fc.constantFrom(...'/A#+;|,() x'.split(''))
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit, maxLength: 20 })), (text) => {
        try {
          parseScopeQ(text)
        } catch (err) {
          if (!(err instanceof AppError) || err.kind !== 'BadRequestData') throw err
        }
      }),
      { numRuns: 1000 },
    )
  })
})

describe('evaluateScopeQ', () => {
  const cases: [string, string[] | undefined, boolean][] = [
    ['/Madrid', ['/Madrid'], true],
    ['/Madrid', ['/Madrid/Centro'], false],
    ['/Madrid', ['/Barcelona', '/Madrid'], true],
    ['/Madrid/#', ['/Madrid'], true],
    ['/Madrid/#', ['/Madrid/Centro/Sol'], true],
    ['/Madrid/#', ['/Madridx'], false],
    ['/Madrid/#', ['/Barcelona'], false],
    ['/Madrid/+/Parque', ['/Madrid/Centro/Parque'], true],
    ['/Madrid/+/Parque', ['/Madrid/Parque'], false],
    ['/Madrid/+/Parque', ['/Madrid/A/B/Parque'], false],
    ['/Madrid/+', ['/Madrid'], false],
    ['/+/#', ['/x/y/z'], true],
    ['/+', ['/x'], true],
    ['/+', ['/x/y'], false],
    ['/#', ['/anything'], true],
    ['/#', [], false],
    ['/#', undefined, false],
    ['/Madrid', ['Madrid'], false],
    ['/A;/B', ['/A', '/B'], true],
    ['/A;/B', ['/A'], false],
    ['/A|/B', ['/B'], true],
    ['/A,/B', ['/C'], false],
    ['(/Madrid/Districts;/CompanyA),/CompanyB', ['/Madrid/Districts', '/CompanyA'], true],
    ['(/Madrid/Districts;/CompanyA),/CompanyB', ['/Madrid/Districts'], false],
    ['(/Madrid/Districts;/CompanyA),/CompanyB', ['/CompanyB'], true],
  ]
  it.each(cases)('%s on %j → %s', (q, scopes, expected) => {
    expect(evaluateScopeQ(parseScopeQ(q), scopes)).toBe(expected)
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
