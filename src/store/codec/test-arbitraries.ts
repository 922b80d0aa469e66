/**
 * fast-check generators shared by the codec's property tests: the awkward inputs a lossless
 * codec must survive (every double, lone surrogates, duplicate or shuffled timestamps).
 */
import fc from 'fast-check'

/** Any UTF-16 code unit, lone surrogates included, which UTF-8 cannot carry. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))

/** Strings of arbitrary code units mixed with ordinary and astral text. */
export const anyString = fc.oneof(
  fc.string({ unit: codeUnit }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('free', 'occupied', '', "'quoted", '#-0', '~tilde', 'ß🚲日本'),
)

/** Decimals as sensors produce them: an integer over 10^k, both signs. */
export const decimalNumber = fc
  .tuple(fc.integer({ min: -2e9, max: 2e9 }), fc.integer({ min: 0, max: 6 }))
  .map(([m, k]) => m / 10 ** k)

/** Numbers of every shape: all doubles (NaN, ±0, ±Infinity, subnormals), decimals, big integers. */
export const anyNumber = fc.oneof(
  fc.double(),
  decimalNumber,
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53 - 1), 5e-324, 1e308, 0.1),
)

/** Timestamps in any order: sorted regular, shuffled, duplicated, huge jumps, non-integers. */
export const anyTimestamps = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 2 ** 42 }),
      fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 300 }),
    )
    .map(([start, gaps]) =>
      gaps.map((_, i) => start + gaps.slice(0, i + 1).reduce((a, b) => a + b, 0)),
    ),
  fc.array(fc.maxSafeInteger(), { maxLength: 200 }),
  fc.array(fc.integer({ min: 1.7e12, max: 1.8e12 }), { maxLength: 200 }),
  fc.array(fc.oneof(fc.maxSafeInteger(), fc.double()), { maxLength: 200 }),
)

/** Equal with Object.is per element, so -0 ≠ 0 and NaN = NaN. */
export function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false
  return true
}
