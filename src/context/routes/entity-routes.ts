/**
 * Create Entity (§5.6.1), Retrieve Entity (§5.7.1), Replace Entity (§5.6.18), Merge Entity
 * (§5.6.17) and Delete Entity (§5.6.6).
 */
import { OUTPUT_PARAMS } from './query-routes.js'
import { AppError } from '../../core/errors.js'
import {
  ENTITY_RESPONSE_TYPES,
  GEO_JSON_TYPE,
  JSON_LD_TYPE,
  JSON_TYPE,
} from '../http/media-types.js'
import { parseTypeSelection } from '../query/index.js'
import { mergeEntity } from '../operations/merge-entity.js'
import { replaceEntity } from '../operations/replace-entity.js'
import { newEntity } from '../operations/stamp.js'
import {
  amendForVersion,
  isDateTime,
  parseEntity,
  parseFragment,
  parseOptionsList,
  preferredVersion,
  simplifiedToNormalized,
  withCoreContext,
  type EntityFragment,
} from '../representation/index.js'
import { isLanguageKey } from '../representation/values.js'
import type { Entity } from '../../core/ngsi.js'
import { union } from '../operations/stamp.js'
import {
  ENTITY_MAP_PARAMS,
  mapForRetrieve,
  withMapLocation,
} from '../entity-maps/use-entity-map.js'
import { joinEntities, parseJoinParams } from './linked-entities.js'
import type { NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'
import {
  entityIdOf,
  entityLocation,
  parseEntityOutput,
  coreHistory,
  publishChange,
  renderJson,
  renderOutput,
  renderProfile,
  typeGuardOf,
  writeEntity,
} from './route-helpers.js'

/**
 * A retrieval in the representation the store serializes (SnapshotSerializer): no URL parameters,
 * the core @context alone, JSON or JSON-LD, no version preference, no EntityMap.
 */
function isDefaultRetrieve(req: NgsiRequest): boolean {
  for (const _ in req.query) return false
  return (
    req.ctx.userContext === undefined &&
    (req.accept === JSON_TYPE || req.accept === JSON_LD_TYPE) &&
    preferredVersion(req.prefer) === undefined &&
    req.entityMap === undefined
  )
}

function nothingLeft(id: string): AppError {
  return new AppError('ResourceNotFound', `nothing of entity ${id} is left after pick/omit`)
}

const RETRIEVE_PARAMS = [...OUTPUT_PARAMS, 'local', 'type', 'join', 'joinLevel', 'containedBy']

export function entityRoutes(deps: RouteDeps): NgsiRoute[] {
  return [
    {
      method: 'POST',
      url: '/entities',
      summary: 'Create entity',
      consumesBody: true,
      params: [],
      tenant: 'create',
      async handle(req) {
        const entity = newEntity(parseEntity(req.body, req.ctx), deps.now())
        await deps.tenants.ensure(req.tenant)
        await deps.entities.create(req.tenant, entity, coreHistory(deps))
        await publishChange(deps, {
          tenant: req.tenant,
          entityId: entity.id,
          types: entity.types,
          kind: 'created',
          attrs: Object.keys(entity.attrs),
          entity,
        })
        return { status: 201, headers: { location: entityLocation(deps, entity.id) } }
      },
    },
    {
      method: 'GET',
      url: '/entities/:entityId',
      summary: 'Retrieve entity',
      produces: ENTITY_RESPONSE_TYPES,
      params: [...RETRIEVE_PARAMS, ...ENTITY_MAP_PARAMS],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const output = parseEntityOutput(req.query, req.ctx)
        if (req.query['geometryProperty'] !== undefined && req.accept !== GEO_JSON_TYPE)
          throw new AppError(
            'BadRequestData',
            'geometryProperty needs Accept: application/geo+json',
          )
        const types =
          req.query['type'] === undefined
            ? undefined
            : parseTypeSelection(req.query['type'], req.ctx.expandTerm)
        // A shared snapshot: only read, so its rendering can be cached against it. The usual
        // request may be answered with the text the store keeps for an entity not in memory.
        const found =
          deps.entities.readSerialized && isDefaultRetrieve(req)
            ? await deps.entities.readSerialized(req.tenant, id)
            : await deps.entities.read(req.tenant, id)
        if (found && 'serialized' in found) {
          const json =
            req.accept === JSON_LD_TYPE ? withCoreContext(found.serialized) : found.serialized
          return { status: 200, json }
        }
        const entity = found
        if (!entity || (types && !types.some((all) => all.every((t) => entity.types.includes(t)))))
          throw new AppError('ResourceNotFound', `entity ${id} not found`)
        const wanted = output.projection.attrs
        if (wanted && !wanted.some((a) => a in entity.attrs)) {
          throw new AppError(
            'ResourceNotFound',
            `entity ${id} has none of the attributes asked for`,
          )
        }
        // §5.7.1.4: the named EntityMap, or a new one when it is gone or one is asked for.
        const map = mapForRetrieve(deps, req, id)
        const join = parseJoinParams(req.query)
        if (join && req.accept !== GEO_JSON_TYPE) {
          const rendered = renderOutput(entity, output, req)
          if (!rendered) throw nothingLeft(id)
          const [root = rendered, ...linked] = await joinEntities([{ entity, rendered }], join, {
            read: (linkedId) => deps.entities.read(req.tenant, linkedId),
            req,
            simplified: output.render.format === 'simplified',
          })
          // §4.5.23: flat answers the entity and the entities it links to; alone, just the entity.
          return withMapLocation(
            { status: 200, body: linked.length > 0 ? [root, ...linked] : root },
            map,
          )
        }
        const version = preferredVersion(req.prefer)
        if (version !== undefined) {
          // §4.3.6.8: amend the payload for the version the consumer prefers (203 when altered).
          const body = renderOutput(entity, output, req)
          if (!body) throw nothingLeft(id)
          const changed = req.accept !== GEO_JSON_TYPE && amendForVersion(body, version)
          return withMapLocation(
            {
              status: changed ? 203 : 200,
              body,
              headers: { 'Preference-Applied': `ngsi-ld=${version}` },
            },
            map,
          )
        }
        const profile = renderProfile(output, req, deps.renders)
        const json =
          profile === undefined ? undefined : renderJson(entity, output, req, deps.renders, profile)
        if (json !== undefined) {
          if (json === null) throw nothingLeft(id)
          return withMapLocation({ status: 200, json }, map)
        }
        const body = renderOutput(entity, output, req)
        if (!body) throw nothingLeft(id)
        return withMapLocation({ status: 200, body }, map)
      },
    },
    {
      method: 'PUT',
      url: '/entities/:entityId',
      summary: 'Replace entity',
      consumesBody: true,
      params: [],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const input = parseEntity(withPathId(req.body, id), req.ctx)
        await writeEntity(deps, req.tenant, id, (current) => ({
          entity: replaceEntity(current, input, deps.now()),
          changed: union(Object.keys(current.attrs), Object.keys(input.attrs)),
          modified: true,
        }))
        return { status: 204 }
      },
    },
    {
      method: 'PATCH',
      url: '/entities/:entityId',
      summary: 'Merge entity',
      consumesBody: true,
      params: ['observedAt', 'lang', 'format', 'options'],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const params = parseMergeParams(req.query)
        // Checked before the lookup (400 before 404); simplified input is read again below.
        const checked = mergeFragmentOf(req.body, req, id, { ...params, simplified: false })
        await writeEntity(deps, req.tenant, id, (current) => {
          const fragment = params.simplified
            ? mergeFragmentOf(req.body, req, id, params, current)
            : checked
          return mergeEntity(current, fragment, { now: deps.now(), ...params })
        })
        return { status: 204 }
      },
    },
    {
      method: 'DELETE',
      url: '/entities/:entityId',
      summary: 'Delete entity',
      params: ['type'],
      tenant: 'existing',
      async handle(req) {
        const id = entityIdOf(req)
        const typeGuard = typeGuardOf(req)
        if (typeGuard) {
          const current = await deps.entities.read(req.tenant, id)
          if (!current) throw new AppError('ResourceNotFound', `entity ${id} not found`)
          typeGuard(current)
        }
        const deleted = await deps.entities.delete(req.tenant, id, coreHistory(deps))
        if (!deleted) throw new AppError('ResourceNotFound', `entity ${id} not found`)
        await publishChange(deps, {
          tenant: req.tenant,
          entityId: id,
          types: deleted.types,
          kind: 'deleted',
          attrs: Object.keys(deleted.attrs),
          entity: deleted,
        })
        return { status: 204 }
      },
    },
  ]
}

