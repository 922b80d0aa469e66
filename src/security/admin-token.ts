/**
 * The operator token that guards device management until users and roles arrive: made on first
 * start, kept in the data directory with owner-only permissions, printed at start as the demo login.
 *
 * @example
 *   const token = loadOrCreateAdminToken('./data')
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export function loadOrCreateAdminToken(dataDir: string): string {
  const file = join(dataDir, 'operator-token')
  if (existsSync(file)) {
    const t = readFileSync(file, 'utf8').trim()
    if (t.length >= 16) return t
  }
  const token = randomBytes(24).toString('base64url')
  writeFileSync(file, token + '\n', { mode: 0o600 })
  return token
}
