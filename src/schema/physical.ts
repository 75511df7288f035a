/**
 * The physical model of a canonical Schema for one provider: the tables, columns, keys and enum types the
 * database should have (SPEC section 5). Pure. Follows the normalisation written in physical-types.ts, so
 * that `diff(introspect(db), toPhysical(schema, provider))` is empty right after a sync.
 */
import { constraintName } from './naming'
import type { DbColumn, DbEnum, DbForeignKey, DbIndex, DbSchema, DbTable, Provider } from './physical-types'
import type { Default, EnumField, Field, JoinTable, Model, ScalarField, ScalarType, Schema } from './types'

const NATIVE: Record<Provider, Record<ScalarType, string>> = {
  postgres: {
    ID: 'UUID',
    String: 'VARCHAR',
    Int: 'INTEGER',
    BigInt: 'BIGINT',
    Float: 'DOUBLE PRECISION',
    Decimal: 'DECIMAL(65,30)',
    Boolean: 'BOOLEAN',
    DateTime: 'TIMESTAMP(3)',
    JSON: 'JSONB',
    Bytes: 'BYTEA',
  },
  sqlite: {
    ID: 'TEXT',
    String: 'TEXT',
    Int: 'INTEGER',
    BigInt: 'INTEGER',
    Float: 'REAL',
    Decimal: 'TEXT',
    // 0 or 1, without a CHECK: DbColumn has no place for one, and SQLite's own booleans are plain integers.
    Boolean: 'INTEGER',
    DateTime: 'TEXT',
    JSON: 'TEXT',
    Bytes: 'BLOB',
  },
}

export function toPhysical(schema: Schema, provider: Provider): DbSchema {
  const models = new Map(schema.models.map((m) => [m.name, m]))
  const enums = new Map(schema.enums.map((e) => [e.name, e]))
  const tables = [
    ...schema.models.map((model) => modelTable(model, models, enums, provider)),
    ...schema.joinTables.map((join) => joinTable(join, models, provider)),
  ]
  const dbEnums: DbEnum[] =
    provider === 'postgres' ? schema.enums.map((e) => ({ name: e.dbName, values: e.values.map((v) => v.name), label: e.name })) : []
  return { provider, tables: tables.sort(byName), enums: dbEnums.sort(byName) }
}

type Models = Map<string, Model>
type Enums = Map<string, Schema['enums'][number]>
type ColumnField = ScalarField | EnumField

