/**
 * HTTP binding of notifications (§7.1 / 046_*): POST the Notification to the endpoint URI with
 * Content-Type = the endpoint's accept type, the @context Link header for JSON and GeoJSON,
 * NGSILD-Tenant for non-default tenants and every receiverInfo pair as a header. Any 2xx is a
 * success; anything else, a timeout or a refused connection is a failure.
 *
 * @example
 *   const http = createHttpSender()
 *   await http.send(message, 5000)
 */
import type { NotificationMessage, NotificationSender } from '../../core/subscription.js'

export function createHttpSender(): NotificationSender {
  return {
    schemes: ['http', 'https'],
    async send(m: NotificationMessage, timeoutMs: number): Promise<void> {
      const headers: Record<string, string> = { 'content-type': m.contentType }
      for (const { key, value } of m.endpoint.receiverInfo ?? []) headers[key] = value
      if (m.link !== undefined) headers['link'] = m.link
      if (m.tenantHeader !== undefined) headers['ngsild-tenant'] = m.tenantHeader
      const res = await fetch(m.endpoint.uri, {
        method: 'POST',
        headers,
        body: JSON.stringify(m.body),
        // Redirects are not followed: a redirect could lead past the URL guard.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      })
      // Drain the body so the keep-alive connection can be reused.
      await res.arrayBuffer()
      if (res.status < 200 || res.status > 299)
        throw new Error(`the endpoint answered ${res.status}`)
    },
    close: () => Promise.resolve(),
  }
}
