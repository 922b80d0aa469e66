/**
 * Which @context resolutions count as uses (numberOfHits, lastUsage of §5.13.3.5). A request that
 * names a @context uses it; the broker resolving a context for its own bookkeeping (compiling a
 * stored subscription) does not. Resolutions run inside `uncounted` are not counted.
 *
 * @example
 *   const ctx = await uncounted(() => contexts.activeContext(sub.jsonldContext))
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const scope = new AsyncLocalStorage<true>()

export function uncounted<T>(work: () => Promise<T>): Promise<T> {
  return scope.run(true, work)
}

export function isUncounted(): boolean {
  return scope.getStore() === true
}
