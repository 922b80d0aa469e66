/**
 * Runs the server in the foreground until SIGTERM/SIGINT, then shuts down gracefully: stop
 * accepting, flush what was accepted, close storage — within 30 s, or exit hard.
 */
import type { CivitasApp } from '../app.js'
import type { Config } from '../config/load-config.js'

export interface Banner {
  httpPort: number
  mqttPort: number | undefined
  adminToken: string
  extra?: string[]
}

export function printBanner(config: Config, b: Banner): void {
  const host =
    config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host
  const lines = [
    '',
    `  Civitas is running`,
    `  Dashboard      http://${host}:${b.httpPort}/`,
    `  NGSI-LD API    http://${host}:${b.httpPort}/ngsi-ld/v1`,
    `  API docs       http://${host}:${b.httpPort}/docs`,
    b.mqttPort !== undefined
      ? `  MQTT           mqtt://${host}:${b.mqttPort}  (topic civitas/{tenant}/devices/{id}/up)`
      : `  MQTT           ${config.mqtt.mode === 'external' ? `external broker ${config.mqtt.url ?? ''}` : 'off'}`,
    `  Operator login token: ${b.adminToken}   (Authorization: Bearer <token>; also in ${config.dataDir}/operator-token)`,
    ...(b.extra ?? []),
    '',
  ]
  process.stderr.write(lines.join('\n') + '\n')
}

export function runUntilSignal(
  app: CivitasApp,
  onStop: () => Promise<void> = () => Promise.resolve(),
): void {
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    const hard = setTimeout(() => {
      app.log.error({}, 'shutdown took over 25 s: exiting')
      process.exit(1)
    }, 25_000)
    hard.unref()
    onStop()
      .then(() => app.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed')
          process.exit(1)
        },
      )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}
