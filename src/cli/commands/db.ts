/**
 * `civitas db migrate`: applies pending schema migrations and prints the report.
 */
import type { Command } from 'commander'
import { loadConfig } from '../../config/load-config.js'
import { openCliStore } from '../open-cli-store.js'

export function registerDbCommands(program: Command): void {
  program
    .command('db')
    .description('database maintenance')
    .command('migrate')
    .description('apply pending schema migrations')
    .action(async () => {
      const { store } = openCliStore(loadConfig())
      try {
        const r = await store.migrate()
        process.stdout.write(
          r.applied.length > 0
            ? `applied: ${r.applied.join(', ')}\n`
            : `up to date (${r.current} migrations)\n`,
        )
      } finally {
        await store.close()
      }
    })
}
