/**
 * Paging: walk an offset/limit list to its end, and the arithmetic of a table pager. Pure: the
 * page fetcher is passed in, so tests need no network.
 *
 * @example
 *   const all = await fetchAllPages((offset, limit) => getJson(entitiesUrl({ offset, limit })), { limit: 1000 })
 *   pageWindow({ total: 230, offset: 50, limit: 50 }) // { first: 51, last: 100, … }
 */

export interface FetchAllOptions<T> {
  /** Page size asked of the server; a shorter page means the end. */
  limit: number
  /** Safety stop for servers that ignore offset (default 100 pages). */
  maxPages?: number
  /** Called with each page as it arrives, so callers can draw progressively. */
  onPage?: (items: readonly T[], offset: number) => void
}

export async function fetchAllPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<readonly T[]>,
  options: FetchAllOptions<T>,
): Promise<T[]> {
  const { limit, maxPages = 100 } = options
  if (!(limit > 0)) throw new RangeError('limit must be positive')
  const all: T[] = []
  for (let page = 0; page < maxPages; page++) {
    const offset = page * limit
    const items = await fetchPage(offset, limit)
    all.push(...items)
    options.onPage?.(items, offset)
    if (items.length < limit) break
  }
  return all
}

export interface PageWindow {
  /** 1-based index of the first row shown; 0 when there are no rows. */
  first: number
  /** 1-based index of the last row shown. */
  last: number
  total: number
  hasPrev: boolean
  hasNext: boolean
  prevOffset: number
  nextOffset: number
  /** 1-based current page and the page count (at least 1). */
  page: number
  pages: number
}

export function pageWindow(p: { total: number; offset: number; limit: number }): PageWindow {
  const total = Math.max(0, Math.floor(p.total))
  const limit = Math.max(1, Math.floor(p.limit))
  const offset = clampOffset(p.offset, total, limit)
  const last = Math.min(offset + limit, total)
  return {
    first: total === 0 ? 0 : offset + 1,
    last,
    total,
    hasPrev: offset > 0,
    hasNext: last < total,
    prevOffset: Math.max(0, offset - limit),
    nextOffset: last < total ? offset + limit : offset,
    page: Math.floor(offset / limit) + 1,
    pages: Math.max(1, Math.ceil(total / limit)),
  }
}

/** Snaps an offset (e.g. from a shared URL) to a page boundary inside the list. */
export function clampOffset(offset: number, total: number, limit: number): number {
  if (!Number.isFinite(offset) || offset <= 0 || total <= 0) return 0
  const lastPageStart = Math.floor((total - 1) / limit) * limit
  return Math.min(Math.floor(offset / limit) * limit, lastPageStart)
}
