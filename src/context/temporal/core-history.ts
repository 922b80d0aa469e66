/**
 * What a Core API change leaves in the temporal evolution (§4.5.6, §4.5.7, §4.18): every
 * attribute instance it wrote (new, or different from before) becomes an instance of history
 * with createdAt = modifiedAt = the time of the change, and observedAt only when the attribute
 * has one; every attribute instance it removed becomes an instance with `deletedAt` and the
 * NGSI-LD Null of its kind (§5.2.1); and a new or removed Scope becomes a Scope instance (a
 * Property whose observedAt copies modifiedAt; `[]` with deletedAt when removed). Ingest and the
 * temporal API write their instances as observations instead (compressed, in the chunks).
 *
 * @example
 *   await store.entities.update(tenant, id, change, (c) => coreHistoryEvents(c, Date.now()))
 */
import {
  IRI,
  NGSI_LD,
  NGSI_LD_NULL,
  type AttributeInstance,
  type AttributeType,
  type Entity,
} from '../../core/ngsi.js'
import type { ObservedValue } from '../../core/observation.js'
import type { EntityChange, HistoryEvent } from '../../store/store.js'
import { VALUE_MEMBER } from '../representation/index.js'

/** `now` (epoch ms) stamps a deletion of the whole entity, which leaves no modifiedAt behind. */
export function coreHistoryEvents(change: EntityChange, now: number): HistoryEvent[] {
  const { entity } = change
  const out: HistoryEvent[] = []
  if (change.kind === 'deleted') {
    for (const [attr, instances] of Object.entries(entity.attrs))
      for (const inst of instances) out.push(deletion(entity.id, attr, inst, now))
    if (hasScopes(entity)) out.push(scopeDeletion(entity.id, now))
    return out
  }
  const at = timeOf(entity.modifiedAt, now)
  const previous = change.kind === 'updated' ? change.previous : undefined
  // An update whose earlier state is unknown cannot tell what it wrote.
  if (change.kind === 'created' || previous) out.push(...writtenInstances(entity, previous, at))
  if (previous) {
    for (const [attr, instances] of Object.entries(previous.attrs)) {
      const kept = entity.attrs[attr]
      for (const inst of instances)
        if (!kept?.some((k) => k.datasetId === inst.datasetId))
          out.push(deletion(entity.id, attr, inst, at))
    }
  }
  if (change.kind === 'updated' && !previous) return out
  const before = previous?.scopes ?? []
  const after = entity.scopes ?? []
  if (sameScopes(before, after)) return out
  if (after.length > 0)
    out.push({
      entityId: entity.id,
      attr: IRI.scope,
      kind: 'Property',
      value: [...after],
      observedAt: at,
      modifiedAt: at,
    })
  else out.push(scopeDeletion(entity.id, at))
  return out
}

/** The entity's system member kept among its attributes (parse-entity.ts), not an attribute. */
const EXPIRES_AT = `${NGSI_LD}expiresAt`

/** One instance of history per attribute instance that is new or changed since `previous`. */
function writtenInstances(
  entity: Entity,
  previous: Entity | undefined,
  at: number,
): HistoryEvent[] {
  const out: HistoryEvent[] = []
  for (const [attr, instances] of Object.entries(entity.attrs)) {
    if (attr === EXPIRES_AT) continue
    for (const inst of instances) {
      const before = previous?.attrs[attr]?.find((p) => p.datasetId === inst.datasetId)
      if (before && sameContent(before, inst)) continue
      const e: HistoryEvent = {
        entityId: entity.id,
        attr,
        kind: inst.type,
        value: (inst[VALUE_MEMBER[inst.type]] ?? null) as ObservedValue,
        createdAt: at,
        modifiedAt: at,
      }
      const observedAt = inst.observedAt === undefined ? NaN : Date.parse(inst.observedAt)
      if (!Number.isNaN(observedAt)) e.observedAt = observedAt
      if (inst.datasetId !== undefined) e.datasetId = inst.datasetId
      out.push(e)
    }
  }
  return out
}

/** Equal but for the system times, which every write renews. */
function sameContent(a: AttributeInstance, b: AttributeInstance): boolean {
  const strip = ({ createdAt: _c, modifiedAt: _m, ...rest }: AttributeInstance) => rest
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b))
}

/** The NGSI-LD Null standing for a deleted value of this kind (§5.2.1), as notifications show it. */
export function nullValueOf(kind: AttributeType): ObservedValue {
  return kind === 'LanguageProperty' ? { '@none': NGSI_LD_NULL } : NGSI_LD_NULL
}

function deletion(
  entityId: string,
  attr: string,
  inst: { type: AttributeType; datasetId?: string },
  at: number,
): HistoryEvent {
  const e: HistoryEvent = {
    entityId,
    attr,
    kind: inst.type,
    value: nullValueOf(inst.type),
    modifiedAt: at,
    deletedAt: at,
  }
  if (inst.datasetId !== undefined) e.datasetId = inst.datasetId
  return e
}

function scopeDeletion(entityId: string, at: number): HistoryEvent {
  return { entityId, attr: IRI.scope, kind: 'Property', value: [], modifiedAt: at, deletedAt: at }
}

function hasScopes(e: Entity): boolean {
  return (e.scopes?.length ?? 0) > 0
}

function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((s) => set.has(s))
}

function timeOf(iso: string, fallback: number): number {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? fallback : t
}
