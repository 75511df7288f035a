/**
 * The physical model of a canonical Schema for one database: the tables, columns, keys and enum types
 * the database should have, with the type mapping and literal forms of that database's TypeRules (its
 * dialect's). Pure. Follows the normalisation written in physical-types.ts, so that
 * `diff(introspect(db), toPhysical(schema, types))` is empty right after a sync.
 */
import { constraintName } from './naming'
import type { DbColumn, DbEnum, DbForeignKey, DbIndex, DbSchema, DbTable, TypeRules } from './physical-types'
import type { Default, EnumField, Field, JoinTable, Model, ScalarField, Schema } from './types'

export function toPhysical(schema: Schema, types: TypeRules): DbSchema {
  const models = new Map(schema.models.map((m) => [m.name, m]))
  const enums = new Map(schema.enums.map((e) => [e.name, e]))
  const tables = [
    ...schema.models.map((model) => modelTable(model, models, enums, types)),
    ...schema.joinTables.map((join) => joinTable(join, models, types)),
  ]
  const dbEnums: DbEnum[] =
    types.enums === 'native' ? schema.enums.map((e) => ({ name: e.dbName, values: e.values.map((v) => v.name), label: e.name })) : []
  return { provider: types.provider, tables: tables.sort(byName), enums: dbEnums.sort(byName) }
}

type Models = Map<string, Model>
type Enums = Map<string, Schema['enums'][number]>
type ColumnField = ScalarField | EnumField

function modelTable(model: Model, models: Models, enums: Enums, types: TypeRules): DbTable {
  const stored = model.fields.filter(isColumnField)
  const primaryKey = model.primaryKey.map((f) => columnOf(model, f))
  const columns = stored.map((field) => fieldColumn(field, primaryKey, enums, types))
  const indexes: DbIndex[] = [
    ...model.indexes.map((i) => ({ name: i.name, columns: i.fields.map((f) => columnOf(model, f)), unique: false })),
    ...model.uniques.map((i) => ({ name: i.name, columns: i.fields.map((f) => columnOf(model, f)), unique: true })),
  ]
  const foreignKeys: DbForeignKey[] = model.foreignKeys.map((fk) => {
    const target = models.get(fk.referencedModel)
    if (!target) throw new Error(`Model ${model.name}: foreign key ${fk.name} references unknown model ${fk.referencedModel}`)
    return {
      name: fk.name,
      columns: fk.fields.map((f) => columnOf(model, f)),
      refTable: target.table,
      refColumns: fk.references.map((f) => columnOf(target, f)),
      onDelete: fk.onDelete,
      onUpdate: fk.onUpdate,
    }
  })
  const table: DbTable = {
    name: model.table,
    columns,
    primaryKey,
    indexes: indexes.sort(byName),
    foreignKeys: foreignKeys.sort(byName),
    model: model.name,
  }
  if (model.renamedFrom?.length) table.renamedFrom = [...model.renamedFrom]
  return table
}

function fieldColumn(field: ColumnField, primaryKey: string[], enums: Enums, types: TypeRules): DbColumn {
  const enumDef = field.kind === 'enum' ? enums.get(field.type) : undefined
  if (field.kind === 'enum' && !enumDef) throw new Error(`Field ${field.name}: unknown enum ${field.type}`)
  const checkedEnum = enumDef !== undefined && types.enums === 'checked-text' && !field.dbType
  const type = field.dbType
    ? types.normaliseType(field.dbType)
    : field.kind === 'enum'
      ? checkedEnum
        ? 'TEXT'
        : enumDef!.dbName
      : types.nativeType(field.type)
  const inKey = primaryKey.includes(field.column)
  const autoincrement = types.isAutoincrement({ type, soleKey: inKey && primaryKey.length === 1, declared: field.default?.kind === 'autoincrement' })
  const column: DbColumn = {
    name: field.column,
    type,
    nullable: !field.required && !inKey,
    default: autoincrement ? { kind: 'autoincrement' } : physicalDefault(field, type, types),
    autoincrement,
    updatedAt: field.kind === 'scalar' && field.updatedAt === true,
    field: field.name,
    logicalType: field.type,
  }
  if (checkedEnum) column.enumValues = enumDef!.values.map((v) => v.name)
  if (field.renamedFrom?.length) column.renamedFrom = [...field.renamedFrom]
  return column
}

/** The default in the normal form of physical-types.ts: the JS value the column's type reads back as. */
function physicalDefault(field: ColumnField, type: string, types: TypeRules): Default | null {
  const d = field.default
  if (!d || d.kind === 'autoincrement') return null
  if (d.kind !== 'value') return { kind: d.kind }
  if (d.value === null) return null
  const logical = field.kind === 'scalar' ? field.type : 'enum'
  if (logical === 'JSON' && typeof d.value === 'string') return { kind: 'value', value: canonicalJson(d.value) }
  if (logical === 'DateTime' && typeof d.value === 'string') return { kind: 'value', value: isoTimestamp(d.value) }
  return { kind: 'value', value: types.literal(d.value, type) }
}

function joinTable(join: JoinTable, models: Models, types: TypeRules): DbTable {
  const columns = join.columns.map((c): DbColumn => {
    const target = models.get(c.model)
    const referenced = target?.fields.find((f): f is ColumnField => isColumnField(f) && f.name === c.references)
    if (!target || !referenced) throw new Error(`Join table ${join.table}: unknown ${c.model}.${c.references}`)
    // The column holds the referenced key, so it has that key's native type (its `@db(type:)` included).
    const type = referenced.dbType ? types.normaliseType(referenced.dbType) : types.nativeType(c.type)
    return { name: c.column, type, nullable: false, default: null, autoincrement: false, updatedAt: false, logicalType: c.type }
  })
  const foreignKeys = join.columns.map((c): DbForeignKey => {
    const target = models.get(c.model)!
    return {
      name: constraintName(join.table, [c.column], 'fkey'),
      columns: [c.column],
      refTable: target.table,
      refColumns: [columnOf(target, c.references)],
      onDelete: 'Cascade',
      onUpdate: 'Cascade',
    }
  })
  const second = join.columns[1].column
  return {
    name: join.table,
    columns,
    primaryKey: join.columns.map((c) => c.column),
    // The primary key (a, b) serves lookups by a; this index serves lookups by b.
    indexes: [{ name: constraintName(join.table, [second], 'idx'), columns: [second], unique: false }],
    foreignKeys: foreignKeys.sort(byName),
    model: join.relationName,
    joinTable: true,
  }
}

function isColumnField(field: Field): field is ColumnField {
  return field.kind === 'scalar' || field.kind === 'enum'
}

function columnOf(model: Model, fieldName: string): string {
  const field = model.fields.find((f) => f.name === fieldName)
  if (!field || !isColumnField(field)) throw new Error(`Model ${model.name} has no stored field ${fieldName}`)
  return field.column
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** JSON text with object keys sorted at every level and no spaces (the text itself when it is not JSON). */
export function canonicalJson(text: string): string {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys)
    if (value === null || typeof value !== 'object') return value
    const record = value as Record<string, unknown>
    return Object.fromEntries(Object.keys(record).sort().map((k) => [k, sortKeys(record[k])]))
  }
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)))
  } catch {
    return text
  }
}

/** `Date#toISOString()` form of an ISO-8601 timestamp (a time without zone read as UTC); the text itself when unreadable. */
export function isoTimestamp(text: string): string {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !/T|\d \d/.test(text) ? text : `${text}Z`
  const ms = Date.parse(zoned.replace(' ', 'T'))
  return Number.isFinite(ms) ? new Date(ms).toISOString() : text
}
