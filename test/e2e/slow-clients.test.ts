/**
 * Slow-client limits: a client that trickles its headers, or its body, loses the socket at the
 * configured deadline (Node's defaults of 60 s / 300 s invite slow-loris attacks).
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCivitas, type TestCivitas } from '../helpers/test-app.js'

let civitas: TestCivitas
beforeAll(async () => {
  civitas = await startTestCivitas({
    mqtt: { mode: 'off' },
    http: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 },
  })
})
afterAll(() => civitas.stop())

/** Sends `first`, then nothing more; resolves with what the server said and when it closed. */
function stall(first: string): Promise<{ reply: string; ms: number }> {
  const url = new URL(civitas.httpUrl)
  return new Promise((resolve, reject) => {
    const t0 = Date.now()
    const socket = connect(Number(url.port), url.hostname, () => socket.write(first))
    let reply = ''
    socket.on('data', (d: Buffer) => (reply += d.toString()))
    socket.on('error', reject)
    socket.on('close', () => resolve({ reply, ms: Date.now() - t0 }))
    // Bounded: the test fails rather than hangs if the server never closes.
    setTimeout(() => socket.destroy(), 15_000).unref()
  })
}

describe('slow clients', () => {
  it('a client that never finishes its headers is cut off at the headers timeout', async () => {
    const r = await stall('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n')
    expect(r.reply).toMatch(/^HTTP\/1\.1 408/)
    expect(r.ms).toBeLessThan(5000)
  })

  it('a client that never finishes its body is cut off at the request timeout', async () => {
    const r = await stall(
      'POST /api/v1/devices/x/measurements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":',
    )
    // The socket timeout (Fastify's connectionTimeout) may close it before Node writes a 408.
    expect(r.reply === '' || /^HTTP\/1\.1 408/.test(r.reply)).toBe(true)
    expect(r.ms).toBeGreaterThanOrEqual(1900)
    expect(r.ms).toBeLessThan(8000)
  })
})