function modelTable(model: Model, models: Models, enums: Enums, provider: Provider): DbTable {
  const stored = model.fields.filter(isColumnField)
  const primaryKey = model.primaryKey.map((f) => columnOf(model, f))
  const columns = stored.map((field) => fieldColumn(field, primaryKey, enums, provider))
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

function fieldColumn(field: ColumnField, primaryKey: string[], enums: Enums, provider: Provider): DbColumn {
  const enumDef = field.kind === 'enum' ? enums.get(field.type) : undefined
  if (field.kind === 'enum' && !enumDef) throw new Error(`Field ${field.name}: unknown enum ${field.type}`)
  const type = field.dbType
    ? normalizeNativeType(provider, field.dbType)
    : field.kind === 'enum'
      ? provider === 'postgres'
        ? enumDef!.dbName
        : 'TEXT'
      : NATIVE[provider][field.type]
  const inKey = primaryKey.includes(field.column)
  // SQLite fills a rowid alias itself, declared AUTOINCREMENT or not: it is an autoincrement column.
  const autoincrement =
    provider === 'sqlite' ? primaryKey.length === 1 && inKey && type === 'INTEGER' : field.default?.kind === 'autoincrement'
  const column: DbColumn = {
    name: field.column,
    type,
    nullable: !field.required && !inKey,
    default: autoincrement ? { kind: 'autoincrement' } : physicalDefault(field, type, provider),
    autoincrement,
    updatedAt: field.kind === 'scalar' && field.updatedAt === true,
    field: field.name,
    logicalType: field.type,
  }
  if (enumDef && provider === 'sqlite' && !field.dbType) column.enumValues = enumDef.values.map((v) => v.name)
  if (field.renamedFrom?.length) column.renamedFrom = [...field.renamedFrom]
  return column
}

/** The default in the normal form of physical-types.ts: the JS value the column's type reads back as. */
function physicalDefault(field: ColumnField, type: string, provider: Provider): Default | null {
  const d = field.default
  if (!d || d.kind === 'autoincrement') return null
  if (d.kind !== 'value') return { kind: d.kind }
  if (d.value === null) return null
  const logical = field.kind === 'scalar' ? field.type : 'enum'
  if (logical === 'JSON' && typeof d.value === 'string') return { kind: 'value', value: canonicalJson(d.value) }
  if (logical === 'DateTime' && typeof d.value === 'string') return { kind: 'value', value: isoTimestamp(d.value) }
  return { kind: 'value', value: provider === 'postgres' ? postgresLiteral(d.value, type) : sqliteLiteral(d.value, type) }
}

function postgresLiteral(value: string | number | boolean, type: string): string | number | boolean {
  if (/^(SMALLINT|INTEGER|REAL|DOUBLE PRECISION)$/.test(type)) return Number(value)
  if (type === 'BIGINT') return typeof value === 'number' ? BigInt(Math.trunc(value)).toString() : String(value)
  if (/^DECIMAL/.test(type)) return String(value)
  return value
}

function sqliteLiteral(value: string | number | boolean, type: string): string | number | boolean {
  const affinity = sqliteAffinity(type)
  if (typeof value === 'boolean') return value ? 1 : 0
  if (affinity === 'INTEGER' || affinity === 'NUMERIC') {
    const text = String(value).trim()
    if (/^[+-]?\d+$/.test(text)) {
      const big = BigInt(text)
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString()
    }
  }
  if (affinity === 'INTEGER' || affinity === 'NUMERIC' || affinity === 'REAL') {
    return Number.isFinite(Number(value)) && String(value).trim() !== '' ? Number(value) : value
  }
  return value
}

/** SQLite's type affinity of a declared type (sqlite.org/datatype3.html, section 3.1). */
export function sqliteAffinity(type: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = type.toUpperCase()
  if (t.includes('INT')) return 'INTEGER'
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT'
  if (t.includes('BLOB') || t === '') return 'BLOB'
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL'
  return 'NUMERIC'
}

function joinTable(join: JoinTable, models: Models, provider: Provider): DbTable {
  const columns = join.columns.map((c): DbColumn => {
    const target = models.get(c.model)
    const referenced = target?.fields.find((f): f is ColumnField => isColumnField(f) && f.name === c.references)
    if (!target || !referenced) throw new Error(`Join table ${join.table}: unknown ${c.model}.${c.references}`)
    // The column holds the referenced key, so it has that key's native type (its `@db(type:)` included).
    const type = referenced.dbType ? normalizeNativeType(provider, referenced.dbType) : NATIVE[provider][c.type]
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

/** PostgreSQL spellings for its built-in types and their aliases (physical-types.ts lists the canonical ones). */
const POSTGRES_ALIASES: Record<string, string> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INTEGER: 'INTEGER',
  INT2: 'SMALLINT',
  SMALLINT: 'SMALLINT',
  INT8: 'BIGINT',
  BIGINT: 'BIGINT',
  FLOAT4: 'REAL',
  REAL: 'REAL',
  FLOAT8: 'DOUBLE PRECISION',
  FLOAT: 'DOUBLE PRECISION',
  'DOUBLE PRECISION': 'DOUBLE PRECISION',
  NUMERIC: 'DECIMAL',
  DECIMAL: 'DECIMAL',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  TEXT: 'TEXT',
  VARCHAR: 'VARCHAR',
  'CHARACTER VARYING': 'VARCHAR',
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  BPCHAR: 'CHAR',
  UUID: 'UUID',
  JSON: 'JSON',
  JSONB: 'JSONB',
  BYTEA: 'BYTEA',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMPTZ',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
  TIME: 'TIME',
  'TIME WITHOUT TIME ZONE': 'TIME',
  TIMETZ: 'TIMETZ',
  'TIME WITH TIME ZONE': 'TIMETZ',
  INTERVAL: 'INTERVAL',
}

/**
 * A native type in the spelling of physical-types.ts: `varchar( 20 )` -> `VARCHAR(20)`, PostgreSQL
 * `int4` -> `INTEGER`, `numeric(10,2)` -> `DECIMAL(10,2)`, `timestamp(3) without time zone` -> `TIMESTAMP(3)`,
 * `float(10)` -> `REAL`, `_int4` / `int4[]` -> `INTEGER[]`; a type PostgreSQL does not build in (`citext`)
 * is folded to lower case as PostgreSQL folds an unquoted name. SQLite: upper case, one space between
 * words, none around `(`, `)`, `,`.
 */
export function normalizeNativeType(provider: Provider, spelled: string): string {
  if (provider === 'sqlite') return spelled.trim().toUpperCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1')
  // PostgreSQL keeps the space after `)` that `timestamp(3) without time zone` needs.
  const spaced = spelled
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*\)/g, ')')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*(\[\])/g, '$1')
  const upper = spaced.toUpperCase()
  if (upper.endsWith('[]')) return normalizeNativeType(provider, spaced.slice(0, -2)) + '[]'
  if (upper.startsWith('_')) return normalizeNativeType(provider, spaced.slice(1)) + '[]'
  // `timestamp(3) with time zone`: the precision sits inside the alias.
  const match = /^([A-Z0-9 ]+?)(?:\((\d+(?:,\d+)?)\))?( WITH(?:OUT)? TIME ZONE)?$/.exec(upper)
  if (!match) return spaced.toLowerCase()
  const [, base, args, zone = ''] = match
  const canonical = POSTGRES_ALIASES[(base + zone).trim()]
  if (!canonical) return spaced.toLowerCase()
  if (canonical === 'DOUBLE PRECISION' && base === 'FLOAT' && args !== undefined) return Number(args) <= 24 ? 'REAL' : 'DOUBLE PRECISION'
  if (canonical === 'DECIMAL' && args !== undefined) return args.includes(',') ? `DECIMAL(${args})` : `DECIMAL(${args},0)`
  if (canonical === 'CHAR') return `CHAR(${args ?? '1'})`
  if (args === undefined) return canonical
  return `${canonical}(${args})`
}
