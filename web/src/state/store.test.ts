import { describe, expect, it } from 'vitest'
import { createStore } from './store.js'

describe('createStore', () => {
  it('calls subscribers now and on each change, not on equal values', () => {
    const store = createStore(1)
    const seen: number[] = []
    const stop = store.subscribe((v) => seen.push(v))
    store.set(2)
    store.set(2)
    store.update((v) => v + 1)
    stop()
    store.set(10)
    expect(seen).toEqual([1, 2, 3])
    expect(store.get()).toBe(10)
  })

  it('accepts a custom equality', () => {
    const store = createStore({ n: 1 }, (a, b) => a.n === b.n)
    let calls = 0
    store.subscribe(() => calls++)
    store.set({ n: 1 })
    store.set({ n: 2 })
    expect(calls).toBe(2)
  })

  it('lets a listener unsubscribe while being notified', () => {
    const store = createStore(0)
    const seen: string[] = []
    const stopA = store.subscribe(() => {
      seen.push('a')
      if (store.get() === 1) stopA()
    })
    store.subscribe(() => seen.push('b'))
    store.set(1)
    store.set(2)
    expect(seen).toEqual(['a', 'b', 'a', 'b', 'b'])
  })
})
