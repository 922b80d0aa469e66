import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromJsonText, toJsonText } from './json-text.js'

describe('JSON text of objects and arrays', () => {
  it('round-trips anything JSON.parse can produce, -0 included', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue())),
        (v) => {
          expect(fromJsonText(toJsonText(v))).toEqual(v)
        },
      ),
    )
  })

  it('keeps -0, NaN and ±Infinity at any depth, and strings that look like tags', () => {
    const v = { a: [-0, NaN, Infinity, -Infinity, 0], b: { c: "'x", d: '#-0', e: '~' }, '~k': 1 }
    const back = fromJsonText(toJsonText(v)) as typeof v
    expect(Object.is(back.a[0], -0)).toBe(true)
    expect(Object.is(back.a[4], 0)).toBe(true)
    expect(back).toEqual(v)
  })

  it('writes plain JSON when nothing needs tagging', () => {
    expect(toJsonText({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}')
  })

  it('refuses what JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => toJsonText(cyclic)).toThrow(/cannot store/)
    expect(() => toJsonText({ n: 1n })).toThrow(/cannot store/)
  })

  it('rejects a corrupt tagged text', () => {
    expect(() => fromJsonText('~["#bogus"]')).toThrow(/corrupt/)
    expect(() => fromJsonText('{')).toThrow(/corrupt/)
  })
})
