/**
 * Attribute and type names as they appear in query parameters: validation and expansion to IRIs.
 */

/** NGSI-LD name production: a letter, then letters, digits or underscores. */
export const SIMPLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

/** Characters that may never appear in a name, whether short or an IRI. */
const FORBIDDEN_IN_IRI = /[\s"<>{}|\\^`,;()[\]=!~]/

/**
 * A short name, or an IRI (absolute or compact: it contains ':'). IRIs are checked only loosely,
 * since the @context layer decides what they mean.
 */
export function isValidName(name: string): boolean {
  if (SIMPLE_NAME.test(name)) return true
  const colon = name.indexOf(':')
  return (
    colon > 0 && colon < name.length - 1 && /^[A-Za-z]/.test(name) && !FORBIDDEN_IN_IRI.test(name)
  )
}

/** Absolute IRIs never change under JSON-LD expansion, so they skip the caller's expand(). */
export function isAbsoluteIri(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(name) || /^urn:/i.test(name)
}

export function expandName(name: string, expand: (term: string) => string): string {
  return isAbsoluteIri(name) ? name : expand(name)
}
