/**
 * A retrieve of an entity that is not in memory is answered with the text the store wrote beside
 * the row (SnapshotSerializer). After a restart, when nothing is cached, the first, second (loaded
 * and cached) and third (cached) reads, and a read forced through the full render path
 * (`options=normalized`), must answer byte for byte the same body and headers, for the Smart
 * Data Models examples and every attribute kind, in JSON and JSON-LD.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/sqlite/open-database.js'
import { startTestCivitas, type TestCivitas } from '../helpers/test-app.js'

const DATASET = '/work/shared/datasets/smart-data-models-examples'

/** The NGSI-LD examples without their @context: their terms then expand with the core @vocab. */
function examples(): Record<string, unknown>[] {
  if (!existsSync(DATASET)) return []
  return readdirSync(DATASET, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'context')
    .map((d) => join(DATASET, d.name, 'example-normalized.jsonld'))
    .filter((f) => existsSync(f))
    .map((f) => {
      const { '@context': _, ...entity } = JSON.parse(readFileSync(f, 'utf8')) as Record<
        string,
        unknown
      >
      return entity
    })
}

const AT = '2026-03-01T10:00:00Z'
const KINDS: Record<string, unknown>[] = [
  {
    id: 'urn:ngsi-ld:Kinds:1',
    type: ['Kinds', 'https://example.org/Other'],
    scope: ['/city/north'],
    reading: [
      { type: 'Property', value: 1.5, observedAt: AT, unitCode: 'CEL' },
      { type: 'Property', value: 2, datasetId: 'urn:ngsi-ld:Dataset:b' },
    ],
    withSub: { type: 'Property', value: 3, accuracy: { type: 'Property', value: 0.1 } },
    spot: { type: 'Relationship', object: 'urn:ngsi-ld:Spot:1' },
    name: { type: 'LanguageProperty', languageMap: { en: 'Park', de: 'Park' } },
    category: { type: 'VocabProperty', vocab: 'onStreet' },
    config: { type: 'JsonProperty', json: { k: [1, { v: 'x' }] } },
    series: { type: 'ListProperty', valueList: [1, 2, 3] },
    links: { type: 'ListRelationship', objectList: [{ object: 'urn:a' }, { object: 'urn:b' }] },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.3, 46.5] } },
    text: { type: 'Property', value: 'ünïcödé "quoted" \\ \u2028' },
  },
]

let dataDir: string
let civitas: TestCivitas | undefined
const created: string[] = []
const api = () => `${civitas!.httpUrl}/ngsi-ld/v1`

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'civitas-serialized-'))
  civitas = await startTestCivitas({ mqtt: { mode: 'off' } }, { dataDir })
  for (const entity of [...examples(), ...KINDS]) {
    const res = await fetch(`${api()}/entities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(entity),
    })
    if (res.status === 201) created.push(entity['id'] as string)
  }
  // An update through the Core API rewrites the stored text too.
  const patch = await fetch(`${api()}/entities/urn:ngsi-ld:Kinds:1/attrs`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: { type: 'Property', value: 'changed' } }),
  })
  expect(patch.status).toBe(204)
  await civitas.stop()
  civitas = undefined
})

afterAll(async () => {
  await civitas?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

const restart = async () => {
  await civitas?.stop()
  civitas = await startTestCivitas({ mqtt: { mode: 'off' } }, { dataDir })
}

const answer = async (id: string, accept: string, query = '') => {
  const res = await fetch(`${api()}/entities/${encodeURIComponent(id)}${query}`, {
    headers: { accept },
  })
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    link: res.headers.get('link'),
    body: await res.text(),
  }
}

describe('reads answered from the stored serialization', () => {
  it('created the examples and every attribute kind, each with its text stored', () => {
    expect(created.length).toBeGreaterThanOrEqual(existsSync(DATASET) ? 8 : 1)
    const db = openDatabase(join(dataDir, 'civitas.db'), { readonly: true })
    const rows = db
      .prepare<[], { id: string; serialized: string | null; by: number | null }>(
        'SELECT id, serialized, serialized_by AS by FROM entity',
      )
      .all()
    db.close()
    expect(rows).toHaveLength(created.length)
    expect(rows.every((r) => r.serialized !== null && r.by === rows[0]!.by)).toBe(true)
    expect(rows.find((r) => r.id === 'urn:ngsi-ld:Kinds:1')?.serialized).toContain('"changed"')
  })

  for (const accept of ['application/json', 'application/ld+json']) {
    it(`answers ${accept} as the full render path does, cold, loaded and cached`, async () => {
      await restart()
      for (const id of created) {
        const first = await answer(id, accept)
        const second = await answer(id, accept)
        const third = await answer(id, accept)
        const rendered = await answer(id, accept, '?options=normalized')
        expect(first.status).toBe(200)
        expect(first).toEqual(rendered)
        expect(second).toEqual(rendered)
        expect(third).toEqual(rendered)
      }
      const kinds = JSON.parse((await answer('urn:ngsi-ld:Kinds:1', accept)).body) as Record<
        string,
        unknown
      >
      expect(kinds['text']).toEqual({ type: 'Property', value: 'changed' })
      expect('@context' in kinds).toBe(accept === 'application/ld+json')
    })
  }

  it('answers a missing entity 404 and a deleted one 404, cold', async () => {
    await restart()
    expect((await answer('urn:ngsi-ld:Nothing:1', 'application/json')).status).toBe(404)
    const del = await fetch(`${api()}/entities/urn:ngsi-ld:Kinds:1`, { method: 'DELETE' })
    expect(del.status).toBe(204)
    await restart()
    expect((await answer('urn:ngsi-ld:Kinds:1', 'application/json')).status).toBe(404)
  })
})
