/**
 * The side of a relation that holds the key: `author: User! @relation(fields: [authorId], references: [id])`.
 * Its `fields` are scalar fields of its own model, its `references` the primary key or a unique set of
 * the other model, pairwise of the same type; its referential actions must be possible.
 */
import type { ReferentialAction } from '../types'
import type { CheckContext } from './context'
import type { NameList } from './directives'
import type { TableModel } from './drafts'
import type { FieldDraft } from './fields'
import { isUniqueSet } from './indexes'
import { didYouMean } from './suggest'

/** One relation field of a table model, with the model it points at. */
export interface Side {
  readonly model: TableModel
  readonly draft: FieldDraft
  readonly target: TableModel
}

export interface KeyInfo {
  readonly fields: string[]
  readonly references: string[]
  readonly onDelete: ReferentialAction
  readonly onUpdate: ReferentialAction
  /** Every key field is required: a row cannot exist without the referenced one. */
  readonly required: boolean
}

export function holdsKey(side: Side): boolean {
  return side.draft.relation?.fields !== undefined || side.draft.relation?.references !== undefined
}

/** Checks the key of a key-holding side; undefined after reporting what is wrong. */
export function checkKey(ctx: CheckContext, side: Side): KeyInfo | undefined {
  const { draft, model, target } = side
  const rel = draft.relation!
  const of = `@relation of '${draft.name}'`
  if (draft.list) {
    ctx.error(rel.fields?.loc ?? rel.loc, `Relation list '${draft.name}' of model '${model.name}' cannot hold the key`, `Put @relation(fields:, references:) on the singular field of '${target.name}' that points back.`)
    return undefined
  }
  if (!rel.fields || !rel.references) {
    const missing = rel.fields ? 'references' : 'fields'
    ctx.error(rel.loc, `${of} has '${rel.fields ? 'fields' : 'references'}' but no '${missing}'`, `Write both: ${keyExample(side)}.`)
    return undefined
  }
  if (rel.fields.items.length === 0 || rel.references.items.length === 0) {
    const empty = rel.fields.items.length === 0 ? rel.fields : rel.references
    ctx.error(empty.loc, `${of} has an empty '${empty === rel.fields ? 'fields' : 'references'}' list`, `Write ${keyExample(side)}.`)
    return undefined
  }
  if (rel.fields.items.length !== rel.references.items.length) {
    ctx.error(
      rel.references.loc,
      `${of} has ${rel.fields.items.length} field${rel.fields.items.length === 1 ? '' : 's'} in 'fields' but ${rel.references.items.length} in 'references'`,
      'Each key field pairs with one referenced field: fields: [a, b], references: [x, y].',
    )
    return undefined
  }
  const fields = resolveKeyFields(ctx, side, model, rel.fields, 'fields')
  const references = resolveKeyFields(ctx, side, target, rel.references, 'references')
  if (!fields || !references) return undefined
  const referenceNames = references.map((r) => r.name)
  if (!isUniqueSet(target, referenceNames)) {
    ctx.error(
      rel.references.loc,
      `${of} references [${referenceNames.join(', ')}] of model '${target.name}', which is neither its primary key nor unique`,
      `Reference its primary key (references: [${target.primaryKey.join(', ')}]) or mark the referenced field${referenceNames.length > 1 ? 's @@unique' : ' @unique'}.`,
    )
    return undefined
  }
  let typesMatch = true
  fields.forEach((field, i) => {
    const reference = references[i]
    if (field.kind === reference.kind && field.type === reference.type) return
    typesMatch = false
    ctx.error(
      rel.fields!.items[i].loc,
      `Type mismatch in ${of}: '${field.name}' is ${field.type} but '${target.name}.${reference.name}' is ${reference.type}`,
      `Declare ${field.name}: ${reference.type}${field.required ? '!' : '?'} so the key matches the field it references.`,
    )
  })
  if (!typesMatch) return undefined
  const optional = fields.find((f) => !f.required)
  if (draft.required && optional) {
    ctx.error(
      draft.node.type.loc,
      `Relation '${draft.name}' of model '${model.name}' is required but its key field '${optional.name}' is optional`,
      `Make the key required (${optional.name}: ${optional.type}!) or the relation optional (${draft.name}: ${target.name}?).`,
    )
    return undefined
  }
  const onDelete = checkAction(ctx, side, fields, 'onDelete', fields.every((f) => !f.required) ? 'SetNull' : 'Restrict')
  const onUpdate = checkAction(ctx, side, fields, 'onUpdate', 'Cascade')
  if (!onDelete || !onUpdate) return undefined
  return { fields: fields.map((f) => f.name), references: referenceNames, onDelete, onUpdate, required: optional === undefined }
}

