/**
 * The broker's @context storage (GS CIM 009 §5.13) and the ContextResolver every request uses:
 * the bundled core and Smart Data Models contexts (offline), Hosted and ImplicitlyCreated contexts
 * served under the broker's own URL, and remote contexts fetched once through the guarded fetcher
 * and kept as Cached (in memory and in the ContextStore) until they expire.
 *
 * @example
 *   const registry = createContextRegistry({ store: store.contexts, fetcher, servedBaseUrl, cacheTtlMs })
 *   const processor = createContextProcessor({ resolver: registry })
 */
import { randomUUID } from 'node:crypto'
import { AppError, isAppError } from '../../core/errors.js'
import { DEFAULT_TENANT } from '../../core/ngsi.js'
import type { Logger } from '../../log/logger.js'
import type { ContextStore, StoredContext, StoredContextKind } from '../../store/store.js'
import type { UserContext } from './active-context.js'
import { BUNDLED_CONTEXTS, findBundledContext } from './bundled-contexts.js'
import type { ContextFetcher } from './context-fetcher.js'
import type { ContextResolver } from './context-resolver.js'
import { CORE_CONTEXT_URLS, coreContextDocument, isJsonObject } from './core-context.js'
import { isUncounted } from './usage-scope.js'

export interface ContextRegistryOptions {
  store: ContextStore
  /** How remote contexts are fetched; undefined = never (they are LdContextNotAvailable). */
  fetcher?: ContextFetcher
  /** Absolute URL prefix under which the broker serves stored contexts, ending with `/`. */
  servedBaseUrl: string
  /** Heuristic lifetime of a Cached context (§5.13.1: Cached contexts are invalidated periodically). */
  cacheTtlMs: number
  clock?: () => Date
  newId?: () => string
  log?: Logger
  /** Usage counters are written to the store at most this often. */
  flushIntervalMs?: number
}

/** One stored @context as the /jsonldContexts API shows it. */
export interface ContextEntry {
  localId: string
  /** Hosted/ImplicitlyCreated: where the broker serves it; Cached: where it was downloaded from. */
  URL: string
  kind: StoredContextKind
  createdAt: string
  expiresAt?: string
  lastUsage?: string
  numberOfHits: number
  extraInfo?: Record<string, unknown>
  /** The `@context` value. */
  context: unknown
  /** `core` and `bundled` entries ship with Civitas and cannot be deleted. */
  origin: 'core' | 'bundled' | 'stored'
  /** The tenant a stored Hosted context belongs to (only it sees the entry). */
  tenant?: string
}

/**
 * The management operations take the requesting tenant: a Hosted context a client added is
 * private to the tenant that added it (§4.14: a tenant's information is visible only to it), so
 * other tenants neither list, serve, nor delete it. Cached and ImplicitlyCreated contexts, and
 * the contexts Civitas ships, are copies or products of public documents: every tenant sees them.
 * Resolving a URL for JSON-LD processing (`resolve`) is not tenant-bound: a URL names a document.
 */
export interface ContextRegistry extends ContextResolver {
  list(tenant: string, kind?: StoredContextKind): Promise<ContextEntry[]>
  /** By local id, or by URL (a Cached context's original URL, a bundled or served URL). */
  find(idOrUrl: string, tenant: string): Promise<ContextEntry | undefined>
  /**
   * The document to serve for GET /jsonldContexts/{id}, counted as a use.
   * @throws AppError('ResourceNotFound') unknown, AppError('OperationNotSupported') for Cached.
   */
  serve(idOrUrl: string, tenant: string): Promise<{ '@context': unknown }>
  /** Stores a client's @context as Hosted, owned by `tenant` (the caller has validated it). */
  addHosted(context: unknown, tenant: string): Promise<ContextEntry>
  /** Hosts a broker-made @context (e.g. a subscription's array @context); the same one is reused. */
  addImplicit(context: UserContext): Promise<ContextEntry>
  /** @throws ResourceNotFound when unknown, BadRequestData for the contexts Civitas ships. */
  delete(idOrUrl: string, tenant: string): Promise<void>
  /** Re-downloads a Cached context. @throws BadRequestData unless Cached, LdContextNotAvailable. */
  reload(idOrUrl: string, tenant: string): Promise<void>
  /** Writes pending usage counters. */
  flush(): Promise<void>
  close(): Promise<void>
}

