/**
 * The conformance ledger: for every test case of the ETSI NGSI-LD conformance suite (GS CIM 014),
 * what Civitas does with it. The suite itself (Robot Framework) cannot run on this machine: it is
 * not in the npm registry or Debian, and there is no other network. So each test case is re-stated
 * here as a Vitest test against `civitas start`, named by its ETSI id, and the ledger records the
 * outcome. ledger.test.ts keeps the ledger honest: every "pass" has a test of that id, and every
 * test id is in the ledger as "pass".
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Outcome =
  /** Re-stated as a test in test/conformance and passing. */
  | { status: 'pass' }
  /** Single-broker behaviour Civitas does not yet have (or gets wrong); why says what. */
  | { status: 'fail'; why: string }
  /** Outside the single-broker scope of the issue: distributed operations, forwarding to
   * context sources, multi-broker interoperability. */
  | { status: 'excluded'; why: string }

/** ETSI test-case id (the robot file's name without .robot, e.g. "019_01_01") → outcome. */
export type LedgerFile = Record<string, Outcome & { path: string }>

export const CONFORMANCE_DIR = fileURLToPath(new URL('..', import.meta.url))

export function readLedger(): Map<string, Outcome & { path: string; area: string }> {
  const dir = join(CONFORMANCE_DIR, 'ledger')
  const all = new Map<string, Outcome & { path: string; area: string }>()
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const area = file.replace(/\.json$/, '')
    const entries = JSON.parse(readFileSync(join(dir, file), 'utf8')) as LedgerFile
    for (const [id, outcome] of Object.entries(entries)) {
      if (all.has(id)) throw new Error(`ETSI id ${id} is in two ledger files (${area})`)
      all.set(id, { ...outcome, area })
    }
  }
  return all
}

/**
 * Every ETSI id named by a test title in test/conformance: it('019_01_01 …') or describe(…).
 * Two-digit prefixes are the suite's own spellings of a few ids (02_22_03, 49_01_01).
 */
export function testedIds(): Map<string, string> {
  const ids = new Map<string, string>()
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.test.ts') && entry.name !== 'ledger.test.ts') {
        const text = readFileSync(path, 'utf8')
        for (const m of text.matchAll(
          /\b(?:it|test|describe)(?:\.each\([^)]*\))?\(\s*['"`](\d{2,5}(?:_\d{2})+)\b/g,
        ))
          if (m[1] !== undefined) ids.set(m[1], path)
      }
    }
  }
  walk(CONFORMANCE_DIR)
  return ids
}
