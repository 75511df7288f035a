/**
 * Second pass: each model's own fields and model-level directives, checked once where they are written.
 */
import type { CheckContext } from './context'
import type { Definitions } from './definitions'
import { readDirectives } from './directives'
import type { CheckedModel } from './drafts'
import { checkField } from './fields'

export function checkOwnModels(ctx: CheckContext, defs: Definitions): Map<string, CheckedModel> {
  const checked = new Map<string, CheckedModel>()
  for (const def of defs.models.values()) {
    const drafts = def.node.members.map((member) => (member.kind === 'Field' ? checkField(ctx, member, defs) : undefined))
    const directives = readDirectives(ctx, def.node.directives, 'model', def.name)
    let hasPrimaryKey = directives.some((d) => d.spec.name === '@@id')
    for (const f of drafts) if (f && (f.id !== undefined || (f.name === 'id' && f.kind !== 'relation'))) hasPrimaryKey = true
    checked.set(def.name, { def, name: def.name, drafts, directives, hasPrimaryKey })
  }
  return checked
}
