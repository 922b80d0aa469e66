/**
 * A real HTTP server on 127.0.0.1 that records every request it gets: the far end of
 * subscription notifications in tests.
 *
 * @example
 *   const rx = await startReceiver()
 *   const n = await rx.next()   // waits for the next notification
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'

export interface Received {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: Record<string, unknown>
}

export interface Receiver {
  url: string
  received: Received[]
  /** The next request not yet taken by next() (waits up to timeoutMs). */
  next(timeoutMs?: number): Promise<Received>
  /** Answer with this status from now on. */
  respondWith(status: number): void
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = []
  let taken = 0
  let status = 200
  const waiters: (() => void)[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      })
      res.statusCode = status
      res.end()
      waiters.splice(0).forEach((w) => w())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async next(timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs
      while (received.length <= taken) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`no notification within ${timeoutMs} ms`)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left)
          waiters.push(() => {
            clearTimeout(t)
            resolve()
          })
        })
      }
      return received[taken++]!
    },
    respondWith(s) {
      status = s
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
