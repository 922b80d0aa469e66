/**
 * The `civitas` command line. Commands stay thin: they load config and call the app.
 */
import { Command } from 'commander'
import { ConfigError } from '../config/load-config.js'
import { isAppError } from '../core/errors.js'
import { PortInUseError } from '../app.js'
import { registerDbCommands } from './commands/db.js'
import { demoCommand } from './commands/demo.js'
import { registerDeviceCommands } from './commands/devices.js'
import { registerImportCommand } from './commands/import.js'
import { registerReplayCommand } from './commands/replay.js'
import { startCommand } from './commands/start.js'

const program = new Command()
program.name('civitas').description('Civitas smart-city platform').version('0.1.0')
program
  .command('start')
  .description('run the server on the data directory (empty database at first)')
  .action(startCommand)
program
  .command('demo')
  .description('run the server plus a simulated city publishing over MQTT')
  .action(demoCommand)
registerDbCommands(program)
registerDeviceCommands(program)
registerImportCommand(program)
registerReplayCommand(program)

program.parseAsync(process.argv).catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof PortInUseError || isAppError(err)
  process.stderr.write(
    `civitas: ${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  )
  process.exit(known ? 2 : 1)
})