function resolveKeyFields(ctx: CheckContext, side: Side, owner: TableModel, list: NameList, which: 'fields' | 'references'): FieldDraft[] | undefined {
  const found: FieldDraft[] = []
  let valid = true
  for (let i = 0; i < list.items.length; i++) {
    const ref = list.items[i]
    const field = owner.byName.get(ref.value)
    if (field && (field.kind === 'scalar' || field.kind === 'enum') && !found.includes(field)) {
      found.push(field)
      continue
    }
    const where = `in @relation(${which}:) of '${side.draft.name}'`
    if (!field) {
      const declare = which === 'fields' ? `Declare it on ${owner.name}: ${ref.value}: ${referencedType(side, i)}${side.draft.required ? '!' : '?'}.` : undefined
      ctx.error(ref.loc, `Unknown field '${ref.value}' ${where}: model '${owner.name}' has no such field`, didYouMean(ref.value, owner.byName.keys()) ?? declare)
    } else if (field.kind === 'relation') {
      ctx.error(ref.loc, `Field '${ref.value}' ${where} is a relation field`, 'Name scalar or enum fields: the columns that hold the key.')
    } else if (found.includes(field)) {
      ctx.error(ref.loc, `Field '${ref.value}' appears twice ${where}`, 'List each field once.')
    }
    valid = false
  }
  return valid ? found : undefined
}

function checkAction(ctx: CheckContext, side: Side, fields: readonly FieldDraft[], which: 'onDelete' | 'onUpdate', fallback: ReferentialAction): ReferentialAction | undefined {
  const given = side.draft.relation?.[which]
  if (!given) return fallback
  const required = fields.find((f) => f.required)
  if (given.value === 'SetNull' && required) {
    ctx.error(given.loc, `${which}: SetNull needs optional key fields, but '${required.name}' is required`, `Make ${required.name} optional (${required.name}: ${required.type}?) or choose Cascade or Restrict.`)
    return undefined
  }
  const withoutDefault = fields.find((f) => f.default === undefined)
  if (given.value === 'SetDefault' && withoutDefault) {
    ctx.error(given.loc, `${which}: SetDefault needs a default on key field '${withoutDefault.name}'`, `Add @default(...) to ${withoutDefault.name}, or choose another action.`)
    return undefined
  }
  return given.value
}

/** `onDelete` / `onUpdate` belong to the side holding the key. */
export function checkNoActions(ctx: CheckContext, side: Side): void {
  for (const which of ['onDelete', 'onUpdate'] as const) {
    const given = side.draft.relation?.[which]
    if (given) ctx.error(given.loc, `${which} can only be set on the side of a relation that holds the key`, `Move it to the field with @relation(fields:, references:), or add them here: ${keyExample(side)}.`)
  }
}

/** The `@relation(...)` this side would need to hold the key, with the key field names it implies. */
export function keyExample(side: Side): string {
  const { names, references } = suggestedKey(side)
  const name = side.draft.relation?.name ? `name: "${side.draft.relation.name.value}", ` : ''
  return `@relation(${name}fields: [${names.join(', ')}], references: [${references.join(', ')}])`
}

/** `author` -> `authorId` for each primary key field of the target (`id`). */
export function suggestedKey(side: Side): { names: string[]; references: string[]; types: string[] } {
  const references = side.target.primaryKey.length > 0 ? [...side.target.primaryKey] : ['id']
  return {
    names: references.map((r) => side.draft.name + r[0].toUpperCase() + r.slice(1)),
    references,
    types: references.map((r) => side.target.byName.get(r)?.type ?? 'ID'),
  }
}

/** The type of the i-th referenced field, which the i-th key field must have. */
function referencedType(side: Side, i: number): string {
  const reference = side.draft.relation?.references?.items[i]?.value ?? side.target.primaryKey[i]
  return (reference && side.target.byName.get(reference)?.type) || 'ID'
}
