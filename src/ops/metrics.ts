/**
 * Prometheus metrics of one Civitas process. Counters are incremented by the composition root's
 * wiring (ingest hooks, broker stats), gauges are read when scraped.
 *
 * @example
 *   const m = createMetrics({ queueDepth: () => committer.depth, connectedDevices: () => broker.connectedClients })
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

export interface MetricSources {
  queueDepth: () => number
  connectedDevices: () => number
  bufferedHistoryPoints: () => number
}

export function createMetrics(sources: MetricSources) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'civitas_process_' })
  const ingestedPoints = new Counter({
    name: 'civitas_ingest_points_total',
    help: 'Data points committed',
    registers: [registry],
  })
  const rejected = new Counter({
    name: 'civitas_ingest_rejected_total',
    help: 'Messages rejected (bad payload, wrong credentials, foreign topic)',
    registers: [registry],
  })
  const commitSeconds = new Histogram({
    name: 'civitas_ingest_commit_seconds',
    help: 'Duration of one group commit (transaction incl. fsync)',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
    registers: [registry],
  })
  const commitPoints = new Histogram({
    name: 'civitas_ingest_commit_points',
    help: 'Data points per group commit',
    buckets: [1, 10, 100, 1000, 5000, 10_000, 20_000, 50_000],
    registers: [registry],
  })
  new Gauge({
    name: 'civitas_ingest_queue_points',
    help: 'Data points accepted but not yet committed',
    registers: [registry],
    collect() {
      this.set(sources.queueDepth())
    },
  })
  new Gauge({
    name: 'civitas_mqtt_connected_devices',
    help: 'Devices connected to the embedded broker',
    registers: [registry],
    collect() {
      this.set(sources.connectedDevices())
    },
  })
  new Gauge({
    name: 'civitas_history_buffered_points',
    help: 'History points not yet sealed into chunks',
    registers: [registry],
    collect() {
      this.set(sources.bufferedHistoryPoints())
    },
  })
  return { registry, ingestedPoints, rejected, commitSeconds, commitPoints }
}
export type Metrics = ReturnType<typeof createMetrics>
