import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import { parseJoin } from './linked-entities.js'

describe('parseJoin', () => {
  it('is undefined without join or with join=@none', () => {
    expect(parseJoin(undefined, undefined, undefined, undefined)).toBeUndefined()
    expect(parseJoin('@none', undefined, undefined, undefined)).toBeUndefined()
  })

  it('defaults joinLevel to 1 and keeps the pick and omit trees', () => {
    expect(parseJoin('flat', undefined, 'id,locatedAt{name}', undefined)).toEqual({
      join: 'flat',
      level: 1,
      pick: [{ name: 'id' }, { name: 'locatedAt', children: [{ name: 'name' }] }],
    })
    expect(parseJoin('inline', '2', undefined, undefined)).toEqual({ join: 'inline', level: 2 })
    expect(parseJoin('inline', 3, undefined, undefined)).toEqual({ join: 'inline', level: 3 })
  })

  it.each([
    ['an unknown join', 'deep', undefined, undefined],
    ['joinLevel 0', 'inline', 0, undefined],
    ['a fractional joinLevel', 'inline', '1.5', undefined],
    ['joinLevel without join', undefined, '1', undefined],
    ['a joinLevel above the ceiling', 'inline', '11', undefined],
    ['a pick deeper than joinLevel', 'inline', '1', 'a{b{c}}'],
  ])('rejects %s with BadRequestData', (_name, join, level, pick) => {
    expect(() => parseJoin(join, level, pick, undefined)).toThrow(AppError)
    try {
      parseJoin(join, level, pick, undefined)
    } catch (err) {
      expect((err as AppError).kind).toBe('BadRequestData')
    }
  })
})
