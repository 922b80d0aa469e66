/**
 * Seeded pseudo-random numbers for the simulator: mulberry32 streams plus stateless hashing, so a
 * seed always yields the same city, fleet and signals.
 *
 * @example
 *   const rng = createRng(42)
 *   rng.int(1, 6) // same die roll on every run
 */

/** A stream of deterministic random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform in [min, max). */
  range(min: number, max: number): number
  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number
  /** True with probability p. */
  chance(p: number): boolean
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T
  /** Standard normal (Box–Muller), scaled. */
  normal(mean?: number, sd?: number): number
}

/** mulberry32: a tiny 32-bit generator, good enough for simulation (not for secrets). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed)
  const rng: Rng = {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) throw new Error('pick() needs a non-empty array')
      return item
    },
    normal: (mean = 0, sd = 1) => {
      const u = 1 - next() // (0, 1]: log() stays finite
      const v = next()
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
  }
  return rng
}

/** FNV-1a over a string: turns device ids and labels into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Mixes integers into one well-spread 32-bit value (murmur3 finaliser per step). */
export function hashInts(...values: number[]): number {
  let h = 0x9e3779b9
  for (const value of values) {
    h ^= Math.floor(value) >>> 0
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

/** A stateless uniform number in [0, 1) for the given key: same key, same number. */
export function noise01(...key: number[]): number {
  return hashInts(...key) / 4294967296
}

/**
 * Smooth value noise in [0, 1): random values at every `periodMs` joined by a smoothstep, so a
 * quantity wanders slowly instead of jumping at each reading.
 */
export function smoothNoise(seed: number, timeMs: number, periodMs: number): number {
  const x = timeMs / periodMs
  const k = Math.floor(x)
  const f = x - k
  const s = f * f * (3 - 2 * f)
  const a = noise01(seed, k)
  const b = noise01(seed, k + 1)
  return a + (b - a) * s
}
