/**
 * Hash routes: `#/entity/<id>?range=24h` → the route, its decoded params and its query. Pure.
 *
 * @example
 *   matchRoute([{ path: '/entity/:id' }], '#/entity/urn%3Ax%3A1')?.params.id // 'urn:x:1'
 *   toHash('/devices', { q: 'lora', offset: 50 }) // '#/devices?q=lora&offset=50'
 */

export interface RouteMatch<R> {
  route: R
  params: Record<string, string>
  query: URLSearchParams
}

/** Splits a location hash into a normalised path ('/' when empty, no trailing slash) and query. */
export function splitHash(hash: string): { path: string; search: string } {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash
  const q = raw.indexOf('?')
  let path = q === -1 ? raw : raw.slice(0, q)
  const search = q === -1 ? '' : raw.slice(q + 1)
  if (!path.startsWith('/')) path = `/${path}`
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
  return { path, search }
}

/** Matches `/a/:b` against a path; params are URI-decoded, a malformed escape is no match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? ''
    const g = got[i] ?? ''
    if (w.startsWith(':')) {
      if (g === '') return undefined
      try {
        params[w.slice(1)] = decodeURIComponent(g)
      } catch {
        return undefined
      }
    } else if (w !== g) {
      return undefined
    }
  }
  return params
}

export function matchRoute<R extends { readonly path: string }>(
  routes: readonly R[],
  hash: string,
): RouteMatch<R> | undefined {
  const { path, search } = splitHash(hash)
  for (const route of routes) {
    const params = matchPath(route.path, path)
    if (params) return { route, params, query: new URLSearchParams(search) }
  }
  return undefined
}

export function toHash(
  path: string,
  query: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') search.set(key, String(value))
  }
  const s = search.toString()
  return s === '' ? `#${path}` : `#${path}?${s}`
}
