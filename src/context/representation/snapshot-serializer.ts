/**
 * The representation most reads ask for, serialized when an entity is written: normalized, the
 * core @context alone, no system attributes (a GET of `/entities/{id}` with no parameters and no
 * Link header). The SQLite store keeps the text beside the row, so a read of an entity that is not
 * in memory answers it without parsing the row and rendering it: at 1 M entities, where almost
 * every random read misses the cache, that parse and render was about a fifth of the CPU of a
 * retrieve (BENCHMARKS.md).
 *
 * The serializer's id is a hash of what it makes of sample entities covering every attribute
 * kind, so a version of Civitas that renders differently has another id, and the store never
 * serves text an earlier version wrote (those rows are rendered as usual until written again).
 *
 * @example
 *   const serializer = createSnapshotSerializer(coreContext)
 *   openSqliteStore({ file, history, serializer })
 */
import { createHash } from 'node:crypto'
import { CORE_CONTEXT_URL, type Entity } from '../../core/ngsi.js'
import type { SnapshotSerializer } from '../../store/store.js'
import type { ActiveContext } from '../jsonld/index.js'
import { renderEntity, type EntityRenderOptions } from './render-entity.js'

const DEFAULT_OUTPUT: EntityRenderOptions = { format: 'normalized', sysAttrs: false }

/** @param core the active context of the core @context alone. */
export function createSnapshotSerializer(core: ActiveContext): SnapshotSerializer {
  if (core.userContext !== undefined)
    throw new Error('the snapshot serializer renders with the core @context alone')
  const serialize = (entity: Readonly<Entity>): string =>
    JSON.stringify(renderEntity(entity, core, DEFAULT_OUTPUT))
  const digest = createHash('sha256').update(CORE_CONTEXT_URL)
  for (const sample of SAMPLES) digest.update(serialize(sample))
  // 48 bits: a safe integer for the column, and a collision between versions is unthinkable.
  return { id: parseInt(digest.digest('hex').slice(0, 12), 16), serialize }
}

/** The default-representation text of an entity as JSON-LD: its @context appended last. */
export function withCoreContext(serialized: string): string {
  return `${serialized.slice(0, -1)},"@context":${JSON.stringify(CORE_CONTEXT_URL)}}`
}

const NGSI = 'https://uri.etsi.org/ngsi-ld/'
const VOCAB = `${NGSI}default-context/`
const AT = '2026-01-01T00:00:00.000Z'

/** Every attribute kind and member a rendering can show, and the members it must not. */
const SAMPLES: readonly Entity[] = [
  {
    id: 'urn:ngsi-ld:Sample:1',
    types: [`${VOCAB}Sample`, 'https://example.org/Other'],
    scopes: ['/city/district'],
    createdAt: AT,
    modifiedAt: AT,
    attrs: {
      [`${VOCAB}number`]: [
        { type: 'Property', value: 1.5, observedAt: AT, unitCode: 'CEL', createdAt: AT },
        { type: 'Property', value: 2, datasetId: 'urn:ngsi-ld:Dataset:b', modifiedAt: AT },
      ],
      [`${NGSI}status`]: [{ type: 'Property', value: 'free' }],
      [`${VOCAB}object`]: [{ type: 'Property', value: { a: [1, 'x', null, true] } }],
      [`${VOCAB}withSub`]: [
        {
          type: 'Property',
          value: 3,
          [`${VOCAB}accuracy`]: { type: 'Property', value: 0.1 },
        },
      ],
      [`${NGSI}location`]: [
        { type: 'GeoProperty', value: { type: 'Point', coordinates: [11.3, 46.5] } },
      ],
      [`${VOCAB}refSpot`]: [
        { type: 'Relationship', object: 'urn:ngsi-ld:Spot:1', objectType: `${VOCAB}Spot` },
      ],
      [`${VOCAB}name`]: [{ type: 'LanguageProperty', languageMap: { en: 'Park', de: 'Park' } }],
      [`${VOCAB}category`]: [{ type: 'VocabProperty', vocab: `${VOCAB}onStreet` }],
      [`${VOCAB}config`]: [{ type: 'JsonProperty', json: { k: [1, { v: 'x' }] } }],
      [`${VOCAB}readings`]: [{ type: 'ListProperty', valueList: [1, 2, 3] }],
      [`${VOCAB}links`]: [{ type: 'ListRelationship', objectList: ['urn:a', 'urn:b'] }],
      [`${VOCAB}typed`]: [{ type: 'Property', value: 'v', valueType: 'xsd:string' }],
      [`${NGSI}expiresAt`]: [{ type: 'Property', value: AT }],
    },
  },
]
