/**
 * Process entry for `node dist/main.js`: the same as `civitas start`.
 */
import { startCommand } from './cli/commands/start.js'

startCommand().catch((err: unknown) => {
  process.stderr.write(`civitas: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
