/**
 * The last step, run only when there is no error: the checked models become the canonical Schema,
 * in the order types.ts promises (enums and models by name, fields in declaration order).
 */
import type { Field, Index, JoinTable, Model, ScalarType, Schema } from '../types'
import { SCHEMA_FORMAT } from '../types'
import type { Definitions } from './definitions'
import type { ExpandedField, TableModel } from './drafts'
import type { NamedIndex } from './indexes'

export function buildSchema(
  defs: Definitions,
  tables: readonly TableModel[],
  joinTables: readonly JoinTable[],
  finals: ReadonlyMap<string, { indexes: NamedIndex[]; uniques: NamedIndex[] }>,
): Schema {
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  return compact({
    format: SCHEMA_FORMAT,
    namespace: defs.namespace,
    version: defs.version,
    enums: [...defs.enums.values()].map((e) => compact({ ...e.output, values: e.output.values.map(compact) })).sort(byName),
    models: tables.map((t) => buildModel(t, finals.get(t.name)!)).sort(byName),
    joinTables: joinTables
      .map((j) => ({ relationName: j.relationName, table: j.table, columns: j.columns }))
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0)),
  })
}

function buildModel(model: TableModel, final: { indexes: NamedIndex[]; uniques: NamedIndex[] }): Model {
  const index = ({ name, fields }: NamedIndex): Index => ({ name, fields })
  return compact({
    name: model.name,
    table: model.table,
    description: model.checked.def.node.description?.value,
    renamedFrom: model.renamedFrom.length > 0 ? model.renamedFrom.map((r) => r.value) : undefined,
    fields: model.fields.map((f) => buildField(model, f)),
    primaryKey: [...model.primaryKey],
    indexes: final.indexes.map(index),
    uniques: final.uniques.map(index),
    foreignKeys: model.foreignKeys
      .map(({ loc: _loc, ...key }) => key)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  })
}

function buildField(model: TableModel, { draft }: ExpandedField): Field {
  let field: Field
  switch (draft.kind) {
    case 'scalar':
      field = { kind: 'scalar', name: draft.name, required: draft.required, type: draft.type as ScalarType, column: draft.column }
      if (draft.default) field.default = draft.default
      if (draft.updatedAt) field.updatedAt = true
      if (draft.dbType !== undefined) field.dbType = draft.dbType
      break
    case 'enum':
      field = { kind: 'enum', name: draft.name, required: draft.required, type: draft.type, column: draft.column }
      if (draft.default) field.default = draft.default
      if (draft.dbType !== undefined) field.dbType = draft.dbType
      break
    case 'relation':
      field = { kind: 'relation', name: draft.name, required: draft.required, type: draft.type, list: draft.list, ...model.relations.get(draft.name)! }
      break
    case 'invalid':
      throw new Error(`Internal error: field '${draft.name}' of '${model.name}' reached the schema with an invalid type`)
  }
  if (draft.description !== undefined) field.description = draft.description
  if (draft.renamedFrom.length > 0) field.renamedFrom = draft.renamedFrom.map((r) => r.value)
  return field
}

/** The object without its undefined members, so the Schema holds only keys that mean something. */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {}
  for (const key in value) if (value[key] !== undefined) out[key] = value[key]
  return out as T
}
