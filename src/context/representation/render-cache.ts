/**
 * Serialized renderings of entity snapshots. The store hands out shared, never-mutated snapshot
 * objects for hot entities and replaces the object whenever the entity changes, so the snapshot's
 * identity is its version: a rendering cached against the object (in a WeakMap) can never be
 * stale, and it is collected together with the snapshot. Rendering and JSON serialisation were
 * about a third of the CPU of a query answering 20 entities; a repeated page now costs a string
 * join.
 *
 * The profile key names everything else a rendering depends on: media type, @context (by the
 * active context's identity; contexts are cached per distinct user context), output options and
 * projection.
 */
import type { Entity } from '../../core/ngsi.js'

/** Profiles kept per snapshot: a snapshot is rarely read in more than a couple of shapes. */
const PROFILES_PER_ENTITY = 4

export class RenderCache {
  private readonly byEntity = new WeakMap<Entity, Map<string, string | null>>()
  private readonly contextIds = new WeakMap<object, number>()
  private nextContextId = 1

  /** A short stable id for an active context object, for use in profile keys. */
  contextId(ctx: object): number {
    let id = this.contextIds.get(ctx)
    if (id === undefined) {
      id = this.nextContextId++
      this.contextIds.set(ctx, id)
    }
    return id
  }

  /**
   * The entity rendered and serialized under `profile`; `null` from `render` (nothing left to
   * show) is remembered as such.
   */
  json(entity: Entity, profile: string, render: () => unknown): string | null {
    let profiles = this.byEntity.get(entity)
    const hit = profiles?.get(profile)
    if (hit !== undefined) return hit
    const rendered = render()
    const text = rendered === undefined || rendered === null ? null : JSON.stringify(rendered)
    if (!profiles) {
      profiles = new Map()
      this.byEntity.set(entity, profiles)
    } else if (profiles.size >= PROFILES_PER_ENTITY) profiles.clear()
    profiles.set(profile, text)
    return text
  }
}
