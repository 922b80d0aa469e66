/**
 * `civitas demo` (what `npm start` runs): the server plus a simulated city whose devices publish over
 * MQTT with their own credentials, like real ones. The demo fleet's secrets are kept in the data
 * directory so a restart reconnects the same devices.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createApp, PortInUseError, type CivitasApp } from '../../app.js'
import { loadConfig, maskConfig, type Config } from '../../config/load-config.js'
import type { ProvisionedDevice } from '../../core/device.js'
import { DEFAULT_TENANT } from '../../core/ngsi.js'
import { createCity } from '../../simulator/city.js'
import type { DeviceSpec } from '../../simulator/fleet.js'
import { startSimulator } from '../../simulator/run-simulator.js'
import { NO_FAULTS } from '../../simulator/signals/faults.js'
import { printBanner, runUntilSignal } from '../run-server.js'

export async function demoCommand(): Promise<void> {
  let config = loadConfig()
  const city = createCity(config.demo.seed)
  let app = await createApp(config, { city })
  let ports: Awaited<ReturnType<CivitasApp['start']>>
  try {
    ports = await app.start()
  } catch (err) {
    if (!(err instanceof PortInUseError && err.service === 'mqtt')) throw err
    // A laptop often runs its own broker on 1883: the demo moves aside rather than failing.
    app.log.warn({ port: config.mqtt.port }, `${err.message} The demo uses a free port instead.`)
    await app.stop()
    config = loadConfig(undefined, { mqtt: { port: 0 } })
    app = await createApp(config, { city })
    ports = await app.start()
  }
  app.log.info({ config: maskConfig(config) }, 'configuration')
  const running = app
  const simulator = await startSimulator({
    mqttUrl: `mqtt://127.0.0.1:${ports.mqttPort ?? config.mqtt.port}`,
    tenant: DEFAULT_TENANT,
    devices: config.demo.devices,
    seed: config.demo.seed,
    intervalMs: config.demo.intervalMs,
    ...(!config.demo.faults && { faults: NO_FAULTS }),
    provision: (specs) => provisionDemoFleet(running, config, specs),
    log: app.log.child({ module: 'simulator' }),
  })
  printBanner(config, {
    ...ports,
    adminToken: app.adminToken,
    extra: [
      `  Demo city      ${city.name}: ${config.demo.devices} simulated devices publishing over MQTT`,
    ],
  })
  runUntilSignal(app, () => simulator.stop())
}

/** Provisions the demo devices once, reusing stored secrets on later runs. */
async function provisionDemoFleet(
  app: CivitasApp,
  config: Config,
  specs: DeviceSpec[],
): Promise<ProvisionedDevice[]> {
  const file = join(resolve(config.dataDir), 'demo-fleet.json')
  const known = new Map<string, ProvisionedDevice>()
  if (existsSync(file)) {
    for (const d of JSON.parse(readFileSync(file, 'utf8')) as ProvisionedDevice[])
      known.set(d.id, d)
  }
  const out: ProvisionedDevice[] = []
  const fresh: DeviceSpec[] = []
  for (const s of specs) {
    const k = known.get(s.id)
    const existing = await app.store.devices.get(DEFAULT_TENANT, s.id)
    if (k && existing) out.push(k)
    else if (existing) out.push(await app.registry.rotateSecret(DEFAULT_TENANT, s.id))
    else fresh.push(s)
  }
  if (fresh.length > 0)
    out.push(
      ...(await app.registry.provision(fresh.map((s) => ({ ...s, tenant: DEFAULT_TENANT })))),
    )
  writeFileSync(file, JSON.stringify(out), { mode: 0o600 })
  return out
}
