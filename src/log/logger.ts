/**
 * The logging port. Structured objects first, a short message second (pino's order), so logs can
 * be searched by field. Pure modules never log; edges do.
 *
 * @example
 *   log.child({ deviceId }).warn({ reason }, 'message rejected')
 */
export interface Logger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
  child(bindings: Record<string, unknown>): Logger
}

/** A logger that drops everything: for tests and pure callers that must pass one. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger
  },
}
