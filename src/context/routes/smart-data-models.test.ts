/**
 * The Smart Data Models example entities (NGSI-LD normalized, with @context) through create and
 * retrieve. Their @context names remote smart-data-models URLs:
 *  1. with the default resolver (bundled core only) creation must fail with LdContextNotAvailable,
 *     because the broker never fetches remote contexts by itself;
 *  2. with a resolver serving the local copies of those contexts (datasets/…/context/), every
 *     valid example must round-trip exactly; invalid ones must be rejected with BadRequestData, and
 *     those whose context has no local copy (classic-2021 WasteContainer names the retired
 *     https://smartdatamodels.org/context.jsonld) still fail with LdContextNotAvailable.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  API,
  buildNgsiLdApp,
  expectProblem,
  linkTo,
  type NgsiLdTestApp,
} from '../../../test/helpers/ngsi-ld-app.js'
import { createBundledContextResolver, type ContextResolver } from '../jsonld/index.js'

const DATASET = '/work/shared/datasets/smart-data-models-examples'
const available = existsSync(DATASET)

interface Example {
  name: string
  payload: Record<string, unknown>
}

function loadExamples(): Example[] {
  if (!available) return []
  const dirs = readdirSync(DATASET, { withFileTypes: true }).filter(
    (d) => d.isDirectory() && d.name !== 'context',
  )
  const files = dirs.flatMap((d) => [
    join(d.name, 'example-normalized.jsonld'),
    join(d.name, 'classic-2021', 'example-normalized.jsonld'),
  ])
  return files
    .filter((f) => existsSync(join(DATASET, f)))
    .map((f) => ({
      name: f,
      payload: JSON.parse(readFileSync(join(DATASET, f), 'utf8')) as Record<string, unknown>,
    }))
}

/** Serves the published subject contexts from the dataset's local copies, by subject name. */
const localCopies: ContextResolver = {
  resolve(url) {
    const subject = /smart-data-models(?:\.github\.io\/|\/)(dataModel\.[A-Za-z]+)\//.exec(url)?.[1]
    const file = subject && join(DATASET, 'context', `${subject}.context.jsonld`)
    if (file && existsSync(file))
      return Promise.resolve(JSON.parse(readFileSync(file, 'utf8')) as unknown)
    return createBundledContextResolver().resolve(url)
  },
}

async function servedLocally(context: unknown): Promise<boolean> {
  const urls = [context].flat().filter((c): c is string => typeof c === 'string')
  const results = await Promise.allSettled(urls.map((u) => localCopies.resolve(u)))
  return results.every((r) => r.status === 'fulfilled')
}

/** Examples that break GS CIM 009, as the dataset's own notes say (e.g. a non-URI id). */
const INVALID: Record<string, string> = {
  'WeatherForecast/example-normalized.jsonld': 'its id is not a URI',
}

const examples = loadExamples()
const ldJson = { 'content-type': 'application/ld+json', accept: 'application/ld+json' }

describe.skipIf(!available)('Smart Data Models examples', () => {
  it('found the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20)
  })

  describe('with the default resolver (bundled core context only)', () => {
    let t: NgsiLdTestApp
    beforeAll(async () => {
      t = await buildNgsiLdApp()
    })
    afterAll(() => t.close())

    it.each(examples.map((e) => [e.name, e] as const))(
      '%s: LdContextNotAvailable for its remote @context',
      async (_n, example) => {
        const res = await t.send('POST', '/entities', { body: example.payload, headers: ldJson })
        expectProblem(res, 503, 'LdContextNotAvailable')
      },
    )
  })

  describe('with the subject contexts served from local copies', () => {
    let t: NgsiLdTestApp
    beforeAll(async () => {
      t = await buildNgsiLdApp({ contexts: localCopies })
    })
    afterAll(() => t.close())

    it.each(examples.map((e) => [e.name, e] as const))(
      '%s: create + retrieve round-trips',
      async (name, example) => {
        const id = String(example.payload['id'])
        await t.send('DELETE', `/entities/${encodeURIComponent(id)}`)
        const created = await t.send('POST', '/entities', {
          body: example.payload,
          headers: ldJson,
        })
        if (!(await servedLocally(example.payload['@context']))) {
          expectProblem(created, 503, 'LdContextNotAvailable')
          return
        }
        if (INVALID[name]) {
          expectProblem(created, 400, 'BadRequestData')
          return
        }
        expect(created.statusCode, created.body).toBe(201)
        expect(created.headers['location']).toBe(`${API}/entities/${id}`)
        // GET carries its context in a Link header, which names one URL: the subject context.
        const { '@context': context, ...entity } = example.payload
        const subjectContext = [context]
          .flat()
          .filter((c) => typeof c === 'string' && !c.includes('uri.etsi.org'))
          .at(-1) as string
        const res = await t.send('GET', `/entities/${encodeURIComponent(id)}`, {
          headers: { accept: 'application/ld+json', link: linkTo(subjectContext) },
        })
        expect(res.statusCode).toBe(200)
        expect(res.json()).toEqual({ ...entity, '@context': subjectContext })
      },
    )
  })
})
