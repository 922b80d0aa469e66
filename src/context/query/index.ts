/**
 * The NGSI-LD query languages, pure: q, scopeQ, type selection, pick/omit/attrs and geoqueries.
 */
export type { QNode, QPath, QScalar, QValue } from './q-ast.js'
export { parseQ } from './parse-q.js'
export { evaluateQ, linkedObjects, qAttributes, type LinkedResolver } from './evaluate-q.js'
export { linkedDepth, linkedPaths, loadLinked, withoutLinkedTerms } from './load-linked.js'
export { type ScopeQNode, parseScopeQ, evaluateScopeQ } from './scope-q.js'
export { parseTypeSelection } from './parse-type-selection.js'
export { type ProjectionNode, parseProjection, parseAttrsList } from './parse-projection.js'
export { type GeoQueryInput, parseGeoQuery } from './parse-geo-query.js'
export { matchesGeo } from './matches-geo.js'
export { type Ordering, parseOrderBy, sortEntities } from './order-by.js'
export {
  type QOptions,
  listedAttribute,
  parseQWithOptions,
  qNameList,
  withJsonKeys,
} from './q-options.js'
