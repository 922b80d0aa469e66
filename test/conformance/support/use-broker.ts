/**
 * One broker per conformance test file without the per-file hook boilerplate: `useBroker()` (and
 * `useSetup()` for anything made from it) registers the file's beforeAll/afterAll and answers a
 * handle that is filled in when beforeAll has run. The handle can be read from tests, hooks and
 * helpers they call, not while the file's tests are being collected.
 */
import { afterAll, beforeAll } from 'vitest'
import { startBroker, type Broker } from './broker.js'

/**
 * Registers a beforeAll that makes a value (`start`) and an afterAll that disposes of it
 * (`stop`), and answers a stand-in for the value that forwards every property read to it.
 */
export function useSetup<T extends object>(
  start: () => T | Promise<T>,
  stop?: (value: T) => unknown,
): T {
  let value: T | undefined
  const current = (): T => {
    if (value === undefined)
      throw new Error('conformance set-up read before its beforeAll ran (e.g. in a describe body)')
    return value
  }
  beforeAll(async () => {
    value = await start()
  }, 60_000)
  afterAll(async () => {
    if (value !== undefined) await stop?.(value)
  })
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(current(), key) as unknown,
    has: (_target, key) => Reflect.has(current(), key),
  })
}

/** The file's broker: `civitas start` with `extraEnv`, started before and stopped after its tests. */
export function useBroker(extraEnv: Record<string, string> = {}): Broker {
  return useSetup(
    () => startBroker(extraEnv),
    (broker) => broker.stop(),
  )
}
