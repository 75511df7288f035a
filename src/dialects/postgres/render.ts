/**
 * Changes -> PostgreSQL statements, one renderer per change kind, ALTER TABLE for everything. All
 * statements run in one transaction (PostgreSQL DDL is transactional).
 */
import type {
  AddColumn,
  AlterColumn,
  AlterEnum,
  AlterPrimaryKey,
  Change,
  CreateTable,
  DropColumn,
  RenameColumn,
  RenameTable,
} from '../../diff/changes'
import { unhandledChange } from '../../diff/changes'
import { primaryKeyName, retiredEnumName } from '../../sql/names'
import { type Statement, sql } from '../../sql/statement'
import {
  addForeignKeySql,
  columnSql,
  createIndexSql,
  createTableSql,
  createUpdatedAtTriggerSql,
  defaultSql,
  dropUpdatedAtTriggerSql,
  id,
  ids,
  literalSql,
  sqlType,
  str,
  updatedAtFunctionSql,
} from './ddl'

export function renderPostgres(changes: readonly Change[]): Statement[] {
  const out: string[] = []
  // The shared trigger function is created once, before the first trigger that needs it.
  let functionReady = false
  for (const piece of changes.flatMap((change) => renderChange(change, changes))) {
    if (typeof piece === 'string') {
      out.push(piece)
      continue
    }
    if (!functionReady) out.push(updatedAtFunctionSql())
    functionReady = true
    out.push(createUpdatedAtTriggerSql(piece.table, piece.column))
  }
  return out.map(sql)
}

/** A statement, or an @updatedAt trigger to create (the function it calls comes first, once). */
type Piece = string | { table: string; column: string }

function renderChange(change: Change, batch: readonly Change[]): Piece[] {
  switch (change.kind) {
    case 'createEnum':
      return [`CREATE TYPE ${id(change.enum.name)} AS ENUM (${change.enum.values.map(str).join(', ')})`]
    case 'dropEnum':
      return [`DROP TYPE ${id(change.enum.name)}`]
    case 'alterEnum':
      return alterEnum(change, batch)
    case 'createTable':
      return createTable(change)
    case 'dropTable':
      return [`DROP TABLE ${id(change.table.name)}`]
    case 'renameTable':
      return renameTable(change)
    case 'addColumn':
      return addColumn(change)
    case 'dropColumn':
      return dropColumn(change)
    case 'renameColumn':
      return renameColumn(change)
    case 'alterColumn':
      return alterColumn(change)
    case 'alterPrimaryKey':
      return alterPrimaryKey(change)
    case 'createIndex':
      return [createIndexSql(change.table, change.index)]
    case 'dropIndex':
      return [`DROP INDEX ${id(change.index.name)}`]
    case 'renameIndex':
      return [`ALTER INDEX ${id(change.from)} RENAME TO ${id(change.index.name)}`]
    case 'addForeignKey':
      return [addForeignKeySql(change.table, change.foreignKey)]
    case 'dropForeignKey':
      return [`ALTER TABLE ${id(change.table)} DROP CONSTRAINT ${id(change.foreignKey.name)}`]
    case 'renameForeignKey':
      return [`ALTER TABLE ${id(change.table)} RENAME CONSTRAINT ${id(change.from)} TO ${id(change.to)}`]
    default:
      return unhandledChange(change, 'renderPostgres')
  }
}

function createTable(change: CreateTable): Piece[] {
  const { table } = change
  return [
    createTableSql(table),
    ...table.indexes.map((index) => createIndexSql(table.name, index)),
    ...table.columns.filter((c) => c.updatedAt).map((c) => ({ table: table.name, column: c.name })),
  ]
}

function renameTable(change: RenameTable): Piece[] {
  // The primary key's name (an index, unique in the schema) and the triggers' names hold the table's:
  // they follow it, so a new table can take the old name.
  return [
    `ALTER TABLE ${id(change.from)} RENAME TO ${id(change.to)}`,
    renamePrimaryKeySql(change.to),
    ...change.updatedAtColumns.flatMap((column) => [dropUpdatedAtTriggerSql(change.from, change.to, column), { table: change.to, column }]),
  ]
}

function addColumn(change: AddColumn): Piece[] {
  const out: Piece[] = [`ALTER TABLE ${id(change.table)} ADD COLUMN ${columnSql(change.column)}`]
  if (change.column.updatedAt) out.push({ table: change.table, column: change.column.name })
  return out
}

function dropColumn(change: DropColumn): string[] {
  const out: string[] = []
  // The trigger names its column only as a string argument: dropping the column would not drop it.
  if (change.column.updatedAt) out.push(dropUpdatedAtTriggerSql(change.table, change.table, change.column.name))
  out.push(`ALTER TABLE ${id(change.table)} DROP COLUMN ${id(change.column.name)}`)
  return out
}

function renameColumn(change: RenameColumn): Piece[] {
  const out: Piece[] = [`ALTER TABLE ${id(change.table)} RENAME COLUMN ${id(change.from)} TO ${id(change.to)}`]
  if (!change.column.updatedAt) return out
  // The trigger's argument and name hold the column's name: recreate it for the new one.
  return [...out, dropUpdatedAtTriggerSql(change.table, change.table, change.from), { table: change.table, column: change.to }]
}

/**
 * In this order: identity off, default off (a default of the old type would block the type change),
 * the type, the new default, existing NULLs filled with it (so `SET NOT NULL` holds), nullability,
 * identity on (it needs NOT NULL and no default; numbering continues after the largest value), trigger.
 */
