/**
 * A cycle of required relations (every key field required, a required self-relation included) means no
 * row of the cycle can ever be inserted first. Strongly connected components (Tarjan, iterative, linear)
 * find them; each component is reported once, with its shortest cycle through the model whose relation
 * field comes first in the sources (so `User` declared before `Post` reads "between User and Post").
 */
import { type CheckContext, compareLocations } from './context'
import type { RequiredEdge } from './relations'

export function checkRequiredCycles(ctx: CheckContext, edges: readonly RequiredEdge[]): void {
  const adjacency = new Map<string, RequiredEdge[]>()
  for (const edge of edges) {
    const out = adjacency.get(edge.from)
    if (out) out.push(edge)
    else adjacency.set(edge.from, [edge])
  }
  for (const out of adjacency.values()) out.sort((x, y) => (x.to < y.to ? -1 : x.to > y.to ? 1 : compareLocations(x.loc, y.loc)))
  for (const component of stronglyConnected(adjacency)) {
    const members = new Set(component)
    const selfLoop = component.length === 1 && (adjacency.get(component[0]) ?? []).some((e) => e.to === component[0])
    if (component.length === 1 && !selfLoop) continue
    const first = component
      .flatMap((model) => adjacency.get(model) ?? [])
      .filter((edge) => members.has(edge.to))
      .sort((x, y) => compareLocations(x.loc, y.loc))[0]
    const cycle = shortestCycle(adjacency, members, first.from)
    const models = cycle.map((e) => e.from)
    const names = models.length === 1 ? `${models[0]} and itself` : `${models.slice(0, -1).join(', ')} and ${models[models.length - 1]}`
    const at = [...cycle].sort((x, y) => compareLocations(x.loc, y.loc))[0]
    ctx.error(
      at.loc,
      `Circular dependency detected between ${names}`,
      `Make one side optional (e.g. ${at.from}.${at.field} and its key fields) so that one row can be inserted before the other.`,
    )
  }
}

/** The edges of a shortest cycle from `start` back to it, staying inside the component (breadth-first). */
function shortestCycle(adjacency: ReadonlyMap<string, RequiredEdge[]>, members: ReadonlySet<string>, start: string): RequiredEdge[] {
  const reachedBy = new Map<string, RequiredEdge>()
  const queue = [start]
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]
    for (const edge of adjacency.get(node) ?? []) {
      if (!members.has(edge.to)) continue
      if (edge.to === start) {
        const path = [edge]
        for (let at = node; at !== start; at = reachedBy.get(at)!.from) path.unshift(reachedBy.get(at)!)
        return path
      }
      if (!reachedBy.has(edge.to)) {
        reachedBy.set(edge.to, edge)
        queue.push(edge.to)
      }
    }
  }
  return []
}

/** Tarjan's algorithm without recursion (5,000 models must not overflow the stack). */
function stronglyConnected(adjacency: ReadonlyMap<string, RequiredEdge[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let counter = 0
  for (const root of adjacency.keys()) {
    if (index.has(root)) continue
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1]
      const out = adjacency.get(frame.node) ?? []
      if (frame.next < out.length) {
        const to = out[frame.next++].to
        if (!index.has(to)) {
          index.set(to, counter)
          low.set(to, counter++)
          stack.push(to)
          onStack.add(to)
          work.push({ node: to, next: 0 })
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!))
        }
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1].node
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!))
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.node)
        components.push(component)
      }
    }
  }
  return components
}
