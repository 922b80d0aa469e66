/**
 * Replays a real dataset through the normal ingest path: one device per station, car park or
 * meter, each on its own MQTT connection, with the original observedAt timestamps and time
 * compressed by `speed` (3600 = one hour of data per second).
 *
 * @example
 *   await replayDataset({ dataset: 'dublin-noise', datasetsDir: '/work/shared/datasets',
 *     mqttUrl: 'mqtt://127.0.0.1:1883', tenant: 'default', speed: 3600, provision, log })
 */
import { parse } from 'csv-parse'
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import type { ProvisionedDevice } from '../core/device.js'
import { BUILTIN_PROFILES } from '../core/device-profiles.js'
import type { Logger } from '../log/logger.js'
import { checkPayload } from './check-payload.js'
import { createCity, type CityModel } from './city.js'
import { openDeviceLink, type DeviceLink } from './device-link.js'
import type { DeviceSpec } from './fleet.js'
import { randomPointInPolygon } from './geometry.js'
import { createRng, hashString } from './prng.js'
import {
  createDatasetMapping,
  type DatasetMapping,
  type DatasetName,
  type ReplayRecord,
} from './replay-datasets.js'

export interface ReplayOptions {
  dataset: DatasetName
  /** The folder holding one sub-folder per dataset, e.g. /work/shared/datasets. */
  datasetsDir: string
  mqttUrl: string
  tenant: string
  /** Data seconds per real second: 3600 = one hour of data per second. */
  speed: number
  /** Send at most this many readings (the earliest ones). */
  limit?: number
  provision(specs: DeviceSpec[]): Promise<ProvisionedDevice[]>
  log: Logger
  /** Ends the replay early (already-sent readings stay sent). */
  signal?: AbortSignal
}

export interface ReplayResult {
  sent: number
  devices: number
  /** Rows ingest would reject anyway (e.g. negative consumption), left out. */
  skipped: number
  failed: number
}

/** Messages awaiting PUBACK before the replay waits for some to finish. */
const MAX_IN_FLIGHT = 500
const CONNECT_WAIT_MS = 10_000
const ACK_TIMEOUT_MS = 30_000

/** Reads, maps and time-orders the readings of a dataset; ingest-invalid rows are counted, not kept. */
export async function readDataset(
  dataset: DatasetName,
  datasetsDir: string,
  opts: { limit?: number; rowsPerFile?: number; signal?: AbortSignal } = {},
): Promise<{ mapping: DatasetMapping; records: ReplayRecord[]; skipped: number }> {
  const mapping = createDatasetMapping(dataset)
  const profile = BUILTIN_PROFILES.get(mapping.profile)
  if (profile === undefined) throw new Error(`unknown profile ${mapping.profile}`)
  const records: ReplayRecord[] = []
  let skipped = 0
  for (const file of mapping.files) {
    const parser = createReadStream(join(datasetsDir, mapping.folder, file)).pipe(
      parse({
        columns: true,
        delimiter: mapping.delimiter,
        skip_empty_lines: true,
        bom: true,
        ...(opts.rowsPerFile !== undefined && { to: opts.rowsPerFile }),
      }),
    )
    let fromFile = 0
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      if (opts.signal?.aborted === true) break
      // The earliest `limit` readings overall lie within the first `limit` of each sorted file.
      if (mapping.timeOrdered && opts.limit !== undefined && fromFile >= opts.limit) break
      for (const record of mapping.toRecords(row)) {
        const problems = checkPayload(profile, {
          observedAt: record.observedAt.toISOString(),
          ...record.measurements,
        })
        if (problems.length > 0) skipped++
        else {
          records.push(record)
          fromFile++
        }
      }
    }
  }
  // Files run station by station; a replay runs in time order across all of them (stable sort).
  records.sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime())
  const kept = opts.limit === undefined ? records : records.slice(0, opts.limit)
  return { mapping, records: kept, skipped }
}

/** Datasets have no coordinates: each device gets a fixed, seeded spot in the demo city. */
export function replayDeviceSpecs(
  mapping: DatasetMapping,
  ids: string[],
  city: CityModel = createCity(),
): DeviceSpec[] {
  const districts = city.districts.features.filter((d) => d.properties.kind === 'city')
  return ids.map((id) => {
    const rng = createRng(hashString(id))
    const district = rng.pick(districts)
    const [lon, lat] = randomPointInPolygon(rng, district.geometry)
    return {
      id,
      profile: mapping.profile,
      name: mapping.deviceName(id),
      location: { lon, lat },
      connectivity: mapping.connectivity,
      district: district.properties.name,
    }
  })
}

