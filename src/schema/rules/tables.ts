/**
 * Third pass, per model: duplicate fields (also through spreads), which models get a table, the
 * table name, the primary key, indexes and rename hints.
 */
import { tableName } from '../naming'
import { type CheckContext, type NameRef, where } from './context'
import type { Definitions } from './definitions'
import { type ReadDirective, fieldListArg, mapArg, stringArg } from './directives'
import type { CheckedModel, ExpandedField, Expansion, TableModel } from './drafts'
import { type FieldDraft, SAFE_DB_NAME } from './fields'
import { resolveIndexFields } from './indexes'

export function buildTableModels(
  ctx: CheckContext,
  defs: Definitions,
  models: ReadonlyMap<string, CheckedModel>,
  expansions: ReadonlyMap<string, Expansion>,
  mixins: ReadonlySet<string>,
  spreadsATable: ReadonlySet<string>,
): Map<string, TableModel> {
  const tables = new Map<string, TableModel>()
  for (const model of models.values()) {
    const { fields, byName } = withoutDuplicates(ctx, model.name, expansions.get(model.name)!.fields)
    if (!model.hasPrimaryKey) {
      if (!spreadsATable.has(model.name)) checkMixin(ctx, model, mixins.has(model.name))
      continue
    }
    const mapped = model.directives.find((d) => d.spec.name === '@@map')
    const mappedName = mapped && stringArg(mapped, 'name')
    let table = tableName(model.name)
    if (mappedName && SAFE_DB_NAME.test(mappedName.value)) table = mappedName.value
    else if (mappedName) ctx.error(mappedName.loc, `Invalid table name '${mappedName.value}' in @@map`, 'Use letters, digits and underscores, starting with a letter or an underscore.')
    const tableModel: TableModel = {
      checked: model,
      name: model.name,
      table,
      tableLoc: mappedName?.loc ?? model.def.node.name.loc,
      fields,
      byName,
      primaryKey: [],
      indexes: [],
      renamedFrom: modelRenames(ctx, model, defs),
      relations: new Map(),
      foreignKeys: [],
    }
    tableModel.primaryKey = primaryKey(ctx, tableModel)
    checkAutoincrement(ctx, tableModel)
    collectIndexes(ctx, tableModel, model.directives)
    collectIndexes(ctx, tableModel, expansions.get(model.name)!.inherited, false)
    checkFieldRenames(ctx, tableModel)
    tables.set(model.name, tableModel)
  }
  return tables
}

/** Reports a field name used twice; keeps the first. Two copies brought by one spread are the mixin's own error. */
function withoutDuplicates(ctx: CheckContext, model: string, fields: readonly ExpandedField[]): { fields: ExpandedField[]; byName: Map<string, FieldDraft> } {
  const byName = new Map<string, FieldDraft>()
  const kept: ExpandedField[] = []
  for (const field of fields) {
    if (!byName.has(field.draft.name)) {
      byName.set(field.draft.name, field.draft)
      kept.push(field)
      continue
    }
    const earlier = kept.find((f) => f.draft.name === field.draft.name)!
    if (earlier.spread !== undefined && earlier.spread === field.spread) continue
    const at = where(earlier.draft.loc)
    if (field.spread) {
      ctx.error(field.spread.name.loc, `Duplicate field '${field.draft.name}' in model '${model}', brought by ...${field.spread.name.value} (first defined at ${at})`, 'Rename or remove one of the two fields.')
    } else {
      ctx.error(field.draft.loc, `Duplicate field '${field.draft.name}' in model '${model}' (first defined at ${at})`, 'Rename or remove one of the two fields.')
    }
  }
  return { fields: kept, byName }
}

function checkMixin(ctx: CheckContext, model: CheckedModel, spread: boolean): void {
  const name = model.name
  if (!spread) {
    ctx.error(
      model.def.node.name.loc,
      `Model '${name}' has no primary key`,
      `Add 'id: ID! @default(uuid)', mark a field with @id, or add @@id([a, b]); a model without a primary key is only allowed as a mixin used with ...${name}.`,
    )
    return
  }
  for (const d of model.directives) {
    if (d.spec.name === '@@map' || d.spec.name === '@@renamed') {
      ctx.error(d.loc, `'${d.spec.name}' cannot be used on mixin '${name}': a mixin has no table`, `Remove it, or give ${name} a primary key to make it a table.`)
    }
  }
}

/** `@id`, else `@@id`, else the field named `id` (an explicit key always wins over the implicit one). */
function primaryKey(ctx: CheckContext, model: TableModel): string[] {
  const withId = model.fields.filter((f) => f.draft.id !== undefined)
  const compound = model.checked.directives.find((d) => d.spec.name === '@@id')
  for (const extra of withId.slice(1)) {
    ctx.error(extra.draft.id!, `Model '${model.name}' has more than one @id field`, `Use @@id([${withId.map((f) => f.draft.name).join(', ')}]) for a composite primary key.`)
  }
  if (withId.length > 0 && compound) {
    ctx.error(compound.loc, `Model '${model.name}' has both @id and @@id`, 'Keep one of them.')
    return []
  }
  if (withId.length > 1) return []
  if (withId.length === 1) return keyFieldsValid(ctx, model, [{ value: withId[0].draft.name, loc: withId[0].draft.id! }]) ? [withId[0].draft.name] : []
  if (compound) {
    const list = fieldListArg(compound, 'fields')
    const fields = list && resolveIndexFields(ctx, model, list, '@@id', true)
    return fields && keyFieldsValid(ctx, model, list.items) ? fields : []
  }
  const id = model.byName.get('id')
  return id && keyFieldsValid(ctx, model, [{ value: 'id', loc: id.loc }]) ? ['id'] : []
}

