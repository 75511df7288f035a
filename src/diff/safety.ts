/**
 * The destructive cases, each with the query that counts the rows at risk. Destructive means a change
 * can lose data or fail on existing rows: dropping a table or column, a type change that is not a
 * lossless widening, optional to required without a default, adding a unique constraint or a foreign
 * key, removing an enum value. The count queries name tables and columns as they are before the batch
 * runs, and are plain SQL every database runs.
 */
import type { DbColumn, DbForeignKey } from '../schema/physical-types'
import { quoteIdentifier, quoteLiteral } from '../sql/quote'
import type { Change, Risk, Safety } from './changes'

export const SAFE: Safety = { level: 'safe' }

export function destructive(...risks: Risk[]): Safety {
  return risks.length ? { level: 'destructive', risks } : SAFE
}

const id = (name: string) => quoteIdentifier(name)
const str = (text: string) => quoteLiteral(text)

function list(columns: string[]): string {
  return columns.map(id).join(', ')
}

export function dropTableRisk(table: string): Risk {
  return {
    reason: `dropping table ${table} loses`,
    unit: { one: 'row', other: 'rows' },
    countSql: `SELECT COUNT(*) AS "count" FROM ${id(table)}`,
  }
}

export function dropColumnRisk(table: string, column: string): Risk {
  return {
    reason: `dropping column ${table}.${column} loses`,
    unit: { one: 'non-null value', other: 'non-null values' },
    countSql: `SELECT COUNT(*) AS "count" FROM ${id(table)} WHERE ${id(column)} IS NOT NULL`,
  }
}

export function typeChangeRisk(table: string, from: DbColumn, to: DbColumn): Risk {
  return {
    reason: `changing the type of ${table}.${from.name} from ${typeLabel(from)} to ${typeLabel(to)} may fail on or alter`,
    unit: { one: 'non-null value', other: 'non-null values' },
    countSql: `SELECT COUNT(*) AS "count" FROM ${id(table)} WHERE ${id(from.name)} IS NOT NULL`,
  }
}

function typeLabel(column: DbColumn): string {
  return column.logicalType && column.logicalType !== column.type ? `${column.logicalType} (${column.type})` : column.type
}

export function requiredWithoutDefaultRisk(table: string, column: string): Risk {
  return {
    reason: `making ${table}.${column} required without a default fails on`,
    unit: { one: 'row with NULL', other: 'rows with NULL' },
    countSql: `SELECT COUNT(*) AS "count" FROM ${id(table)} WHERE ${id(column)} IS NULL`,
    refusal: 'missing-values',
  }
}

export function addRequiredColumnRisk(table: string, column: string): Risk {
  return {
    reason: `adding required column ${table}.${column} without a default fails on`,
    unit: { one: 'existing row', other: 'existing rows' },
    countSql: `SELECT COUNT(*) AS "count" FROM ${id(table)}`,
    refusal: 'missing-values',
  }
}

/**
 * A new unique index (or primary key) over `columns` of `table`. `constant` lists the columns that will
 * hold one value in every existing row (new columns with a literal default): they are left out of the
 * grouping, so with only such columns any two rows are duplicates.
 */
export function uniqueRisk(what: string, table: string, columns: string[], constant: readonly string[] = []): Risk {
  const grouped = columns.filter((c) => !constant.includes(c))
  const where = grouped.length ? ` WHERE ${grouped.map((c) => `${id(c)} IS NOT NULL`).join(' AND ')}` : ''
  const groupBy = grouped.length ? ` GROUP BY ${list(grouped)}` : ''
  return {
    reason: `${what} fails on`,
    unit: { one: 'group of duplicate values', other: 'groups of duplicate values' },
    countSql: `SELECT COUNT(*) AS "count" FROM (SELECT 1 AS "one" FROM ${id(table)}${where}${groupBy} HAVING COUNT(*) > 1) AS "duplicates"`,
  }
}

/** Removing enum values: rows of every column of that enum holding one of them (`columns`: table and column, before the batch). */
export function removeEnumValuesRisk(enumName: string, removed: string[], columns: { table: string; column: string }[]): Risk {
  const values = removed.map(str).join(', ')
  const counts = columns.map((c) => `(SELECT COUNT(*) FROM ${id(c.table)} WHERE CAST(${id(c.column)} AS TEXT) IN (${values}))`)
  return {
    reason: `removing ${removed.length === 1 ? 'value' : 'values'} ${removed.join(', ')} from enum ${enumName} fails on`,
    unit: { one: 'row using it', other: 'rows using them' },
    countSql: `SELECT ${counts.length ? counts.join(' + ') : '0'} AS "count"`,
  }
}

/**
 * A new foreign key on existing rows: those whose key matches no row of the referenced table (names before
 * the batch). `parent` is undefined when the referenced table or its key columns are new: every row with a key fails.
 */
export function foreignKeyRisk(table: string, fk: DbForeignKey, parent: { table: string; columns: string[] } | undefined): Risk {
  const notNull = fk.columns.map((c) => `"child".${id(c)} IS NOT NULL`).join(' AND ')
  const orphan = parent
    ? ` AND NOT EXISTS (SELECT 1 FROM ${id(parent.table)} AS "parent" WHERE ${fk.columns.map((c, i) => `"parent".${id(parent.columns[i]!)} = "child".${id(c)}`).join(' AND ')})`
    : ''
  return {
    reason: `adding foreign key ${table}(${fk.columns.join(', ')}) -> ${fk.refTable}(${fk.refColumns.join(', ')}) fails on`,
    unit: { one: 'row with no matching parent', other: 'rows with no matching parent' },
    countSql: `SELECT COUNT(*) AS "count" FROM ${id(table)} AS "child" WHERE ${notNull}${orphan}`,
  }
}

/** `dropping column users.fax loses 1,200 non-null values`. */
export function describeRisk(risk: Risk, count: number): string {
  return `${risk.reason} ${count.toLocaleString('en-US')} ${count === 1 ? risk.unit.one : risk.unit.other}`
}

/** The tables (names before the batch) whose rows the changes can lose or alter. */
export function tablesAtRisk(changes: readonly Change[]): string[] {
  const oldName = new Map<string, string>()
  for (const c of changes) if (c.kind === 'renameTable') oldName.set(c.to, c.from)
  const before = (table: string) => oldName.get(table) ?? table
  const tables = new Set<string>()
  for (const c of changes) {
    if (c.safety.level !== 'destructive') continue
    if (c.kind === 'dropTable') tables.add(c.table.name)
    else if (c.kind === 'dropColumn') tables.add(c.table)
    else if (c.kind === 'alterEnum') for (const column of c.columns) tables.add(before(column.table))
    else if ('table' in c && typeof c.table === 'string') tables.add(before(c.table))
  }
  return [...tables].sort()
}
