/**
 * The NGSI-LD context broker: the Fastify plugin, the problem-details mapping shared by every HTTP
 * edge, and the @context port.
 */
export {
  ngsiLdPlugin,
  type NgsiLdConfig,
  type NgsiLdPluginOptions,
} from './routes/ngsi-ld-plugin.js'
export {
  problemErrorHandler,
  problemType,
  sendProblem,
  toProblem,
  type ProblemDetails,
  type ProblemHandlerOptions,
  type ProblemOptions,
  type ProblemResponse,
} from './problem.js'
export { createBundledContextResolver, type ContextResolver } from './jsonld/index.js'
