import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import type { QComparison, QNode, QPath, QScalar } from './q-ast.js'
import { parseQ } from './parse-q.js'

const num = (value: number): QScalar => ({ kind: 'number', value })
const str = (value: string): QScalar => ({ kind: 'string', value })
const path = (attr: string, sub: string[] = [], members?: string[]): QPath =>
  members ? { attr, sub, members } : { attr, sub }
const term = (p: QPath | string, comparison?: QComparison, position = 0): QNode =>
  comparison
    ? { kind: 'term', path: typeof p === 'string' ? path(p) : p, comparison, position }
    : { kind: 'term', path: typeof p === 'string' ? path(p) : p, position }

describe('parseQ: grammar productions', () => {
  const cases: [string, QNode][] = [
    ['temperature', term('temperature')],
    ['speed>50', term('speed', { op: '>', value: num(50) })],
    ['speed>=50', term('speed', { op: '>=', value: num(50) })],
    ['speed<50', term('speed', { op: '<', value: num(50) })],
    ['speed<=-2.5e3', term('speed', { op: '<=', value: num(-2500) })],
    ['speed==1.25', term('speed', { op: '==', value: num(1.25) })],
    ['name!="Pisa Tower"', term('name', { op: '!=', value: str('Pisa Tower') })],
    ['name=="say \\"hi\\" \\\\ bye"', term('name', { op: '==', value: str('say "hi" \\ bye') })],
    ['name==""', term('name', { op: '==', value: str('') })],
    [
      'almostFull==false',
      term('almostFull', { op: '==', value: { kind: 'boolean', value: false } }),
    ],
    ['ok==true', term('ok', { op: '==', value: { kind: 'boolean', value: true } })],
    [
      'locatedIn==urn:ngsi-ld:City:Pisa',
      term('locatedIn', { op: '==', value: { kind: 'uri', value: 'urn:ngsi-ld:City:Pisa' } }),
    ],
    [
      'temperature==10..20',
      term('temperature', { op: '==', value: { kind: 'range', from: num(10), to: num(20) } }),
    ],
    [
      'temperature!=1.5..2',
      term('temperature', { op: '!=', value: { kind: 'range', from: num(1.5), to: num(2) } }),
    ],
    [
      'color=="black","red"',
      term('color', { op: '==', value: { kind: 'list', items: [str('black'), str('red')] } }),
    ],
    ['n!=1,2,3', term('n', { op: '!=', value: { kind: 'list', items: [num(1), num(2), num(3)] } })],
    [
      'rel==urn:a:1,urn:a:2',
      term('rel', {
        op: '==',
        value: {
          kind: 'list',
          items: [
            { kind: 'uri', value: 'urn:a:1' },
            { kind: 'uri', value: 'urn:a:2' },
          ],
        },
      }),
    ],
    // '..' is legal inside a URI, so an unquoted URI never starts a range.
    ['a==urn:a..b', term('a', { op: '==', value: { kind: 'uri', value: 'urn:a..b' } })],
    ['brandName~="Merc.*"', term('brandName', { op: '~=', pattern: /Merc.*/ })],
    ['brandName!~="^B"', term('brandName', { op: '!~=', pattern: /^B/ })],
    ['brandName~="(?i)merc"', term('brandName', { op: '~=', pattern: /merc/i })],
    [
      'temperature.observedAt>=2017-12-24T12:00:00Z',
      term(path('temperature', ['observedAt']), {
        op: '>=',
        value: {
          kind: 'dateTime',
          value: '2017-12-24T12:00:00Z',
          epoch: Date.UTC(2017, 11, 24, 12),
        },
      }),
    ],
    [
      'd<2017-12-24T13:30:00.5+01:00',
      term('d', {
        op: '<',
        value: {
          kind: 'dateTime',
          value: '2017-12-24T13:30:00.5+01:00',
          epoch: Date.UTC(2017, 11, 24, 12, 30, 0, 500),
        },
      }),
    ],
    [
      'd==2017-12-24',
      term('d', {
        op: '==',
        value: { kind: 'date', value: '2017-12-24', epoch: Date.UTC(2017, 11, 24) },
      }),
    ],
    [
      'd==2017-01-01..2017-12-31T23:59:59Z',
      term('d', {
        op: '==',
        value: {
          kind: 'range',
          from: { kind: 'date', value: '2017-01-01', epoch: Date.UTC(2017, 0, 1) },
          to: {
            kind: 'dateTime',
            value: '2017-12-31T23:59:59Z',
            epoch: Date.UTC(2017, 11, 31, 23, 59, 59),
          },
        },
      }),
    ],
    ['t>08:30', term('t', { op: '>', value: { kind: 'time', value: '08:30', seconds: 30600 } })],
    [
      't<=12:00:01.5Z',
      term('t', { op: '<=', value: { kind: 'time', value: '12:00:01.5Z', seconds: 43201.5 } }),
    ],
    ['speed.accuracy', term(path('speed', ['accuracy']))],
    ['a.b.c==1', term(path('a', ['b', 'c']), { op: '==', value: num(1) })],
    ['speed.unitCode=="KMH"', term(path('speed', ['unitCode']), { op: '==', value: str('KMH') })],
    [
      'address[city]=="Berlin"',
      term(path('address', [], ['city']), { op: '==', value: str('Berlin') }),
    ],
    ['address[street.number]', term(path('address', [], ['street', 'number']))],
    ['a.b[c]', term(path('a', ['b'], ['c']))],
    [
      'street[fr]=="Grand Place"',
      term(path('street', [], ['fr']), { op: '==', value: str('Grand Place') }),
    ],
    ['street[*]', term(path('street', [], ['*']))],
    ['street[fr-CH]', term(path('street', [], ['fr-CH']))],
    ['street[@none]', term(path('street', [], ['@none']))],
    ['https://ex.org/temp', term('https://ex.org/temp')],
    ['https://ex.org/temp.observedAt', term(path('https://ex.org/temp', ['observedAt']))],
    ['https://ex.org/v1.2/temp>1', term('https://ex.org/v1.2/temp', { op: '>', value: num(1) })],
    ['urn:x:temp.accuracy', term(path('urn:x:temp', ['accuracy']))],
    ['ex:temp[k]', term(path('ex:temp', [], ['k']))],
    [
      'sensor{Device:humidity}==40',
      term(
        { attr: 'sensor', sub: [], linked: { entityTypes: ['Device'], path: path('humidity') } },
        { op: '==', value: num(40) },
      ),
    ],
    [
      'a{T1,T2:b{c.d}}',
      term({
        attr: 'a',
        sub: [],
        linked: {
          entityTypes: ['T1', 'T2'],
          path: { attr: 'b', sub: [], linked: { entityTypes: [], path: path('c', ['d']) } },
        },
      }),
    ],
    [
      'a{https://ex.org/b}',
      term({ attr: 'a', sub: [], linked: { entityTypes: [], path: path('https://ex.org/b') } }),
    ],
  ]
  it.each(cases)('%s', (text, expected) => {
    expect(parseQ(text)).toEqual(expected)
  })
})

