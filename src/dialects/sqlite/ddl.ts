/**
 * SQLite pieces shared by the change renderers: defaults, column definitions, CREATE TABLE (keys,
 * foreign keys and enum CHECKs live inside it), indexes and the @updatedAt trigger.
 */
import type { DbColumn, DbForeignKey, DbIndex, DbTable } from '../../schema/physical-types'
import { REFERENTIAL_ACTIONS, primaryKeyName, updatedAtTriggerName } from '../../sql/names'
import { VERBATIM_TYPE, quoting } from '../../sql/quote'
import { affinityOf } from './types'

/** SQLite keeps names of any length and reads a backslash as itself; every safe type spelling is written verbatim. */
export const quote = quoting({ backslashEscapeStrings: false, builtInTypes: VERBATIM_TYPE })
export const id = quote.identifier
export const ids = quote.list
export const str = quote.literal

/** ISO-8601 UTC with milliseconds, the text form of a DateTime on SQLite. */
export const NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

/** A version 4 UUID from randomblob(): the 13th hex digit is 4, the 17th one of 8, 9, a, b. */
export const UUID_SQL =
  "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"

/** The value expression of a column's default (usable in DEFAULT, COALESCE, UPDATE), or undefined for none. */
export function defaultSql(column: DbColumn): string | undefined {
  const d = column.default
  if (d === null || d.kind === 'autoincrement') return column.rawDefault === undefined ? undefined : `(${column.rawDefault})`
  if (d.kind === 'uuid') return `(${UUID_SQL})`
  if (d.kind === 'now') return `(${NOW_SQL})`
  if (d.value === null) return undefined
  return literalSql(d.value, column.type)
}

/** A default ALTER TABLE ADD COLUMN accepts: a constant, not an expression in parentheses. */
export function isConstantDefault(column: DbColumn): boolean {
  return column.default?.kind === 'value' || (column.default === null && column.rawDefault === undefined)
}

export function literalSql(value: string | number | boolean, type: string): string {
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : str(String(value))
  const affinity = affinityOf(type)
  const numeric = affinity === 'INTEGER' || affinity === 'REAL' || affinity === 'NUMERIC'
  if (numeric && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value)) return value
  if (affinity === 'BLOB') return `X'${Buffer.from(value, 'base64').toString('hex').toUpperCase()}'`
  return str(value)
}

export function columnSql(column: DbColumn): string {
  // SQLite has no type names of its own (enums are CHECKs): any safe spelling stands, anything else is quoted.
  const parts = [id(column.name), quote.type(column.type)]
  if (!column.nullable) parts.push('NOT NULL')
  const value = column.autoincrement ? undefined : defaultSql(column)
  if (value !== undefined) parts.push(`DEFAULT ${value}`)
  if (column.enumValues) parts.push(`CHECK (${id(column.name)} IN (${column.enumValues.map(str).join(', ')}))`)
  return parts.join(' ')
}


function foreignKeySql(fk: DbForeignKey): string {
  return `CONSTRAINT ${id(fk.name)} FOREIGN KEY (${ids(fk.columns)}) REFERENCES ${id(fk.refTable)}(${ids(fk.refColumns)}) ON DELETE ${REFERENTIAL_ACTIONS[fk.onDelete]} ON UPDATE ${REFERENTIAL_ACTIONS[fk.onUpdate]}`
}

/**
 * CREATE TABLE `name` (default: the table's own) with columns, primary key and foreign keys. A single
 * INTEGER key column is the rowid alias SQLite numbers itself (the table-level PRIMARY KEY makes it one too).
 */
export function createTableSql(table: DbTable, name = table.name): string {
  const lines = table.columns.map(columnSql)
  if (table.primaryKey.length) lines.push(`CONSTRAINT ${id(primaryKeyName(table.name))} PRIMARY KEY (${ids(table.primaryKey)})`)
  lines.push(...table.foreignKeys.map(foreignKeySql))
  return `CREATE TABLE ${id(name)} (\n  ${lines.join(',\n  ')}\n)`
}

export function createIndexSql(table: string, index: DbIndex): string {
  return `CREATE ${index.unique ? 'UNIQUE INDEX' : 'INDEX'} ${id(index.name)} ON ${id(table)}(${ids(index.columns)})`
}

/**
 * Sets the column after any UPDATE that left it as it was. SQLite does not fire a trigger from its own
 * UPDATE (recursive_triggers is off by default), and even then the WHEN would stop it.
 */
export function createUpdatedAtTriggerSql(table: string, column: string): string {
  return [
    `CREATE TRIGGER ${id(updatedAtTriggerName(table, column))} AFTER UPDATE ON ${id(table)} FOR EACH ROW WHEN NEW.${id(column)} IS OLD.${id(column)}`,
    `BEGIN UPDATE ${id(table)} SET ${id(column)} = ${NOW_SQL} WHERE rowid = NEW.rowid; END`,
  ].join('\n')
}

export function dropUpdatedAtTriggerSql(table: string, column: string): string {
  return `DROP TRIGGER IF EXISTS ${id(updatedAtTriggerName(table, column))}`
}

/** Everything that belongs to a table besides CREATE TABLE: its indexes and @updatedAt triggers. */
export function tableExtrasSql(table: DbTable): string[] {
  return [
    ...table.indexes.map((index) => createIndexSql(table.name, index)),
    ...table.columns.filter((c) => c.updatedAt).map((c) => createUpdatedAtTriggerSql(table.name, c.name)),
  ]
}
