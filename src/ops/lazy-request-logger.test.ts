import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { pino } from 'pino'
import { describe, expect, it, vi } from 'vitest'
import { lazyChildLoggerFactory } from './lazy-request-logger.js'

function capture() {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    },
  })
  return { lines, logger: pino({ level: 'info' }, stream) }
}

describe('lazyChildLoggerFactory', () => {
  it('creates the pino child only when the request writes a line', () => {
    const { logger } = capture()
    const child = vi.spyOn(logger, 'child')
    const log = lazyChildLoggerFactory(logger, { reqId: 'req-1' }, {})
    expect(log.level).toBe('info')
    expect(child).not.toHaveBeenCalled()
    log.info('first')
    log.warn('second')
    expect(child).toHaveBeenCalledTimes(1)
  })

  it('keeps the request id on every line a Fastify request logs', async () => {
    const { lines, logger } = capture()
    const app = Fastify({ loggerInstance: logger, childLoggerFactory: lazyChildLoggerFactory })
    app.get('/x', (request) => {
      request.log.warn({ n: 1 }, 'from the handler')
      return { ok: true }
    })
    const reply = await app.inject({ method: 'GET', url: '/x' })
    expect(reply.statusCode).toBe(200)
    const line = lines.find((l) => l['msg'] === 'from the handler')
    expect(line).toMatchObject({ n: 1, level: 40 })
    expect(typeof line?.['reqId']).toBe('string')
    await app.close()
  })
})
