/**
 * The one mapping from AppError kinds to HTTP problem details (RFC 7807; NGSI-LD GS CIM 009
 * §5.5.2, §6.3.2), plus a Fastify error handler that any route group can install.
 *
 * @example
 *   const { status, body } = toProblem(new AppError('ResourceNotFound', 'urn:a:1 not found'))
 *   app.setErrorHandler(problemErrorHandler({ log }))
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError, isAppError, type ProblemKind } from '../core/errors.js'
import type { Logger } from '../log/logger.js'
import { sendText } from './http/send-text.js'

export const NGSI_LD_ERROR_TYPES = 'https://uri.etsi.org/ngsi-ld/errors/'
export const CIVITAS_PROBLEM_TYPES = 'https://civitas.city/problems/'

export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  /** Extension member: one entry per failed check, when the error carried them. */
  errors?: unknown[]
}

export interface ProblemResponse {
  status: number
  /** Undefined when the status is sent without a body (415). */
  body: ProblemDetails | undefined
  headers?: Record<string, string>
}

export interface ProblemOptions {
  /** GS CIM 009 V1.9.1 says 504; the conformance suite snapshot expects 503. */
  ldContextNotAvailableStatus?: 503 | 504
}

interface KindSpec {
  status: number
  title: string
  /** True for the problem types GS CIM 009 defines; false for Civitas' own. */
  ngsi: boolean
}

const KINDS: Record<ProblemKind, KindSpec> = {
  InvalidRequest: { status: 400, title: 'Invalid request', ngsi: true },
  BadRequestData: { status: 400, title: 'Bad request data', ngsi: true },
  AlreadyExists: { status: 409, title: 'Already exists', ngsi: true },
  Conflict: { status: 409, title: 'Conflict', ngsi: true },
  OperationNotSupported: { status: 422, title: 'Operation not supported', ngsi: true },
  ResourceNotFound: { status: 404, title: 'Resource not found', ngsi: true },
  TooComplexQuery: { status: 403, title: 'Too complex query', ngsi: true },
  TooManyResults: { status: 403, title: 'Too many results', ngsi: true },
  LdContextNotAvailable: { status: 504, title: 'LD context not available', ngsi: true },
  NoMultiTenantSupport: { status: 501, title: 'No multi-tenant support', ngsi: true },
  NonexistentTenant: { status: 404, title: 'Nonexistent tenant', ngsi: true },
  InternalError: { status: 500, title: 'Internal error', ngsi: true },
  Unauthorized: { status: 401, title: 'Unauthorized', ngsi: false },
  Forbidden: { status: 403, title: 'Forbidden', ngsi: false },
  PayloadTooLarge: { status: 413, title: 'Payload too large', ngsi: false },
  UnsupportedMediaType: { status: 415, title: 'Unsupported media type', ngsi: false },
  LengthRequired: { status: 411, title: 'Length required', ngsi: false },
  NotAcceptable: { status: 406, title: 'Not acceptable', ngsi: false },
  MethodNotAllowed: { status: 405, title: 'Method not allowed', ngsi: false },
  Unavailable: { status: 503, title: 'Service unavailable', ngsi: false },
}

/** Kinds answered with a bare status line (NGSI-LD §6.3.2 and §6.3.4: 411 and 415 carry no body). */
const WITHOUT_BODY: ReadonlySet<ProblemKind> = new Set(['UnsupportedMediaType', 'LengthRequired'])

export function problemType(kind: ProblemKind): string {
  return (KINDS[kind].ngsi ? NGSI_LD_ERROR_TYPES : CIVITAS_PROBLEM_TYPES) + kind
}

/**
 * Maps any thrown value to status, body and headers. Only AppError messages reach the client;
 * anything else becomes a generic InternalError so internals never leak.
 */
export function toProblem(
  err: unknown,
  instance?: string,
  options: ProblemOptions = {},
): ProblemResponse {
  const appError = isAppError(err) ? err : (fromFastifyError(err) ?? internalError())
  const { kind } = appError
  const spec = KINDS[kind]
  const status =
    kind === 'LdContextNotAvailable'
      ? (options.ldContextNotAvailableStatus ?? spec.status)
      : spec.status
  const headers = headersFor(appError)
  if (WITHOUT_BODY.has(kind)) return { status, body: undefined, ...(headers && { headers }) }
  const body: ProblemDetails = {
    type: problemType(kind),
    title: spec.title,
    status,
    detail: detailOf(appError, spec),
  }
  if (instance !== undefined) body.instance = instance
  const errors = appError.detail?.['errors']
  if (Array.isArray(errors)) body.errors = errors
  return { status, body, ...(headers && { headers }) }
}

