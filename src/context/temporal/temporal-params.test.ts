import { describe, expect, it } from 'vitest'
import { isAppError } from '../../core/errors.js'
import { parseTemporalParams, type RawTemporalParams } from './temporal-params.js'

const T = '2026-01-01T00:00:00Z'
const t = Date.parse(T)
const U = '2026-01-02T00:00:00Z'
const u = Date.parse(U)

function kindOf(raw: RawTemporalParams, required = false): string | undefined {
  try {
    parseTemporalParams(raw, required)
    return undefined
  } catch (err) {
    return isAppError(err) ? err.kind : 'not an AppError'
  }
}

describe('parseTemporalParams', () => {
  it('reads the three timerels with the spec bounds', () => {
    expect(parseTemporalParams({ timerel: 'after', timeAt: T }, true).range).toEqual({ from: t })
    expect(parseTemporalParams({ timerel: 'before', timeAt: T }, true).range).toEqual({ to: t })
    expect(
      parseTemporalParams({ timerel: 'between', timeAt: T, endTimeAt: U }, true).range,
    ).toEqual({ from: t, to: u })
    expect(parseTemporalParams({}, false)).toEqual({
      range: {},
      timeproperty: 'observedAt',
      format: 'normalized',
      sysAttrs: false,
    })
    expect(parseTemporalParams({ timeproperty: 'deletedAt' }, false).timeproperty).toBe('deletedAt')
  })

  it.each(['createdAt', 'modifiedAt'])('accepts timeproperty=%s (kept per instance)', (t) => {
    const params = parseTemporalParams({ timerel: 'after', timeAt: T, timeproperty: t }, true)
    expect(params.timeproperty).toBe(t)
    expect(params.range).toEqual({ from: Date.parse(T) })
  })

  it.each<[RawTemporalParams, string, boolean?]>([
    [{}, 'BadRequestData', true],
    [{ timerel: 'after' }, 'BadRequestData'],
    [{ timerel: 'between', timeAt: T }, 'BadRequestData'],
    [{ timerel: 'between', timeAt: U, endTimeAt: T }, 'BadRequestData'],
    [{ timerel: 'during', timeAt: T }, 'BadRequestData'],
    [{ timerel: 'after', timeAt: 'yesterday' }, 'BadRequestData'],
    [{ timeAt: T }, 'BadRequestData'],
    [{ timerel: 'after', timeAt: T, endTimeAt: U }, 'BadRequestData'],
    [{ lastN: '0' }, 'BadRequestData'],
    [{ lastN: '-2' }, 'BadRequestData'],
    [
      { timeproperty: 'modifiedAt', options: 'aggregatedValues', aggrMethods: 'avg' },
      'OperationNotSupported',
    ],
    [{ timeproperty: 'whenever' }, 'BadRequestData'],
    [{ options: 'temporalValues,aggregatedValues' }, 'InvalidRequest'],
    [{ options: 'fancy' }, 'InvalidRequest'],
    [{ format: 'fancy' }, 'InvalidRequest'],
    [{ options: 'aggregatedValues' }, 'BadRequestData'],
    [{ options: 'aggregatedValues', aggrMethods: 'median' }, 'BadRequestData'],
    [
      { options: 'aggregatedValues', aggrMethods: 'avg', aggrPeriodDuration: 'hourly' },
      'BadRequestData',
    ],
  ])('refuses %j with %s', (raw, kind, required) => {
    expect(kindOf(raw, required)).toBe(kind)
  })

  it('reads lastN, the representation (format wins over options) and aggregation', () => {
    expect(parseTemporalParams({ lastN: '3', options: 'temporalValues' }, false)).toMatchObject({
      lastN: 3,
      format: 'temporalValues',
    })
    expect(
      parseTemporalParams({ options: 'temporalValues', format: 'normalized' }, false).format,
    ).toBe('normalized')
    expect(
      parseTemporalParams(
        { options: 'aggregatedValues', aggrMethods: 'avg,max,avg', aggrPeriodDuration: 'PT1H' },
        false,
      ).aggr,
    ).toEqual({ methods: ['avg', 'max'], periodMs: 3_600_000, periodMonths: 0 })
    expect(
      parseTemporalParams({ format: 'aggregatedValues', aggrMethods: 'sum' }, false).aggr,
    ).toEqual({ methods: ['sum'], periodMs: 0, periodMonths: 0 })
    expect(
      parseTemporalParams(
        { format: 'aggregatedValues', aggrMethods: 'sum', aggrPeriodDuration: 'P1Y' },
        false,
      ).aggr,
    ).toEqual({ methods: ['sum'], periodMs: 0, periodMonths: 12 })
  })
})
