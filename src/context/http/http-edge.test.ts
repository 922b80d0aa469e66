import { describe, expect, it } from 'vitest'
import { contextLink, paginationLinks, parseContextLink } from './link-header.js'
import {
  ENTITY_RESPONSE_TYPES,
  JSON_RESPONSE_TYPES,
  mediaTypeOf,
  negotiate,
} from './media-types.js'
import { readRequestContext } from './request-context.js'
import { readQueryParams, parseCount } from './query-params.js'

const REL = 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'

describe('negotiate', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['application/ld+json', 'application/ld+json'],
    ['*/*;q=0.1, application/geo+json', 'application/geo+json'],
    ['application/json;q=0, */*', 'application/ld+json'],
    ['application/ld+json;q=0.9, application/json;q=0.9', 'application/json'],
    ['application/*, application/ld+json', 'application/ld+json'],
    ['text/plain', undefined],
  ])('%s → %s', (accept, expected) => {
    expect(negotiate(accept, ENTITY_RESPONSE_TYPES)).toBe(expected)
  })

  it('never offers what the operation cannot produce', () => {
    expect(negotiate('application/geo+json', JSON_RESPONSE_TYPES)).toBeUndefined()
  })

  it('reads media types without parameters, case-insensitively', () => {
    expect(mediaTypeOf('Application/LD+JSON; charset=utf-8')).toBe('application/ld+json')
    expect(mediaTypeOf(undefined)).toBeUndefined()
  })
})

describe('Link header', () => {
  it('finds the JSON-LD context link among others', () => {
    expect(parseContextLink(`<https://a.org/c.jsonld>; ${REL}`)).toBe('https://a.org/c.jsonld')
    expect(
      parseContextLink(
        `<https://a.org/x>; rel="next", <https://a.org/c.jsonld>;rel="http://www.w3.org/ns/json-ld#context"`,
      ),
    ).toBe('https://a.org/c.jsonld')
    expect(parseContextLink('<https://a.org/x>; rel="next"')).toBeUndefined()
    expect(contextLink('https://a.org/c.jsonld')).toBe(`<https://a.org/c.jsonld>; ${REL}`)
  })

  it.each([
    'garbage',
    `<relative.jsonld>; ${REL}`,
    `<https://a.org/1>; ${REL}, <https://a.org/2>; ${REL}`,
  ])('rejects %s with BadRequestData', (header) => {
    expect(() => parseContextLink(header)).toThrow(
      expect.objectContaining({ kind: 'BadRequestData' }) as Error,
    )
  })

  it('builds prev/next links keeping the other parameters first', () => {
    const links = paginationLinks({
      path: '/p',
      rawQuery: 'limit=2&type=A&offset=2&q=x%3E1',
      limit: 2,
      offset: 2,
      hasMore: true,
      mediaType: 'application/json',
    })
    expect(links).toEqual([
      '</p?type=A&q=x%3E1&limit=2&offset=0>;rel="prev";type="application/json"',
      '</p?type=A&q=x%3E1&limit=2&offset=4>;rel="next";type="application/json"',
    ])
    expect(
      paginationLinks({
        path: '/p',
        rawQuery: '',
        limit: 5,
        offset: 3,
        hasMore: false,
        mediaType: 'a',
      }),
    ).toEqual(['</p?limit=5&offset=0>;rel="prev";type="a"'])
  })
})

describe('request @context and parameters', () => {
  it('takes @context from the body for ld+json and from Link otherwise', () => {
    expect(
      readRequestContext({
        contentType: 'application/ld+json',
        linkHeader: undefined,
        body: { a: 1, '@context': 'https://c' },
      }),
    ).toEqual({
      userContext: 'https://c',
      body: { a: 1 },
    })
    expect(
      readRequestContext({
        contentType: undefined,
        linkHeader: `<https://c>; ${REL}`,
        body: undefined,
      }),
    ).toEqual({
      userContext: 'https://c',
      body: undefined,
    })
  })

  it('accepts only defined parameters, once', () => {
    expect(readQueryParams({ limit: '1' }, ['limit'])).toEqual({ limit: '1' })
    expect(() => readQueryParams({ x: '1' }, ['limit'])).toThrow(
      expect.objectContaining({ kind: 'InvalidRequest' }) as Error,
    )
    expect(() => readQueryParams({ limit: ['1', '2'] }, ['limit'])).toThrow(
      expect.objectContaining({ kind: 'InvalidRequest' }) as Error,
    )
    expect(() => parseCount('1.5', 'limit')).toThrow(
      expect.objectContaining({ kind: 'BadRequestData' }) as Error,
    )
  })
})