describe('parseQ: logic, precedence, grouping', () => {
  const a = (position: number): QNode => term('a', undefined, position)
  const b = (position: number): QNode => term('b', undefined, position)
  const c = (position: number): QNode => term('c', undefined, position)
  const cases: [string, QNode][] = [
    ['a;b', { kind: 'and', children: [a(0), b(2)] }],
    ['a|b', { kind: 'or', children: [a(0), b(2)] }],
    ['a;b;c', { kind: 'and', children: [a(0), b(2), c(4)] }],
    ['a|b;c', { kind: 'or', children: [a(0), { kind: 'and', children: [b(2), c(4)] }] }],
    ['a;b|c', { kind: 'or', children: [{ kind: 'and', children: [a(0), b(2)] }, c(4)] }],
    ['(a|b);c', { kind: 'and', children: [{ kind: 'or', children: [a(1), b(3)] }, c(6)] }],
    ['((a))', a(2)],
    ['(a;(b|c))', { kind: 'and', children: [a(1), { kind: 'or', children: [b(4), c(6)] }] }],
    [' a ; b ', { kind: 'and', children: [a(1), b(5)] }],
    ['!a', { kind: 'term', path: path('a'), negated: true, position: 0 }],
    [
      '!a;b|! c.d[e]',
      {
        kind: 'or',
        children: [
          {
            kind: 'and',
            children: [{ kind: 'term', path: path('a'), negated: true, position: 0 }, b(3)],
          },
          { kind: 'term', path: path('c', ['d'], ['e']), negated: true, position: 5 },
        ],
      },
    ],
  ]
  it.each(cases)('%s', (text, expected) => {
    expect(parseQ(text)).toEqual(expected)
  })

  it('allows whitespace around operators and values', () => {
    expect(parseQ('speed > 50 ; name != "x"')).toEqual({
      kind: 'and',
      children: [
        term('speed', { op: '>', value: num(50) }, 0),
        term('name', { op: '!=', value: str('x') }, 13),
      ],
    })
  })

  it('accepts 32 levels of parentheses', () => {
    expect(parseQ(`${'('.repeat(32)}a${')'.repeat(32)}`)).toEqual(term('a', undefined, 32))
  })
})

