/**
 * The event bus port: how modules hear about changes without knowing each other. In-process by
 * default (memory-bus.ts); NATS JetStream carries the same topics between nodes later.
 *
 * @example
 *   bus.subscribe('entity.changed', async (e) => { ... })
 *   await bus.publish('entity.changed', { tenant, entityId, ... })
 */
import type { Entity } from '../core/ngsi.js'

export interface EntityChanged {
  tenant: string
  entityId: string
  /** Expanded type IRIs. */
  types: string[]
  kind: 'created' | 'updated' | 'deleted'
  /** Expanded names of attributes that were created, updated or deleted. */
  attrs: string[]
  /** The entity after the change (before it, for deletions). */
  entity: Entity
  /** The entity before the change, when there was one (for showChanges). */
  previous?: Entity
  source: 'api' | 'ingest'
}

export interface Topics {
  'entity.changed': EntityChanged
}

export type Unsubscribe = () => void

export interface Bus {
  publish<T extends keyof Topics>(topic: T, event: Topics[T]): Promise<void>
  subscribe<T extends keyof Topics>(
    topic: T,
    handler: (event: Topics[T]) => Promise<void> | void,
  ): Unsubscribe
  close(): Promise<void>
}
