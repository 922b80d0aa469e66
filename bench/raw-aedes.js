// Baseline: a bare aedes broker (no authentication, no storage) acknowledging QoS 1 publishes.
import { createServer } from 'node:net'
import { Aedes } from 'aedes'

const port = Number(process.argv[2])
const broker = await Aedes.createBroker()
const server = createServer(broker.handle)
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'))
process.on('SIGTERM', () => server.close(() => broker.close(() => process.exit(0))))
