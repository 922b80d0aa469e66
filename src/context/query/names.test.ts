import { describe, expect, it } from 'vitest'
import { expandName, isAbsoluteIri, isValidName } from './names.js'

describe('names', () => {
  const valid: [string, boolean][] = [
    ['temperature', true],
    ['t_2', true],
    ['T', true],
    ['https://ex.org/speed', true],
    ['urn:ngsi-ld:x', true],
    ['ex:speed', true],
    ['_t', false],
    ['2t', false],
    ['a-b', false],
    ['a b', false],
    ['', false],
    [':x', false],
    ['ex:', false],
    ['@id', false],
    ['https://ex.org/a,b', false],
    ['https://ex.org/{a}', false],
  ]
  it.each(valid)('isValidName(%j) = %s', (name, expected) => {
    expect(isValidName(name)).toBe(expected)
  })

  it('leaves absolute IRIs alone and expands the rest', () => {
    const expand = (t: string): string => `https://ctx.org/${t}`
    expect(isAbsoluteIri('https://ex.org/a')).toBe(true)
    expect(isAbsoluteIri('URN:x:y')).toBe(true)
    expect(isAbsoluteIri('ex:a')).toBe(false)
    expect(expandName('https://ex.org/a', expand)).toBe('https://ex.org/a')
    expect(expandName('urn:x:y', expand)).toBe('urn:x:y')
    expect(expandName('ex:a', expand)).toBe('https://ctx.org/ex:a')
    expect(expandName('speed', expand)).toBe('https://ctx.org/speed')
  })
})