function internalError(): AppError {
  return new AppError(
    'InternalError',
    'The request could not be completed because of an unexpected failure.',
  )
}

/** The suite checks that detail is a non-empty string different from the title. */
function detailOf(err: AppError, spec: KindSpec): string {
  const message = err.message.trim()
  if (message === '' || message === spec.title) return `${spec.title} (${err.kind})`
  return message
}

function headersFor(err: AppError): Record<string, string> | undefined {
  const allow = err.detail?.['allow']
  if (err.kind === 'MethodNotAllowed' && Array.isArray(allow)) return { allow: allow.join(', ') }
  const retryAfter = err.detail?.['retryAfter']
  if (err.kind === 'Unavailable' && typeof retryAfter === 'number')
    return { 'retry-after': String(retryAfter) }
  return undefined
}

interface FastifyLikeError {
  code?: unknown
  statusCode?: unknown
  validation?: unknown
  message?: unknown
}

const FASTIFY_CODES: Record<string, ProblemKind> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PayloadTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UnsupportedMediaType',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'InvalidRequest',
  FST_ERR_CTP_INVALID_JSON_BODY: 'InvalidRequest',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'InvalidRequest',
  FST_ERR_CTP_EMPTY_TYPE: 'UnsupportedMediaType',
  FST_ERR_CTP_INVALID_TYPE: 'UnsupportedMediaType',
  FST_ERR_NOT_FOUND: 'ResourceNotFound',
}

const CLIENT_STATUSES: Record<number, ProblemKind> = {
  400: 'InvalidRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  411: 'LengthRequired',
  415: 'UnsupportedMediaType',
  503: 'Unavailable',
}

/** Fastify's own errors (body parsing, schema validation, limits) as AppErrors; else undefined. */
export function fromFastifyError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const e = err as FastifyLikeError
  const message = typeof e.message === 'string' ? e.message : ''
  if (Array.isArray(e.validation))
    return new AppError('BadRequestData', message || 'request validation failed')
  const byCode = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined
  if (byCode) return new AppError(byCode, publicMessage(byCode, message))
  if (err instanceof SyntaxError && e.statusCode === 400) {
    return new AppError('InvalidRequest', 'the request body is not valid JSON')
  }
  const byStatus = typeof e.statusCode === 'number' ? CLIENT_STATUSES[e.statusCode] : undefined
  return byStatus ? new AppError(byStatus, publicMessage(byStatus, message)) : undefined
}

function publicMessage(kind: ProblemKind, message: string): string {
  if (kind === 'InvalidRequest' && /json/i.test(message))
    return 'the request body is not valid JSON'
  return message
}

export interface ProblemHandlerOptions extends ProblemOptions {
  log: Logger
  /** `application/json` on NGSI-LD routes (§5.5.3); `application/problem+json` elsewhere. */
  contentType?: 'application/json' | 'application/problem+json'
}

/**
 * A Fastify error handler answering with problem details. Server errors are logged in full with
 * the request id; the client only sees the generic detail.
 *
 * @example
 *   app.setErrorHandler(problemErrorHandler({ log, contentType: 'application/problem+json' }))
 */
export function problemErrorHandler(
  opts: ProblemHandlerOptions,
): (error: unknown, request: FastifyRequest, reply: FastifyReply) => void {
  const contentType = opts.contentType ?? 'application/json'
  return (error, request, reply) => {
    const problem = toProblem(error, undefined, opts)
    if (problem.status >= 500) {
      opts.log.error(
        { err: error, reqId: request.id, method: request.method, url: request.url },
        'request failed',
      )
    } else {
      opts.log.debug(
        { reqId: request.id, status: problem.status, detail: problem.body?.detail },
        'request rejected',
      )
    }
    sendProblem(reply, problem, contentType)
  }
}

/** Writes a problem response with the exact Content-Type (see sendText). */
export function sendProblem(
  reply: FastifyReply,
  problem: ProblemResponse,
  contentType: 'application/json' | 'application/problem+json' = 'application/json',
): void {
  reply.removeHeader('link')
  reply.removeHeader('location')
  reply.code(problem.status)
  for (const [name, value] of Object.entries(problem.headers ?? {})) reply.header(name, value)
  if (problem.body === undefined) {
    reply.removeHeader('content-type')
    void reply.send()
    return
  }
  sendText(reply, contentType, JSON.stringify(problem.body))
}