/** PUT and PATCH bodies may repeat the entity id, but only the one in the path. */
function withPathId(body: unknown, id: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body
  const given = (body as Record<string, unknown>)['id']
  if (given !== undefined && given !== id) {
    throw new AppError(
      'BadRequestData',
      `the body's id ${JSON.stringify(given)} is not the entity's id ${id}`,
    )
  }
  return { ...body, id }
}

export interface MergeParams {
  simplified: boolean
  observedAt?: string
  lang?: string
}

/** `format` / `options` (keyValues input), `observedAt` and `lang` of Merge Entity (§6.5.3.4). */
export function parseMergeParams(query: Readonly<Record<string, string | undefined>>): MergeParams {
  const tokens = parseOptionsList(query['options'], [
    'keyValues',
    'simplified',
    'normalized',
    'concise',
  ])
  const format = query['format']
  if (
    format !== undefined &&
    !['keyValues', 'simplified', 'normalized', 'concise'].includes(format)
  )
    throw new AppError('InvalidRequest', `format: unknown value '${format}'`)
  const simplified =
    format !== undefined
      ? format === 'keyValues' || format === 'simplified'
      : tokens.has('keyValues') || tokens.has('simplified')
  const out: MergeParams = { simplified }
  const observedAt = query['observedAt']
  if (observedAt !== undefined) {
    if (!isDateTime(observedAt))
      throw new AppError(
        'BadRequestData',
        `observedAt '${String(query['observedAt'])}' is not an ISO 8601 DateTime`,
      )
    out.observedAt = observedAt
  }
  const lang = query['lang']
  if (lang !== undefined) {
    if (lang === '@none' || !isLanguageKey(lang))
      throw new AppError('BadRequestData', `lang '${lang}' is not a language tag`)
    out.lang = lang
  }
  return out
}

/** The merge fragment; simplified input needs the stored kinds, so it is read against `current`. */
export function mergeFragmentOf(
  body: unknown,
  req: NgsiRequest,
  id: string,
  params: MergeParams,
  current?: Entity,
): EntityFragment {
  const input = withPathId(body, id)
  const normalized =
    params.simplified && current
      ? simplifiedToNormalized(
          input,
          (name) => current.attrs[req.ctx.expandTerm(name)]?.[0]?.type,
          params.lang,
        )
      : input
  return parseFragment(normalized, req.ctx, {
    entityId: id,
    allowNull: true,
    allowEmpty: true,
    nestedNull: true,
  })
}