/** Primary key fields are required scalars or enums, and not JSON. */
function keyFieldsValid(ctx: CheckContext, model: TableModel, refs: readonly NameRef[]): boolean {
  let valid = true
  for (const ref of refs) {
    const field = model.byName.get(ref.value)
    if (!field || field.kind === 'invalid') {
      valid = false
    } else if (field.kind === 'relation') {
      ctx.error(ref.loc, `Primary key field '${field.name}' of model '${model.name}' must be a scalar or enum field, not a relation`, 'Use the key field(s) named in its @relation(fields:) instead.')
      valid = false
    } else if (!field.required) {
      ctx.error(ref.loc, `Primary key field '${field.name}' of model '${model.name}' must be required`, `Write ${field.name}: ${field.type}!`)
      valid = false
    } else if (field.type === 'JSON') {
      ctx.error(ref.loc, `Primary key field '${field.name}' of model '${model.name}' cannot be JSON`, 'Use a scalar that can be compared, such as ID or String.')
      valid = false
    }
  }
  return valid
}

/** SQLite can only autoincrement its INTEGER PRIMARY KEY, so both providers allow it there only. */
function checkAutoincrement(ctx: CheckContext, model: TableModel): void {
  for (const { draft } of model.fields) {
    if (draft.default?.kind !== 'autoincrement') continue
    if (model.primaryKey.length === 1 && model.primaryKey[0] === draft.name) continue
    ctx.error(
      draft.defaultLoc!,
      `@default(autoincrement) can only be used on the single-field primary key, and '${draft.name}' is not the primary key of '${model.name}'`,
      'SQLite can only autoincrement its INTEGER PRIMARY KEY; mark the field @id, or drop the default.',
    )
  }
}

/** Indexes from `directives`, and with `withFields` those written on the model's fields. */
function collectIndexes(ctx: CheckContext, model: TableModel, directives: readonly ReadDirective[], withFields = true): void {
  for (const { draft } of withFields ? model.fields : []) {
    if (draft.unique) model.indexes.push({ fields: [draft.name], unique: true, loc: draft.unique, name: draft.uniqueName?.value })
    if (draft.index) model.indexes.push({ fields: [draft.name], unique: false, loc: draft.index, name: draft.indexName?.value })
  }
  for (const d of directives) {
    if (d.spec.name !== '@@index' && d.spec.name !== '@@unique') continue
    const list = fieldListArg(d, 'fields')
    const unique = d.spec.name === '@@unique'
    const fields = list && resolveIndexFields(ctx, model, list, d.spec.name, unique)
    if (fields) model.indexes.push({ fields, unique, loc: d.loc, name: mapArg(ctx, d)?.value })
  }
}

function modelRenames(ctx: CheckContext, model: CheckedModel, defs: Definitions): NameRef[] {
  if (model.directives.length === 0) return []
  const hints = model.directives.filter((d) => d.spec.name === '@@renamed').map((d) => stringArg(d, 'from'))
  return checkRenames(ctx, hints, model.name, (from) => {
    if (defs.models.has(from)) return `Model '${from}' still exists`
    if (defs.enums.has(from)) return `'${from}' is the name of an enum`
    return undefined
  })
}

function checkFieldRenames(ctx: CheckContext, model: TableModel): void {
  for (const { draft } of model.fields) {
    if (draft.renamedFrom.length === 0) continue
    checkRenames(ctx, draft.renamedFrom, draft.name, (from) => (model.byName.has(from) ? `Field '${from}' still exists in model '${model.name}'` : undefined))
  }
}

/** A rename hint naming something that exists now would rename the wrong thing: an error. */
function checkRenames(ctx: CheckContext, hints: readonly (NameRef | undefined)[], name: string, existing: (from: string) => string | undefined): NameRef[] {
  const seen = new Set<string>()
  const kept: NameRef[] = []
  for (const hint of hints) {
    if (!hint) continue
    let problem: string | undefined
    if (hint.value === name) problem = `'${name}' cannot be renamed from itself`
    else if (seen.has(hint.value)) problem = `Duplicate rename hint from '${hint.value}'`
    else {
      const other = existing(hint.value)
      if (other) problem = `${other}, so '${name}' cannot be renamed from it`
    }
    if (problem) {
      ctx.error(hint.loc, problem, 'Remove this rename hint, or rename the other one first.')
      continue
    }
    seen.add(hint.value)
    kept.push(hint)
  }
  return kept
}
