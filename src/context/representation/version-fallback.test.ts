import { describe, expect, it } from 'vitest'
import { amendForVersion, preferredVersion } from './version-fallback.js'

describe('preferredVersion', () => {
  it('reads ngsi-ld=<major.minor> among other preferences', () => {
    expect(preferredVersion('return=minimal, ngsi-ld=1.5')).toBe('1.5')
    expect(preferredVersion('body=json')).toBeUndefined()
    expect(preferredVersion(undefined)).toBeUndefined()
  })

  it('reads the spellings RFC 7240 allows: any case, quoted, with parameters', () => {
    expect(preferredVersion('NGSI-LD=1.0')).toBe('1.0')
    expect(preferredVersion('Ngsi-Ld=1.0')).toBe('1.0')
    expect(preferredVersion('ngsi-ld="1.0"')).toBe('1.0')
    expect(preferredVersion('ngsi-ld=1.0;q=0.1')).toBe('1.0')
    expect(preferredVersion('respond-async, ngsi-ld=1.0')).toBe('1.0')
    expect(preferredVersion('respond-async')).toBeUndefined()
    expect(preferredVersion('ngsi-ld="1.0')).toBeUndefined()
    expect(preferredVersion('x=1;ngsi-ld=1.0')).toBeUndefined()
  })
})

describe('amendForVersion (§4.3.6.8)', () => {
  it('turns 1.8 attribute kinds into Properties for earlier versions', () => {
    const entity = {
      id: 'urn:a',
      type: 'T',
      v: { type: 'VocabProperty', vocab: 'x', observedAt: '2024-01-01T00:00:00Z' },
      j: [{ type: 'JsonProperty', json: { a: 1 }, datasetId: 'urn:d' }],
      p: { type: 'Property', value: 1 },
    }
    expect(amendForVersion(entity, '1.5')).toBe(true)
    expect(entity).toEqual({
      id: 'urn:a',
      type: 'T',
      v: { type: 'Property', value: 'x', observedAt: '2024-01-01T00:00:00Z' },
      j: [{ type: 'Property', value: { a: 1 }, datasetId: 'urn:d' }],
      p: { type: 'Property', value: 1 },
    })
  })

  it('leaves payloads alone for 1.8 and later', () => {
    const entity = { id: 'urn:a', type: 'T', v: { type: 'VocabProperty', vocab: 'x' } }
    expect(amendForVersion(entity, '1.9')).toBe(false)
    expect(entity.v.type).toBe('VocabProperty')
  })
})
