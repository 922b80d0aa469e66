// Durable MQTT ingest with 1,000 active NGSI-LD subscriptions against the same run without any,
// both measured here on fresh servers. The mix (see BENCHMARKS.md): most subscriptions never
// match (other types, other devices, far-away areas, q that no value meets), some match and are
// delivered over HTTP to a receiver in this process, each on its own endpoint path.
import { createServer } from 'node:http'
import { drive } from './mqtt-ingest.js'
import { provision, sleep, startServer } from './lib.js'

const CENTER = [11.3, 46.5]

function receiver() {
  let count = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      count++
      res.statusCode = 204
      res.end()
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        get count() {
          return count
        },
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  )
}

/** A square polygon of `size` degrees with its south-west corner at lon, lat. */
function square(lon, lat, size) {
  return [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat],
    ],
  ]
}

/** The 1,000 subscriptions; `devices` are the provisioned device count. */
export function subscriptionMix(devices, uri) {
  const subs = []
  const notification = (path) => ({ format: 'keyValues', endpoint: { uri: `${uri}${path}` } })
  const otherTypes = [
    'ParkingSpot',
    'AirQualityObserved',
    'NoiseLevelObserved',
    'WeatherObserved',
    'TrafficFlowObserved',
  ]
  // 500 on types no device here has: never candidates for a Device change.
  for (let i = 0; i < 500; i++)
    subs.push({
      entities: [{ type: otherTypes[i % otherTypes.length] }],
      ...(i % 2
        ? { q: `m0>${i}` }
        : {
            geoQ: {
              geometry: 'Polygon',
              coordinates: square(CENTER[0], CENTER[1], 0.01),
              georel: 'within',
            },
          }),
      notification: notification('/other'),
    })
  // 400 on one device each, with a q almost never met (m0 is uniform in 0..1000).
  for (let i = 0; i < 400; i++)
    subs.push({
      entities: [{ id: `urn:ngsi-ld:Device:b-${(i * 5) % devices}`, type: 'Device' }],
      q: 'm0>999.5',
      notification: notification(`/device/${i}`),
    })
  // 40 type-wide with geoQ on areas where no device is.
  for (let i = 0; i < 40; i++)
    subs.push({
      entities: [{ type: 'Device' }],
      geoQ: { geometry: 'Polygon', coordinates: square(12 + i * 0.02, 47, 0.01), georel: 'within' },
      notification: notification('/far'),
    })
  // 30 type-wide with a q no value meets.
  for (let i = 0; i < 30; i++)
    subs.push({
      entities: [{ type: 'Device' }],
      q: `m1>${2000 + i}`,
      notification: notification('/never'),
    })
  // 20 on an attribute no device reports (no entities member: candidates for every change).
  for (let i = 0; i < 20; i++)
    subs.push({
      watchedAttributes: ['temperature'],
      q: 'temperature>40',
      notification: notification('/heat'),
    })
  // 10 that match about 1 % of messages each, 5 of them also with a near geoQ over the city.
  for (let i = 0; i < 10; i++)
    subs.push({
      entities: [{ type: 'Device' }],
      q: `m2>990;m3>=0`,
      ...(i < 5 && {
        geoQ: { geometry: 'Point', coordinates: CENTER, georel: 'near;maxDistance==20000' },
      }),
      notification: notification(`/match/${i}`),
    })
  return subs.map((s, i) => ({
    id: `urn:ngsi-ld:Subscription:bench-${i}`,
    type: 'Subscription',
    ...s,
  }))
}

async function runOnce({ devices: n, messages, points, window, processes, withSubs, rx }) {
  const server = await startServer({ CIVITAS_ALLOW_PRIVATE_CALLBACKS: 'true' })
  const specs = Array.from({ length: n }, (_, i) => ({
    id: `b-${i}`,
    profile: 'generic',
    location: {
      lon: CENTER[0] + ((i * 37) % 100) / 1000 - 0.05,
      lat: CENTER[1] + ((i * 61) % 100) / 1000 - 0.05,
    },
  }))
  const devices = await provision(server, specs)
  let subscriptions = 0
  if (withSubs) {
    for (const s of subscriptionMix(n, `${rx.url}/n`)) {
      const r = await fetch(`${server.url}/ngsi-ld/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(s),
      })
      if (r.status !== 201) throw new Error(`subscription refused: ${r.status} ${await r.text()}`)
      subscriptions++
    }
  }
  const before = rx.count
  const result = await drive({
    mqttUrl: `mqtt://127.0.0.1:${server.mqttPort}`,
    devices,
    messages,
    points,
    window,
    processes,
  })
  result.subscriptions = subscriptions
  if (withSubs) {
    // Matching and delivery trail the acknowledgements: wait until the matching subscriptions'
    // counters stop moving, and report how long that took.
    const settleStarted = performance.now()
    let last = -1
    for (let i = 0; i < 120; i++) {
      await sleep(500)
      const r = await fetch(`${server.url}/ngsi-ld/v1/subscriptions?limit=10&offset=990`)
      const matching = await r.json()
      const sent = matching.reduce((s, x) => s + (x.notification.timesSent ?? 0), 0)
      result.matchingTimesSent = sent
      result.matchingTimesFailed = matching.reduce(
        (s, x) => s + (x.notification.timesFailed ?? 0),
        0,
      )
      if (sent === last) break
      last = sent
    }
    result.settleSeconds = (performance.now() - settleStarted) / 1000
  }
  result.notificationsReceived = rx.count - before
  await server.stop()
  return result
}

export async function benchSubscriptions(opts) {
  const rx = await receiver()
  try {
    const without = await runOnce({ ...opts, withSubs: false, rx })
    const withSubs = await runOnce({ ...opts, withSubs: true, rx })
    return {
      withoutSubscriptions: without,
      with1000Subscriptions: withSubs,
      ratio: withSubs.pointsPerSecond / without.pointsPerSecond,
    }
  } finally {
    await rx.close()
  }
}
