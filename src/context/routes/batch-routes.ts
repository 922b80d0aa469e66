/**
 * Batch operations (§5.6.7–5.6.10, §5.6.20; HTTP §6.14–6.17, §6.31): create, upsert, update,
 * delete and merge. Each array element is processed as its own request, in array order (§5.5.11):
 * one failing entity never stops the others. All succeeded → 201 (ids created) or 204; otherwise
 * 207 with a BatchOperationResult `{ success: [ids], errors: [{ entityId, error: ProblemDetails }] }`.
 *
 * @example
 *   POST /ngsi-ld/v1/entityOperations/upsert?options=update   [{ "id": "urn:a:1", "type": "T", … }]
 */
import { AppError, isAppError } from '../../core/errors.js'
import type { Entity } from '../../core/ngsi.js'
import { JSON_LD_TYPE } from '../http/media-types.js'
import { isJsonObject } from '../jsonld/core-context.js'
import type { ActiveContext, UserContext } from '../jsonld/index.js'
import { appendAttributes } from '../operations/append-attributes.js'
import { mergeEntity } from '../operations/merge-entity.js'
import { replaceEntity } from '../operations/replace-entity.js'
import { newEntity } from '../operations/stamp.js'
import { updateAttributes } from '../operations/update-attributes.js'
import { toProblem, type ProblemDetails } from '../problem.js'
import { isUri, parseEntity, parseFragment, parseOptionsList } from '../representation/index.js'
import type { NgsiReply, NgsiRequest, NgsiRoute, RouteDeps } from './ngsi-route.js'
import { coreHistory, publishChange, writeEntity } from './route-helpers.js'

export interface BatchEntityError {
  entityId: string
  error: ProblemDetails
}

export interface BatchOperationResult {
  success: string[]
  errors: BatchEntityError[]
}

/** One array element with the @context it is to be read with. */
interface BatchItem {
  /** The element's id as given (for the result lists), '' when it has none. */
  id: string
  body: unknown
  ctx: ActiveContext
}

