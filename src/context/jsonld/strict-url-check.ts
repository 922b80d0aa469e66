/**
 * A strict policy for the URLs of remote @contexts, used until the shared SSRF guard
 * (security/url-guard) is wired in: http/https only, no credentials in the URL, host on the
 * allow-list when one is configured, and no private or loopback address (literal or resolved)
 * unless configured. The fetcher calls it on every redirect hop.
 *
 * @example
 *   const checkUrl = createStrictUrlCheck({ allowedHosts: ['schema.org'], allowPrivateAddresses: false })
 *   await checkUrl(new URL('https://schema.org/docs/jsonldcontext.jsonld'))
 */
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { AppError } from '../../core/errors.js'
import { isPrivateAddress } from './private-address.js'

/** Resolves when the URL may be fetched; rejects with an AppError saying why not. */
export type CheckUrl = (url: URL) => Promise<void>

export interface StrictUrlCheckOptions {
  /** Host names allowed (`example.org`, or `*.example.org` for its subdomains); empty = any. */
  allowedHosts: readonly string[]
  allowPrivateAddresses: boolean
  /** Name resolution, injectable for tests. */
  resolve?: (host: string) => Promise<string[]>
}

const resolveAll = async (host: string): Promise<string[]> =>
  (await lookup(host, { all: true })).map((a) => a.address)

export function createStrictUrlCheck(opts: StrictUrlCheckOptions): CheckUrl {
  const resolve = opts.resolve ?? resolveAll
  return async (url) => {
    const refuse = (why: string) =>
      new AppError('LdContextNotAvailable', `the @context ${url.href} is not fetched: ${why}`)
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw refuse('only http and https URLs are fetched')
    if (url.username !== '' || url.password !== '') throw refuse('the URL carries credentials')
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
    if (opts.allowedHosts.length > 0 && !opts.allowedHosts.some((h) => hostMatches(host, h)))
      throw refuse(`host ${host} is not on the allow-list`)
    if (opts.allowPrivateAddresses) return
    let addresses: string[]
    try {
      addresses = isIP(host) ? [host] : await resolve(host)
    } catch {
      throw refuse(`host ${host} cannot be resolved`)
    }
    if (addresses.length === 0 || addresses.some(isPrivateAddress))
      throw refuse(`host ${host} is a private or loopback address`)
  }
}

function hostMatches(host: string, pattern: string): boolean {
  const p = pattern.toLowerCase()
  return p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p
}
