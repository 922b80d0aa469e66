/**
 * `civitas replay DATASET`: feeds one of the real open datasets through the running server's MQTT
 * ingest, time-compressed, with the original timestamps — the same path live devices take.
 * Devices are registered (or their secrets rotated) through the operator API.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../../config/load-config.js'
import type { ProvisionedDevice } from '../../core/device.js'
import { createPinoLogger } from '../../log/pino-logger.js'
import { DATASETS, type DatasetName } from '../../simulator/replay-datasets.js'
import { replayDataset } from '../../simulator/replay.js'
import type { DeviceSpec } from '../../simulator/fleet.js'

export function registerReplayCommand(program: Command): void {
  program
    .command('replay <dataset>')
    .description(`replay a real dataset through MQTT ingest (${DATASETS.join(', ')})`)
    .option(
      '--speed <n>',
      'data seconds per real second (3600 = an hour of data per second)',
      '3600',
    )
    .option('--limit <n>', 'send at most this many readings')
    .option('--url <url>', 'server URL (default http://127.0.0.1:$CIVITAS_HTTP_PORT)')
    .option('--mqtt <url>', 'broker URL (default mqtt://127.0.0.1:$CIVITAS_MQTT_PORT)')
    .option('--tenant <tenant>', 'tenant', 'default')
    .action(
      async (
        dataset: string,
        o: { speed: string; limit?: string; url?: string; mqtt?: string; tenant: string },
      ) => {
        if (!(DATASETS as readonly string[]).includes(dataset))
          throw new Error(`unknown dataset ${dataset}; choose one of ${DATASETS.join(', ')}`)
        const config = loadConfig()
        const url = o.url ?? `http://127.0.0.1:${config.http.port}`
        const token = readFileSync(join(resolve(config.dataDir), 'operator-token'), 'utf8').trim()
        const headers = {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'ngsild-tenant': o.tenant,
        }
        const provision = async (specs: DeviceSpec[]): Promise<ProvisionedDevice[]> => {
          const out: ProvisionedDevice[] = []
          for (const s of specs) {
            const known = await fetch(`${url}/api/v1/devices/${encodeURIComponent(s.id)}`, {
              headers,
            })
            const res = known.ok
              ? await fetch(`${url}/api/v1/devices/${encodeURIComponent(s.id)}/secret`, {
                  method: 'POST',
                  headers: { authorization: headers.authorization, 'ngsild-tenant': o.tenant },
                })
              : await fetch(`${url}/api/v1/devices`, {
                  method: 'POST',
                  headers,
                  body: JSON.stringify({
                    id: s.id,
                    profile: s.profile,
                    name: s.name,
                    location: s.location,
                    connectivity: s.connectivity,
                  }),
                })
            if (!res.ok)
              throw new Error(`registering ${s.id} failed: ${res.status} ${await res.text()}`)
            out.push((await res.json()) as ProvisionedDevice)
          }
          return out
        }
        const r = await replayDataset({
          dataset: dataset as DatasetName,
          datasetsDir: resolve(config.demo.datasetsDir),
          mqttUrl: o.mqtt ?? `mqtt://127.0.0.1:${config.mqtt.port}`,
          tenant: o.tenant,
          speed: Number(o.speed),
          ...(o.limit !== undefined && { limit: Number(o.limit) }),
          provision,
          log: createPinoLogger({ level: config.logLevel }),
        })
        process.stdout.write(JSON.stringify(r) + '\n')
      },
    )
}
