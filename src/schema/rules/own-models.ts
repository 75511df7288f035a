/**
 * Second pass: each model's own fields and model-level directives, checked once where they are written.
 */
import type { FieldNode } from '../../language/ast'
import type { CheckContext } from './context'
import type { Definitions } from './definitions'
import { readDirectives } from './directives'
import type { CheckedModel } from './drafts'
import { type FieldDraft, checkField } from './fields'

export function checkOwnModels(ctx: CheckContext, defs: Definitions): Map<string, CheckedModel> {
  const checked = new Map<string, CheckedModel>()
  for (const def of defs.models.values()) {
    const drafts = new Map<FieldNode, FieldDraft>()
    for (const member of def.node.members) {
      if (member.kind === 'Field') drafts.set(member, checkField(ctx, member, def.name, defs))
    }
    const directives = readDirectives(ctx, def.node.directives, 'model', `on model '${def.name}'`)
    const hasPrimaryKey =
      directives.some((d) => d.spec.name === '@@id') ||
      [...drafts.values()].some((f) => f.id !== undefined || (f.name === 'id' && f.kind !== 'relation'))
    checked.set(def.name, { def, name: def.name, drafts, directives, hasPrimaryKey })
  }
  return checked
}
