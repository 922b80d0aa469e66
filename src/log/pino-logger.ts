/**
 * The pino implementation of the Logger port. Logs go to stderr so that CLI commands with --json
 * can keep stdout for data.
 *
 * @example
 *   const log = createPinoLogger({ level: 'info' })
 */
import { pino, destination, type Logger as Pino } from 'pino'
import type { Logger } from './logger.js'

export function createPinoLogger(opts: { level: string; name?: string }): Logger & { pino: Pino } {
  const p = pino({ level: opts.level, name: opts.name ?? 'civitas' }, destination(2))
  return wrap(p)
}

function wrap(p: Pino): Logger & { pino: Pino } {
  return {
    pino: p,
    debug: (o, m) => p.debug(o, m),
    info: (o, m) => p.info(o, m),
    warn: (o, m) => p.warn(o, m),
    error: (o, m) => p.error(o, m),
    child: (b) => wrap(p.child(b)),
  }
}
