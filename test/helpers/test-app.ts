/**
 * Starts a real Civitas in-process for end-to-end tests: a SQLite file in a temporary directory,
 * the embedded broker and HTTP on free ports of 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, type CivitasApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config/load-config.js'
import { silentLogger } from '../../src/log/logger.js'

type Overrides = Parameters<typeof loadConfig>[1]

export interface TestCivitas {
  app: CivitasApp
  config: Config
  httpUrl: string
  mqttUrl: string
  mqttPort: number
  dataDir: string
  stop(): Promise<void>
}

/**
 * `opts.dataDir` starts on an existing data directory (a restart), which `stop` then leaves in
 * place; by default a new temporary one is made and removed by `stop`.
 */
export async function startTestCivitas(
  overrides: Overrides = {},
  opts: { dataDir?: string } = {},
): Promise<TestCivitas> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'civitas-e2e-'))
  const config = loadConfig(
    {},
    {
      ...overrides,
      dataDir,
      logLevel: 'silent',
      http: { host: '127.0.0.1', port: 0, ...overrides.http },
      mqtt: { host: '127.0.0.1', port: 0, ...overrides.mqtt },
    },
  )
  const app = await createApp(config, { log: silentLogger })
  const { httpPort, mqttPort } = await app.start()
  return {
    app,
    config,
    dataDir,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort ?? 0}`,
    mqttPort: mqttPort ?? 0,
    async stop() {
      await app.stop()
      if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
