import { describe, expect, it } from 'vitest'
import { createRng, hashInts, hashString, mulberry32, noise01, smoothNoise } from './prng.js'

describe('prng', () => {
  it('mulberry32 repeats its sequence for a seed and differs across seeds', () => {
    const a = mulberry32(42)
    const b = mulberry32(42)
    const c = mulberry32(43)
    const seqA = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(seqA)
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA)
  })

  it('stays in range and spreads evenly', () => {
    const rng = createRng(7)
    const buckets = new Array<number>(10).fill(0)
    for (let i = 0; i < 20_000; i++) {
      const x = rng.next()
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
      buckets[Math.floor(x * 10)]! += 1
    }
    for (const n of buckets) expect(n).toBeGreaterThan(1800)
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(3, 5)
      expect(k === 3 || k === 4 || k === 5).toBe(true)
    }
  })

  it('hashes are stable and noise is keyed', () => {
    expect(hashString('pk-0001')).toBe(hashString('pk-0001'))
    expect(hashString('pk-0001')).not.toBe(hashString('pk-0002'))
    expect(hashInts(1, 2)).not.toBe(hashInts(2, 1))
    expect(noise01(5, 6)).toBe(noise01(5, 6))
    const s1 = smoothNoise(9, 1_000, 10_000)
    const s2 = smoothNoise(9, 1_100, 10_000)
    expect(Math.abs(s1 - s2)).toBeLessThan(0.05) // smooth: close in time, close in value
  })
})
