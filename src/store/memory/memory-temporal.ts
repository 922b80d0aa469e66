/**
 * The temporal part of the memory store: observations kept as they arrived, sorted on read. It
 * keeps no rollups, so every aggregate comes from raw points, which is what the contract suite
 * compares the SQLite rollups against.
 *
 * @example
 *   const history = createMemoryTemporal()
 *   history.append('default', observations)
 *   await history.temporal.query('default', { entityId, range: {}, limit: 100 })
 */
import type { InstanceTime, Observation, ObservedValue } from '../../core/observation.js'
import { keptSlice, timeOf } from '../instance-window.js'
import type { AggregateSeries, HistoryEvent, TemporalStore } from '../store.js'
import { aggregateSeries } from '../temporal-aggregate.js'

export interface MemoryTemporal {
  temporal: TemporalStore
  append(tenant: string, observations: readonly Observation[]): void
}

/** `now` stamps createdAt on append and modifiedAt on edits (epoch ms). */
export function createMemoryTemporal(now: () => number = Date.now): MemoryTemporal {
  /** tenant → entity → observations in arrival order. */
  const history = new Map<string, Map<string, Observation[]>>()
  /** tenant → history events in the order recorded. */
  const events = new Map<string, HistoryEvent[]>()
  const seriesOf = (tenant: string, id: string): Observation[] => {
    let byEntity = history.get(tenant)
    if (!byEntity) history.set(tenant, (byEntity = new Map<string, Observation[]>()))
    let list = byEntity.get(id)
    if (!list) byEntity.set(id, (list = []))
    return list
  }
  const byAttr = (tenant: string, id: string, attrs: readonly string[] | undefined) => {
    const out = new Map<string, Observation[]>()
    for (const o of history.get(tenant)?.get(id) ?? []) {
      if (attrs && !attrs.includes(o.attr)) continue
      const list = out.get(o.attr)
      if (list) list.push(o)
      else out.set(o.attr, [o])
    }
    return out
  }

  const append = (tenant: string, observations: readonly Observation[]): void => {
    const at = now()
    for (const o of observations)
      seriesOf(tenant, o.entityId).push({ ...structuredClone(o), createdAt: at, modifiedAt: at })
  }
  /** Instances of `list` with their time under `key` in [from, to), ordered by it (stable). */
  const inWindow = (
    list: readonly Observation[],
    key: InstanceTime | undefined,
    range: { from?: number; to?: number },
  ): Observation[] => {
    const from = range.from ?? -Infinity
    const to = range.to ?? Infinity
    return list
      .map((o, i) => ({ o, i, t: timeOf(o, key) ?? NaN }))
      .filter(({ t }) => t >= from && t < to)
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map(({ o }) => structuredClone(o))
  }

  const temporal: TemporalStore = {
    query(tenant, q) {
      const out = new Map<string, Observation[]>()
      for (const [attr, list] of byAttr(tenant, q.entityId, q.attrs)) {
        const found = inWindow(list, q.timeproperty, q.range)
        const [start, end] = keptSlice(found.length, q.lastN, q.limit)
        if (end > start) out.set(attr, found.slice(start, end))
      }
      return Promise.resolve(out)
    },
    aggregate(tenant, q) {
      const out = new Map<string, AggregateSeries>()
      for (const [attr, list] of byAttr(tenant, q.entityId, q.attrs)) {
        const result = aggregateSeries(
          {
            raw(from, to) {
              const ts: number[] = []
              const values: ObservedValue[] = []
              for (const o of list) {
                if (o.observedAt < from || o.observedAt >= to) continue
                ts.push(o.observedAt)
                values.push(o.value)
              }
              return { ts, values }
            },
            earliest: () =>
              list.length === 0 ? undefined : Math.min(...list.map((o) => o.observedAt)),
          },
          q,
        )
        const unitCode = list.find((o) => o.unitCode !== undefined)?.unitCode
        if (result) out.set(attr, unitCode === undefined ? result : { ...result, unitCode })
      }
      return Promise.resolve(out)
    },
    async *scan(tenant, q) {
      for (const id of q.entityIds) {
        for (const list of byAttr(tenant, id, q.attrs).values()) {
          const batch = inWindow(list, q.timeproperty, q.range)
          if (batch.length > 0) yield batch
          await Promise.resolve()
        }
      }
    },
    deleteEntity(tenant, id) {
      history.get(tenant)?.delete(id)
      const list = events.get(tenant)
      if (list)
        events.set(
          tenant,
          list.filter((e) => e.entityId !== id),
        )
      return Promise.resolve()
    },
    append(tenant, observations) {
      append(tenant, observations)
      return Promise.resolve()
    },
    deleteAttribute(tenant, id, attr, which) {
      const goes = (o: { entityId: string; attr: string; datasetId?: string }) =>
        o.entityId === id &&
        o.attr === attr &&
        (which.all === true || o.datasetId === which.datasetId)
      const tenantEvents = events.get(tenant) ?? []
      const keptEvents = tenantEvents.filter((e) => !goes(e))
      events.set(tenant, keptEvents)
      const list = history.get(tenant)?.get(id) ?? []
      const kept = list.filter((o) => !goes(o))
      history.get(tenant)?.set(id, kept)
      return Promise.resolve(kept.length < list.length || keptEvents.length < tenantEvents.length)
    },
    recordEvents(tenant, recorded) {
      const list = events.get(tenant) ?? []
      for (const e of recorded) list.push(structuredClone(e))
      events.set(tenant, list)
      return Promise.resolve()
    },
    events(tenant, q) {
      const ids = q.entityIds && new Set(q.entityIds)
      const attrs = q.attrs && new Set(q.attrs)
      return Promise.resolve(
        (events.get(tenant) ?? [])
          .filter((e) => (!ids || ids.has(e.entityId)) && (!attrs || attrs.has(e.attr)))
          .map((e) => structuredClone(e)),
      )
    },
    editInstances(tenant, id, edits) {
      const list = history.get(tenant)?.get(id) ?? []
      const done = edits.map(({ attr, at, value }) => {
        let seen = 0
        const i = list.findIndex(
          (o) =>
            o.attr === attr &&
            o.datasetId === at.datasetId &&
            o.observedAt === at.observedAt &&
            seen++ === at.nth,
        )
        const found = list[i]
        if (!found) return false
        if (value) {
          found.value = structuredClone(value.value)
          found.modifiedAt = now()
        } else list.splice(i, 1)
        return true
      })
      return Promise.resolve(done)
    },
  }
  return { temporal, append }
}
