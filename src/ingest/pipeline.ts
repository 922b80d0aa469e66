/**
 * The ingest pipeline, the same for every transport:
 *   decode → validate (device profile) → normalise (entity patch + observations) → group commit
 *   → publish `entity.changed` on the bus.
 * `accept()` resolves only when the data is durable, so transports acknowledge from there.
 *
 * @example
 *   const pipeline = createIngestPipeline({ store, bus, log, profiles: BUILTIN_PROFILES, config })
 *   await pipeline.accept(device, payloadBytes)   // then PUBACK / HTTP 200
 */
import { AppError, isAppError } from '../core/errors.js'
import type { Device, DeviceProfile } from '../core/device.js'
import { IRI, type AttributeInstance } from '../core/ngsi.js'
import type { Observation } from '../core/observation.js'
import type { Bus, EntityChanged } from '../bus/bus.js'
import type { Logger } from '../log/logger.js'
import type { EntityPatch, Store } from '../store/store.js'
import { decodeMeasurements, type DecodedMessage } from './decode-measurements.js'
import { GroupCommitter } from './group-commit.js'

export interface IngestConfig {
  maxBatchPoints: number
  maxQueuedPoints: number
  maxMeasurements: number
}

export interface IngestPipeline {
  /** Validates and durably stores one message. @throws AppError (rejection already counted). */
  accept(device: Device, payload: unknown, receivedAt?: number): Promise<{ points: number }>
  /** Durably stores a batch of messages from one device (HTTP batch); all or nothing. */
  acceptMany(
    device: Device,
    payloads: readonly unknown[],
    receivedAt?: number,
  ): Promise<{ points: number }>
  /** Counts a rejection that happened before decoding (auth, topic, size). */
  noteRejected(device: Pick<Device, 'tenant' | 'id'>, reason: string): void
  hasRoom(): boolean
  waitForRoom(): Promise<void>
  readonly committer: GroupCommitter
  close(): Promise<void>
}

export interface IngestDeps {
  store: Pick<Store, 'ingest'>
  bus: Bus
  log: Logger
  profiles: ReadonlyMap<string, DeviceProfile>
  config: IngestConfig
  now?: () => number
  /**
   * Expands a measurement name to its attribute IRI with the @context ingest uses (the NGSI-LD core
   * context: `status` → ngsi-ld:status, `no2` → default-context/no2), exactly as a client posting
   * the same name without a Link header would get.
   */
  expandName: (name: string) => string
  /** Observers for metrics: called after each commit and each rejection. */
  hooks?: { committed?(ms: number, points: number): void; rejected?(reason: string): void }
}

export function createIngestPipeline(deps: IngestDeps): IngestPipeline {
  const now = deps.now ?? Date.now
  const committer = new GroupCommitter(deps.store, {
    maxBatchPoints: deps.config.maxBatchPoints,
    maxQueuedPoints: deps.config.maxQueuedPoints,
    onCommitted(results, stats) {
      deps.hooks?.committed?.(stats.ms, stats.points)
      for (const r of results) {
        const event: EntityChanged = {
          tenant: r.tenant,
          entityId: r.entity.id,
          types: r.entity.types,
          kind: r.kind,
          attrs: r.changed,
          entity: r.entity,
          source: 'ingest',
        }
        if (r.previous) event.previous = r.previous
        void deps.bus.publish('entity.changed', event)
      }
    },
    onError(err) {
      deps.log.error({ err }, 'ingest commit failed')
    },
  })

  // Expanded names are interned: the same string object every time, so the store's maps hash it once.
  const expanded = new Map<string, string>()
  const expandName = (name: string): string => {
    let iri = expanded.get(name)
    if (iri === undefined) {
      iri = deps.expandName(name)
      if (expanded.size < 100_000) expanded.set(name, iri)
    }
    return iri
  }

  const profileOf = (device: Device): DeviceProfile => {
    const p = deps.profiles.get(device.profile)
    if (!p)
      throw new AppError(
        'InternalError',
        `device ${device.id} has unknown profile ${device.profile}`,
      )
    return p
  }

  const decode = (device: Device, payload: unknown, at: number): DecodedMessage => {
    try {
      return decodeMeasurements(payload, profileOf(device), {
        now: at,
        maxMeasurements: deps.config.maxMeasurements,
      })
    } catch (err) {
      const reason = isAppError(err) ? err.message : String(err)
      deps.hooks?.rejected?.(reason)
      committer.noteActivity(device.tenant, device.id, new Date(at).toISOString(), false, reason)
      throw err
    }
  }

  const submit = async (
    device: Device,
    messages: DecodedMessage[],
    at: number,
  ): Promise<{ points: number }> => {
    const observations: Observation[] = []
    const attrs: Record<string, AttributeInstance> = {}
    for (const m of messages) {
      const observedAt = new Date(m.observedAt).toISOString()
      for (const x of m.measurements) {
        const attr = expandName(x.name)
        const inst: AttributeInstance = x.geo
          ? { type: 'GeoProperty', value: x.geo, observedAt }
          : { type: 'Property', value: x.value, observedAt }
        if (x.unitCode !== undefined) inst.unitCode = x.unitCode
        const prev = attrs[attr]
        if (!prev || (prev.observedAt ?? '') <= observedAt) attrs[attr] = inst
        const o: Observation = {
          entityId: device.entityId,
          attr,
          observedAt: m.observedAt,
          value: x.value,
        }
        if (x.unitCode !== undefined) o.unitCode = x.unitCode
        observations.push(o)
      }
    }
    const patch: EntityPatch = {
      entityId: device.entityId,
      entityType: expandName(device.entityType),
      attrs,
    }
    if (device.location) {
      patch.onCreate = {
        [IRI.location]: {
          type: 'GeoProperty',
          value: { type: 'Point', coordinates: [device.location.lon, device.location.lat] },
        },
      }
    }
    committer.noteActivity(device.tenant, device.id, new Date(at).toISOString(), true)
    await committer.submit({
      tenant: device.tenant,
      patch,
      observations,
      points: observations.length,
    })
    return { points: observations.length }
  }

  return {
    committer,
    accept(device, payload, receivedAt = now()) {
      try {
        return submit(device, [decode(device, payload, receivedAt)], receivedAt)
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    },
    acceptMany(device, payloads, receivedAt = now()) {
      try {
        if (payloads.length === 0) throw new AppError('BadRequestData', 'batch is empty')
        const decoded = payloads.map((p, i) => {
          try {
            return decode(device, p, receivedAt)
          } catch (err) {
            if (isAppError(err)) throw new AppError(err.kind, `item ${i}: ${err.message}`)
            throw err
          }
        })
        return submit(device, decoded, receivedAt)
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    },
    noteRejected(device, reason) {
      deps.hooks?.rejected?.(reason)
      committer.noteActivity(device.tenant, device.id, new Date(now()).toISOString(), false, reason)
    },
    hasRoom: () => committer.hasRoom(),
    waitForRoom: () => committer.waitForRoom(),
    close: () => committer.close(),
  }
}
