/**
 * Reads a live SQLite database into the physical model (src/schema/physical-types.ts, whose doc comment
 * fixes every normalisation used here). Five set-based queries over sqlite_master and the pragma table
 * functions; what the pragmas do not tell (enum CHECKs, foreign key names, @updatedAt triggers) is read
 * from the CREATE TABLE / CREATE TRIGGER text SQLite keeps verbatim.
 */
import { constraintName } from '../../schema/naming'
import type { DbColumn, DbForeignKey, DbIndex, DbSchema, DbTable } from '../../schema/physical-types'
import type { Default, ReferentialAction } from '../../schema/types'
import { finiteNumber, hexToBase64, integerValue } from '../default-values'
import type { Queryable } from '../driver'
import { isWord, tokenize, type Token } from '../../sql/sql-text'
import { SQLITE_SYNTAX } from './syntax'
import { type Affinity, affinityOf, normaliseSqliteType } from './types'

const TABLES = `
  SELECT m.name AS name, m.sql AS sql, l.wr AS without_rowid
  FROM sqlite_master m JOIN pragma_table_list l ON l.schema = 'main' AND l.name = m.name
  WHERE m.type = 'table' AND l.type = 'table'
    AND substr(m.name, 1, 7) <> 'sqlite_' AND substr(m.name, 1, 6) <> '_okra_'`

const COLUMNS = `
  SELECT m.name AS table_name, c.name AS name, c.type AS type, c."notnull" AS not_null, c.dflt_value AS default_sql, c.pk AS pk
  FROM sqlite_master m JOIN pragma_table_xinfo(m.name) c
  WHERE m.type = 'table' AND c.hidden <> 1
  ORDER BY m.name, c.cid`

const INDEXES = `
  SELECT m.name AS table_name, il.name AS name, il."unique" AS is_unique, ii.name AS column_name
  FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
  WHERE m.type = 'table' AND il.origin <> 'pk'
  ORDER BY m.name, il.name, ii.seqno`

const FOREIGN_KEYS = `
  SELECT m.name AS table_name, f.id AS id, f."table" AS ref_table, f."from" AS column_name, f."to" AS ref_column,
         f.on_update AS on_update, f.on_delete AS on_delete
  FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
  WHERE m.type = 'table'
  ORDER BY m.name, f.id, f.seq`

const TRIGGERS = `SELECT tbl_name AS table_name, sql FROM sqlite_master WHERE type = 'trigger'`

const ACTIONS: Record<string, ReferentialAction> = {
  'NO ACTION': 'NoAction',
  CASCADE: 'Cascade',
  'SET NULL': 'SetNull',
  'SET DEFAULT': 'SetDefault',
  RESTRICT: 'Restrict',
}