describe('parseQ: unquoted terms (expandValues, §4.9 EXAMPLE 12)', () => {
  const only = (name: string) => ({ bareTerms: (attr: string) => attr === name })
  it('reads a term as a string value of == and != for the allowed attributes', () => {
    expect(parseQ('gender==Male', only('gender'))).toEqual(
      term('gender', { op: '==', value: str('Male') }),
    )
    expect(parseQ('gender!=Male,Female', only('gender'))).toEqual(
      term('gender', { op: '!=', value: { kind: 'list', items: [str('Male'), str('Female')] } }),
    )
    expect(parseQ('gender==Mâle_2', only('gender'))).toEqual(
      term('gender', { op: '==', value: str('Mâle_2') }),
    )
    // Literals keep their meaning: numbers, booleans and URIs are not terms.
    expect(parseQ('gender==true', only('gender'))).toEqual(
      term('gender', { op: '==', value: { kind: 'boolean', value: true } }),
    )
    expect(parseQ('gender==ex:Male', only('gender'))).toEqual(
      term('gender', { op: '==', value: { kind: 'uri', value: 'ex:Male' } }),
    )
  })
  it('keeps the ABNF everywhere else', () => {
    for (const [text, message] of [
      ['other==Male', 'strings must be in double quotes'],
      ['gender>Male', 'strings must be in double quotes'],
      ['gender~=Male', 'a regular expression must be a double-quoted string'],
      ['gender==A..B', 'range bounds must not be unquoted terms'],
      ['gender=="A"..B', 'strings must be in double quotes'],
      ['gender==Male-x', "unexpected '-' after value"],
    ] as const) {
      const error = catchError(() => parseQ(text, only('gender')))
      expect(error.kind, text).toBe('BadRequestData')
      expect(error.message, text).toContain(message)
    }
  })
})

