/**
 * Per-request loggers made only when a request logs. Fastify gives every request a child logger
 * bound to its request id; building a pino child (bindings serialized up front) cost more than
 * the rest of a cached entity read, and only failing requests log (request-log.ts). The lazy
 * child keeps the request id in every line it does write.
 */
import type { FastifyBaseLogger } from 'fastify'

type Bindings = Record<string, unknown>

class LazyRequestLogger {
  #child: FastifyBaseLogger | undefined

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly opts: object,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.parent.level
  }

  set level(level: string) {
    this.real().level = level
  }

  private real(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings, this.opts))
  }

  private call(method: 'info' | 'error' | 'debug' | 'fatal' | 'warn' | 'trace', args: unknown[]) {
    const child = this.real()
    Reflect.apply(child[method], child, args)
  }

  info(...args: unknown[]): void {
    this.call('info', args)
  }
  error(...args: unknown[]): void {
    this.call('error', args)
  }
  debug(...args: unknown[]): void {
    this.call('debug', args)
  }
  fatal(...args: unknown[]): void {
    this.call('fatal', args)
  }
  warn(...args: unknown[]): void {
    this.call('warn', args)
  }
  trace(...args: unknown[]): void {
    this.call('trace', args)
  }
  silent(): void {}
  child(bindings: Bindings, opts?: object): FastifyBaseLogger {
    return this.real().child(bindings, opts)
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, created on its first line. */
export function lazyChildLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  opts: object,
): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, opts)
}
