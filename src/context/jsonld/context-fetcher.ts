/**
 * Fetches remote @context documents with SSRF defences: every URL (the first and each redirect
 * hop) passes the injected `checkUrl`, the connection refuses private and loopback addresses
 * unless configured (checked on the address actually dialled, so DNS rebinding between check and
 * connect does not help), one deadline covers the whole fetch, bodies beyond the size cap are cut
 * off, and redirects are followed only up to a limit.
 *
 * @example
 *   const fetcher = createContextFetcher({ checkUrl, timeoutMs: 5000, maxBytes: 1 << 20, maxRedirects: 3 })
 *   const doc = await fetcher.fetch('https://smart-data-models.github.io/dataModel.Parking/context.jsonld')
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { AppError, isAppError } from '../../core/errors.js'
import { isPrivateAddress } from './private-address.js'
import type { CheckUrl } from './strict-url-check.js'

export interface ContextFetcherOptions {
  checkUrl: CheckUrl
  /** Deadline for the whole fetch, redirects included. */
  timeoutMs: number
  /** Largest document accepted, bytes. */
  maxBytes: number
  maxRedirects: number
  /** Dial private and loopback addresses (tests, or a broker fetching from its own network). */
  allowPrivateAddresses?: boolean
}

export interface ContextFetcher {
  /**
   * The parsed JSON document at `url`.
   * @throws AppError('LdContextNotAvailable') when it cannot be had (refused, unreachable, non-2xx,
   *   too large, too slow, too many redirects); AppError('BadRequestData') when it is not JSON.
   */
  fetch(url: string): Promise<unknown>
}

const ACCEPT = 'application/ld+json, application/json;q=0.9, */*;q=0.1'

export function createContextFetcher(opts: ContextFetcherOptions): ContextFetcher {
  const allowPrivate = opts.allowPrivateAddresses ?? false
  return {
    async fetch(url) {
      const deadline = AbortSignal.timeout(opts.timeoutMs)
      let current = parseUrl(url)
      for (let hop = 0; ; hop++) {
        await opts.checkUrl(current)
        if (!allowPrivate && isIP(bareHost(current)) !== 0 && isPrivateAddress(bareHost(current)))
          throw unavailable(url, `${current.host} is a private or loopback address`)
        const res = await get(current, deadline, allowPrivate).catch((err: unknown) => {
          throw asUnavailable(url, err, deadline)
        })
        const status = res.statusCode ?? 0
        if (status >= 300 && status < 400 && res.headers.location !== undefined) {
          res.resume()
          if (hop >= opts.maxRedirects)
            throw unavailable(url, `more than ${opts.maxRedirects} redirects`)
          current = parseUrl(new URL(res.headers.location, current).href)
          continue
        }
        if (status < 200 || status >= 300) {
          res.resume()
          throw unavailable(url, `the server answered ${status}`)
        }
        const text = await readBody(res, opts.maxBytes).catch((err: unknown) => {
          throw asUnavailable(url, err, deadline)
        })
        try {
          return JSON.parse(text) as unknown
        } catch {
          throw new AppError('BadRequestData', `the @context at ${url} is not valid JSON`)
        }
      }
    },
  }
}

function parseUrl(url: string): URL {
  try {
    return new URL(url)
  } catch {
    throw new AppError('BadRequestData', `'${url}' is not a URL`)
  }
}

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '')
}

function unavailable(url: string, why: string): AppError {
  return new AppError('LdContextNotAvailable', `the @context ${url} is not available: ${why}`)
}

function asUnavailable(url: string, err: unknown, deadline: AbortSignal): AppError {
  if (isAppError(err)) return err
  if (deadline.aborted) return unavailable(url, 'the fetch timed out')
  return unavailable(url, err instanceof Error ? err.message : String(err))
}

function get(url: URL, signal: AbortSignal, allowPrivate: boolean): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = request(url, {
      method: 'GET',
      headers: { accept: ACCEPT },
      signal,
      lookup: guardedLookup(allowPrivate),
      // Never reuse a socket dialled for another host or policy.
      agent: false,
    })
    req.once('response', resolve)
    req.once('error', reject)
    req.end()
  })
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

/** DNS lookup that refuses private addresses at connect time. */
function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, [])
        return
      }
      const list = addresses
      if (!allowPrivate && list.some((a) => isPrivateAddress(a.address))) {
        callback(
          new AppError('LdContextNotAvailable', `${hostname} resolves to a private address`),
          [],
        )
        return
      }
      if (options.all === true) callback(null, list)
      else callback(null, list[0]?.address ?? '', list[0]?.family ?? 4)
    })
  }
}

function readBody(res: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      // Reject first: destroying the stream emits its own errors, which must not win.
      reject(new Error(`the document is larger than ${maxBytes} bytes`))
      res.destroy()
    }
    const declared = Number(res.headers['content-length'])
    if (Number.isFinite(declared) && declared > maxBytes) {
      tooLarge()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    res.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) tooLarge()
      else chunks.push(chunk)
    })
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    res.once('error', reject)
    res.once('close', () => reject(new Error('the connection was cut')))
  })
}
