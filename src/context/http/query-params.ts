/**
 * URL query parameters: only the names an operation defines are accepted (anything else is
 * InvalidRequest, §6.3), each at most once; values come typed and checked.
 *
 * @example
 *   const q = readQueryParams(request.query, ['limit', 'offset'])
 *   const limit = parseCount(q.limit, 'limit')
 */
import { AppError } from '../../core/errors.js'

export type QueryParams = Readonly<Record<string, string | undefined>>

export function readQueryParams(raw: unknown, allowed: readonly string[]): QueryParams {
  const out: Record<string, string> = {}
  if (raw === undefined || raw === null) return out
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!allowed.includes(name))
      throw new AppError('InvalidRequest', `unknown URL parameter '${name}'`)
    if (Array.isArray(value))
      throw new AppError('InvalidRequest', `URL parameter '${name}' is given more than once`)
    out[name] = String(value)
  }
  return out
}

/** `true` / `false`, case-insensitively (the suite once sends `True`). */
export function parseBooleanParam(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined
  const v = value.toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new AppError('BadRequestData', `${name} must be true or false, not '${value}'`)
}

/** A non-negative integer; negatives and non-numbers are BadRequestData (§5.5.9). */
export function parseCount(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value.trim()))
    throw new AppError('BadRequestData', `${name} must be an integer, not '${value}'`)
  const n = Number(value)
  if (n < 0) throw new AppError('BadRequestData', `${name} must not be negative`)
  if (!Number.isSafeInteger(n)) throw new AppError('BadRequestData', `${name} is too large`)
  return n
}
