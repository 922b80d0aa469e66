import { describe, expect, it } from 'vitest'
import { clampOffset, fetchAllPages, pageWindow } from './paging.js'

const source = (n: number) => Array.from({ length: n }, (_, i) => i)

function fakeServer(rows: number[]) {
  const calls: Array<[number, number]> = []
  const fetchPage = (offset: number, limit: number) => {
    calls.push([offset, limit])
    return Promise.resolve(rows.slice(offset, offset + limit))
  }
  return { calls, fetchPage }
}

describe('fetchAllPages', () => {
  it('pages until a short page comes back', async () => {
    const { calls, fetchPage } = fakeServer(source(25))
    const seen: number[] = []
    const all = await fetchAllPages(fetchPage, { limit: 10, onPage: (_, o) => seen.push(o) })
    expect(all).toEqual(source(25))
    expect(calls).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
    ])
    expect(seen).toEqual([0, 10, 20])
  })

  it('asks once more after an exactly full last page', async () => {
    const { calls, fetchPage } = fakeServer(source(20))
    expect(await fetchAllPages(fetchPage, { limit: 10 })).toHaveLength(20)
    expect(calls.map(([o]) => o)).toEqual([0, 10, 20])
  })

  it('stops after maxPages when the server ignores offset', async () => {
    let calls = 0
    const stuck = () => {
      calls++
      return Promise.resolve(source(5))
    }
    const all = await fetchAllPages(stuck, { limit: 5, maxPages: 3 })
    expect(calls).toBe(3)
    expect(all).toHaveLength(15)
  })

  it('rejects a non-positive limit and propagates fetch errors', async () => {
    await expect(fetchAllPages(() => Promise.resolve([]), { limit: 0 })).rejects.toThrow(RangeError)
    await expect(
      fetchAllPages(() => Promise.reject(new Error('down')), { limit: 10 }),
    ).rejects.toThrow('down')
  })
})

describe('pageWindow', () => {
  it('describes a middle page', () => {
    expect(pageWindow({ total: 230, offset: 50, limit: 50 })).toEqual({
      first: 51,
      last: 100,
      total: 230,
      hasPrev: true,
      hasNext: true,
      prevOffset: 0,
      nextOffset: 100,
      page: 2,
      pages: 5,
    })
  })

  it('describes the last and an empty page', () => {
    const last = pageWindow({ total: 230, offset: 200, limit: 50 })
    expect([last.first, last.last, last.hasNext, last.page]).toEqual([201, 230, false, 5])
    const empty = pageWindow({ total: 0, offset: 0, limit: 50 })
    expect([empty.first, empty.last, empty.hasPrev, empty.hasNext, empty.pages]).toEqual([
      0,
      0,
      false,
      false,
      1,
    ])
  })

  it('clamps offsets from stale or hand-written URLs', () => {
    expect(clampOffset(-5, 100, 10)).toBe(0)
    expect(clampOffset(Number.NaN, 100, 10)).toBe(0)
    expect(clampOffset(37, 100, 10)).toBe(30)
    expect(clampOffset(500, 100, 10)).toBe(90)
    expect(pageWindow({ total: 100, offset: 500, limit: 10 }).first).toBe(91)
  })
})
