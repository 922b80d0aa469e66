/**
 * A tiny observable value: the dashboard's only state primitive. Pages keep their state in a few
 * of these instead of one big component.
 *
 * @example
 *   const hidden = createStore<ReadonlySet<string>>(new Set())
 *   const stop = hidden.subscribe((types) => legend.render(types)) // called now and on each change
 */

export interface Store<T> {
  get(): T
  set(value: T): void
  update(fn: (current: T) => T): void
  /** Calls `listener` with the current value at once, then on every change; returns unsubscribe. */
  subscribe(listener: (value: T) => void): () => void
}

export function createStore<T>(initial: T, equals: (a: T, b: T) => boolean = Object.is): Store<T> {
  let value = initial
  const listeners = new Set<(value: T) => void>()
  const set = (next: T) => {
    if (equals(value, next)) return
    value = next
    for (const listener of [...listeners]) listener(value)
  }
  return {
    get: () => value,
    set,
    update: (fn) => set(fn(value)),
    subscribe(listener) {
      listeners.add(listener)
      listener(value)
      return () => listeners.delete(listener)
    },
  }
}
