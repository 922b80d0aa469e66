/**
 * Builds and caches active contexts: [user context(s) + core] processed once with jsonld.js, then
 * served from memory (no jsonld.js call per request). Remote user contexts are obtained only
 * through the ContextResolver and inlined before processing, so jsonld.js never loads anything
 * itself and its process-wide URL cache cannot serve a context the resolver would refuse.
 *
 * @example
 *   const contexts = createContextProcessor({ resolver: createBundledContextResolver() })
 *   const ctx = await contexts.activeContext(undefined) // core only
 */
import jsonld from 'jsonld'
import { AppError, isAppError } from '../../core/errors.js'
import {
  createActiveContext,
  type ActiveContext,
  type ProcessedContext,
  type UserContext,
} from './active-context.js'
import type { ContextResolver } from './context-resolver.js'
import {
  coreTermDefinitions,
  isCoreContextUrl,
  isJsonObject,
  type JsonObject,
} from './core-context.js'

export interface ContextProcessor {
  /**
   * The active context for a request's user context (undefined = core only).
   * @throws AppError('LdContextNotAvailable') when a remote context cannot be obtained,
   *   AppError('BadRequestData') when a context is invalid.
   */
  activeContext(userContext: UserContext | undefined): Promise<ActiveContext>
  /**
   * The active context when it is built already, else undefined: lets a request that needs only
   * a cached context (almost all of them) skip a promise and an await.
   */
  builtContext(userContext: UserContext | undefined): ActiveContext | undefined
}

export interface ContextProcessorOptions {
  resolver: ContextResolver
  /** Distinct user contexts kept; the oldest is dropped beyond this. */
  maxCached?: number
}

const MAX_DEPTH = 8
const CORE_KEY = '(core)'

type ProcessContext = (active: unknown, local: unknown, options: object) => Promise<unknown>
/** jsonld.processContext exists at runtime but is missing from @types/jsonld. */
const processContext = (jsonld as unknown as { processContext: ProcessContext }).processContext

export function createContextProcessor(opts: ContextProcessorOptions): ContextProcessor {
  const maxCached = opts.maxCached ?? 500
  const { resolver } = opts
  const cache = new Map<string, Promise<ActiveContext>>()
  /** The remote URLs each cached context was built from (for usage counts and invalidation). */
  const sources = new Map<string, readonly string[]>()
  /** Contexts of `cache` whose build has finished, by the same key. */
  const built = new Map<string, ActiveContext>()

  async function build(key: string, userContext: UserContext | undefined): Promise<ActiveContext> {
    const urls = new Set<string>()
    const inlined =
      userContext === undefined ? [] : await inline(userContext, resolver, 0, new Set(), urls)
    const processed = await processWithCore(inlined)
    sources.set(key, [...urls])
    return createActiveContext(processed, userContext)
  }

  resolver.onInvalidate?.((url) => {
    for (const [key, urls] of sources) {
      if (!urls.includes(url)) continue
      cache.delete(key)
      sources.delete(key)
      built.delete(key)
    }
  })

  const noteUse = (key: string) => {
    for (const url of sources.get(key) ?? []) resolver.noteUse?.(url)
  }

  /** Refreshes recency so frequently used contexts survive eviction (the core needs none). */
  const touch = (key: string, hit: Promise<ActiveContext>) => {
    if (key === CORE_KEY) return
    cache.delete(key)
    cache.set(key, hit)
  }

  return {
    activeContext(userContext) {
      const key = cacheKey(userContext)
      const hit = cache.get(key)
      if (hit) {
        touch(key, hit)
        noteUse(key)
        return hit
      }
      const pending = build(key, userContext)
      cache.set(key, pending)
      if (cache.size > maxCached) {
        const oldest = cache.keys().next().value as string
        cache.delete(oldest)
        sources.delete(oldest)
        built.delete(oldest)
      }
      pending.then(
        (ctx) => {
          if (cache.get(key) === pending) built.set(key, ctx)
        },
        // Failures are not cached: a context that was unreachable may be reachable later.
        () => {
          cache.delete(key)
          sources.delete(key)
        },
      )
      return pending
    },
    builtContext(userContext) {
      const key = userContext === undefined ? CORE_KEY : cacheKey(userContext)
      const ready = built.get(key)
      if (ready === undefined) return undefined
      touch(key, cache.get(key)!)
      noteUse(key)
      return ready
    },
  }
}