export function batchRoutes(deps: RouteDeps): NgsiRoute[] {
  const route = (
    op: string,
    summary: string,
    params: string[],
    run: (req: NgsiRequest, result: BatchOperationResult) => Promise<NgsiReply | undefined>,
  ): NgsiRoute => ({
    method: 'POST',
    url: `/entityOperations/${op}`,
    summary,
    consumesBody: true,
    params,
    // Creating operations may create the tenant (§4.14); update, delete and merge need it.
    tenant: op === 'create' || op === 'upsert' ? 'create' : 'existing',
    async handle(req) {
      // Checked before anything runs (a creating operation would otherwise create the tenant).
      arrayBody(req.body)
      const result: BatchOperationResult = { success: [], errors: [] }
      const reply = await run(req, result)
      if (result.errors.length > 0) return { status: 207, plain: result }
      return reply ?? { status: 204 }
    },
  })

  /** Runs `fn` per element; an AppError (or anything else) becomes that element's error. */
  async function each(
    req: NgsiRequest,
    result: BatchOperationResult,
    fn: (item: BatchItem) => Promise<'success' | 'skip'>,
  ): Promise<void> {
    for (const raw of arrayBody(req.body)) {
      const id = idOf(raw)
      try {
        const item = await itemOf(req, raw, id)
        if ((await fn(item)) === 'success') result.success.push(id)
      } catch (err) {
        result.errors.push({ entityId: id, error: problemOf(err) })
      }
    }
  }

  async function itemOf(req: NgsiRequest, raw: unknown, id: string): Promise<BatchItem> {
    if (req.contentType !== JSON_LD_TYPE || !isJsonObject(raw)) {
      if (isJsonObject(raw) && '@context' in raw) {
        throw new AppError(
          'BadRequestData',
          'an application/json batch element must not have @context: send it in a Link header',
        )
      }
      return { id, body: raw, ctx: req.ctx }
    }
    if (!('@context' in raw))
      throw new AppError('BadRequestData', `entity ${id} has no @context (application/ld+json)`)
    const { '@context': userContext, ...body } = raw
    const ctx = await deps.contexts.activeContext(userContextOf(userContext))
    return { id, body, ctx }
  }

  function problemOf(err: unknown): ProblemDetails {
    if (!isAppError(err)) deps.log.error({ err }, 'batch entity operation failed')
    const problem = toProblem(err, undefined, {
      ldContextNotAvailableStatus: deps.ldContextNotAvailableStatus ?? 504,
    })
    return (
      problem.body ?? { type: 'about:blank', title: 'Error', status: problem.status, detail: '' }
    )
  }

  async function create(tenant: string, entity: Entity): Promise<void> {
    await deps.entities.create(tenant, entity, coreHistory(deps))
    await publishChange(deps, {
      tenant,
      entityId: entity.id,
      types: entity.types,
      kind: 'created',
      attrs: Object.keys(entity.attrs),
      entity,
    })
  }

  return [
    route('create', 'Batch entity creation', [], async (req, result) => {
      await deps.tenants.ensure(req.tenant)
      await each(req, result, async ({ body, ctx }) => {
        await create(req.tenant, newEntity(parseEntity(body, ctx), deps.now()))
        return 'success'
      })
      return { status: 201, plain: result.success }
    }),

    route('upsert', 'Batch entity create or update (upsert)', ['options'], async (req, result) => {
      const options = parseOptionsList(req.query['options'], ['replace', 'update'])
      if (options.size > 1)
        throw new AppError('BadRequestData', 'options: replace or update, not both')
      const update = options.has('update')
      await deps.tenants.ensure(req.tenant)
      const created: string[] = []
      await each(req, result, async ({ body, ctx }) => {
        const input = parseEntity(body, ctx)
        try {
          await writeEntity(deps, req.tenant, input.id, (current) =>
            update
              ? updateAttributes(
                  current,
                  { attrs: input.attrs, types: input.types, ...scopesOf(input) },
                  deps.now(),
                )
              : {
                  entity: replaceEntity(current, input, deps.now()),
                  changed: [
                    ...new Set([...Object.keys(current.attrs), ...Object.keys(input.attrs)]),
                  ],
                  modified: true,
                },
          )
        } catch (err) {
          if (!isAppError(err) || err.kind !== 'ResourceNotFound') throw err
          await create(req.tenant, newEntity(input, deps.now()))
          if (!created.includes(input.id)) created.push(input.id)
        }
        return 'success'
      })
      // 201 lists only the entities created (§6.15.3.1); 204 when every one already existed.
      return created.length > 0 ? { status: 201, plain: created } : undefined
    }),

    route('update', 'Batch entity update', ['options'], async (req, result) => {
      const noOverwrite = parseOptionsList(req.query['options'], ['noOverwrite']).has('noOverwrite')
      await each(req, result, async ({ body, ctx }) => {
        const id = requireId(body)
        const fragment = parseFragment(body, ctx, { entityId: id, allowNull: !noOverwrite })
        const notUpdated: string[] = []
        await writeEntity(deps, req.tenant, id, (current) => {
          if (!noOverwrite) return updateAttributes(current, fragment, deps.now())
          const r = appendAttributes(current, fragment, { noOverwrite, now: deps.now() })
          notUpdated.push(...r.notUpdated.map((n) => n.attributeName))
          return { entity: r.entity, changed: r.updated, modified: r.changed }
        })
        if (notUpdated.length > 0) {
          // The new attributes were added; the entity is reported because some were not.
          throw new AppError(
            'BadRequestData',
            `attributes not updated (options=noOverwrite): ${notUpdated.join(', ')}`,
            { notUpdated },
          )
        }
        return 'success'
      })
      return undefined
    }),

    route('delete', 'Batch entity delete', [], async (req, result) => {
      await each(req, result, async ({ body }) => {
        if (!isUri(body))
          throw new AppError('BadRequestData', `${JSON.stringify(body)} is not an entity id (URI)`)
        const deleted = await deps.entities.delete(req.tenant, body, coreHistory(deps))
        if (!deleted) throw new AppError('ResourceNotFound', `entity ${body} not found`)
        await publishChange(deps, {
          tenant: req.tenant,
          entityId: body,
          types: deleted.types,
          kind: 'deleted',
          attrs: Object.keys(deleted.attrs),
          entity: deleted,
        })
        return 'success'
      })
      return undefined
    }),

    route('merge', 'Batch entity merge', [], async (req, result) => {
      await each(req, result, async ({ body, ctx }) => {
        const id = requireId(body)
        const fragment = parseFragment(body, ctx, {
          entityId: id,
          allowNull: true,
          allowEmpty: true,
        })
        await writeEntity(deps, req.tenant, id, (current) =>
          mergeEntity(current, fragment, { now: deps.now() }),
        )
        return 'success'
      })
      return undefined
    }),
  ]
}

/** The body must be a JSON array of entities (or ids); anything else fails the whole request. */
function arrayBody(body: unknown): unknown[] {
  if (body === undefined)
    throw new AppError('InvalidRequest', 'the request has no body; expected a JSON array')
  if (!Array.isArray(body))
    throw new AppError('BadRequestData', 'a batch operation body must be a JSON array')
  if (body.length === 0)
    throw new AppError('BadRequestData', 'a batch operation body must not be empty')
  // §5.6.7.4 (and the other batch operations): a null item fails the whole request.
  if (body.some((item) => item === null))
    throw new AppError('BadRequestData', 'a batch operation body must not contain null items')
  return body
}

function userContextOf(raw: unknown): UserContext {
  const ok = (item: unknown) => typeof item === 'string' || isJsonObject(item)
  if (ok(raw) || (Array.isArray(raw) && raw.length > 0 && raw.every(ok))) return raw
  throw new AppError(
    'BadRequestData',
    '@context must be a URL, an object, or a non-empty array of them',
  )
}

function idOf(raw: unknown): string {
  if (typeof raw === 'string') return raw
  if (isJsonObject(raw) && typeof raw['id'] === 'string') return raw['id']
  return ''
}

function requireId(body: unknown): string {
  if (!isJsonObject(body))
    throw new AppError('BadRequestData', 'each batch element must be an entity object')
  const id = body['id']
  if (!isUri(id))
    throw new AppError('BadRequestData', `the entity id ${JSON.stringify(id)} is not a URI`)
  return id
}

function scopesOf(input: { scopes?: string[] }): { scopes?: string[] } {
  return input.scopes ? { scopes: input.scopes } : {}
}
