/**
 * Simplified (keyValues) input for Merge Entity (§5.6.17): bare values carry no attribute type,
 * so each one takes the kind of the attribute it lands on; a new attribute is read as concise
 * (a Property, or a GeoProperty for a GeoJSON geometry). A value that does not fit the existing
 * kind fails when the normalized result is parsed (changing the type this way is BadRequestData).
 *
 * @example
 *   simplifiedToNormalized({ owner: 'urn:ngsi-ld:Person:2' }, () => 'Relationship')
 *   // { owner: { type: 'Relationship', object: 'urn:ngsi-ld:Person:2' } }
 */
import type { AttributeType } from '../../core/ngsi.js'
import { isJsonObject, type JsonObject } from '../jsonld/core-context.js'
import { isNullMarker } from './values.js'

const ENTITY_MEMBERS = new Set(['id', 'type', 'scope'])

export function simplifiedToNormalized(
  body: unknown,
  kindOf: (name: string) => AttributeType | undefined,
  lang?: string,
): unknown {
  if (!isJsonObject(body)) return body
  const out: JsonObject = {}
  for (const [name, value] of Object.entries(body)) {
    const kind = ENTITY_MEMBERS.has(name) ? undefined : kindOf(name)
    // NGSI-LD Null stays bare: it reads as a deletion marker whatever the kind.
    out[name] = kind === undefined || isNullMarker(value) ? value : normalized(kind, value, lang)
  }
  return out
}

function normalized(kind: AttributeType, value: unknown, lang: string | undefined): JsonObject {
  const member = (name: string) => (isJsonObject(value) && name in value ? value[name] : value)
  switch (kind) {
    case 'Property':
    case 'GeoProperty':
      return { type: kind, value }
    case 'Relationship':
      return { type: kind, object: value }
    case 'ListProperty':
      return { type: kind, valueList: value }
    case 'ListRelationship':
      return { type: kind, objectList: value }
    case 'LanguageProperty':
      // A bare string is text in the `lang=` language, or text without a language.
      return typeof value === 'string'
        ? { type: kind, languageMap: { [lang ?? '@none']: value } }
        : { type: kind, languageMap: member('languageMap') }
    case 'VocabProperty':
      return { type: kind, vocab: member('vocab') }
    case 'JsonProperty':
      return { type: kind, json: member('json') }
  }
}
