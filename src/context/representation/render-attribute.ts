/**
 * Renders attribute instances of the internal model in the normalized, concise or simplified
 * (keyValues) representation (§4.5), compacting names with the request's @context.
 *
 * @example
 *   renderAttribute([{ type: 'Property', value: 21 }], ctx, { format: 'concise', sysAttrs: false }) // 21
 */
import { INSTANCE_MEMBERS, type AttributeInstance } from '../../core/ngsi.js'
import { isJsonObject } from '../jsonld/core-context.js'
import type { ActiveContext } from '../jsonld/index.js'
import { pickLanguage, type LanguagePreference, type PickedLanguage } from './language.js'
import type { Format } from './output-options.js'

export interface RenderOptions {
  format: Format
  sysAttrs: boolean
  /** `lang=`: LanguageProperties become Properties holding the chosen string. */
  lang?: LanguagePreference | undefined
}

/** Members holding IRIs that compact like @vocab values. */
const VOCAB_MEMBERS = new Set(['vocab', 'objectType', 'valueType', 'entityTypeSealed'])
/** System members, shown only with sysAttrs (expiresAt too, §6.3.11) or never (instanceId here). */
const SYSTEM_MEMBERS = new Set(['createdAt', 'modifiedAt', 'expiresAt', 'instanceId'])

/** One attribute: one instance as an object (or bare value), several as an array or a dataset map. */
export function renderAttribute(
  instances: readonly AttributeInstance[],
  ctx: ActiveContext,
  opts: RenderOptions,
): unknown {
  if (opts.format === 'simplified') {
    // A lone default instance is just its value; any datasetId needs the dataset map to survive.
    const [only] = instances
    if (instances.length === 1 && only?.datasetId === undefined)
      return simplifiedValue(only!, ctx, opts)
    const dataset: Record<string, unknown> = {}
    for (const inst of instances)
      dataset[inst.datasetId ?? '@none'] = simplifiedValue(inst, ctx, opts)
    return { dataset }
  }
  if (instances.length === 1) return renderInstance(instances[0]!, ctx, opts, true)
  return instances.map((inst) => renderInstance(inst, ctx, opts, false))
}

/**
 * One instance in normalized or concise form. `allowBare`: a concise Property with nothing but
 * its value may be just the value (never inside arrays, where it would read as several instances).
 */
export function renderInstance(
  inst: AttributeInstance,
  ctx: ActiveContext,
  opts: RenderOptions,
  allowBare: boolean,
): unknown {
  const picked = languageOf(inst, opts)
  const out: Record<string, unknown> = {}
  if (opts.format === 'normalized') out['type'] = picked ? 'Property' : inst.type
  for (const [key, value] of Object.entries(inst)) {
    if (key === 'type' || SYSTEM_MEMBERS.has(key)) continue
    if (key === 'languageMap' && picked) {
      out['value'] = picked.value
      if (picked.tag !== '@none') out['lang'] = picked.tag
    } else if (VOCAB_MEMBERS.has(key)) {
      out[key] = compactVocab(value, ctx)
    } else if (INSTANCE_MEMBERS.has(key)) {
      out[key] = value
    } else {
      out[ctx.compactIri(key)] = renderInstance(value as AttributeInstance, ctx, opts, true)
    }
  }
  if (opts.sysAttrs) {
    if (inst.createdAt !== undefined) out['createdAt'] = inst.createdAt
    if (inst.modifiedAt !== undefined) out['modifiedAt'] = inst.modifiedAt
    if (inst['expiresAt'] !== undefined) out['expiresAt'] = inst['expiresAt']
  }
  if (opts.format === 'concise' && allowBare && isBareable(out)) return out['value']
  return out
}

function isBareable(out: Record<string, unknown>): boolean {
  const keys = Object.keys(out)
  if (keys.length !== 1 || keys[0] !== 'value') return false
  // Objects and arrays of objects would read back as attributes or instances, so they keep `value`.
  const value = out['value']
  if (isJsonObject(value)) return false
  return !Array.isArray(value) || !value.some((v) => typeof v === 'object' && v !== null)
}

function simplifiedValue(
  inst: AttributeInstance,
  ctx: ActiveContext,
  opts: RenderOptions,
): unknown {
  switch (inst.type) {
    case 'Property':
    case 'GeoProperty':
      return inst.value
    case 'Relationship':
      return inst.object
    case 'ListProperty':
      return inst.valueList
    case 'ListRelationship':
      return inst.objectList
    case 'LanguageProperty': {
      const picked = languageOf(inst, opts)
      return picked ? picked.value : { languageMap: inst.languageMap }
    }
    case 'VocabProperty':
      return { vocab: compactVocab(inst.vocab, ctx) }
    case 'JsonProperty':
      return { json: inst.json }
  }
}

function languageOf(inst: AttributeInstance, opts: RenderOptions): PickedLanguage | undefined {
  if (!opts.lang || inst.type !== 'LanguageProperty' || !inst.languageMap) return undefined
  return pickLanguage(inst.languageMap, opts.lang)
}

function compactVocab(value: unknown, ctx: ActiveContext): unknown {
  if (typeof value === 'string') return ctx.compactIri(value, 'vocab')
  if (Array.isArray(value)) {
    return (value as unknown[]).map((v) => (typeof v === 'string' ? ctx.compactIri(v, 'vocab') : v))
  }
  return value
}
