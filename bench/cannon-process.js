// One autocannon run in a process of its own, so every measurement starts with a fresh load
// generator. Run in the bench process, a later autocannon run was slower to send (its process
// carried the earlier runs' heap), the server got fewer requests per event-loop turn, and its CPU
// per request rose with that: retrieve at 1M entities measured 96–119 µs in the bench and
// 68–74 µs from a fresh process against the same build and data.
// Input: argv[2] = JSON of autocannon options, plus `byId: {prefix, n}` for a new path per
// request (from the `start`-th id of the walk). Output: autocannon's result as JSON on stdout.
import autocannon from 'autocannon'

const { byId, ...opts } = JSON.parse(process.argv[2])
if (byId) {
  // `start` lets successive runs against one server ask entities not asked before.
  let i = byId.start ?? 0
  opts.requests = [
    {
      method: 'GET',
      setupRequest: (req) => ({
        ...req,
        path: `${byId.prefix}urn:ngsi-ld:ParkingSpot:p-${(i++ * 7919) % byId.n}`,
      }),
    },
  ]
}
autocannon({ connections: 50, duration: 10, ...opts }, (err, r) => {
  if (err) {
    process.stderr.write(`${err.stack ?? err}\n`)
    process.exit(1)
  }
  process.stdout.write(JSON.stringify(r))
})
