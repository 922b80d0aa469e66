/**
 * `civitas start`: the server alone, on whatever database is in the data directory (empty at first).
 */
import { createApp } from '../../app.js'
import { loadConfig, maskConfig } from '../../config/load-config.js'
import { printBanner, runUntilSignal } from '../run-server.js'

export async function startCommand(): Promise<void> {
  const config = loadConfig()
  const app = await createApp(config)
  app.log.info({ config: maskConfig(config) }, 'configuration')
  const ports = await app.start()
  printBanner(config, { ...ports, adminToken: app.adminToken })
  runUntilSignal(app)
}
