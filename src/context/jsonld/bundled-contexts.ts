/**
 * The Smart Data Models @contexts bundled with Civitas (contexts/smart-data-models/), one per
 * subject whose entity types the device profiles use. Each answers offline for the public URLs
 * that name it, and the broker also serves it under its own URL (`<served base>/<localId>`).
 *
 * @example
 *   findBundledContext('https://smart-data-models.github.io/dataModel.Parking/context.jsonld')?.localId
 *   // 'smart-data-models-Parking'
 */
import { readFileSync } from 'node:fs'
import { AppError } from '../../core/errors.js'
import { isJsonObject } from './core-context.js'

export interface BundledContext {
  /** Local id in the context storage, also the last segment of the URL the broker serves it at. */
  localId: string
  /** Public URLs this document answers for, the canonical one first. */
  urls: readonly string[]
  /** The document's `@context` value, read on first use. */
  context(): unknown
}

const SUBJECTS = [
  'Alert',
  'Device',
  'Energy',
  'Environment',
  'Parking',
  'Streetlighting',
  'Transportation',
  'WasteManagement',
  'WaterConsumption',
  'Weather',
] as const

function bundled(subject: string): BundledContext {
  const file = new URL(
    `./contexts/smart-data-models/dataModel.${subject}.context.jsonld`,
    import.meta.url,
  )
  let loaded: unknown
  return {
    localId: `smart-data-models-${subject}`,
    urls: [
      `https://raw.githubusercontent.com/smart-data-models/dataModel.${subject}/master/context.jsonld`,
      `https://smart-data-models.github.io/dataModel.${subject}/context.jsonld`,
    ],
    context() {
      if (loaded === undefined) {
        const doc: unknown = JSON.parse(readFileSync(file, 'utf8'))
        if (!isJsonObject(doc) || !isJsonObject(doc['@context']))
          throw new AppError('InternalError', `bundled @context ${file.pathname} is malformed`)
        loaded = doc['@context']
      }
      return loaded
    },
  }
}

export const BUNDLED_CONTEXTS: readonly BundledContext[] = SUBJECTS.map(bundled)

const byUrl = new Map(BUNDLED_CONTEXTS.flatMap((b) => b.urls.map((u) => [u, b] as const)))

/** The bundled context a public URL names, if any. */
export function findBundledContext(url: string): BundledContext | undefined {
  return byUrl.get(url)
}
