/**
 * Entity representations of the NGSI-LD API: reading payloads (normalized or concise) into the
 * internal model, and rendering it back (normalized, concise, simplified, GeoJSON).
 */
export {
  parseEntity,
  parseFragment,
  type EntityFragment,
  type EntityInput,
} from './parse-entity.js'
export {
  parseAttribute,
  parseInstanceFragment,
  isNullInstance,
  type InstanceFragment,
  VALUE_MEMBER,
} from './parse-attribute.js'
export { expandAttributeName, expandTypeName } from './names.js'
export {
  parseOptionsList,
  parseOutputOptions,
  type Format,
  type OutputOptions,
} from './output-options.js'
export { parseLang, type LanguagePreference } from './language.js'
export {
  renderEntity,
  toFeature,
  toFeatureCollection,
  ALL_MEMBERS,
  type EntityRenderOptions,
} from './render-entity.js'
export {
  applyProjection,
  parseProjectionParams,
  type Projection,
  type ProjectionParams,
} from './projection.js'
export { isAbsoluteUri, isDateTime, isUri } from './values.js'
export { RenderCache } from './render-cache.js'
export { createSnapshotSerializer, withCoreContext } from './snapshot-serializer.js'
export { simplifiedToNormalized } from './parse-simplified.js'
export { amendForVersion, preferredVersion } from './version-fallback.js'
