/**
 * Spreads: `...Audit` copies the fields of a mixin (a model without a primary key) at that position,
 * recursively. Each spread is checked once and each mixin's contents computed once (memoised), so a
 * cycle of spreads is reported once, at the spread that closes it.
 */
import type { SpreadNode } from '../../language/ast'
import { SCALAR_TYPES } from '../types'
import type { CheckContext } from './context'
import type { Definitions } from './definitions'
import type { ReadDirective } from './directives'
import type { CheckedModel, ExpandedField, Expansion } from './drafts'
import type { FieldDraft } from './fields'
import { didYouMean } from './suggest'

interface Contents {
  readonly drafts: FieldDraft[]
  readonly directives: ReadDirective[]
}

/** Directives of a mixin that travel with its fields. */
const TRAVELLING = new Set(['@@index', '@@unique'])

export function expandSpreads(
  ctx: CheckContext,
  defs: Definitions,
  models: ReadonlyMap<string, CheckedModel>,
): { expansions: Map<string, Expansion>; mixins: Set<string>; spreadsATable: Set<string> } {
  const contents = new Map<string, Contents>()
  /** A spread's mixin, or null when the spread is invalid (already reported). */
  const targets = new Map<SpreadNode, string | null>()
  const mixins = new Set<string>()
  /** Models with a refused `...Table`: their missing key is a consequence, not a second mistake. */
  const spreadsATable = new Set<string>()
  const stack: string[] = []

  const contentsOf = (name: string): Contents => {
    const done = contents.get(name)
    if (done) return done
    const model = models.get(name)!
    const result: Contents = { drafts: [], directives: model.directives.filter((d) => TRAVELLING.has(d.spec.name)) }
    contents.set(name, result)
    stack.push(name)
    const members = model.def.node.members
    for (let i = 0; i < members.length; i++) {
      const member = members[i]
      if (member.kind === 'Field') {
        result.drafts.push(model.drafts[i]!)
        continue
      }
      const target = resolveSpread(member)
      if (target === null) continue
      const inner = contentsOf(target)
      result.drafts.push(...inner.drafts)
      result.directives.push(...inner.directives)
    }
    stack.pop()
    return result
  }

  const resolveSpread = (spread: SpreadNode): string | null => {
    const known = targets.get(spread)
    if (known !== undefined) return known
    const target = checkSpreadTarget(spread)
    targets.set(spread, target)
    if (target !== null) mixins.add(target)
    return target
  }

  const checkSpreadTarget = (spread: SpreadNode): string | null => {
    const name = spread.name.value
    const model = models.get(name)
    const hint = 'Only models without a primary key (mixins) can be spread.'
    if (!model) {
      if (defs.enums.has(name)) ctx.error(spread.name.loc, `Cannot spread '${name}': it is an enum`, hint)
      else if ((SCALAR_TYPES as readonly string[]).includes(name)) ctx.error(spread.name.loc, `Cannot spread '${name}': it is a scalar type`, hint)
      else ctx.error(spread.name.loc, `Unknown model '${name}' in spread`, didYouMean(name, models.keys()) ?? hint)
      return null
    }
    if (model.hasPrimaryKey) {
      spreadsATable.add(stack[stack.length - 1])
      ctx.error(
        spread.name.loc,
        `Cannot spread '${name}': it has a primary key, so it is a table, not a mixin`,
        `${hint} Refer to ${name} with a relation field instead.`,
      )
      return null
    }
    const cycleStart = stack.indexOf(name)
    if (cycleStart >= 0) {
      const path = [...stack.slice(cycleStart), name].join(' -> ')
      ctx.error(spread.name.loc, `Circular spread: ${path}`, 'A mixin cannot include itself; remove one of these spreads.')
      return null
    }
    return name
  }

  const expansions = new Map<string, Expansion>()
  for (const model of models.values()) {
    const fields: ExpandedField[] = []
    const inherited: ReadDirective[] = []
    stack.push(model.name)
    const members = model.def.node.members
    for (let i = 0; i < members.length; i++) {
      const member = members[i]
      if (member.kind === 'Field') {
        // `spread` always present: one object shape for every field, so the rules read them at one speed.
        fields.push({ draft: model.drafts[i]!, spread: undefined })
        continue
      }
      const target = resolveSpread(member)
      if (target === null) continue
      const inner = contentsOf(target)
      for (const draft of inner.drafts) fields.push({ draft, spread: member })
      inherited.push(...inner.directives)
    }
    stack.pop()
    expansions.set(model.name, { fields, inherited })
  }
  return { expansions, mixins, spreadsATable }
}
