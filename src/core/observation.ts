/**
 * A measured value of one attribute of one entity at one instant: the unit of history.
 *
 * @example
 *   const o: Observation = { entityId: 'urn:ngsi-ld:AirQualityObserved:s1', attr: `${DEFAULT_VOCAB}no2`,
 *     observedAt: Date.parse('2026-01-01T00:00:00Z'), value: 41.5 }
 */
export type ObservedValue = number | string | boolean | null | Record<string, unknown> | unknown[]

export interface Observation {
  entityId: string
  /** Expanded attribute IRI. */
  attr: string
  /** Epoch milliseconds (UTC). */
  observedAt: number
  value: ObservedValue
  unitCode?: string
  datasetId?: string
  /** Epoch ms when the store took the instance in (a system time, set by the store; §4.8). */
  createdAt?: number
  /** Epoch ms of the instance's last change; equal to createdAt unless it was edited. */
  modifiedAt?: number
}

/** The times an instance of history can be selected and ordered by (besides deletedAt). */
export type InstanceTime = 'observedAt' | 'createdAt' | 'modifiedAt'

/** A time range [from, to) in epoch ms; either side open when undefined. */
export interface TimeRange {
  from?: number
  to?: number
}