function alterColumn(change: AlterColumn): Piece[] {
  const { from, to, aspects } = change
  const alter = `ALTER TABLE ${id(change.table)} ALTER COLUMN ${id(to.name)}`
  const has = (a: AlterColumn['aspects'][number]) => aspects.includes(a)
  const typeChanged = from.type !== to.type
  const newDefault = to.autoincrement ? undefined : defaultSql(to)
  const out: Piece[] = []
  if (has('autoincrement') && from.autoincrement) out.push(`${alter} DROP IDENTITY`)
  if (typeChanged && !from.autoincrement && defaultSql(from) !== undefined) out.push(`${alter} DROP DEFAULT`)
  if (typeChanged) {
    const cast = change.castViaText ? `::text::${sqlType(to.type)}` : `::${sqlType(to.type)}`
    out.push(`${alter} TYPE ${sqlType(to.type)} USING ${id(to.name)}${cast}`)
  }
  if (newDefault !== undefined && (has('default') || typeChanged)) out.push(`${alter} SET DEFAULT ${newDefault}`)
  else if (newDefault === undefined && has('default') && !typeChanged && defaultSql(from) !== undefined && !from.autoincrement) {
    out.push(`${alter} DROP DEFAULT`)
  }
  if (has('nullable') && !to.nullable) {
    if (newDefault !== undefined) out.push(`UPDATE ${id(change.table)} SET ${id(to.name)} = ${newDefault} WHERE ${id(to.name)} IS NULL`)
    out.push(`${alter} SET NOT NULL`)
  } else if (has('nullable')) {
    out.push(`${alter} DROP NOT NULL`)
  }
  if (has('autoincrement') && to.autoincrement) {
    out.push(`${alter} ADD GENERATED BY DEFAULT AS IDENTITY`)
    out.push(
      `SELECT setval(pg_get_serial_sequence(${str(id(change.table))}, ${str(to.name)}), COALESCE(MAX(${id(to.name)}), 0) + 1, false) FROM ${id(change.table)}`,
    )
  }
  if (has('updatedAt')) out.push(to.updatedAt ? { table: change.table, column: to.name } : dropUpdatedAtTriggerSql(change.table, change.table, to.name))
  return out
}

/** A DO block acting on the table's primary key, found by its kind: a database made elsewhere may name it otherwise. */
function onPrimaryKey(table: string, condition: string, action: string): string {
  return [
    'DO $okra$ DECLARE key_name text; BEGIN',
    `  SELECT conname INTO key_name FROM pg_constraint WHERE conrelid = ${str(id(table))}::regclass AND contype = 'p';`,
    `  IF ${condition} THEN EXECUTE ${action}; END IF;`,
    'END $okra$',
  ].join('\n')
}

function renamePrimaryKeySql(table: string): string {
  const name = primaryKeyName(table)
  return onPrimaryKey(table, `key_name <> ${str(name)}`, `format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', ${str(table)}, key_name, ${str(name)})`)
}

function alterPrimaryKey(change: AlterPrimaryKey): string[] {
  const drop = onPrimaryKey(change.table, 'key_name IS NOT NULL', `format('ALTER TABLE %I DROP CONSTRAINT %I', ${str(change.table)}, key_name)`)
  const add = `ALTER TABLE ${id(change.table)} ADD CONSTRAINT ${id(primaryKeyName(change.table))} PRIMARY KEY (${ids(change.to)})`
  return change.to.length ? [drop, add] : [drop]
}

/**
 * Values are added with ADD VALUE (placed to keep the declared order), unless a value is removed, the
 * values are reordered (ADD VALUE cannot move one), or a new value is used as a default in the same batch:
 * a value added by ADD VALUE cannot be used before the transaction commits. Then the type is swapped: renamed away, created anew, columns converted
 * through text, old type dropped.
 */
function alterEnum(change: AlterEnum, batch: readonly Change[]): string[] {
  if (!change.removed.length && !change.reordered && !addedValueUsedAsDefault(change, batch)) {
    return change.added.map((value) => {
      const at = change.values.indexOf(value)
      const position = at > 0 ? `AFTER ${str(change.values[at - 1]!)}` : `BEFORE ${str(change.values[1]!)}`
      return `ALTER TYPE ${id(change.name)} ADD VALUE ${str(value)} ${position}`
    })
  }
  const retired = retiredEnumName(change.name)
  const out = [`ALTER TYPE ${id(change.name)} RENAME TO ${id(retired)}`, `CREATE TYPE ${id(change.name)} AS ENUM (${change.values.map(str).join(', ')})`]
  for (const column of change.columns) {
    const alter = `ALTER TABLE ${id(column.table)} ALTER COLUMN ${id(column.column)}`
    const value = column.default?.kind === 'value' && column.default.value !== null ? literalSql(column.default.value, change.name) : undefined
    if (value !== undefined) out.push(`${alter} DROP DEFAULT`)
    out.push(`${alter} TYPE ${id(change.name)} USING ${id(column.column)}::text::${id(change.name)}`)
    if (value !== undefined) out.push(`${alter} SET DEFAULT ${value}`)
  }
  out.push(`DROP TYPE ${id(retired)}`)
  return out
}

function addedValueUsedAsDefault(change: AlterEnum, batch: readonly Change[]): boolean {
  const columns = batch.flatMap((c) =>
    c.kind === 'createTable' ? c.table.columns : c.kind === 'addColumn' ? [c.column] : c.kind === 'alterColumn' ? [c.to] : [],
  )
  return columns.some((c) => c.type === change.name && c.default?.kind === 'value' && change.added.includes(String(c.default.value)))
}
