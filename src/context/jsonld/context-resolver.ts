/**
 * The ContextResolver port: how the broker obtains the document behind a remote @context URL.
 * The default knows only the bundled core context; the context registry (stored, bundled and
 * guarded remote contexts) implements the same port.
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
  /** Told each time a processed context built from `url` is reused (usage statistics). */
  noteUse?(url: string): void
  /** Registers a listener told when the document behind a URL changed or went away. */
  onInvalidate?(listener: (url: string) => void): void
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
