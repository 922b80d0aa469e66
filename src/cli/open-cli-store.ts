/**
 * Opens the store for a CLI command next to a possibly running server: same file (WAL allows it),
 * no history maintenance (the server owns that), and the device registry on top.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Config } from '../config/load-config.js'
import { BUILTIN_PROFILES } from '../core/device-profiles.js'
import { createDeviceRegistry } from '../ingest/device-registry.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'

export function openCliStore(config: Config) {
  const dir = resolve(config.dataDir)
  mkdirSync(dir, { recursive: true })
  const store = openSqliteStore({
    file: join(dir, 'civitas.db'),
    history: config.history,
    sealIntervalMs: 0,
  })
  const registry = createDeviceRegistry({ devices: store.devices, profiles: BUILTIN_PROFILES })
  return { store, registry }
}
