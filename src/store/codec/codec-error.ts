/**
 * The errors the history codecs raise: a corrupt or unknown chunk is an internal fault (the bytes
 * came from our own store), a value the codec cannot represent is bad data from the caller.
 */
import { AppError } from '../../core/errors.js'

export function corruptChunk(reason: string): AppError {
  return new AppError('InternalError', `corrupt history chunk: ${reason}`)
}

export function unsupportedValue(reason: string): AppError {
  return new AppError('BadRequestData', `history codec cannot store value: ${reason}`)
}