function cacheKey(userContext: UserContext | undefined): string {
  if (userContext === undefined) return CORE_KEY
  return typeof userContext === 'string' ? userContext : JSON.stringify(userContext)
}

/** Replaces every non-core URL by the @context it resolves to; drops core URLs (the core is appended last). */
async function inline(
  ctx: unknown,
  resolver: ContextResolver,
  depth: number,
  seen: ReadonlySet<string>,
  urls: Set<string>,
): Promise<JsonObject[]> {
  if (depth > MAX_DEPTH)
    throw new AppError('BadRequestData', `@context nests more than ${MAX_DEPTH} levels`)
  if (Array.isArray(ctx)) {
    const parts = await Promise.all(ctx.map((item) => inline(item, resolver, depth, seen, urls)))
    return parts.flat()
  }
  if (typeof ctx === 'string') {
    if (isCoreContextUrl(ctx)) return []
    if (!isAbsoluteUrl(ctx))
      throw new AppError('BadRequestData', `@context entry '${ctx}' is not an absolute URL`)
    if (seen.has(ctx)) throw new AppError('BadRequestData', `@context ${ctx} includes itself`)
    urls.add(ctx)
    const doc = await resolver.resolve(ctx)
    if (!isJsonObject(doc) || !('@context' in doc)) {
      throw new AppError(
        'BadRequestData',
        `the document at ${ctx} is not a JSON-LD context (no @context member)`,
      )
    }
    return inline(doc['@context'], resolver, depth + 1, new Set([...seen, ctx]), urls)
  }
  if (isJsonObject(ctx)) {
    rejectScopedContexts(ctx)
    return [ctx]
  }
  throw new AppError('BadRequestData', '@context must be a URL, an object, or an array of them')
}

/** NGSI-LD user contexts may not carry scoped contexts (term definitions holding @context). */
function rejectScopedContexts(ctx: JsonObject): void {
  for (const [term, def] of Object.entries(ctx)) {
    if (isJsonObject(def) && '@context' in def) {
      throw new AppError(
        'BadRequestData',
        `@context term '${term}' has a scoped context, which is not supported`,
      )
    }
  }
}

function isAbsoluteUrl(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s]+$/.test(s)
}

let initialContext: Promise<unknown> | undefined

async function processWithCore(userContexts: JsonObject[]): Promise<ProcessedContext> {
  initialContext ??= processContext(null, null, {})
  const options = { documentLoader: refuseToLoad }
  try {
    const processed = await processContext(
      await initialContext,
      [...userContexts, coreTermDefinitions],
      options,
    )
    return asProcessedContext(processed)
  } catch (err) {
    throw asAppError(err)
  }
}

/** Every remote context was inlined already; anything left (e.g. @import) is not followed. */
function refuseToLoad(url: string): Promise<never> {
  return Promise.reject(
    new AppError('LdContextNotAvailable', `the @context ${url} is not available`),
  )
}

function asProcessedContext(value: unknown): ProcessedContext {
  if (isJsonObject(value) && value['mappings'] instanceof Map)
    return value as unknown as ProcessedContext
  throw new AppError('InternalError', 'the JSON-LD processor returned an unexpected active context')
}

function asAppError(err: unknown): AppError {
  if (isAppError(err)) return err
  const cause =
    isJsonObject(err) && isJsonObject(err['details']) ? err['details']['cause'] : undefined
  if (isAppError(cause)) return cause
  const message = err instanceof Error ? err.message : String(err)
  return new AppError('BadRequestData', `invalid @context: ${message}`, undefined, { cause: err })
}
