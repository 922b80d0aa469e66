import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { AppError, type ProblemKind } from '../core/errors.js'
import { silentLogger } from '../log/logger.js'
import { problemErrorHandler, toProblem } from './problem.js'

const ETSI = 'https://uri.etsi.org/ngsi-ld/errors/'
const CIVITAS = 'https://civitas.city/problems/'

describe('toProblem', () => {
  it.each<[ProblemKind, number, string]>([
    ['InvalidRequest', 400, ETSI],
    ['BadRequestData', 400, ETSI],
    ['AlreadyExists', 409, ETSI],
    ['Conflict', 409, ETSI],
    ['OperationNotSupported', 422, ETSI],
    ['ResourceNotFound', 404, ETSI],
    ['TooComplexQuery', 403, ETSI],
    ['TooManyResults', 403, ETSI],
    ['LdContextNotAvailable', 504, ETSI],
    ['NoMultiTenantSupport', 501, ETSI],
    ['NonexistentTenant', 404, ETSI],
    ['InternalError', 500, ETSI],
    ['Unauthorized', 401, CIVITAS],
    ['Forbidden', 403, CIVITAS],
    ['PayloadTooLarge', 413, CIVITAS],
    ['NotAcceptable', 406, CIVITAS],
    ['MethodNotAllowed', 405, CIVITAS],
    ['Unavailable', 503, CIVITAS],
  ])('maps %s to %i with its type URI, a title and the message as detail', (kind, status, base) => {
    const { status: s, body } = toProblem(new AppError(kind, 'what went wrong'), '/ngsi-ld/v1/x')
    expect(s).toBe(status)
    expect(body).toEqual({
      type: base + kind,
      title: expect.any(String) as string,
      status,
      detail: 'what went wrong',
      instance: '/ngsi-ld/v1/x',
    })
    expect(body!.title).not.toBe('')
  })

  it('answers 415 without a body', () => {
    expect(toProblem(new AppError('UnsupportedMediaType', 'no'))).toEqual({
      status: 415,
      body: undefined,
    })
  })

  it('takes the LdContextNotAvailable status as a parameter (suite 503, spec 504)', () => {
    const err = new AppError('LdContextNotAvailable', 'ctx down')
    expect(toProblem(err, undefined, { ldContextNotAvailableStatus: 503 }).status).toBe(503)
    expect(toProblem(err).status).toBe(504)
  })

  it('adds Allow to 405 and Retry-After to 503, and passes errors[] through', () => {
    expect(
      toProblem(new AppError('MethodNotAllowed', 'no', { allow: ['GET', 'POST'] })).headers,
    ).toEqual({ allow: 'GET, POST' })
    expect(toProblem(new AppError('Unavailable', 'later', { retryAfter: 5 })).headers).toEqual({
      'retry-after': '5',
    })
    const withErrors = toProblem(
      new AppError('BadRequestData', 'bad', { errors: [{ path: '/a', message: 'x' }] }),
    )
    expect(withErrors.body?.errors).toEqual([{ path: '/a', message: 'x' }])
  })

  it('never sends a detail equal to the title (the suite checks they differ)', () => {
    const { body } = toProblem(new AppError('ResourceNotFound', ''))
    expect(body!.detail).not.toBe('')
    expect(body!.detail).not.toBe(body!.title)
  })

  it('hides unknown errors behind a generic InternalError', () => {
    const { status, body } = toProblem(new Error('SQLITE_BUSY at /secret/path'))
    expect(status).toBe(500)
    expect(body!.type).toBe(`${ETSI}InternalError`)
    expect(body!.detail).not.toContain('secret')
    expect(toProblem('a string').status).toBe(500)
  })
})

describe('problemErrorHandler', () => {
  async function appThrowing(err: unknown) {
    const app = Fastify({ bodyLimit: 20 })
    app.setErrorHandler(
      problemErrorHandler({ log: silentLogger, ldContextNotAvailableStatus: 503 }),
    )
    app.get('/boom', () => {
      throw err
    })
    app.post('/echo', { schema: { body: { type: 'object', required: ['a'] } } }, (req) => req.body)
    await app.ready()
    return app
  }

  it('sends AppErrors as application/json problem details without charset', async () => {
    const app = await appThrowing(new AppError('LdContextNotAvailable', 'ctx'))
    const res = await app.inject({ method: 'GET', url: '/boom' })
    expect(res.statusCode).toBe(503)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.json()).toMatchObject({
      type: `${ETSI}LdContextNotAvailable`,
      status: 503,
      detail: 'ctx',
    })
  })

  it('can answer application/problem+json for non-NGSI routes', async () => {
    const app = Fastify()
    app.setErrorHandler(
      problemErrorHandler({ log: silentLogger, contentType: 'application/problem+json' }),
    )
    app.get('/x', () => {
      throw new AppError('Forbidden', 'no')
    })
    const res = await app.inject({ method: 'GET', url: '/x' })
    expect(res.statusCode).toBe(403)
    expect(res.headers['content-type']).toBe('application/problem+json')
  })

  it('maps Fastify errors: too large 413, invalid JSON 400 InvalidRequest, media type 415, schema 400', async () => {
    const app = await appThrowing(new Error('x'))
    const big = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 'x'.repeat(50) }),
    })
    expect(big.statusCode).toBe(413)
    expect(big.json()).toMatchObject({ type: `${CIVITAS}PayloadTooLarge` })
    const broken = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    })
    expect(broken.statusCode).toBe(400)
    expect(broken.json()).toMatchObject({ type: `${ETSI}InvalidRequest` })
    const xml = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    })
    expect(xml.statusCode).toBe(415)
    expect(xml.body).toBe('')
    const invalid = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"b":1}',
    })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json()).toMatchObject({ type: `${ETSI}BadRequestData` })
    expect(invalid.json<{ detail: string }>().detail).toContain('a')
  })

  it('answers 500 InternalError for unexpected errors and logs them', async () => {
    const logged: unknown[] = []
    const log = { ...silentLogger, error: (obj: object) => logged.push(obj) }
    const app = Fastify()
    app.setErrorHandler(problemErrorHandler({ log }))
    app.get('/x', () => {
      throw new TypeError('cannot read x of undefined')
    })
    const res = await app.inject({ method: 'GET', url: '/x' })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toMatchObject({ type: `${ETSI}InternalError` })
    expect(res.body).not.toContain('undefined')
    expect(logged).toHaveLength(1)
  })
})
