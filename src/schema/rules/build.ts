/**
 * The last step, run only when there is no error: the checked models become the canonical Schema,
 * in the order types.ts promises (enums and models by name, fields in declaration order).
 *
 * Every object gets its keys in alphabetical order, an optional key only when it has a value, so
 * that canonicalJSON can write it as it is: keep the order of the assignments below.
 */
import type { Enum, EnumField, EnumValue, Field, ForeignKey, Index, JoinTable, Model, RelationField, ScalarField, ScalarType, Schema } from '../types'
import { SCHEMA_FORMAT } from '../types'
import type { Definitions } from './definitions'
import type { ExpandedField, TableModel } from './drafts'
import type { NamedIndex } from './indexes'

/** An object being built key by key. */
type Building<T> = { -readonly [K in keyof T]?: T[K] }

export function buildSchema(
  defs: Definitions,
  tables: readonly TableModel[],
  joinTables: readonly JoinTable[],
  finals: ReadonlyMap<string, { indexes: NamedIndex[]; uniques: NamedIndex[] }>,
): Schema {
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  const schema: Schema = {
    enums: [...defs.enums.values()].map(({ output }) => buildEnum(output)).sort(byName),
    format: SCHEMA_FORMAT,
    joinTables: joinTables
      .map(({ columns, relationName, table }) => ({ columns, relationName, table }))
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0)),
    models: tables.map((t) => buildModel(t, finals.get(t.name)!)).sort(byName),
  }
  if (defs.namespace !== undefined) schema.namespace = defs.namespace
  if (defs.version !== undefined) schema.version = defs.version
  return schema
}

function buildEnum({ dbName, description, name, values }: Enum): Enum {
  const out: Building<Enum> = { dbName }
  if (description !== undefined) out.description = description
  out.name = name
  out.values = values.map(enumValue)
  return out as Enum
}

function enumValue({ description, name }: EnumValue): EnumValue {
  return description === undefined ? { name } : { description, name }
}

function index({ fields, name }: NamedIndex): Index {
  return { fields, name }
}

function foreignKey({ fields, name, onDelete, onUpdate, referencedModel, references, relationField }: ForeignKey): ForeignKey {
  return { fields, name, onDelete, onUpdate, referencedModel, references, relationField }
}

function buildModel(model: TableModel, final: { indexes: NamedIndex[]; uniques: NamedIndex[] }): Model {
  const out: Building<Model> = {}
  const description = model.checked.def.node.description?.value
  if (description !== undefined) out.description = description
  out.fields = model.fields.map((f) => buildField(model, f))
  out.foreignKeys = model.foreignKeys.map(foreignKey).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  out.indexes = final.indexes.map(index)
  out.name = model.name
  out.primaryKey = [...model.primaryKey]
  if (model.renamedFrom.length > 0) out.renamedFrom = model.renamedFrom.map((r) => r.value)
  out.table = model.table
  out.uniques = final.uniques.map(index)
  return out as Model
}

function buildField(model: TableModel, { draft }: ExpandedField): Field {
  const renamedFrom = draft.renamedFrom.length > 0 ? draft.renamedFrom.map((r) => r.value) : undefined
  switch (draft.kind) {
    case 'scalar': {
      const field: Building<ScalarField> = { column: draft.column }
      if (draft.dbType !== undefined) field.dbType = draft.dbType
      if (draft.default) field.default = draft.default
      if (draft.description !== undefined) field.description = draft.description
      field.kind = 'scalar'
      field.name = draft.name
      if (renamedFrom) field.renamedFrom = renamedFrom
      field.required = draft.required
      field.type = draft.type as ScalarType
      if (draft.updatedAt) field.updatedAt = true
      return field as ScalarField
    }
    case 'enum': {
      const field: Building<EnumField> = { column: draft.column }
      if (draft.dbType !== undefined) field.dbType = draft.dbType
      if (draft.default) field.default = draft.default
      if (draft.description !== undefined) field.description = draft.description
      field.kind = 'enum'
      field.name = draft.name
      if (renamedFrom) field.renamedFrom = renamedFrom
      field.required = draft.required
      field.type = draft.type
      return field as EnumField
    }
    case 'relation': {
      const relation = model.relations.get(draft.name)!
      const field: Building<RelationField> = {}
      if (draft.description !== undefined) field.description = draft.description
      if (relation.fields !== undefined) field.fields = relation.fields
      field.kind = 'relation'
      field.list = draft.list
      field.name = draft.name
      if (relation.onDelete !== undefined) field.onDelete = relation.onDelete
      if (relation.onUpdate !== undefined) field.onUpdate = relation.onUpdate
      if (relation.opposite !== undefined) field.opposite = relation.opposite
      if (relation.references !== undefined) field.references = relation.references
      field.relationName = relation.relationName
      if (renamedFrom) field.renamedFrom = renamedFrom
      field.required = draft.required
      field.type = draft.type
      return field as RelationField
    }
    case 'invalid':
      throw new Error(`Internal error: field '${draft.name}' of '${model.name}' reached the schema with an invalid type`)
  }
}
