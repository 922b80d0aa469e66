/**
 * `format` and `options` URL parameters (§6.3): which representation to render and whether to
 * add system attributes. `format` wins over a representation named in `options`.
 *
 * @example
 *   parseOutputOptions({ options: 'keyValues,sysAttrs' }) // { format: 'simplified', sysAttrs: true }
 */
import { AppError } from '../../core/errors.js'

export type Format = 'normalized' | 'concise' | 'simplified'

export interface OutputOptions {
  format: Format
  sysAttrs: boolean
}

const FORMATS = new Map<string, Format>([
  ['normalized', 'normalized'],
  ['concise', 'concise'],
  ['simplified', 'simplified'],
  ['keyValues', 'simplified'],
])

/**
 * The comma-separated tokens of `options`; any token not in `allowed` is InvalidRequest.
 *
 * @example
 *   parseOptionsList('noOverwrite', ['noOverwrite']) // Set { 'noOverwrite' }
 */
export function parseOptionsList(
  text: string | undefined,
  allowed: readonly string[],
): Set<string> {
  const tokens = new Set<string>()
  if (text === undefined) return tokens
  for (const raw of text.split(',')) {
    const token = raw.trim()
    if (!allowed.includes(token)) {
      throw new AppError(
        'InvalidRequest',
        `options: unknown value '${token}' (allowed: ${allowed.join(', ')})`,
      )
    }
    tokens.add(token)
  }
  return tokens
}

export const ENTITY_OUTPUT_OPTIONS = [
  'keyValues',
  'simplified',
  'concise',
  'normalized',
  'sysAttrs',
] as const

export function parseOutputOptions(params: {
  format?: string | undefined
  options?: string | undefined
}): OutputOptions {
  const tokens = parseOptionsList(params.options, ENTITY_OUTPUT_OPTIONS)
  const named = [
    ...new Set([...tokens].filter((t) => t !== 'sysAttrs').map((t) => FORMATS.get(t)!)),
  ]
  if (named.length > 1)
    throw new AppError(
      'InvalidRequest',
      `options names more than one representation: ${params.options}`,
    )
  let format: Format = named[0] ?? 'normalized'
  if (params.format !== undefined) {
    const byFormat = FORMATS.get(params.format)
    if (!byFormat) {
      throw new AppError(
        'InvalidRequest',
        `format: unknown value '${params.format}' (normalized, concise, simplified, keyValues)`,
      )
    }
    format = byFormat
  }
  return { format, sysAttrs: tokens.has('sysAttrs') }
}
