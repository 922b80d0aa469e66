/**
 * An in-memory grid over entities' location boxes, so a geo query finds the entities near a
 * point without asking the R*Tree: counting the R*Tree's hits in a 1 km box around a point among
 * 1M entities cost ~1 ms a query, reading these cells' lists a few µs.
 *
 * Boxes that fit in one cell (points: sensors, parking spots, street lights) are listed in that
 * cell; larger ones (districts, roads) in a short "wide" list every area search includes. The
 * caller tests each candidate's box exactly (ValueColumns.overlaps), then the entity itself.
 *
 * @example
 *   grid.set(7, [11.30, 46.50, 11.30, 46.50])
 *   grid.candidates([11.29, 46.49, 11.31, 46.51]) // → [7, …wide]
 */
import type { Bbox } from '../../core/geo-bbox.js'

/** Cell size in degrees: ~220 m of latitude; a city block-scale area reads a few cells. */
const CELL = 0.002
const WIDE = -1
/** Cell coordinates are offset into [0, SPAN), so (cx, cy) packs into one safe integer key. */
const SPAN = 1 << 20
const HALF = SPAN / 2

function keyOf(cx: number, cy: number): number {
  return (cy + HALF) * SPAN + (cx + HALF)
}

export class GeoGrid {
  private readonly cells = new Map<number, number[]>()
  /** The cell key of each rid listed, or WIDE. */
  private readonly where = new Map<number, number>()
  private readonly wide = new Set<number>()

  set(rid: number, box: Bbox | undefined): void {
    this.remove(rid)
    if (!box) return
    const cx = Math.floor(box[0] / CELL)
    const cy = Math.floor(box[1] / CELL)
    const outside = !(Math.abs(cx) < HALF && Math.abs(cy) < HALF)
    if (outside || Math.floor(box[2] / CELL) !== cx || Math.floor(box[3] / CELL) !== cy) {
      this.wide.add(rid)
      this.where.set(rid, WIDE)
      return
    }
    const key = keyOf(cx, cy)
    let list = this.cells.get(key)
    if (!list) this.cells.set(key, (list = []))
    list.push(rid)
    this.where.set(rid, key)
  }

  /** An upper bound of candidates(box).length, without listing them. */
  estimate(box: Bbox): number {
    let n = this.wide.size
    this.eachCell(box, (list) => (n += list.length))
    return n
  }

  /** Every rid whose box may overlap `box` (a superset: the caller checks each). */
  candidates(box: Bbox): number[] {
    return this.lists(box).flat()
  }

  /** candidates(box) as the grid holds them: the cells' own lists (read only), wide ones first. */
  lists(box: Bbox): (readonly number[])[] {
    const out: (readonly number[])[] = this.wide.size > 0 ? [[...this.wide]] : []
    this.eachCell(box, (list) => out.push(list))
    return out
  }

  private eachCell(box: Bbox, visit: (list: number[]) => void): void {
    const x0 = Math.floor(box[0] / CELL)
    const x1 = Math.floor(box[2] / CELL)
    const y0 = Math.floor(box[1] / CELL)
    const y1 = Math.floor(box[3] / CELL)
    // A box wider than the cells that exist: walk the cells instead of the box.
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.cells.size) {
      for (const [key, list] of this.cells) {
        const cy = Math.floor(key / SPAN) - HALF
        const cx = (key % SPAN) - HALF
        if (cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1) visit(list)
      }
      return
    }
    for (let cy = y0; cy <= y1; cy++)
      for (let cx = x0; cx <= x1; cx++) {
        const list = this.cells.get(keyOf(cx, cy))
        if (list) visit(list)
      }
  }

  private remove(rid: number): void {
    const key = this.where.get(rid)
    if (key === undefined) return
    this.where.delete(rid)
    if (key === WIDE) {
      this.wide.delete(rid)
      return
    }
    const list = this.cells.get(key)
    if (!list) return
    const i = list.indexOf(rid)
    if (i >= 0) {
      // Order within a cell does not matter: swap in the last one.
      list[i] = list[list.length - 1]!
      list.pop()
    }
    if (list.length === 0) this.cells.delete(key)
  }
}
