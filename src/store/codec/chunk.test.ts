import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ObservedValue } from '../../core/observation.js'
import { decodeChunk, encodeChunk, FORMAT_VERSION, FORMAT_VERSION_1 } from './chunk.js'
import type { ChunkData } from './chunk.js'
import { ingestTimes, temperatureSeries } from './sample-series.js'
import { anyNumber, anyString, anyTimestamps, sameNumbers } from './test-arbitraries.js'

const V1_BYTES = [1, 10, 181, 98, 243, 249, 90, 0, 0, 35, 212, 192, 4, 128, 2, 78, 185]

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
  // A chunk that knows no system time at all is stored without them (version 1).
  const known = [want.createdAt, want.modifiedAt].some((c) => c?.some((t) => !Number.isNaN(t)))
  if (!known) expect(got.createdAt).toBeUndefined()
  else {
    expect(sameNumbers(got.createdAt ?? [], want.createdAt ?? [])).toBe(true)
    expect(sameNumbers(got.modifiedAt ?? [], want.modifiedAt ?? want.createdAt ?? [])).toBe(true)
  }
}

/** A system time for a point observed at `t`: an ingest delay, a batch time, unknown or any. */
const anyCreated = (t: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: -5_000, max: 120_000 }).map((d) => t + d),
    fc.constant(1_765_000_000_000),
    fc.constant(NaN),
    fc.double(),
  )

/** A chunk of any values with system times: mostly known, a few edited. */
const timedChunk: fc.Arbitrary<ChunkData> = anyTimestamps.chain((ts) =>
  fc
    .tuple(
      fc.array(anyValue, { minLength: ts.length, maxLength: ts.length }),
      fc.tuple(...ts.map((t) => anyCreated(t))),
      fc.tuple(...ts.map(() => fc.option(fc.integer({ min: 0, max: 2 ** 45 }), { freq: 4 }))),
    )
    .map(([values, createdAt, edits]) => ({
      ts,
      values,
      createdAt,
      modifiedAt: createdAt.map((c, i) => edits[i] ?? c),
    })),
)

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

  it('starts with the format version byte: 1 without system times, 2 with them', () => {
    expect(encodeChunk({ ts: [1], values: [1] })[0]).toBe(FORMAT_VERSION_1)
    expect(encodeChunk({ ts: [1], values: [1], createdAt: [NaN] })[0]).toBe(FORMAT_VERSION_1)
    expect(encodeChunk({ ts: [1], values: [1], createdAt: [5] })[0]).toBe(FORMAT_VERSION)
  })

  it('still decodes version 1 chunks as written before system times existed', () => {
    // Bytes of encodeChunk({ ts: [t, t + 60_000], values: [21.5, 21.6] }) by the v1 encoder.
    const v1 = Uint8Array.of(...V1_BYTES)
    expect(decodeChunk(v1)).toEqual({
      ts: [1_700_000_000_000, 1_700_000_060_000],
      values: [21.5, 21.6],
    })
    expect([...encodeChunk(decodeChunk(v1))]).toEqual(V1_BYTES)
  })

  it('round-trips system times of any shape (version 2)', () => {
    fc.assert(
      fc.property(timedChunk, (data) => expectSame(roundTrip(data), data)),
      { numRuns: 200 },
    )
  })

  it('round-trips system times by name: unknown, edited, batch, backlog', () => {
    const t = 1_700_000_000_000
    const cases: ChunkData[] = [
      { ts: [], values: [], createdAt: [], modifiedAt: [] },
      { ts: [t], values: [1], createdAt: [t + 900] },
      { ts: [t, t + 1], values: [1, 2], createdAt: [NaN, t + 5], modifiedAt: [t + 9, t + 5] },
      { ts: [t, t - 60_000], values: ['a', 'b'], createdAt: [t + 3, t + 3] },
      { ts: [0.5, t], values: [null, true], createdAt: [t, -0], modifiedAt: [t, 2 ** 52] },
    ]
    for (const data of cases) expectSame(roundTrip(data), data)
    // modifiedAt defaults to createdAt, and comes back equal to it.
    expect(roundTrip({ ts: [t], values: [1], createdAt: [t + 1] }).modifiedAt).toEqual([t + 1])
  })

  it('measures bytes per point of 1-minute readings with and without system times', () => {
    const n = 20_000 // a compacted chunk
    const series = temperatureSeries(n)
    const without = encodeChunk(series).byteLength / n
    const delayed = { ...series, createdAt: ingestTimes(series.ts) }
    const withDelay = encodeChunk(delayed).byteLength / n
    // A temporal-API batch: every point created by one request.
    const batch = { ...series, createdAt: series.ts.map(() => series.ts[n - 1]! + 5_000) }
    const withBatch = encodeChunk(batch).byteLength / n
    // One point in a hundred edited later.
    const edited = {
      ...delayed,
      modifiedAt: delayed.createdAt.map((c, i) => (i % 100 === 7 ? c + 86_400_000 : c)),
    }
    const withEdits = encodeChunk(edited).byteLength / n
    const report = { without, withDelay, withBatch, withEdits }
    console.info('chunk bytes/point', JSON.stringify(report))
    expect(without).toBeLessThan(2.5)
    expect(withDelay - without).toBeLessThan(2)
    expect(withBatch - without).toBeLessThan(0.05)
    expect(withEdits).toBeLessThan(8)
    for (const d of [delayed, batch, edited]) expectSame(roundTrip(d), d)
  })

  it('rejects an unknown version, a truncated chunk and mismatched columns', () => {
    const bytes = encodeChunk({ ts: [1, 2, 3], values: ['a', 'b', 'c'] })
    expect(() => decodeChunk(Uint8Array.of(99, ...bytes.subarray(1)))).toThrow(/version 99/)
    expect(() => decodeChunk(bytes.subarray(0, 3))).toThrow(/corrupt/)
    expect(() => encodeChunk({ ts: [1, 2], values: [1] })).toThrow(/2 timestamps but 1 values/)
    expect(() => encodeChunk({ ts: [1], values: [undefined as unknown as null] })).toThrow(
      /type undefined/,
    )
    expect(() => encodeChunk({ ts: [1, 2], values: [1, 2], createdAt: [1] })).toThrow(
      /2 timestamps but 1 system times/,
    )
    const timed = encodeChunk({ ts: [1, 2], values: [1, 2], createdAt: [5, 6] })
    expect(() => decodeChunk(timed.subarray(0, timed.length - 1))).toThrow(/corrupt/)
  })

  it('fails on random bytes with a codec error, never another kind of exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const input = Uint8Array.of(bytes[0]! & 1 ? FORMAT_VERSION : FORMAT_VERSION_1, ...bytes)
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
