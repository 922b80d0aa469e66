/**
 * JSON-LD @context handling for the NGSI-LD API: the bundled core context, the ContextResolver
 * port, and cached active contexts with fast term expansion and IRI compaction.
 */
export type { ActiveContext, IriPosition, UserContext } from './active-context.js'
export {
  createContextProcessor,
  type ContextProcessor,
  type ContextProcessorOptions,
} from './context-processor.js'
export { createBundledContextResolver, type ContextResolver } from './context-resolver.js'
export { CORE_CONTEXT_URLS, coreContextDocument, isCoreContextUrl } from './core-context.js'
export { BUNDLED_CONTEXTS, findBundledContext, type BundledContext } from './bundled-contexts.js'
export {
  createContextFetcher,
  type ContextFetcher,
  type ContextFetcherOptions,
} from './context-fetcher.js'
export {
  createContextRegistry,
  type ContextEntry,
  type ContextRegistry,
  type ContextRegistryOptions,
} from './context-registry.js'
export {
  createStrictUrlCheck,
  type CheckUrl,
  type StrictUrlCheckOptions,
} from './strict-url-check.js'
export { isPrivateAddress } from './private-address.js'
export { uncounted } from './usage-scope.js'
