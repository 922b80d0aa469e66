/**
 * The one place the dashboard calls fetch: JSON in, a typed HttpError out.
 *
 * @example
 *   const city = await getJson<City>(cityUrl(), signal)
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`HTTP ${status} for ${url}`)
    this.name = 'HttpError'
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: signal ?? null,
  })
  if (!response.ok) throw new HttpError(response.status, url)
  return (await response.json()) as T
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError'
}

/** A sentence for the user: what failed, in words a municipal operator can act on. */
export function describeError(err: unknown): string {
  if (err instanceof HttpError) {
    if (err.status === 404) return 'Not found on the server.'
    if (err.status >= 500) return `The server had a problem (HTTP ${err.status}).`
    return `The server refused the request (HTTP ${err.status}).`
  }
  if (err instanceof TypeError) return 'The server cannot be reached. Check the network link.'
  return err instanceof Error ? err.message : 'Unexpected error.'
}