describe('parseQ: errors are BadRequestData with a position', () => {
  const cases: [string, string, number | undefined][] = [
    ['', 'q: must not be empty', undefined],
    ['   ', 'q: must not be empty', undefined],
    ['a'.repeat(8193), 'q: is longer than 8192 characters', undefined],
    [`${'('.repeat(33)}a${')'.repeat(33)}`, 'q: nesting deeper than 32 levels', 32],
    [`a{${'b{'.repeat(32)}c${'}'.repeat(33)}`, 'q: nesting deeper than 32 levels', 65],
    ['a==', 'q: missing value', 3],
    ['a==;b', 'q: missing value', 3],
    ['a=5', "q: unknown operator '=' (did you mean '==')", 1],
    ['a!5', "q: unknown operator '!'", 1],
    ['(a', "q: expected ')' for the '(' at 0 but found end of input", 2],
    ['(a b)', "q: expected ')' for the '(' at 0 but found 'b'", 3],
    ['a)', "q: ')' without matching '('", 1],
    ['a b', "q: unexpected 'b'", 2],
    ['1a', "q: expected an attribute name but found '1'", 0],
    [';a', "q: expected an attribute name but found ';'", 0],
    ['a;', 'q: expected an attribute name but found end of input', 2],
    ['a|', 'q: expected an attribute name but found end of input', 2],
    ['()', "q: expected an attribute name but found ')'", 1],
    ['_a', "q: expected an attribute name but found '_'", 0],
    ['ex:', "q: invalid attribute name 'ex:'", 0],
    ['a.', 'q: expected a sub-attribute name after', 2],
    ['a..b', "q: expected a sub-attribute name after '.' but found '.'", 2],
    ['a.observedAt.b', "q: 'observedAt' is an attribute member and has no sub-attributes", 12],
    ['a.unitCode[x]', "q: 'unitCode' is an attribute member and has no value members", 10],
    ['a[', 'q: expected a member name', 2],
    ['a[]', "q: expected a member name inside '[...]' but found ']'", 2],
    ['a[x', "q: expected ']' for the '[' at 1 but found end of input", 3],
    ['a[x.]', 'q: expected a member name', 4],
    ['a{T:b', "q: expected '}' for the '{' at 1 but found end of input", 5],
    ['a{T:}', "q: expected an attribute name but found '}'", 4],
    ['a==abc', 'q: invalid value: strings must be in double quotes', 3],
    ['a=="x', 'q: unterminated string', 3],
    ['a=="x\\', 'q: unterminated string', 3],
    ['a==12abc', "q: unexpected 'a' after value", 5],
    ['a=="x"y', "q: unexpected 'y' after value", 6],
    ['a==1,', 'q: missing value', 5],
    ['a==1..', 'q: missing value', 6],
    ['a>"a","b"', 'q: a list value is only allowed with == and !=, not >', 1],
    ['a<1..5', 'q: a range value is only allowed with == and !=, not <', 1],
    ['a>=urn:x:y', 'q: a URI value is only allowed with == and !=, not >=', 3],
    ['a==1.."z"', 'q: range bounds must be two numbers, strings, dates or times', 3],
    ['a==true..false', 'q: range bounds must be', 3],
    ['a~=abc', 'q: a regular expression must be a double-quoted string', 3],
    ['a!~=5', 'q: a regular expression must be a double-quoted string', 4],
    ['a~="["', 'q: invalid regular expression "["', 3],
    ['a~="x"y', "q: unexpected 'y' after pattern", 6],
    ['a==2023-02-30', "q: invalid date '2023-02-30'", 3],
    ['a==2023-01-01T25:00:00Z', "q: invalid dateTime '2023-01-01T25:00:00Z'", 3],
    ['a==2023-01-01T10:00:00+25:00', 'q: invalid dateTime', 3],
    ['a==25:00:00', "q: invalid time '25:00:00'", 3],
    ['!', 'q: expected an attribute name but found end of input', 1],
    ['!!a', "q: expected an attribute name but found '!'", 1],
    ['!(a)', "q: expected an attribute name but found '('", 1],
    ['!a==1', "q: '!' only negates the existence of an attribute, it takes no operator", 2],
    ['a;!b>1', "q: '!' only negates the existence of an attribute, it takes no operator", 4],
  ]
  it.each(cases.map(([t, m, p]) => [short(t), t, m, p] as const))(
    '%s',
    (_, text, message, position) => {
      const error = catchError(() => parseQ(text))
      expect(error).toBeInstanceOf(AppError)
      expect(error.kind).toBe('BadRequestData')
      expect(error.message).toContain(message)
      expect(error.detail?.['position']).toBe(position)
      if (position !== undefined)
        expect(error.message).toMatch(new RegExp(`at position ${position}$`))
    },
  )
})

describe('parseQ: properties', () => {
  const alphabet = 'ab.;|()[]{}=!<>~",:*-1 Tz\\'.split('')
  it('never throws anything but BadRequestData', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 30 }),
    )
    fc.assert(
      fc.property(text, (t) => {
        try {
          parseQ(t)
        } catch (err) {
          if (!(err instanceof AppError) || err.kind !== 'BadRequestData') throw err
        }
      }),
      { numRuns: 2000 },
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

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text
}
