/**
 * The one error type of Civitas. Its kinds are the NGSI-LD problem types (GS CIM 009 §5.5.2); the
 * HTTP edge maps them to status codes in one place (context/problem.ts). Nothing inside knows HTTP.
 *
 * @example
 *   throw new AppError('ResourceNotFound', `entity ${id} not found`)
 */
export type ProblemKind =
  | 'InvalidRequest'
  | 'BadRequestData'
  | 'AlreadyExists'
  | 'Conflict'
  | 'OperationNotSupported'
  | 'ResourceNotFound'
  | 'TooComplexQuery'
  | 'TooManyResults'
  | 'LdContextNotAvailable'
  | 'NoMultiTenantSupport'
  | 'NonexistentTenant'
  | 'InternalError'
  // Not NGSI-LD types, but needed by ingest and operations; mapped to plain HTTP statuses.
  | 'Unauthorized'
  | 'Forbidden'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'LengthRequired'
  | 'NotAcceptable'
  | 'MethodNotAllowed'
  | 'Unavailable'

export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly detail?: Readonly<Record<string, unknown>>,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError
}