export async function replayDataset(opts: ReplayOptions): Promise<ReplayResult> {
  if (!(opts.speed > 0)) throw new Error('replayDataset: speed must be positive')
  const log = opts.log.child({ component: 'replay', dataset: opts.dataset })
  const { mapping, records, skipped } = await readDataset(opts.dataset, opts.datasetsDir, {
    ...(opts.limit !== undefined && { limit: opts.limit }),
    ...(opts.signal !== undefined && { signal: opts.signal }),
  })
  const ids = [...new Set(records.map((r) => r.deviceId))]
  const provisioned = new Map(
    (await opts.provision(replayDeviceSpecs(mapping, ids))).map((p) => [p.id, p]),
  )
  const first = records[0]?.observedAt.getTime() ?? 0
  const last = records.at(-1)?.observedAt.getTime() ?? 0
  log.info(
    {
      records: records.length,
      devices: ids.length,
      skipped,
      from: new Date(first),
      to: new Date(last),
      speed: opts.speed,
    },
    'replay starting',
  )

  const links = new Map<string, DeviceLink>()
  const result: ReplayResult = { sent: 0, devices: 0, skipped, failed: 0 }
  try {
    for (let i = 0; i < ids.length; i += 50) {
      const batch = ids.slice(i, i + 50).flatMap((id) => {
        const p = provisioned.get(id)
        if (p === undefined) return []
        const link = openDeviceLink({ url: opts.mqttUrl, id, secret: p.secret, log })
        links.set(id, link)
        return [link.firstAttempt]
      })
      await Promise.all(batch)
    }
    result.devices = links.size

    const counts = await sendTimeline(
      records,
      opts,
      (id) => {
        const link = links.get(id)
        const topic = provisioned.get(id)?.topic
        return link === undefined || topic === undefined ? undefined : { link, topic }
      },
      log,
    )
    result.sent = counts.sent
    result.failed = counts.failed
  } finally {
    await Promise.all([...links.values()].map((l) => l.close()))
  }
  log.info({ ...result }, 'replay finished')
  return result
}

/**
 * Publishes the records on their original timeline, compressed by `speed`, keeping at most
 * MAX_IN_FLIGHT messages unacknowledged. A broker that stops acknowledging ends the replay.
 */
async function sendTimeline(
  records: ReplayRecord[],
  opts: Pick<ReplayOptions, 'speed' | 'signal'>,
  route: (deviceId: string) => { link: DeviceLink; topic: string } | undefined,
  log: Logger,
): Promise<{ sent: number; failed: number }> {
  const counts = { sent: 0, failed: 0 }
  let finished = false
  const inFlight = new Set<Promise<void>>()
  const first = records[0]?.observedAt.getTime() ?? 0
  const realStart = Date.now()
  for (const record of records) {
    if (opts.signal?.aborted === true) break
    const target = route(record.deviceId)
    if (target === undefined) continue
    const due = realStart + (record.observedAt.getTime() - first) / opts.speed
    // Sleep only for waits worth a timer: dense data goes out in small bursts.
    if (due - Date.now() >= 5) await sleep(due - Date.now(), opts.signal)
    if (!(await target.link.whenConnected(CONNECT_WAIT_MS))) {
      counts.failed++
      continue
    }
    const payload = JSON.stringify({
      observedAt: record.observedAt.toISOString(),
      ...record.measurements,
    })
    // Acks that arrive after the final count are ignored, so the result never changes later.
    const sending: Promise<void> = target.link.publish(target.topic, payload).then(
      () => {
        if (!finished) counts.sent++
      },
      () => {
        if (!finished) counts.failed++
      },
    )
    inFlight.add(sending)
    void sending.finally(() => inFlight.delete(sending))
    if (inFlight.size >= MAX_IN_FLIGHT && !(await within(Promise.race(inFlight), ACK_TIMEOUT_MS))) {
      log.warn({ inFlight: inFlight.size }, 'broker stopped acknowledging; replay ended early')
      break
    }
  }
  await within(Promise.all(inFlight), ACK_TIMEOUT_MS)
  finished = true
  counts.failed += inFlight.size // still unacknowledged: count them as lost
  return counts
}

/** True if the promise settled within `ms`; the timer never outlives the wait. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  const settled = await Promise.race([promise.then(() => true), late])
  clearTimeout(timer)
  return settled
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
