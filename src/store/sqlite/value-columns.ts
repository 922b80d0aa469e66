/**
 * Latest attribute values as in-memory columns, one per attribute IRI, indexed by entity rid: what
 * lets a query test `status=="free";occupancy>0.5` on thousands of candidates without reading or
 * parsing a single entity row. It is an index, not a copy of the data: only a plain value is kept
 * (the single, default instance of a Property with a number or string value, or a Relationship's
 * single object); anything else is marked "other" and always passes, leaving the decision to the
 * exact q evaluation on the parsed entity. So a predicate here is a necessary condition, exact
 * for plain values (q compares numbers with numbers and strings with strings only), never wrong.
 *
 * Why memory and not an SQLite index: an (attr, value) index row per attribute would be rewritten
 * by every ingested message, on pages scattered away from the entity row (the write amplification
 * that caps SQLite ingest, see machine-limits.md), while these columns cost a few array stores per
 * write. Memory: 9 bytes per entity slot per attribute (1 M entities × 10 attributes ≈ 90 MB).
 *
 * The columns mirror committed rows: writers call set/clear after their transaction commits. They
 * are built from the entity table at open, in slices, so a large store starts serving at once;
 * until `ready`, queries take the SQL path.
 */
import { locationBbox, type Bbox } from '../../core/geo-bbox.js'
import { GeoGrid } from './geo-grid.js'
import type { AttributeInstance, Entity } from '../../core/ngsi.js'
import type { ValuePredicate } from '../store.js'

const ABSENT = 0
const NUMBER = 1
const STRING = 2
/** Present but not a plain value (several instances, arrays, objects, other kinds, booleans). */
const OTHER = 3

class Column {
  kind = new Uint8Array(0)
  /** The number, or the string's dictionary code. */
  slot = new Float64Array(0)

  ensure(rid: number): void {
    if (rid < this.kind.length) return
    let size = Math.max(1024, this.kind.length * 2)
    while (size <= rid) size *= 2
    const kind = new Uint8Array(size)
    kind.set(this.kind)
    const slot = new Float64Array(size)
    slot.set(this.slot)
    this.kind = kind
    this.slot = slot
  }
}

/** What a test says of one rid. */
export const FAILS = 0
/** Passes on a plain value: exactly what q would say. */
export const HOLDS = 1
/** Passes because the value is not plain: only the exact evaluation can tell. */
export const MAYBE = 2
/** One compiled predicate: tests the slot of one rid. */
export type RidTest = (rid: number) => typeof FAILS | typeof HOLDS | typeof MAYBE

export class ValueColumns {
  private readonly columns = new Map<string, Column>()
  /** Attribute IRIs each rid has a slot in, so clearing an entity touches only its columns. */
  private readonly attrsOf = new Map<number, readonly string[]>()
  /** Bounding box of each rid's `location` (min x, min y, max x, max y); NaN when it has none. */
  private boxes = new Float64Array(0)
  /** The same boxes on a grid, to find the rids in an area (see geo-grid.ts). */
  private readonly grid = new GeoGrid()
  private readonly codes = new Map<string, number>()
  private readonly strings: string[] = []
  ready = false

  /** Records an entity's plain values (replacing what the rid held before). */
  set(rid: number, attrs: Entity['attrs']): void {
    const before = this.attrsOf.get(rid)
    const names = Object.keys(attrs)
    if (before) {
      for (const attr of before) {
        if (!(attr in attrs)) this.columns.get(attr)?.kind.fill(ABSENT, rid, rid + 1)
      }
    }
    for (const attr of names) {
      const col = this.column(attr)
      col.ensure(rid)
      const instances = attrs[attr] ?? []
      const plain = instances.length === 1 ? plainValue(instances[0]!) : undefined
      if (typeof plain === 'number') {
        col.kind[rid] = NUMBER
        col.slot[rid] = plain
      } else if (typeof plain === 'string') {
        col.kind[rid] = STRING
        col.slot[rid] = this.code(plain)
      } else {
        col.kind[rid] = OTHER
      }
    }
    this.attrsOf.set(rid, names)
    this.setBox(rid, locationBbox(attrs))
  }

  private setBox(rid: number, box: Bbox | undefined): void {
    this.grid.set(rid, box)
    if (4 * rid + 3 >= this.boxes.length) {
      if (!box) return
      let size = Math.max(4096, this.boxes.length * 2)
      while (size <= 4 * rid + 3) size *= 2
      const grown = new Float64Array(size).fill(NaN)
      grown.set(this.boxes)
      this.boxes = grown
    }
    for (let i = 0; i < 4; i++) this.boxes[4 * rid + i] = box ? box[i]! : NaN
  }

