import { describe, expect, it } from 'vitest'
import { CORE_CONTEXT_URL, DEFAULT_VOCAB, type Entity } from '../../core/ngsi.js'
import { createBundledContextResolver, createContextProcessor } from '../jsonld/index.js'
import { renderEntity } from './render-entity.js'
import { createSnapshotSerializer, withCoreContext } from './snapshot-serializer.js'

const contexts = () => createContextProcessor({ resolver: createBundledContextResolver() })
const entity: Entity = {
  id: 'urn:ngsi-ld:ParkingSpot:1',
  types: [`${DEFAULT_VOCAB}ParkingSpot`],
  createdAt: '2026-01-01T00:00:00.000Z',
  modifiedAt: '2026-01-02T00:00:00.000Z',
  attrs: {
    [`${DEFAULT_VOCAB}occupancy`]: [
      { type: 'Property', value: 0.5, createdAt: '2026-01-01T00:00:00.000Z' },
    ],
  },
}

describe('createSnapshotSerializer', () => {
  it('writes the normalized rendering with the core context and no system attributes', async () => {
    const core = await contexts().activeContext(undefined)
    const s = createSnapshotSerializer(core)
    const text = s.serialize(entity)
    expect(JSON.parse(text)).toEqual({
      id: entity.id,
      type: 'ParkingSpot',
      occupancy: { type: 'Property', value: 0.5 },
    })
    expect(text).toBe(
      JSON.stringify(renderEntity(entity, core, { format: 'normalized', sysAttrs: false })),
    )
  })

  it('has the same safe-integer id in every process of this version', async () => {
    const a = createSnapshotSerializer(await contexts().activeContext(undefined))
    const b = createSnapshotSerializer(await contexts().activeContext(undefined))
    expect(a.id).toBe(b.id)
    expect(Number.isSafeInteger(a.id) && a.id > 0).toBe(true)
  })

  it('refuses a context other than the core alone', async () => {
    const user = await contexts().activeContext({ x: 'https://example.org/x' })
    expect(() => createSnapshotSerializer(user)).toThrow(/core/)
  })

  it('appends @context last for JSON-LD, as a rendered JSON-LD entity has it', async () => {
    const core = await contexts().activeContext(undefined)
    const rendered = renderEntity(entity, core, { format: 'normalized', sysAttrs: false })
    expect(withCoreContext(createSnapshotSerializer(core).serialize(entity))).toBe(
      JSON.stringify({ ...rendered, '@context': CORE_CONTEXT_URL }),
    )
  })
})