export async function introspectSqlite(db: Queryable): Promise<DbSchema> {
  const tableRows = await db.query<{ name: string; sql: string; without_rowid: number }>(TABLES)
  const columnRows = await db.query<{ table_name: string; name: string; type: string; not_null: number; default_sql: string | null; pk: number }>(COLUMNS)
  const indexRows = await db.query<{ table_name: string; name: string; is_unique: number; column_name: string | null }>(INDEXES)
  const fkRows = await db.query<{ table_name: string; id: number; ref_table: string; column_name: string; ref_column: string | null; on_update: string; on_delete: string }>(FOREIGN_KEYS)
  const triggerRows = await db.query<{ table_name: string; sql: string | null }>(TRIGGERS)

  const tables = new Map<string, DbTable>()
  const facts = new Map<string, CreateTableFacts>()
  const withoutRowid = new Map<string, boolean>()
  for (const row of tableRows) {
    tables.set(row.name, { name: row.name, columns: [], primaryKey: [], indexes: [], foreignKeys: [] })
    facts.set(row.name, readCreateTable(row.sql))
    withoutRowid.set(row.name, row.without_rowid === 1)
  }

  const pkOrder = new Map<string, { name: string; pk: number }[]>()
  for (const row of columnRows) {
    const table = tables.get(row.table_name)
    if (!table) continue
    const type = normaliseSqliteType(row.type)
    const column: DbColumn = { name: row.name, type, nullable: row.not_null === 0 && row.pk === 0, ...readDefault(row.default_sql, type), autoincrement: false, updatedAt: false }
    const values = facts.get(row.table_name)!.enumChecks.get(row.name.toLowerCase())
    if (values) column.enumValues = values
    table.columns.push(column)
    if (row.pk > 0) pkOrder.set(row.table_name, [...(pkOrder.get(row.table_name) ?? []), { name: row.name, pk: row.pk }])
  }
  for (const [name, keys] of pkOrder) {
    const table = tables.get(name)!
    table.primaryKey = keys.sort((a, b) => a.pk - b.pk).map((k) => k.name)
    const only = table.columns.find((c) => c.name === table.primaryKey[0])!
    if (keys.length === 1 && only.type === 'INTEGER' && !withoutRowid.get(name)) {
      // The rowid alias: SQLite fills it itself.
      Object.assign(only, { autoincrement: true, default: { kind: 'autoincrement' }, nullable: false })
      delete only.rawDefault
    }
  }

  for (const index of groupBy(indexRows, (r) => `${r.table_name}\0${r.name}`)) {
    const first = index[0]!
    tables.get(first.table_name)?.indexes.push({
      name: first.name,
      columns: index.map((r) => r.column_name ?? '(expression)'),
      unique: first.is_unique === 1,
    } satisfies DbIndex)
  }

  const byLowerName = new Map([...tables.keys()].map((name) => [name.toLowerCase(), name]))
  for (const fk of groupBy(fkRows, (r) => `${r.table_name}\0${r.id}`)) {
    const first = fk[0]!
    const table = tables.get(first.table_name)
    if (!table) continue
    const columns = fk.map((r) => r.column_name)
    // REFERENCES names the table in any case; report the table's own name.
    const refTable = byLowerName.get(first.ref_table.toLowerCase()) ?? first.ref_table
    const refColumns = fk.some((r) => r.ref_column === null) ? (tables.get(refTable)?.primaryKey ?? []) : fk.map((r) => r.ref_column!)
    table.foreignKeys.push({
      name: facts.get(first.table_name)!.foreignKeyNames.get(foreignKeyKey(columns, first.ref_table)) ?? constraintName(table.name, columns, 'fkey'),
      columns,
      refTable,
      refColumns,
      onDelete: ACTIONS[first.on_delete.toUpperCase()] ?? 'NoAction',
      onUpdate: ACTIONS[first.on_update.toUpperCase()] ?? 'NoAction',
    } satisfies DbForeignKey)
  }

  for (const trigger of triggerRows) {
    const table = tables.get(trigger.table_name)
    if (!table || !trigger.sql) continue
    for (const columnName of updatedAtColumns(trigger.sql, table.name)) {
      const column = table.columns.find((c) => c.name.toLowerCase() === columnName.toLowerCase())
      if (column) column.updatedAt = true
    }
  }

  const sorted = [...tables.values()].sort(byName)
  for (const table of sorted) {
    table.indexes.sort(byName)
    table.foreignKeys.sort(byName)
  }
  return { provider: 'sqlite', tables: sorted, enums: [] }
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

function groupBy<T>(rows: T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    groups.set(k, [...(groups.get(k) ?? []), row])
  }
  return [...groups.values()]
}

/** What tells foreign keys of one table apart; SQLite compares identifiers case-insensitively. */
function foreignKeyKey(columns: string[], refTable: string): string {
  return [...columns, refTable].map((c) => c.toLowerCase()).join('\0')
}

function readDefault(sql: string | null, type: string): { default: Default | null; rawDefault?: string } {
  if (sql === null) return { default: null }
  const tokens = unwrapParentheses(tokenize(sql, SQLITE_SYNTAX))
  const value = (v: string | number | boolean): { default: Default } => ({ default: { kind: 'value', value: v } })
  const affinity = affinityOf(type)
  const [first, second] = tokens
  if (tokens.length === 1 && isWord(first, 'NULL')) return { default: null }
  if (tokens.length === 1 && first!.kind === 'string') return value(literal(first!.value, affinity))
  if (tokens.length === 1 && first!.kind === 'number') return value(literal(first!.text, affinity))
  if (tokens.length === 2 && (first!.text === '-' || first!.text === '+') && second!.kind === 'number') {
    return value(literal(first!.text + second!.text, affinity))
  }
  if (tokens.length === 1 && isWord(first, 'TRUE', 'FALSE')) return value(literal(isWord(first, 'TRUE') ? '1' : '0', affinity))
  if (tokens.length === 1 && first!.kind === 'blob') {
    const base64 = hexToBase64(first!.value)
    if (base64 !== undefined) return value(base64)
  }
  if (tokens.length === 1 && isWord(first, 'CURRENT_TIMESTAMP')) return { default: { kind: 'now' } }
  if (isWord(first, 'STRFTIME', 'DATETIME') && tokens.some((t) => t.kind === 'string' && t.value.toLowerCase() === 'now')) {
    return { default: { kind: 'now' } }
  }
  if (tokens.some((t) => isWord(t, 'RANDOMBLOB'))) return { default: { kind: 'uuid' } }
  return { default: null, rawDefault: sql }
}

/** The value a column of this affinity stores for the literal (sqlite.org/datatype3.html section 3.4). */
function literal(text: string, affinity: Affinity): string | number {
  if (affinity === 'INTEGER' || affinity === 'NUMERIC') return integerValue(text.trim()) ?? finiteNumber(text) ?? text
  if (affinity === 'REAL') return finiteNumber(text) ?? text
  return text
}

