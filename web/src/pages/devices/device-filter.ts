/**
 * The devices text filter: every word must appear (case-insensitive) in one of the fields a
 * user sees or would search for. Pure.
 *
 * @example
 *   filterDevices(devices, 'lora silent') // LoRaWAN devices whose health is silent
 */
import type { DeviceSummary } from '../../api/types.js'
import { healthBadge } from '../../format/health.js'

function haystack(d: DeviceSummary): string {
  return [
    d.id,
    d.name,
    d.profile,
    d.connectivity,
    d.entityId,
    d.entityType,
    d.health,
    healthBadge(d.health).text,
    d.lastError?.reason,
  ]
    .filter((s): s is string => typeof s === 'string')
    .join('\n')
    .toLowerCase()
}

export function filterTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

export function filterDevices(devices: readonly DeviceSummary[], query: string): DeviceSummary[] {
  const terms = filterTerms(query)
  if (terms.length === 0) return [...devices]
  return devices.filter((d) => {
    const text = haystack(d)
    return terms.every((t) => text.includes(t))
  })
}