  /**
   * A test that the rid's location box overlaps `box` (a geo query's conservative box). Never
   * exact: the query's geo predicate still decides on the entity.
   */
  overlaps(box: Bbox): RidTest {
    return (rid) => {
      const b = this.boxes
      const i = 4 * rid
      if (i + 3 >= b.length) return FAILS
      // NaN (no location) fails every comparison.
      return b[i + 2]! >= box[0] && b[i]! <= box[2] && b[i + 3]! >= box[1] && b[i + 1]! <= box[3]
        ? MAYBE
        : FAILS
    }
  }

  /** An upper bound on how many rids inArea(box) lists, read off the grid without listing. */
  areaEstimate(box: Bbox): number {
    return this.grid.estimate(box)
  }

  /**
   * Every rid (of any tenant and type) whose location box overlaps `box` and that `accept`
   * takes, in no order. One pass over the area's cells, testing the box inline.
   */
  inArea(box: Bbox, accept: (rid: number) => boolean = () => true): number[] {
    const out: number[] = []
    const b = this.boxes
    const [x0, y0, x1, y1] = box
    for (const list of this.grid.lists(box)) {
      for (let k = 0; k < list.length; k++) {
        const rid = list[k]!
        const i = 4 * rid
        // NaN (no location) fails every comparison.
        if (b[i + 2]! >= x0 && b[i]! <= x1 && b[i + 3]! >= y0 && b[i + 1]! <= y1 && accept(rid))
          out.push(rid)
      }
    }
    return out
  }

  clear(rid: number): void {
    this.setBox(rid, undefined)
    for (const attr of this.attrsOf.get(rid) ?? []) {
      const col = this.columns.get(attr)
      if (col && rid < col.kind.length) col.kind[rid] = ABSENT
    }
    this.attrsOf.delete(rid)
  }

  /**
   * A test per predicate, or undefined when some predicate can match no entity at all (no entity
   * ever had the attribute), so the query's answer is empty.
   */
  compile(predicates: readonly ValuePredicate[]): RidTest[] | undefined {
    const tests: RidTest[] = []
    for (const p of predicates) {
      const col = this.columns.get(p.attr)
      if (!col) return undefined
      tests.push(this.test(col, p))
    }
    return tests
  }

  private test(col: Column, p: ValuePredicate): RidTest {
    const { op, value } = p
    if (typeof value === 'number') {
      const cmp = comparer(op, value)
      return (rid) => {
        const k = rid < col.kind.length ? col.kind[rid] : ABSENT
        // q never orders or equates a string with a number: only the exact check of OTHER is left.
        return k === OTHER ? MAYBE : k === NUMBER && cmp(col.slot[rid]!) ? HOLDS : FAILS
      }
    }
    if (op === '==') {
      const code = this.codes.get(value)
      return (rid) => {
        const k = rid < col.kind.length ? col.kind[rid] : ABSENT
        return k === OTHER ? MAYBE : k === STRING && col.slot[rid] === code ? HOLDS : FAILS
      }
    }
    const cmp = comparer(op, value)
    return (rid) => {
      const k = rid < col.kind.length ? col.kind[rid] : ABSENT
      if (k === OTHER) return MAYBE
      return k === STRING && cmp(this.strings[col.slot[rid]!]!) ? HOLDS : FAILS
    }
  }

  private column(attr: string): Column {
    let col = this.columns.get(attr)
    if (!col) {
      col = new Column()
      this.columns.set(attr, col)
    }
    return col
  }

  private code(s: string): number {
    let c = this.codes.get(s)
    if (c === undefined) {
      c = this.strings.length
      this.strings.push(s)
      this.codes.set(s, c)
    }
    return c
  }
}

/** The value a q comparison would compare, when it is one plain number or string. */
function plainValue(inst: AttributeInstance): number | string | undefined {
  if (inst.type === 'Property') {
    const v = inst.value
    return typeof v === 'number' || typeof v === 'string' ? v : undefined
  }
  if (inst.type === 'Relationship') return typeof inst.object === 'string' ? inst.object : undefined
  return undefined
}

/** `a op b` for numbers or strings (q compares each only with its own kind). */
function comparer<T extends number | string>(op: ValuePredicate['op'], b: T): (a: T) => boolean {
  switch (op) {
    case '==':
      return (a) => a === b
    case '<':
      return (a) => a < b
    case '<=':
      return (a) => a <= b
    case '>':
      return (a) => a > b
    case '>=':
      return (a) => a >= b
  }
}
