/**
 * Server-Sent `entity` events: parse the untrusted payload, merge bursts, and pace reconnects.
 * Pure, so the stream logic is tested without a browser.
 *
 * @example
 *   const ev = parseEntityEvent(message.data) // undefined when malformed
 *   if (ev) index.apply(ev)
 */

/** What a live stream reports about its connection. */
export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed'

export interface EntityEvent {
  entityId: string
  type: string
  attrs: Record<string, unknown>
  /** ISO timestamp; absent when the server sent none. */
  observedAt?: string
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function parseEntityEvent(data: string): EntityEvent | undefined {
  let raw: unknown
  try {
    raw = JSON.parse(data)
  } catch {
    return undefined
  }
  if (!isRecord(raw)) return undefined
  const { entityId, type, attrs, observedAt } = raw
  if (typeof entityId !== 'string' || entityId === '' || !isRecord(attrs)) return undefined
  return {
    entityId,
    type: typeof type === 'string' ? type : '',
    attrs,
    ...(typeof observedAt === 'string' && { observedAt }),
  }
}

/** Folds a newer event into an older one for the same entity (later values win). */
export function mergeEvents(older: EntityEvent, newer: EntityEvent): EntityEvent {
  const observedAt = laterIso(older.observedAt, newer.observedAt)
  return {
    entityId: newer.entityId,
    type: newer.type || older.type,
    attrs: { ...older.attrs, ...newer.attrs },
    ...(observedAt !== undefined && { observedAt }),
  }
}

function laterIso(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return Date.parse(b) >= Date.parse(a) ? b : a
}

/**
 * Delay before re-opening a stream the browser gave up on: exponential from 1 s, capped at 60 s,
 * with ±25 % jitter so a hundred dashboards do not all return in the same second after a restart.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, Math.min(attempt, 16)))
  return Math.round(base * (0.75 + 0.5 * random()))
}

/**
 * A stream status handler that calls `resync` when the stream comes back after a drop (events
 * sent meanwhile are lost), at most once per `minIntervalMs`. The first connection does not count.
 */
export function resyncOnReconnect(
  resync: () => void,
  minIntervalMs = 30_000,
  now: () => number = Date.now,
): (status: StreamStatus) => void {
  let dropped = false
  let last = Number.NEGATIVE_INFINITY
  return (status) => {
    if (status === 'reconnecting') {
      dropped = true
    } else if (status === 'live' && dropped) {
      dropped = false
      const t = now()
      if (t - last >= minIntervalMs) {
        last = t
        resync()
      }
    }
  }
}

/**
 * Attribute name → observedAt of its default instance, from an entity in normalized form (the
 * keyValues form the pages read has no times). Attributes without one are left out.
 */
export function observedTimes(normalized: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isRecord(normalized)) return out
  for (const [name, attr] of Object.entries(normalized)) {
    if (name === 'id' || name === 'type' || name === 'scope' || name === '@context') continue
    const instances: unknown[] = Array.isArray(attr) ? (attr as unknown[]) : [attr]
    const chosen =
      instances.find((i) => isRecord(i) && i['datasetId'] === undefined) ?? instances[0]
    if (isRecord(chosen) && typeof chosen['observedAt'] === 'string')
      out[name] = chosen['observedAt']
  }
  return out
}
