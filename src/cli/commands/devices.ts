/**
 * `civitas devices add|list|rotate-secret|import`: device provisioning from the shell. With --json,
 * stdout carries only JSON (logs and progress go to stderr), so scripts can parse it.
 */
import { createReadStream, statSync } from 'node:fs'
import { parse } from 'csv-parse'
import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import { loadConfig } from '../../config/load-config.js'
import { DEFAULT_TENANT } from '../../core/ngsi.js'
import type { DeviceSpec, ProvisionResult } from '../../ingest/device-registry.js'
import { openCliStore } from '../open-cli-store.js'

const out = (s: string) => process.stdout.write(s + '\n')

function printDevice(d: ProvisionResult): void {
  out(`device ${d.id} (${d.profile}) → entity ${d.entityId}`)
  out(`  MQTT username: ${d.username}`)
  out(`  secret:        ${d.secret}   (shown once)`)
  out(`  topic:         ${d.topic}`)
}

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${v}"`)
  return n
}

function specFrom(o: Record<string, string | undefined>, tenant: string): DeviceSpec {
  const lon = num(o.lon, 'lon')
  const lat = num(o.lat, 'lat')
  const s: DeviceSpec = {
    id: o.id ?? '',
    profile: o.type ?? o.profile ?? '',
    tenant: o.tenant || tenant,
  }
  if (o.name) s.name = o.name
  if (o.entityId) s.entityId = o.entityId
  if (o.connectivity) s.connectivity = o.connectivity
  if (lon !== undefined && lat !== undefined) s.location = { lon, lat }
  return s
}

export function registerDeviceCommands(program: Command): void {
  const devices = program.command('devices').description('register and manage devices')

  devices
    .command('add')
    .description('register one device and print its secret (shown once)')
    .requiredOption('--id <id>', 'device id (also the MQTT username)')
    .requiredOption('--type <profile>', 'device profile, e.g. generic, air-quality, parking-spot')
    .option('--tenant <tenant>', 'tenant', DEFAULT_TENANT)
    .option('--name <name>')
    .option('--entity-id <uri>', 'NGSI-LD entity the device feeds')
    .option('--lon <lon>')
    .option('--lat <lat>')
    .option('--connectivity <kind>', 'lorawan, nb-iot, lte-m, 4g, 5g, wifi, ethernet, satellite')
    .option('--json', 'print JSON only')
    .action(async (o: Record<string, string | undefined>) => {
      const { store, registry } = openCliStore(loadConfig())
      try {
        const [d] = await registry.provision([specFrom(o, o.tenant ?? DEFAULT_TENANT)])
        if (!d) throw new Error('nothing provisioned')
        if (o.json) out(JSON.stringify(d))
        else printDevice(d)
      } finally {
        await store.close()
      }
    })

  devices
    .command('list')
    .description('list devices with their counters')
    .option('--tenant <tenant>', 'tenant', DEFAULT_TENANT)
    .option('--json', 'print JSON only')
    .action(async (o: { tenant: string; json?: boolean }) => {
      const { store, registry } = openCliStore(loadConfig())
      try {
        const list = await store.devices.list(o.tenant, { limit: 1_000_000, offset: 0 })
        const rows = list.map(({ secretHash: _s, ...d }) => ({
          ...d,
          health: registry.health({ ...d, secretHash: '' }),
        }))
        if (o.json) {
          out(JSON.stringify(rows))
          return
        }
        for (const d of rows)
          out(
            `${d.id.padEnd(24)} ${d.profile.padEnd(16)} ${d.health.padEnd(7)} msgs=${d.messages} rejected=${d.rejected} ${d.entityId}`,
          )
        out(`${rows.length} devices`)
      } finally {
        await store.close()
      }
    })

  devices
    .command('rotate-secret')
    .description('give a device a new secret (the old one stops working within seconds)')
    .requiredOption('--id <id>')
    .option('--tenant <tenant>', 'tenant', DEFAULT_TENANT)
    .option('--json', 'print JSON only')
    .action(async (o: { id: string; tenant: string; json?: boolean }) => {
      const { store, registry } = openCliStore(loadConfig())
      try {
        const d = await registry.rotateSecret(o.tenant, o.id)
        if (o.json) out(JSON.stringify(d))
        else printDevice(d)
      } finally {
        await store.close()
      }
    })

  devices
    .command('import <file>')
    .description(
      'register many devices from a CSV file (columns id,type; optional name,lon,lat,connectivity,entityId,tenant)',
    )
    .option('--tenant <tenant>', 'tenant for rows without one', DEFAULT_TENANT)
    .option('--json', 'print a JSON array only')
    .action(async (file: string, o: { tenant: string; json?: boolean }) => {
      const { store, registry } = openCliStore(loadConfig())
      const total = statSync(file).size
      const bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'importing devices [{bar}] {percentage}% | {value} devices',
        },
        cliProgress.Presets.shades_classic,
      )
      let read = 0
      bar.start(total, 0)
      const results: ProvisionResult[] = []
      try {
        const input = createReadStream(file)
        input.on('data', (c) => bar.update(Math.min((read += c.length), total)))
        const parser = input.pipe(
          parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }),
        )
        // All rows are validated before any is written: a bad row registers nothing.
        const specs: DeviceSpec[] = []
        for await (const row of parser as AsyncIterable<Record<string, string>>)
          specs.push(specFrom(row, o.tenant))
        results.push(...(await registry.provision(specs)))
        bar.update(total)
      } finally {
        bar.stop()
        await store.close()
      }
      if (o.json) out(JSON.stringify(results))
      else {
        for (const d of results) out(`${d.id},${d.secret},${d.topic}`)
        process.stderr.write(
          `${results.length} devices registered; the secrets above are shown once\n`,
        )
      }
    })
}
