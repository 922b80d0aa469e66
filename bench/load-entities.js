// Loads N ParkingSpot entities straight into a data directory through the store's ingest path
// (loading is not what the query benchmark measures).
import { join } from 'node:path'
import { openSqliteStore } from '../dist/store/sqlite/sqlite-store.js'
import {
  createBundledContextResolver,
  createContextProcessor,
} from '../dist/context/jsonld/index.js'
import { createSnapshotSerializer } from '../dist/context/representation/index.js'

export async function loadEntities(dataDir, n) {
  const V = 'https://uri.etsi.org/ngsi-ld/default-context/'
  // Written as the server writes them, with the serialization of the usual representation.
  const core = await createContextProcessor({
    resolver: createBundledContextResolver(),
  }).activeContext(undefined)
  const store = openSqliteStore({
    serializer: createSnapshotSerializer(core),
    file: join(dataDir, 'civitas.db'),
    history: { sealPoints: 1000, sealAgeMs: 3_600_000, maxBufferedPoints: 50_000_000 },
    sealIntervalMs: 0,
  })
  const at = '2026-01-01T00:00:00.000Z'
  for (let i = 0; i < n; i += 20_000) {
    const patches = []
    for (let k = i; k < Math.min(n, i + 20_000); k++) {
      patches.push({
        entityId: `urn:ngsi-ld:ParkingSpot:p-${k}`,
        entityType: V + 'ParkingSpot',
        attrs: {
          ['https://uri.etsi.org/ngsi-ld/status']: {
            type: 'Property',
            value: k % 3 === 0 ? 'free' : 'occupied',
            observedAt: at,
          },
          [V + 'occupancy']: { type: 'Property', value: (k % 100) / 100, observedAt: at },
        },
        onCreate: {
          'https://uri.etsi.org/ngsi-ld/location': {
            type: 'GeoProperty',
            value: {
              type: 'Point',
              coordinates: [
                11.2 + ((k * 7919) % 1000) / 5000,
                46.45 + ((k * 104729) % 1000) / 10000,
              ],
            },
          },
        },
      })
    }
    await store.ingest([{ tenant: 'default', patches, observations: [], activity: [] }])
  }
  await store.close()
}
