import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BitReader } from './bit-reader.js'
import { BitWriter } from './bit-writer.js'
import { sameNumbers } from './test-arbitraries.js'

/** One field of a stream: how it is written and what reading it back must give. */
type Field =
  | { kind: 'bits'; value: number; width: number }
  | { kind: 'big'; value: number; width: number }
  | { kind: 'var'; value: number }
  | { kind: 'f64'; value: number }
  | { kind: 'bytes'; value: Uint8Array }

const field: fc.Arbitrary<Field> = fc.oneof(
  fc
    .integer({ min: 0, max: 32 })
    .chain((width) =>
      fc
        .integer({ min: 0, max: width === 32 ? 0xffffffff : 2 ** width - 1 })
        .map((value): Field => ({ kind: 'bits', value, width })),
    ),
  fc
    .integer({ min: 33, max: 53 })
    .chain((width) =>
      fc
        .integer({ min: 0, max: Math.min(Number.MAX_SAFE_INTEGER, 2 ** width - 1) })
        .map((value): Field => ({ kind: 'big', value, width })),
    ),
  fc.maxSafeNat().map((value): Field => ({ kind: 'var', value })),
  fc.double().map((value): Field => ({ kind: 'f64', value })),
  fc.uint8Array({ maxLength: 20 }).map((value): Field => ({ kind: 'bytes', value })),
)

function write(w: BitWriter, f: Field): void {
  if (f.kind === 'bits') w.bits(f.value, f.width)
  else if (f.kind === 'big') w.bigBits(f.value, f.width)
  else if (f.kind === 'var') w.varUint(f.value)
  else if (f.kind === 'f64') w.float64(f.value)
  else w.bytes(f.value)
}

function readBack(r: BitReader, f: Field): unknown {
  if (f.kind === 'bits') return r.bits(f.width)
  if (f.kind === 'big') return r.bigBits(f.width)
  if (f.kind === 'var') return r.varUint()
  if (f.kind === 'f64') return r.float64()
  return Array.from(r.bytes(f.value.length))
}

function expected(f: Field): unknown {
  return f.kind === 'bytes' ? Array.from(f.value) : f.value
}

describe('BitWriter / BitReader', () => {
  it('packs most significant bit first, padding the last byte with zeros', () => {
    const w = new BitWriter()
    w.bits(0b1, 1)
    w.bits(0b0110, 4)
    w.bits(0xabc, 12)
    expect(Array.from(w.finish())).toEqual([0b10110101, 0b01011110, 0b00000000])
  })

  it('reads back any sequence of fields exactly', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 60 }), (fields) => {
        const w = new BitWriter(1)
        for (const f of fields) write(w, f)
        const r = new BitReader(w.finish())
        for (const f of fields) {
          const got = readBack(r, f)
          if (f.kind === 'f64') expect(sameNumbers([got as number], [f.value])).toBe(true)
          else expect(got).toEqual(expected(f))
        }
        r.end()
      }),
    )
  })

  it('appends one stream to another at any bit offset', () => {
    fc.assert(
      fc.property(
        fc.array(field, { maxLength: 20 }),
        fc.array(field, { maxLength: 20 }),
        (a, b) => {
          const first = new BitWriter(1)
          for (const f of a) write(first, f)
          const second = new BitWriter(1)
          for (const f of b) write(second, f)
          // bytes() aligns, which append cannot reproduce bit for bit; compare the non-byte fields.
          const plain = b.filter((f) => f.kind !== 'bytes')
          const third = new BitWriter(1)
          for (const f of plain) write(third, f)
          first.append(third)
          const r = new BitReader(first.finish())
          for (const f of a) readBack(r, f)
          for (const f of plain) {
            const got = readBack(r, f)
            if (f.kind === 'f64') expect(sameNumbers([got as number], [f.value])).toBe(true)
            else expect(got).toEqual(expected(f))
          }
        },
      ),
    )
  })

  it('reports reads past the end', () => {
    const w = new BitWriter()
    w.bits(0xff, 8)
    const r = new BitReader(w.finish())
    r.bits(8)
    expect(r.bits(32)).toBe(0)
    expect(() => r.end()).toThrow(/ends early/)
  })
})
