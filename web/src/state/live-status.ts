/**
 * App-wide connection state shown in the header: is the server reachable, is a live stream on.
 *
 * @example
 *   liveStatus.set('live')
 */
import type { StreamStatus } from '../api/event-stream.js'
import { createStore } from './store.js'

/** 'off' when the current page has no live stream. */
export type LiveStatus = Exclude<StreamStatus, 'closed'> | 'off'

export const liveStatus = createStore<LiveStatus>('off')

export type ServerStatus = 'unknown' | 'ok' | 'down'

export const serverStatus = createStore<ServerStatus>('unknown')

/** Maps a stream's status onto the header's, so pages only forward what the stream reports. */
export function reportStream(status: StreamStatus): void {
  liveStatus.set(status === 'closed' ? 'off' : status)
}
