/**
 * The ContextResolver port: how the broker obtains the document behind a remote @context URL.
 * The default knows only the bundled core context; a guarded fetcher and the /jsonldContexts
 * store plug in behind the same port later.
 *
 * @example
 *   const resolver = createBundledContextResolver()
 *   await resolver.resolve(CORE_CONTEXT_URL) // { '@context': { … } }
 */
import { AppError } from '../../core/errors.js'
import { coreContextDocument, isCoreContextUrl } from './core-context.js'

export interface ContextResolver {
  /**
   * The JSON document at `url` (an object with an `@context` member).
   * @throws AppError('LdContextNotAvailable') when it cannot be obtained.
   */
  resolve(url: string): Promise<unknown>
}

export function createBundledContextResolver(): ContextResolver {
  return {
    resolve(url) {
      if (isCoreContextUrl(url)) return Promise.resolve(coreContextDocument)
      return Promise.reject(
        new AppError(
          'LdContextNotAvailable',
          `the @context ${url} is not available: remote contexts are not fetched`,
        ),
      )
    },
  }
}
