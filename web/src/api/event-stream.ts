/**
 * A live entity stream over the browser's EventSource. The browser reconnects by itself after a
 * dropped connection; when it gives up (HTTP error, server restart), we retry with backoff.
 *
 * @example
 *   const close = openEntityStream({ url: eventsUrl(id), onEvent: (ev) => table.apply(ev) })
 *   // later: close()
 */
import {
  parseEntityEvent,
  reconnectDelay,
  type EntityEvent,
  type StreamStatus,
} from './entity-events.js'

export type { StreamStatus }

export interface StreamOptions {
  url: string
  onEvent: (event: EntityEvent) => void
  onStatus?: (status: StreamStatus) => void
}

export function openEntityStream(options: StreamOptions): () => void {
  let source: EventSource | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let closed = false
  const report = (status: StreamStatus) => options.onStatus?.(status)

  const onEntity = (message: MessageEvent<string>) => {
    const event = parseEntityEvent(message.data)
    if (event) options.onEvent(event)
  }

  const connect = () => {
    report(attempt === 0 ? 'connecting' : 'reconnecting')
    const es = new EventSource(options.url)
    source = es
    es.addEventListener('open', () => {
      attempt = 0
      report('live')
    })
    es.addEventListener('entity', onEntity)
    es.addEventListener('error', () => {
      if (closed) return
      if (es.readyState === EventSource.CLOSED) {
        es.close()
        retryTimer = setTimeout(connect, reconnectDelay(attempt++))
      }
      report('reconnecting')
    })
  }

  connect()
  return () => {
    closed = true
    clearTimeout(retryTimer)
    source?.close()
    report('closed')
  }
}
