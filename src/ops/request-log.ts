/**
 * What Fastify logs per request: nothing for successes (at ingest rates a line per request would
 * cost more than the request), one structured line with the request id for every 4xx/5xx.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'

export class FailureOnlyLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const status = reply.statusCode
    if (!error && status < 400) return
    const line = {
      reqId: request.id,
      method: request.method,
      url: request.url,
      status,
      ms: Math.round(reply.elapsedTime),
    }
    if (status >= 500) reply.log.error({ ...line, err: error }, 'request failed')
    else reply.log.info(line, 'request refused')
  }
}