interface Usage {
  numberOfHits: number
  lastUsage?: string
}

export function createContextRegistry(opts: ContextRegistryOptions): ContextRegistry {
  const clock = opts.clock ?? (() => new Date())
  const newId = opts.newId ?? (() => randomUUID())
  const flushIntervalMs = opts.flushIntervalMs ?? 5000
  const startedAt = clock().toISOString()
  /** Stored contexts by local id, and Cached ones by URL; loaded from the store on first use. */
  const stored = new Map<string, StoredContext>()
  const cachedByUrl = new Map<string, string>()
  /** Counters of the contexts Civitas ships (kept in memory only). */
  const builtInUsage = new Map<string, Usage>()
  const dirty = new Set<string>()
  const downloads = new Map<string, Promise<StoredContext>>()
  const listeners: ((url: string) => void)[] = []
  let loading: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined

  const coreEntries = CORE_CONTEXT_URLS.map((url) => ({
    localId: url.slice(url.lastIndexOf('/') + 1).replace(/\.jsonld$/, ''),
    url,
  }))

  const load = () =>
    (loading ??= opts.store.list().then((all) => {
      for (const c of all) remember(c)
    }))

  function remember(c: StoredContext): void {
    stored.set(c.localId, c)
    if (c.kind === 'Cached' && c.url !== undefined) cachedByUrl.set(c.url, c.localId)
  }

  function forget(c: StoredContext): void {
    stored.delete(c.localId)
    if (c.url !== undefined && cachedByUrl.get(c.url) === c.localId) cachedByUrl.delete(c.url)
  }

  const servedUrl = (localId: string) => opts.servedBaseUrl + encodeURIComponent(localId)
  const invalidate = (url: string) => listeners.forEach((l) => l(url))

  function toEntry(c: StoredContext): ContextEntry {
    const entry: ContextEntry = {
      localId: c.localId,
      URL: c.kind === 'Cached' && c.url !== undefined ? c.url : servedUrl(c.localId),
      kind: c.kind,
      createdAt: c.createdAt,
      numberOfHits: c.numberOfHits,
      context: c.context,
      origin: 'stored',
    }
    if (c.expiresAt !== undefined) entry.expiresAt = c.expiresAt
    if (c.lastUsage !== undefined) entry.lastUsage = c.lastUsage
    if (c.kind === 'Hosted') entry.tenant = c.tenant ?? DEFAULT_TENANT
    return entry
  }

  /** Whether `tenant` sees an entry: a stored Hosted one only by the tenant that added it. */
  const visible = (e: ContextEntry, tenant: string) => e.tenant === undefined || e.tenant === tenant

  function builtIns(): ContextEntry[] {
    const usage = (id: string): Usage => builtInUsage.get(id) ?? { numberOfHits: 0 }
    const core = coreEntries.map(({ localId, url }): ContextEntry => ({
      localId,
      URL: url,
      kind: 'Cached',
      createdAt: startedAt,
      ...usage(localId),
      extraInfo: { bundled: true },
      context: coreContextDocument['@context'],
      origin: 'core',
    }))
    const bundled = BUNDLED_CONTEXTS.map((b): ContextEntry => ({
      localId: b.localId,
      URL: servedUrl(b.localId),
      kind: 'Hosted',
      createdAt: startedAt,
      ...usage(b.localId),
      extraInfo: { bundled: true, originalUrls: b.urls },
      get context() {
        return b.context()
      },
      origin: 'bundled',
    }))
    return [...core, ...bundled]
  }

  /** The local id a URL or id names, without loading anything remote. */
  function localIdOf(idOrUrl: string): string | undefined {
    if (stored.has(idOrUrl)) return idOrUrl
    const core = coreEntries.find((c) => c.localId === idOrUrl || c.url === idOrUrl)
    if (core) return core.localId
    const bundled =
      BUNDLED_CONTEXTS.find((b) => b.localId === idOrUrl) ?? findBundledContext(idOrUrl)
    if (bundled) return bundled.localId
    const cached = cachedByUrl.get(idOrUrl)
    if (cached !== undefined) return cached
    if (idOrUrl.startsWith(opts.servedBaseUrl)) {
      const id = safeDecode(idOrUrl.slice(opts.servedBaseUrl.length))
      if (id !== idOrUrl) return localIdOf(id)
    }
    return undefined
  }

  function entryOf(localId: string): ContextEntry | undefined {
    const s = stored.get(localId)
    return s ? toEntry(s) : builtIns().find((b) => b.localId === localId)
  }

  /** The entry `idOrUrl` names as `tenant` sees it: another tenant's Hosted one is absent. */
  function entryFor(idOrUrl: string, tenant: string): ContextEntry | undefined {
    const localId = localIdOf(idOrUrl)
    const entry = localId === undefined ? undefined : entryOf(localId)
    return entry && visible(entry, tenant) ? entry : undefined
  }

  function touch(localId: string): void {
    if (isUncounted()) return
    const at = clock().toISOString()
    const s = stored.get(localId)
    if (s) {
      stored.set(localId, { ...s, numberOfHits: s.numberOfHits + 1, lastUsage: at })
      dirty.add(localId)
      if (!timer) {
        timer = setTimeout(() => {
          timer = undefined
          flush().catch((err: unknown) => opts.log?.warn({ err }, 'context usage not saved'))
        }, flushIntervalMs)
        timer.unref()
      }
      return
    }
    const u = builtInUsage.get(localId) ?? { numberOfHits: 0 }
    builtInUsage.set(localId, { numberOfHits: u.numberOfHits + 1, lastUsage: at })
  }

  async function flush(): Promise<void> {
    const usage = [...dirty].flatMap((id) => {
      const s = stored.get(id)
      return s ? [{ localId: id, lastUsage: s.lastUsage ?? '', numberOfHits: s.numberOfHits }] : []
    })
    dirty.clear()
    if (usage.length > 0) await opts.store.recordUsage(usage)
  }

  /** Downloads `url` into a Cached entry (replacing `previous`); concurrent calls share one fetch. */
  function download(url: string, previous?: StoredContext): Promise<StoredContext> {
    const running = downloads.get(url)
    if (running) return running
    const pending = (async () => {
      if (!opts.fetcher) {
        throw new AppError(
          'LdContextNotAvailable',
          `the @context ${url} is not available: remote contexts are not fetched by this broker`,
        )
      }
      const doc = await opts.fetcher.fetch(url)
      if (!isJsonObject(doc) || !('@context' in doc)) {
        throw new AppError(
          'BadRequestData',
          `the document at ${url} is not a JSON-LD context (no @context member)`,
        )
      }
      const now = clock()
      const entry: StoredContext = {
        localId: previous?.localId ?? newId(),
        url,
        kind: 'Cached',
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + opts.cacheTtlMs).toISOString(),
        numberOfHits: previous?.numberOfHits ?? 0,
        context: doc['@context'],
      }
      if (previous?.lastUsage !== undefined) entry.lastUsage = previous.lastUsage
      await opts.store.put(entry)
      remember(entry)
      return entry
    })()
    downloads.set(url, pending)
    const done = () => downloads.delete(url)
    pending.then(done, done)
    return pending
  }

  async function resolveStored(url: string): Promise<unknown> {
    const localId = localIdOf(url)
    const s = localId === undefined ? undefined : stored.get(localId)
    if (s?.kind === 'Cached') {
      if (s.expiresAt !== undefined && Date.parse(s.expiresAt) <= clock().getTime()) {
        // Expired: download again, but keep serving the old copy if the source is down.
        try {
          const fresh = await download(url, s)
          touch(fresh.localId)
          return { '@context': fresh.context }
        } catch (err) {
          opts.log?.warn(
            { url, err },
            'expired @context could not be refreshed; using the old copy',
          )
        }
      }
      touch(s.localId)
      return { '@context': s.context }
    }
    if (localId !== undefined) {
      const entry = entryOf(localId)
      if (entry && (entry.kind !== 'Cached' || entry.origin === 'core')) {
        touch(localId)
        return { '@context': entry.context }
      }
    }
    if (url.startsWith(opts.servedBaseUrl)) {
      throw new AppError('LdContextNotAvailable', `the @context ${url} is not stored here`)
    }
    const fresh = await download(url)
    touch(fresh.localId)
    return { '@context': fresh.context }
  }

  return {
    async resolve(url) {
      await load()
      return resolveStored(url)
    },
    noteUse(url) {
      const localId = localIdOf(url)
      if (localId !== undefined) touch(localId)
    },
    onInvalidate(listener) {
      listeners.push(listener)
    },
    async list(tenant, kind) {
      await load()
      const all = [...builtIns(), ...[...stored.values()].map(toEntry)].filter((e) =>
        visible(e, tenant),
      )
      return kind === undefined ? all : all.filter((e) => e.kind === kind)
    },
    async find(idOrUrl, tenant) {
      await load()
      return entryFor(idOrUrl, tenant)
    },
    async serve(idOrUrl, tenant) {
      await load()
      const entry = entryFor(idOrUrl, tenant)
      if (!entry) throw new AppError('ResourceNotFound', `no stored @context '${idOrUrl}'`)
      if (entry.kind === 'Cached') {
        throw new AppError(
          'OperationNotSupported',
          `@context '${idOrUrl}' is a Cached copy, which is not served; ask with details=true`,
        )
      }
      touch(entry.localId)
      return { '@context': entry.context }
    },
    async addHosted(context, tenant) {
      await load()
      const entry: StoredContext = {
        localId: newId(),
        kind: 'Hosted',
        createdAt: clock().toISOString(),
        numberOfHits: 0,
        context,
        tenant,
      }
      await opts.store.put(entry)
      remember(entry)
      return toEntry(entry)
    },
    async addImplicit(context) {
      await load()
      const same = JSON.stringify(context)
      for (const s of stored.values()) {
        if (s.kind === 'ImplicitlyCreated' && JSON.stringify(s.context) === same) return toEntry(s)
      }
      const entry: StoredContext = {
        localId: newId(),
        kind: 'ImplicitlyCreated',
        createdAt: clock().toISOString(),
        numberOfHits: 0,
        context,
      }
      await opts.store.put(entry)
      remember(entry)
      return toEntry(entry)
    },
    async delete(idOrUrl, tenant) {
      await load()
      const entry = entryFor(idOrUrl, tenant)
      if (!entry) throw new AppError('ResourceNotFound', `no stored @context '${idOrUrl}'`)
      const localId = entry.localId
      if (entry.origin !== 'stored') {
        throw new AppError(
          'BadRequestData',
          `@context '${idOrUrl}' ships with the broker and cannot be deleted`,
        )
      }
      const s = stored.get(localId)
      if (s) {
        await opts.store.delete(localId)
        forget(s)
        dirty.delete(localId)
      }
      invalidate(entry.URL)
    },
    async reload(idOrUrl, tenant) {
      await load()
      const entry = entryFor(idOrUrl, tenant)
      if (!entry || entry.kind !== 'Cached') {
        throw new AppError(
          'BadRequestData',
          `reload=true applies only to Cached @contexts; '${idOrUrl}' is ${entry ? entry.kind : 'not stored'}`,
        )
      }
      // The core context is reloaded from the bundled copy: nothing to download.
      if (entry.origin === 'core') return
      const previous = stored.get(entry.localId)
      try {
        await download(entry.URL, previous)
      } catch (err) {
        const why = isAppError(err) ? err.message : String(err)
        throw new AppError('LdContextNotAvailable', `reloading ${entry.URL} failed: ${why}`)
      }
      invalidate(entry.URL)
    },
    flush,
    async close() {
      if (timer) clearTimeout(timer)
      timer = undefined
      await flush()
    },
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
