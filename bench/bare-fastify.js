// Baseline: a bare Fastify route returning fixed JSON of about the size of an entity.
import Fastify from 'fastify'

const port = Number(process.argv[2])
const app = Fastify()
const body = {
  id: 'urn:ngsi-ld:ParkingSpot:p-1',
  type: 'ParkingSpot',
  status: { type: 'Property', value: 'free', observedAt: '2026-01-01T00:00:00.000Z' },
  occupancy: { type: 'Property', value: 0.42, observedAt: '2026-01-01T00:00:00.000Z' },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.3, 46.5] } },
}
app.get('/fixed', () => body)
// The same fixed entity under a path per id: the like-for-like baseline for retrieve by id, whose
// load generator builds a new path for every request (autocannon's setupRequest).
app.get('/fixed/:id', () => body)
// A page of 20 entities: the like-for-like baseline for a query answering 20.
const page = Array.from({ length: 20 }, (_, i) => ({
  ...body,
  id: `urn:ngsi-ld:ParkingSpot:p-${i}`,
}))
app.get('/fixed-page', () => page)
app.post('/sink', () => ({ accepted: 1 }))
await app.listen({ port, host: '127.0.0.1' })
process.stdout.write('listening\n')
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
