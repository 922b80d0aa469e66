import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ObservedValue } from '../../core/observation.js'
import { decodeChunk, encodeChunk, FORMAT_VERSION } from './chunk.js'
import type { ChunkData } from './chunk.js'
import { anyNumber, anyString, anyTimestamps, sameNumbers } from './test-arbitraries.js'

const anyValue: fc.Arbitrary<ObservedValue> = fc.oneof(
  anyNumber,
  anyString,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 4 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
)

/** A chunk whose values all come from `value`, with timestamps of any shape. */
function chunkOf(value: fc.Arbitrary<ObservedValue>): fc.Arbitrary<ChunkData> {
  return anyTimestamps.chain((ts) =>
    fc
      .array(value, { minLength: ts.length, maxLength: ts.length })
      .map((values) => ({ ts, values })),
  )
}

/** Exact equality: Vitest's toEqual tells -0 from 0 and matches NaN, at any depth. */
function expectSame(got: ChunkData, want: ChunkData): void {
  expect(sameNumbers(got.ts, want.ts)).toBe(true)
  expect(got.values).toEqual(want.values)
}

function roundTrip(data: ChunkData): ChunkData {
  return decodeChunk(encodeChunk(data))
}

describe('chunk codec', () => {
  it('compares exactly in these tests (guards expectSame)', () => {
    expect([-0]).not.toEqual([0])
    expect([{ a: NaN }]).toEqual([{ a: NaN }])
  })

  it('round-trips chunks mixing every kind of value', () => {
    fc.assert(
      fc.property(chunkOf(anyValue), (data) => expectSame(roundTrip(data), data)),
      { numRuns: 200 },
    )
  })

  it.each([
    ['numbers', anyNumber],
    ['strings', anyString],
    ['booleans', fc.boolean()],
    ['nulls', fc.constant(null)],
    ['enums', fc.constantFrom('free', 'occupied', 'reserved')],
  ])('round-trips chunks of %s only', (_name, value: fc.Arbitrary<ObservedValue>) => {
    fc.assert(fc.property(chunkOf(value), (data) => expectSame(roundTrip(data), data)))
  })

  it('round-trips the edge cases by name', () => {
    const t = 1_700_000_000_000
    const cases: ChunkData[] = [
      { ts: [], values: [] },
      { ts: [t], values: [-0] },
      { ts: [t], values: [null] },
      { ts: [t, t, t - 5], values: [{ a: -0 }, [NaN], { b: [{ c: 'ü' }] }] },
      { ts: [t, t + 1], values: ['\uDC00', '\uD83D\uDE00'] },
      // Two lone halves that form a valid pair once the dictionary text is joined.
      { ts: [t, t + 1, t + 2], values: ['\uD83D', '\uDE00', '\uD83D'] },
      { ts: [t, t + 1, t + 2], values: [true, null, 'x'] },
    ]
    for (const data of cases) expectSame(roundTrip(data), data)
  })

  it('gives every point its own object, even when the text repeats', () => {
    const back = roundTrip({ ts: [1, 2], values: [{ a: 1 }, { a: 1 }] })
    expect(back.values[0]).not.toBe(back.values[1])
  })

  it('starts with the format version byte', () => {
    expect(encodeChunk({ ts: [1], values: [1] })[0]).toBe(FORMAT_VERSION)
  })

  it('rejects an unknown version, a truncated chunk and mismatched columns', () => {
    const bytes = encodeChunk({ ts: [1, 2, 3], values: ['a', 'b', 'c'] })
    expect(() => decodeChunk(Uint8Array.of(99, ...bytes.subarray(1)))).toThrow(/version 99/)
    expect(() => decodeChunk(bytes.subarray(0, 3))).toThrow(/corrupt/)
    expect(() => encodeChunk({ ts: [1, 2], values: [1] })).toThrow(/2 timestamps but 1 values/)
    expect(() => encodeChunk({ ts: [1], values: [undefined as unknown as null] })).toThrow(
      /type undefined/,
    )
  })

  it('fails on random bytes with a codec error, never another kind of exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const input = Uint8Array.of(FORMAT_VERSION, ...bytes)
        try {
          decodeChunk(input)
        } catch (err) {
          expect(String(err)).toMatch(/history chunk|history codec/)
        }
      }),
      { numRuns: 500 },
    )
  })
})
