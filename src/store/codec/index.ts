/**
 * Lossless column compression for sealed history chunks: the public surface of store/codec.
 *
 * @example
 *   const bytes = encodeChunk({ ts, values })
 *   const { ts: sameTs, values: sameValues } = decodeChunk(bytes)
 */
export { decodeChunk, encodeChunk, FORMAT_VERSION } from './chunk.js'
export type { ChunkData } from './chunk.js'
export { decodeNumbers, encodeNumbers } from './numbers.js'
export { decodeTimestamps, encodeTimestamps } from './timestamps.js'
export { concatPoints, indexesWhere, selectPoints, sortPoints } from './chunk-points.js'
