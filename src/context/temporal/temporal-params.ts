/**
 * The temporal query of GS CIM 009 §4.11 and §6.18.3: timerel / timeAt / endTimeAt /
 * timeproperty, lastN, and the temporal representation (normalized, temporalValues,
 * aggregatedValues with aggrMethods and aggrPeriodDuration), from URL parameters or a temporalQ.
 *
 * Bounds: `after` is inclusive (t ≥ timeAt), `before` exclusive (t < timeAt), `between`
 * [timeAt, endTimeAt). The timeproperty (§4.11) is `observedAt` (default), `createdAt` or
 * `modifiedAt` (the system times history keeps per instance) or `deletedAt` (the deletions the
 * Core API recorded, core-history.ts).
 *
 * @example
 *   parseTemporalParams({ timerel: 'after', timeAt: '2026-01-01T00:00:00Z', lastN: '5' }, false)
 */
import { AppError } from '../../core/errors.js'
import type { InstanceTime, TimeRange } from '../../core/observation.js'
import type { AggrMethod } from '../../store/store.js'
import { parseDateTime } from '../query/temporal.js'
import { parseOptionsList } from '../representation/index.js'
import { parsePeriod } from '../../core/iso-duration.js'

export type TemporalFormat = 'normalized' | 'temporalValues' | 'aggregatedValues'

export interface TemporalParams {
  range: TimeRange
  /** The time the range applies to and instances are ordered by. */
  timeproperty: InstanceTime | 'deletedAt'
  timerel?: 'before' | 'after' | 'between'
  timeAt?: number
  endTimeAt?: number
  lastN?: number
  format: TemporalFormat
  sysAttrs: boolean
  aggr?: { methods: AggrMethod[]; periodMs: number; periodMonths: number }
}

export interface RawTemporalParams {
  timerel?: string | undefined
  timeAt?: string | undefined
  endTimeAt?: string | undefined
  timeproperty?: string | undefined
  lastN?: string | undefined
  options?: string | undefined
  format?: string | undefined
  aggrMethods?: string | undefined
  aggrPeriodDuration?: string | undefined
}

const AGGR_METHODS: readonly AggrMethod[] = [
  'totalCount',
  'distinctCount',
  'sum',
  'avg',
  'min',
  'max',
  'stddev',
  'sumsq',
]
const TIME_PROPERTIES: readonly TemporalParams['timeproperty'][] = [
  'observedAt',
  'createdAt',
  'modifiedAt',
  'deletedAt',
]
const OPTIONS = ['temporalValues', 'aggregatedValues', 'normalized', 'sysAttrs'] as const
const FORMATS: readonly string[] = ['temporalValues', 'aggregatedValues', 'normalized']

function bad(message: string): AppError {
  return new AppError('BadRequestData', message)
}

function instant(text: string, name: string): number {
  const t = parseDateTime(text)
  if (t === undefined) throw bad(`${name}: '${text}' is not a date-time`)
  return t
}

/** `requireTimerel`: Query Temporal Evolution needs a temporal query (§5.7.4), Retrieve not. */
export function parseTemporalParams(
  raw: RawTemporalParams,
  requireTimerel: boolean,
): TemporalParams {
  const out: TemporalParams = {
    range: {},
    timeproperty: 'observedAt',
    format: 'normalized',
    sysAttrs: false,
  }
  const { timerel } = raw
  if (timerel === undefined) {
    if (requireTimerel) throw bad('a temporal query needs timerel and timeAt')
    if (raw.timeAt !== undefined || raw.endTimeAt !== undefined)
      throw bad('timeAt and endTimeAt need timerel')
  } else {
    if (timerel !== 'before' && timerel !== 'after' && timerel !== 'between')
      throw bad(`timerel must be before, after or between, not '${timerel}'`)
    if (raw.timeAt === undefined) throw bad(`timerel=${timerel} needs timeAt`)
    const timeAt = instant(raw.timeAt, 'timeAt')
    out.timerel = timerel
    out.timeAt = timeAt
    if (timerel === 'between') {
      if (raw.endTimeAt === undefined) throw bad('timerel=between needs endTimeAt')
      const endTimeAt = instant(raw.endTimeAt, 'endTimeAt')
      if (endTimeAt <= timeAt) throw bad('endTimeAt must be after timeAt')
      out.endTimeAt = endTimeAt
      out.range = { from: timeAt, to: endTimeAt }
    } else {
      if (raw.endTimeAt !== undefined) throw bad(`endTimeAt is only for timerel=between`)
      out.range = timerel === 'after' ? { from: timeAt } : { to: timeAt }
    }
  }
  const property = raw.timeproperty ?? 'observedAt'
  if (!TIME_PROPERTIES.includes(property as TemporalParams['timeproperty']))
    throw bad(`timeproperty must be observedAt, createdAt, modifiedAt or deletedAt`)
  out.timeproperty = property as TemporalParams['timeproperty']
  if (raw.lastN !== undefined) {
    if (!/^\d+$/.test(raw.lastN.trim()) || Number(raw.lastN) < 1)
      throw bad(`lastN must be a positive integer, not '${raw.lastN}'`)
    out.lastN = Number(raw.lastN)
  }
  const tokens = parseOptionsList(raw.options, OPTIONS)
  out.sysAttrs = tokens.has('sysAttrs')
  const named = [...tokens].filter((t) => t !== 'sysAttrs') as TemporalFormat[]
  if (named.length > 1)
    throw new AppError('InvalidRequest', `options names more than one representation`)
  if (raw.format !== undefined) {
    if (!FORMATS.includes(raw.format))
      throw new AppError('InvalidRequest', `format: unknown value '${raw.format}'`)
    out.format = raw.format as TemporalFormat
  } else if (named[0]) out.format = named[0]
  if (out.format === 'aggregatedValues') {
    if (raw.aggrMethods === undefined) throw bad('aggregatedValues needs aggrMethods')
    const methods = raw.aggrMethods.split(',').map((m) => m.trim())
    for (const m of methods)
      if (!AGGR_METHODS.includes(m as AggrMethod)) throw bad(`aggrMethods: unknown method '${m}'`)
    // Calendar periods (P1M, P1Y) are months in UTC; the rest have a fixed length.
    const period = parsePeriod(raw.aggrPeriodDuration ?? 'PT0S', 'aggrPeriodDuration')
    out.aggr = {
      methods: [...new Set(methods)] as AggrMethod[],
      periodMs: period.ms,
      periodMonths: period.months,
    }
    // Rollups and periods are kept by observedAt; aggregating by a system time would read raw.
    if (out.timeproperty === 'createdAt' || out.timeproperty === 'modifiedAt')
      throw new AppError(
        'OperationNotSupported',
        `aggregatedValues by timeproperty=${out.timeproperty} is not supported: periods follow observedAt`,
      )
  }
  return out
}
