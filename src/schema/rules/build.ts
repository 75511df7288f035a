/**
 * The last step, run only when there is no error: the checked models become the canonical Schema,
 * in the order types.ts promises (enums and models by name, fields in declaration order).
 *
 * Every object is built with its keys in sorted order (optional ones only when present), so that
 * canonicalJSON can write it as it is: keep the keys of each literal below in alphabetical order.
 */
import type { EnumValue, Field, ForeignKey, Index, JoinTable, Model, ScalarType, Schema } from '../types'
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
  const enums = [...defs.enums.values()].map(({ output }) =>
    withoutUndefined({ dbName: output.dbName, description: output.description, name: output.name, values: output.values.map(enumValue) }),
  )
  return withoutUndefined({
    enums: enums.sort(byName),
    format: SCHEMA_FORMAT,
    joinTables: joinTables
      .map(({ columns, relationName, table }) => ({ columns, relationName, table }))
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0)),
    models: tables.map((t) => buildModel(t, finals.get(t.name)!)).sort(byName),
    namespace: defs.namespace,
    version: defs.version,
  })
}

function enumValue({ description, name }: EnumValue): EnumValue {
  return description === undefined ? { name } : { description, name }
}

function buildModel(model: TableModel, final: { indexes: NamedIndex[]; uniques: NamedIndex[] }): Model {
  const index = ({ fields, name }: NamedIndex): Index => ({ fields, name })
  const foreignKey = ({ fields, name, onDelete, onUpdate, referencedModel, references, relationField }: ForeignKey): ForeignKey => ({
    fields,
    name,
    onDelete,
    onUpdate,
    referencedModel,
    references,
    relationField,
  })
  return withoutUndefined({
    description: model.checked.def.node.description?.value,
    fields: model.fields.map((f) => buildField(model, f)),
    foreignKeys: model.foreignKeys.map(foreignKey).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    indexes: final.indexes.map(index),
    name: model.name,
    primaryKey: [...model.primaryKey],
    renamedFrom: model.renamedFrom.length > 0 ? model.renamedFrom.map((r) => r.value) : undefined,
    table: model.table,
    uniques: final.uniques.map(index),
  })
}

function buildField(model: TableModel, { draft }: ExpandedField): Field {
  const renamedFrom = draft.renamedFrom.length > 0 ? draft.renamedFrom.map((r) => r.value) : undefined
  switch (draft.kind) {
    case 'scalar':
      return withoutUndefined({
        column: draft.column,
        dbType: draft.dbType,
        default: draft.default,
        description: draft.description,
        kind: 'scalar',
        name: draft.name,
        renamedFrom,
        required: draft.required,
        type: draft.type as ScalarType,
        updatedAt: draft.updatedAt ? true : undefined,
      })
    case 'enum':
      return withoutUndefined({
        column: draft.column,
        dbType: draft.dbType,
        default: draft.default,
        description: draft.description,
        kind: 'enum',
        name: draft.name,
        renamedFrom,
        required: draft.required,
        type: draft.type,
      })
    case 'relation': {
      const relation = model.relations.get(draft.name)!
      return withoutUndefined({
        description: draft.description,
        fields: relation.fields,
        kind: 'relation',
        list: draft.list,
        name: draft.name,
        onDelete: relation.onDelete,
        onUpdate: relation.onUpdate,
        opposite: relation.opposite,
        references: relation.references,
        relationName: relation.relationName,
        renamedFrom,
        required: draft.required,
        type: draft.type,
      })
    }
    case 'invalid':
      throw new Error(`Internal error: field '${draft.name}' of '${model.name}' reached the schema with an invalid type`)
  }
}

/** The object without its undefined members (keeping the order of the others), so the Schema holds only keys that mean something. */
function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {}
  for (const key in value) if (value[key] !== undefined) out[key] = value[key]
  return out as T
}