/** `( ( x ) )` -> `x`, only when the outer parentheses enclose everything. */
function unwrapParentheses(tokens: Token[]): Token[] {
  let inner = tokens
  while (inner.length >= 2 && inner[0]!.text === '(' && inner[inner.length - 1]!.text === ')' && closesAtEnd(inner)) inner = inner.slice(1, -1)
  return inner
}

function closesAtEnd(tokens: Token[]): boolean {
  let depth = 0
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.kind !== 'punct') continue
    if (tokens[i]!.text === '(') depth++
    else if (tokens[i]!.text === ')' && --depth === 0) return i === tokens.length - 1
  }
  return false
}

interface CreateTableFacts {
  /** Lower-cased column name -> allowed values, from `CHECK ("col" IN ('A', 'B'))`. */
  enumChecks: Map<string, string[]>
  /** foreignKeyKey(columns, refTable) -> the name given by `CONSTRAINT "name"` to that foreign key. */
  foreignKeyNames: Map<string, string>
}

const TABLE_CONSTRAINT_STARTS = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']

function readCreateTable(sql: string): CreateTableFacts {
  const facts: CreateTableFacts = { enumChecks: new Map(), foreignKeyNames: new Map() }
  for (const part of definitions(tokenize(sql, SQLITE_SYNTAX))) {
    const columnName = isWord(part[0], ...TABLE_CONSTRAINT_STARTS) ? undefined : part[0]?.value
    for (let i = 0; i < part.length; i++) {
      const check = enumCheckAt(part, i)
      if (check) facts.enumChecks.set(check.column.toLowerCase(), check.values)
      if (!isWord(part[i], 'CONSTRAINT') || !part[i + 1]) continue
      const name = part[i + 1]!.value
      const references = part.findIndex((t, j) => j > i && isWord(t, 'REFERENCES'))
      const refTable = part[references + 1]?.value
      if (references < 0 || refTable === undefined) continue
      if (isWord(part[i + 2], 'FOREIGN') && isWord(part[i + 3], 'KEY')) {
        facts.foreignKeyNames.set(foreignKeyKey(identifierList(part, i + 4), refTable), name)
      } else if (references === i + 2 && columnName !== undefined) {
        facts.foreignKeyNames.set(foreignKeyKey([columnName], refTable), name)
      }
    }
  }
  return facts
}

/** The comma-separated column definitions and table constraints inside CREATE TABLE's parentheses. */
function definitions(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]]
  let depth = 1
  for (const token of tokens.slice(tokens.findIndex((t) => t.text === '(') + 1)) {
    if (token.kind === 'punct' && token.text === '(') depth++
    if (token.kind === 'punct' && token.text === ')' && --depth === 0) break
    if (depth === 1 && token.kind === 'punct' && token.text === ',') parts.push([])
    else parts[parts.length - 1]!.push(token)
  }
  return parts.filter((p) => p.length > 0)
}

/** `( a , b )` starting at `open`: the names. */
function identifierList(tokens: Token[], open: number): string[] {
  const names: string[] = []
  for (let i = open + 1; i < tokens.length && tokens[i]!.text !== ')'; i++) {
    if (tokens[i]!.kind === 'ident' || tokens[i]!.kind === 'word') names.push(tokens[i]!.value)
  }
  return names
}

/** `CHECK ( col IN ( 'A' , 'B' ) )` at position i. */
function enumCheckAt(tokens: Token[], i: number): { column: string; values: string[] } | undefined {
  if (!isWord(tokens[i], 'CHECK') || tokens[i + 1]?.text !== '(') return undefined
  const column = tokens[i + 2]
  if (!column || (column.kind !== 'ident' && column.kind !== 'word') || !isWord(tokens[i + 3], 'IN') || tokens[i + 4]?.text !== '(') return undefined
  const values: string[] = []
  let j = i + 5
  for (;;) {
    const value = tokens[j]
    if (value?.kind !== 'string') return undefined
    values.push(value.value)
    if (tokens[j + 1]?.text === ',') j += 2
    else if (tokens[j + 1]?.text === ')' && tokens[j + 2]?.text === ')') return { column: column.value, values }
    else return undefined
  }
}

/** Columns an UPDATE trigger on `table` keeps current: its body runs `UPDATE <table> SET <col> = ...`. */
function updatedAtColumns(sql: string, table: string): string[] {
  const tokens = tokenize(sql, SQLITE_SYNTAX)
  const begin = tokens.findIndex((t) => isWord(t, 'BEGIN'))
  const on = tokens.findIndex((t) => isWord(t, 'ON'))
  if (begin < 0 || on < 0 || !tokens.slice(0, on).some((t) => isWord(t, 'UPDATE'))) return []
  const columns: string[] = []
  for (let i = begin + 1; i + 4 < tokens.length; i++) {
    const target = tokens[i + 1]!
    if (isWord(tokens[i], 'UPDATE') && target.value.toLowerCase() === table.toLowerCase() && isWord(tokens[i + 2], 'SET') && tokens[i + 4]!.text === '=') {
      columns.push(tokens[i + 3]!.value)
    }
  }
  return columns
}
