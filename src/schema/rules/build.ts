/**
 * The last step, run only when there is no error: the checked models become the canonical Schema,
 * in the order types.ts promises (enums and models by name, fields in declaration order).
 */
import type { Field, Index, JoinTable, Model, Schema } from '../types'
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
  const base = {
    name: draft.name,
    description: draft.description,
    required: draft.required,
    renamedFrom: draft.renamedFrom.length > 0 ? draft.renamedFrom.map((r) => r.value) : undefined,
  }
  switch (draft.kind) {
    case 'scalar':
      return compact({
        kind: 'scalar',
        ...base,
        type: draft.type as Extract<Field, { kind: 'scalar' }>['type'],
        column: draft.column,
        default: draft.default,
        updatedAt: draft.updatedAt ? true : undefined,
        dbType: draft.dbType,
      })
    case 'enum':
      return compact({ kind: 'enum', ...base, type: draft.type, column: draft.column, default: draft.default, dbType: draft.dbType })
    case 'relation':
      return compact({ kind: 'relation', ...base, type: draft.type, list: draft.list, ...model.relations.get(draft.name)! })
    case 'invalid':
      throw new Error(`Internal error: field '${draft.name}' of '${model.name}' reached the schema with an invalid type`)
  }
}

/** The object without its undefined members, so the Schema holds only keys that mean something. */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {}
  for (const key in value) if (value[key] !== undefined) out[key] = value[key]
  return out as T
}
