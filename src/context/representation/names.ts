/**
 * Attribute and type names in payloads and URL paths: syntax checks and expansion through the
 * active @context. Every failure is BadRequestData.
 */
import { AppError } from '../../core/errors.js'
import type { ActiveContext } from '../jsonld/index.js'
import { isAbsoluteUri } from './values.js'

/** A short name (term, §4.6.2): a Unicode letter or underscore, then letters, digits or underscores. */
const SIMPLE_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u
/** Characters never valid in a name, short or IRI (they delimit q, pick and type selections). */
const FORBIDDEN = /[\s"'<>{}|\\^`,;()[\]=!~]/

/**
 * Entity members, and core terms defined as non-reified Properties (§4.5.1: "datasetId,
 * instanceId, etc."), that can never be attribute names.
 */
const RESERVED = new Set([
  'id',
  'type',
  'scope',
  'createdAt',
  'modifiedAt',
  'deletedAt',
  'datasetId',
  'instanceId',
  'observedAt',
  'unitCode',
  'objectType',
  'expiresAt',
])

/** VocabProperty values are JSON-LD terms, which may also hold '-' and '.' (e.g. `non-commercial`). */
const VOCAB_TERM = /^[A-Za-z_][A-Za-z0-9_.-]*$/

function hasNameSyntax(name: string, term = SIMPLE_NAME): boolean {
  if (term.test(name)) return true
  const colon = name.indexOf(':')
  return colon > 0 && colon < name.length - 1 && !FORBIDDEN.test(name)
}

function expandName(kind: string, name: string, ctx: ActiveContext, term = SIMPLE_NAME): string {
  if (!hasNameSyntax(name, term))
    throw new AppError('BadRequestData', `invalid ${kind} name '${name}'`)
  const iri = ctx.expandTerm(name)
  if (iri.startsWith('@') || iri.startsWith('_:') || !isAbsoluteUri(iri)) {
    throw new AppError('BadRequestData', `${kind} name '${name}' does not expand to an IRI`)
  }
  return iri
}

/** @throws AppError('BadRequestData') for invalid or reserved names. */
export function expandAttributeName(name: string, ctx: ActiveContext): string {
  if (RESERVED.has(name) || name.startsWith('@')) {
    throw new AppError('BadRequestData', `'${name}' is reserved and cannot be an attribute name`)
  }
  return expandName('attribute', name, ctx)
}

/** Entity types and other vocabulary values (VocabProperty, objectType): `"type":"type"` fails. */
export function expandTypeName(name: unknown, ctx: ActiveContext): string {
  if (typeof name !== 'string' || name === '')
    throw new AppError('BadRequestData', 'type names must be non-empty strings')
  return expandName('type', name, ctx)
}

/** A VocabProperty value: a term (hyphens and dots allowed) or an IRI, expanded as a vocabulary IRI. */
export function expandVocabName(name: unknown, ctx: ActiveContext): string {
  if (typeof name !== 'string' || name === '')
    throw new AppError('BadRequestData', 'vocab values must be non-empty strings')
  return expandName('vocab', name, ctx, VOCAB_TERM)
}
