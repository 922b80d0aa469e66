/**
 * `civitas import FILE`: historical measurements from CSV (columns deviceId, observedAt, then one
 * column per measurement) or JSON (array of {deviceId, observedAt, ...}), sent in batches to the
 * running server, which stays the only writer of history. Progress goes to stderr.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'csv-parse'
import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import { loadConfig } from '../../config/load-config.js'

type Row = Record<string, unknown> & { deviceId: string }

function csvValue(v: string): unknown {
  if (v === '') return undefined
  if (v === 'true' || v === 'false') return v === 'true'
  const n = Number(v)
  return Number.isFinite(n) && /^-?[\d.]+(e[-+]?\d+)?$/i.test(v) ? n : v
}

async function* rows(file: string, onBytes: (n: number) => void): AsyncGenerator<Row> {
  if (file.endsWith('.json')) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown
    if (!Array.isArray(data))
      throw new Error(
        'a JSON import file must hold an array of {deviceId, observedAt, ...} objects',
      )
    onBytes(statSync(file).size)
    yield* data as Row[]
    return
  }
  const input = createReadStream(file)
  input.on('data', (c) => onBytes(c.length))
  for await (const r of input.pipe(
    parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }),
  ) as AsyncIterable<Record<string, string>>) {
    const row: Row = { deviceId: r.deviceId ?? r.id ?? '' }
    for (const [k, v] of Object.entries(r)) {
      if (k === 'deviceId' || k === 'id') continue
      const value = k === 'observedAt' ? v : csvValue(v)
      if (value !== undefined) row[k] = value
    }
    yield row
  }
}

export function registerImportCommand(program: Command): void {
  program
    .command('import <file>')
    .description('import historical measurements (CSV or JSON) through the running server')
    .option('--url <url>', 'server URL (default http://127.0.0.1:$CIVITAS_HTTP_PORT)')
    .option('--tenant <tenant>', 'tenant', 'default')
    .option('--batch <n>', 'rows per request', '5000')
    .action(async (file: string, o: { url?: string; tenant: string; batch: string }) => {
      const config = loadConfig()
      const url = o.url ?? `http://127.0.0.1:${config.http.port}`
      const token = readFileSync(join(resolve(config.dataDir), 'operator-token'), 'utf8').trim()
      const size = statSync(file).size
      const bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: 'importing [{bar}] {percentage}% | {rows} rows' },
        cliProgress.Presets.shades_classic,
      )
      bar.start(size, 0, { rows: 0 })
      let bytes = 0
      let count = 0
      let points = 0
      const rejected: unknown[] = []
      const send = async (batch: Row[]) => {
        for (;;) {
          const res = await fetch(`${url}/api/v1/import/measurements`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              'ngsild-tenant': o.tenant,
            },
            body: JSON.stringify(batch),
          })
          if (res.status === 503) {
            await new Promise((r) =>
              setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)),
            )
            continue
          }
          const body = (await res.json()) as {
            points?: number
            rejected?: unknown[]
            detail?: string
          }
          if (!res.ok)
            throw new Error(`server answered ${res.status}: ${body.detail ?? JSON.stringify(body)}`)
          points += body.points ?? 0
          rejected.push(...(body.rejected ?? []))
          return
        }
      }
      let batch: Row[] = []
      try {
        for await (const row of rows(file, (n) =>
          bar.update(Math.min((bytes += n), size), { rows: count }),
        )) {
          batch.push(row)
          count++
          if (batch.length >= Number(o.batch)) {
            await send(batch)
            batch = []
          }
        }
        if (batch.length > 0) await send(batch)
        bar.update(size, { rows: count })
      } finally {
        bar.stop()
      }
      process.stdout.write(JSON.stringify({ rows: count, points, rejected }) + '\n')
    })
}
