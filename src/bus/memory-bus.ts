/**
 * In-process bus: handler lists per topic. Handlers run after the publisher's await point, and a
 * failing handler is logged, never propagated to the publisher (ingest must not fail because a
 * subscriber did).
 *
 * @example
 *   const bus = createMemoryBus(log)
 */
import type { Logger } from '../log/logger.js'
import type { Bus, Topics, Unsubscribe } from './bus.js'

type Handler = (event: never) => Promise<void> | void

export function createMemoryBus(log: Logger): Bus {
  const handlers = new Map<keyof Topics, Set<Handler>>()
  return {
    async publish(topic, event) {
      const set = handlers.get(topic)
      if (!set) return
      const runs: Promise<void>[] = []
      for (const h of set) {
        runs.push(
          (async () => {
            try {
              await (h as (e: typeof event) => Promise<void> | void)(event)
            } catch (err) {
              log.error({ err, topic }, 'bus handler failed')
            }
          })(),
        )
      }
      await Promise.all(runs)
    },
    subscribe(topic, handler): Unsubscribe {
      let set = handlers.get(topic)
      if (!set) handlers.set(topic, (set = new Set()))
      set.add(handler)
      return () => set.delete(handler)
    },
    async close() {
      handlers.clear()
      return Promise.resolve()
    },
  }
}
