/**
 * Indexes and unique constraints: field lists are checked against the model, top-level
 * `@index` / `@unique` are attached to their model, and the final set is merged and named.
 */
import type { Location } from '../../language/source'
import { constraintName } from '../naming'
import type { Index } from '../types'
import type { CheckContext } from './context'
import type { Definitions } from './definitions'
import { type NameList, fieldListArg, mapArg, nameArg } from './directives'
import type { CheckedModel, IndexDraft, TableModel } from './drafts'
import { didYouMean } from './suggest'

/**
 * The field names of an index-like list (`@@index`, `@@unique`, `@@id`, top-level `@index`), or
 * undefined after reporting a problem. Fields must be scalar or enum fields of the model.
 */
export function resolveIndexFields(ctx: CheckContext, model: TableModel, list: NameList, what: string, unique: boolean): string[] | undefined {
  if (list.items.length === 0) {
    ctx.error(list.loc, `${what} on model '${model.name}' needs at least one field`, 'List the fields: [a, b].')
    return undefined
  }
  const fields: string[] = []
  let valid = true
  for (const ref of list.items) {
    const field = model.byName.get(ref.value)
    if (!field) {
      ctx.error(ref.loc, `Unknown field '${ref.value}' in ${what} of model '${model.name}'`, didYouMean(ref.value, model.byName.keys()))
      valid = false
    } else if (field.kind === 'relation') {
      const keys = field.relation?.fields?.items.map((f) => f.value)
      ctx.error(
        ref.loc,
        `Field '${ref.value}' in ${what} of model '${model.name}' is a relation`,
        keys?.length ? `Use its key field${keys.length > 1 ? 's' : ''} instead: ${keys.join(', ')}.` : 'Use scalar or enum fields (the key fields of the relation).',
      )
      valid = false
    } else if (fields.includes(ref.value)) {
      ctx.error(ref.loc, `Field '${ref.value}' appears twice in ${what} of model '${model.name}'`, 'List each field once.')
      valid = false
    } else if (unique && field.type === 'JSON') {
      ctx.error(ref.loc, `${what} cannot include JSON field '${ref.value}'`, 'JSON values cannot be compared for uniqueness.')
      valid = false
    } else if (field.kind === 'invalid') {
      valid = false
    }
    fields.push(ref.value)
  }
  return valid ? fields : undefined
}

/** Top-level `@index(model:, fields:)` / `@unique(model:, fields:)`, in any file, before or after the model. */
export function attachTopIndexes(ctx: CheckContext, defs: Definitions, models: ReadonlyMap<string, CheckedModel>, tables: ReadonlyMap<string, TableModel>): void {
  for (const d of defs.topIndexes) {
    const modelRef = nameArg(d, 'model')
    const list = fieldListArg(d, 'fields')
    if (!modelRef || !list) continue
    const model = tables.get(modelRef.value)
    if (!model) {
      if (models.has(modelRef.value)) {
        ctx.error(modelRef.loc, `Model '${modelRef.value}' in ${d.spec.name} is a mixin and has no table`, 'Index the models that spread it instead.')
      } else if (defs.enums.has(modelRef.value)) {
        ctx.error(modelRef.loc, `'${modelRef.value}' in ${d.spec.name} is an enum, not a model`, 'Name a model: model: "User".')
      } else {
        ctx.error(modelRef.loc, `Unknown model '${modelRef.value}' in ${d.spec.name}`, didYouMean(modelRef.value, tables.keys()))
      }
      continue
    }
    const unique = d.spec.name === '@unique'
    const fields = resolveIndexFields(ctx, model, list, d.spec.name, unique)
    if (fields) model.indexes.push({ fields, unique, loc: d.loc, name: mapArg(ctx, d)?.value })
  }
}

/** Whether these fields (in any order) are the primary key or already covered by a unique constraint. */
export function isUniqueSet(model: TableModel, fields: readonly string[]): boolean {
  if (sameSet(model.primaryKey, fields)) return true
  return model.indexes.some((i) => i.unique && sameSet(i.fields, fields))
}

/** Same names in any order; lists never hold a name twice (checked where they are read). */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name))
}

export type NamedIndex = Index & { readonly loc: Location }

/**
 * The final indexes and uniques of a model, named and sorted by name. Identical ones are merged and
 * one identical to the primary key is dropped (the primary key already is that index).
 */
export function finalIndexes(model: TableModel): { indexes: NamedIndex[]; uniques: NamedIndex[] } {
  const indexes: NamedIndex[] = []
  const uniques: NamedIndex[] = []
  const kept: IndexDraft[] = []
  for (const index of model.indexes) {
    // A model has a handful of indexes: comparing lists beats building keys for a Set.
    if (sameList(index.fields, model.primaryKey) || kept.some((k) => k.unique === index.unique && sameList(k.fields, index.fields))) continue
    kept.push(index)
    const columns = index.fields.map((f) => model.byName.get(f)!.column)
    const named = { name: index.name ?? constraintName(model.table, columns, index.unique ? 'key' : 'idx'), fields: [...index.fields], loc: index.loc }
    ;(index.unique ? uniques : indexes).push(named)
  }
  const byName = (a: NamedIndex, b: NamedIndex) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  return { indexes: indexes.sort(byName), uniques: uniques.sort(byName) }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i])
}
