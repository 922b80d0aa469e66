/**
 * The syntax tree of the NGSI-LD query language (q, GS CIM 009 §4.9) as parseQ builds it and
 * evaluateQ walks it. Names are kept as written; expansion to IRIs happens at evaluation time.
 */

/** A literal on the right of an operator. Temporal literals carry their parsed form. */
export type QScalar =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'uri'; value: string }
  /** dateTime and date compare on the same time line: epoch milliseconds (a date is 00:00Z). */
  | { kind: 'dateTime' | 'date'; value: string; epoch: number }
  /** Seconds since midnight. */
  | { kind: 'time'; value: string; seconds: number }

export type QValue =
  QScalar | { kind: 'list'; items: QScalar[] } | { kind: 'range'; from: QScalar; to: QScalar }

export type QEqualityOp = '==' | '!='
export type QOrderOp = '>' | '>=' | '<' | '<='
export type QRegexOp = '~=' | '!~='

export type QComparison =
  | { op: QEqualityOp; value: QValue }
  | { op: QOrderOp; value: QScalar }
  | { op: QRegexOp; pattern: RegExp }

/**
 * `attr.sub1.sub2[m1.m2]`: `sub` holds sub-attribute names or one trailing instance member
 * (observedAt, unitCode, datasetId, createdAt, modifiedAt); `members` addresses keys inside a
 * compound value, or a language of a LanguageProperty (`*` = any).
 * `rel{T1,T2:path}` sets `linked` (and leaves sub/members empty).
 */
export interface QPath {
  attr: string
  sub: string[]
  members?: string[]
  /**
   * The members are JSON keys, matched as written and never expanded as JSON-LD terms: the
   * attribute is listed in `jsonKeys` (§4.9). A JsonProperty's keys are always taken so.
   */
  jsonKeys?: true
  linked?: { entityTypes: string[]; path: QPath }
}

export interface QTerm {
  kind: 'term'
  path: QPath
  /** Absent: the term only asks that the path exists. */
  comparison?: QComparison
  /**
   * `!path`: the term asks that the path does NOT exist (never with a comparison). An extension
   * to the V1.9.1 grammar, which has no negation; Orion-LD reads `!attr` the same way.
   */
  negated?: true
  /** Offset of the term in the query text, for messages. */
  position: number
}

export type QNode = QTerm | { kind: 'and' | 'or'; children: QNode[] }

/** Instance members a q path may address after the attribute name. */
export const Q_INSTANCE_MEMBERS = new Set([
  'observedAt',
  'unitCode',
  'datasetId',
  'createdAt',
  'modifiedAt',
])
