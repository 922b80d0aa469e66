/**
 * The entities that q terms over linked entities (§4.9, `isConnectedTo{batteryLevel}<0.5`) need:
 * the targets of the Relationships the terms start from, hop by hop for nested terms, read once
 * each. evaluateQ then looks them up synchronously.
 *
 * @example
 *   const paths = linkedPaths(q)
 *   if (paths.length > 0) resolve = await loadLinked(candidates, paths, expand, read)
 *   evaluateQ(q, entity, expand, resolve)
 */
import type { Entity } from '../../core/ngsi.js'
import { linkedObjects, type LinkedResolver } from './evaluate-q.js'
import type { QNode, QPath } from './q-ast.js'

/** The paths of a q's linked-entity terms (`owner{name}`); empty when it has none. */
export function linkedPaths(node: QNode | undefined): QPath[] {
  if (!node) return []
  if (node.kind !== 'term') return node.children.flatMap(linkedPaths)
  return node.path.linked ? [node.path] : []
}

/** How many hops the deepest linked term of a q follows (0 without linked terms). */
export function linkedDepth(node: QNode | undefined): number {
  const depth = (p: QPath): number => (p.linked ? 1 + depth(p.linked.path) : 0)
  return Math.max(0, ...linkedPaths(node).map(depth))
}

/**
 * The q with every linked-entity term taken as true: a necessary condition, since q has no
 * negation of terms (and / or only). Lets a subscription refuse most changes without any read.
 */
export function withoutLinkedTerms(node: QNode): QNode {
  if (node.kind !== 'term') return { ...node, children: node.children.map(withoutLinkedTerms) }
  // An empty conjunction holds.
  return node.path.linked ? { kind: 'and', children: [] } : node
}

export async function loadLinked(
  from: readonly Entity[],
  paths: readonly QPath[],
  expand: (term: string) => string,
  read: (id: string) => Promise<Entity | undefined>,
): Promise<LinkedResolver> {
  const loaded = new Map<string, Entity | undefined>()
  let frontier: { entities: readonly Entity[]; path: QPath }[] = paths.map((path) => ({
    entities: from,
    path,
  }))
  while (frontier.length > 0) {
    const next: typeof frontier = []
    for (const { entities, path } of frontier) {
      const ids = [...new Set(entities.flatMap((e) => linkedObjects(path, e, expand)))]
      const reached: Entity[] = []
      for (const id of ids) {
        if (!loaded.has(id)) loaded.set(id, await read(id))
        const e = loaded.get(id)
        if (e) reached.push(e)
      }
      const deeper = path.linked?.path
      if (deeper?.linked) next.push({ entities: reached, path: deeper })
    }
    frontier = next
  }
  return (id) => loaded.get(id)
}
