/**
 * Risky statements found in SQL text (a hand-written or edited migration.sql), statement by statement
 * with a small reader over the tokens of src/sql/sql-text.ts, so quotes, comments and dollar-quoted
 * function bodies never confuse it. What it reads: DROP TABLE, ALTER TABLE ... DROP / ADD / ALTER COLUMN /
 * RENAME, CREATE [UNIQUE] INDEX, CREATE TYPE ... AS ENUM, transaction control, and SQLite's table rebuild
 * (create a new table, copy, drop the old one, rename the new one), which is read as the change of
 * columns it makes, not as a dropped and a renamed table. `before` is the database before the migration:
 * a table created earlier in the same file is new, so its indexes and required columns are harmless.
 */
import type { DbSchema, DbTable, Provider } from '../../schema/physical-types'
import { type LocatedStatement, type SqlSyntax, type Token, isWord, tokenize } from '../../sql/sql-text'
import { isTransactionControl, transactionBody } from '../../sql/transaction-control'
import type { LintCode, LintSeverity } from './codes'

export interface RawFinding {
  code: LintCode
  line: number
  message: string
  /** When it differs from the code's own (a narrowing type change is an error). */
  severity?: LintSeverity
}

export interface SqlLintContext {
  provider: Provider
  syntax: SqlSyntax
  before: DbSchema
  /** False for a file marked `-- okra:no-transaction`: its BEGIN/COMMIT are the author's own. */
  transactional: boolean
}

interface Name {
  name: string
  quoted: boolean
}

const key = (name: string) => name.toLowerCase()

export function findingsFromSql(statements: readonly LocatedStatement[], ctx: SqlLintContext): RawFinding[] {
  // The run refuses these before any statement (an outer BEGIN ... COMMIT around the whole file is OKRA's own).
  const stray = new Set(ctx.transactional ? transactionBody(statements).stray : [])
  const parsed = statements.map((s) => ({ ...s, stray: stray.has(s), tokens: tokenize(s.text, ctx.syntax) }))
  const created = new Set<string>()
  const createdEnums = new Set<string>()
  const createdColumns = new Map<string, string[]>()
  const backfilled = new Set<string>()
  // Renames of tables created in this file onto a dropped table's name: SQLite's rebuild.
  const rebuiltInto = new Map<string, string>()
  for (const s of parsed) {
    const rename = tableRename(s.tokens)
    if (rename) rebuiltInto.set(key(rename.to.name), key(rename.from.name))
  }
  const findings: RawFinding[] = []
  const add = (code: LintCode, line: number, message: string) => findings.push({ code, line, message })
  // PostgreSQL folds an unquoted name to lower case and keeps a quoted one as written; SQLite ignores case.
  const sameName = (name: Name, actual: string) => (name.quoted && ctx.provider === 'postgres' ? actual === name.name : key(actual) === key(name.name))
  const table = (name: Name): DbTable | undefined => (created.has(key(name.name)) ? undefined : ctx.before.tables.find((t) => sameName(name, t.name)))

  for (const s of parsed) {
    const t = s.tokens
    if (t.length === 0) continue
    const first = t[0]!
    if (isTransactionControl(s.text)) {
      if (s.stray) add('transaction-control', s.line, `${first.text.toUpperCase()} inside a migration that runs in a transaction: \`okra migrate:up\` refuses to run it`)
      continue
    }
    if (isWord(first, 'CREATE')) {
      createStatement(t, s.line)
      continue
    }
    if (isWord(first, 'DROP') && isWord(t[1], 'TABLE')) {
      let i = skipWords(t, 2, 'IF', 'EXISTS')
      while (i < t.length) {
        const [name, next] = qualifiedName(t, i)
        if (!name) break
        dropTable(name, s.line)
        i = t[next]?.text === ',' ? next + 1 : t.length
      }
      continue
    }
    if (isWord(first, 'UPDATE')) {
      const [name, next] = qualifiedName(t, skipWords(t, 1, 'ONLY'))
      if (name && isWord(t[next], 'SET')) for (const column of t.slice(next + 1)) backfilled.add(`${key(name.name)}.${key(column.value)}`)
      continue
    }
    if (isWord(first, 'ALTER') && isWord(t[1], 'TABLE')) alterTable(t, s.line)
  }
  return findings

  function createStatement(t: Token[], line: number): void {
    let i = 1
    const unique = isWord(t[i], 'UNIQUE')
    if (unique) i++
    if (isWord(t[i], 'INDEX')) return createIndex(t, i + 1, unique, line)
    i = skipWords(t, i, 'TEMP', 'TEMPORARY', 'UNLOGGED')
    if (isWord(t[i], 'TABLE')) {
      const [name, next] = qualifiedName(t, skipWords(t, i + 1, 'IF', 'NOT', 'EXISTS'))
      if (!name) return
      created.add(key(name.name))
      createdColumns.set(key(name.name), columnNames(t, next))
      return
    }
    if (isWord(t[i], 'TYPE')) {
      const [name, next] = qualifiedName(t, i + 1)
      if (!name || !isWord(t[next], 'AS') || !isWord(t[next + 1], 'ENUM')) return
      createdEnums.add(key(name.name))
      const values = t.slice(next + 2).filter((v) => v.kind === 'string').map((v) => v.value)
      const old = ctx.before.enums.find((e) => key(e.name) === key(name.name))
      const removed = old?.values.filter((v) => !values.includes(v)) ?? []
      if (removed.length) add('drop-enum-value', line, `enum ${old!.name} loses ${list(removed)}: rows holding ${removed.length === 1 ? 'it' : 'them'} make the migration fail`)
    }
  }

  function createIndex(t: Token[], from: number, unique: boolean, line: number): void {
    const concurrently = isWord(t[from], 'CONCURRENTLY')
    const on = t.findIndex((token, i) => i >= from && isWord(token, 'ON'))
    if (on < 0) return
    const [name] = qualifiedName(t, skipWords(t, on + 1, 'ONLY'))
    const existing = name && table(name)
    if (!existing) return
    if (unique) add('add-unique', line, `a unique index on existing table ${existing.name} fails if it already holds duplicate values`)
    if (ctx.provider === 'postgres' && !concurrently) add('index-not-concurrent', line, `CREATE INDEX on existing table ${existing.name} without CONCURRENTLY blocks writes to it while the index builds`)
  }

  function dropTable(name: Name, line: number): void {
    const rebuiltFrom = rebuiltInto.get(key(name.name))
    const existing = table(name)
    if (rebuiltFrom !== undefined && created.has(rebuiltFrom)) {
      // SQLite's rebuild: the columns the new table leaves out are what is lost.
      if (!existing) return
      const kept = new Set((createdColumns.get(rebuiltFrom) ?? []).map(key))
      for (const column of existing.columns) {
        if (!kept.has(key(column.name))) add('drop-column', line, `the rebuild of ${existing.name} leaves out column ${column.name}: its values are lost`)
      }
      return
    }
    if (existing) add('drop-table', line, `DROP TABLE ${existing.name} deletes the table and every row in it`)
  }

  function alterTable(t: Token[], line: number): void {
    const [name, next] = qualifiedName(t, skipWords(t, 2, 'IF', 'EXISTS', 'ONLY'))
    if (!name) return
    const existing = table(name)
    const tableName = existing?.name ?? name.name
    for (const action of splitTopLevel(t, next)) {
      const a = action
      if (isWord(a[0], 'RENAME')) {
        if (isWord(a[1], 'TO')) {
          const [to] = qualifiedName(a, 2)
          if (existing && to) add('rename-table', line, `table ${tableName} is renamed to ${to.name}: code still reading ${tableName} breaks`)
        } else if (!isWord(a[1], 'CONSTRAINT', 'INDEX')) {
          const i = skipWords(a, 1, 'COLUMN')
          const to = isWord(a[i + 1], 'TO') ? a[i + 2] : undefined
          if (existing && a[i] && to) add('rename-column', line, `column ${tableName}.${a[i]!.value} is renamed to ${to.value}: code still reading ${a[i]!.value} breaks`)
        }
      } else if (isWord(a[0], 'DROP') && !isWord(a[1], 'CONSTRAINT', 'DEFAULT', 'NOT', 'IDENTITY', 'EXPRESSION')) {
        const column = a[skipWords(a, 1, 'COLUMN', 'IF', 'EXISTS')]
        if (existing && column) add('drop-column', line, `column ${tableName}.${column.value} is dropped with every value in it`)
      } else if (isWord(a[0], 'ADD')) {
        addAction(a, existing, tableName, line)
      } else if (isWord(a[0], 'ALTER')) {
        const i = skipWords(a, 1, 'COLUMN')
        const column = a[i]
        if (!existing || !column) continue
        const rest = a.slice(i + 1)
        const typeAt = isWord(rest[0], 'TYPE') ? 1 : isWord(rest[0], 'SET') && isWord(rest[1], 'DATA') && isWord(rest[2], 'TYPE') ? 3 : -1
        // Moving a column onto an enum type rebuilt in this file: drop-enum-value says what can fail.
        if (typeAt > 0 && createdEnums.has(key(qualifiedName(rest, typeAt)[0]?.name ?? ''))) continue
        if (typeAt > 0) {
          add('column-type-change', line, `the type of ${tableName}.${column.value} changes: values that do not convert make it fail, and the table is rewritten under a lock`)
        } else if (isWord(rest[0], 'SET') && isWord(rest[1], 'NOT') && isWord(rest[2], 'NULL') && !backfilled.has(`${key(tableName)}.${key(column.value)}`)) {
          add('not-null-without-default', line, `${tableName}.${column.value} is made NOT NULL with no UPDATE filling it first: rows holding NULL make it fail`)
        }
      }
    }
  }

  function addAction(a: Token[], existing: DbTable | undefined, tableName: string, line: number): void {
    if (!existing) return
    if (isWord(a[1], 'CONSTRAINT', 'UNIQUE', 'PRIMARY')) {
      const unique = a.some((token) => isWord(token, 'UNIQUE', 'PRIMARY'))
      const usingIndex = a.some((token, i) => isWord(token, 'USING') && isWord(a[i + 1], 'INDEX'))
      if (unique && !usingIndex) add('add-unique', line, `a unique constraint on existing table ${tableName} fails if it already holds duplicate values`)
      return
    }
    if (isWord(a[1], 'FOREIGN', 'CHECK', 'EXCLUDE')) return
    const i = skipWords(a, 1, 'COLUMN', 'IF', 'NOT', 'EXISTS')
    const column = a[i]
    if (!column) return
    const rest = a.slice(i + 1)
    const has = (...words: string[]) => rest.some((token) => isWord(token, ...words))
    const notNull = rest.some((token, j) => isWord(token, 'NOT') && isWord(rest[j + 1], 'NULL'))
    if (notNull && !has('DEFAULT', 'GENERATED', 'IDENTITY', 'SERIAL', 'BIGSERIAL', 'SMALLSERIAL')) {
      add('not-null-without-default', line, `required column ${tableName}.${column.value} is added without a default: existing rows have no value for it, so it fails unless the table is empty`)
    }
    if (has('UNIQUE') || (has('PRIMARY') && has('KEY'))) add('add-unique', line, `new column ${tableName}.${column.value} is unique: fails if existing rows get duplicate values`)
  }
}

/** `ALTER TABLE a RENAME TO b`. */
function tableRename(t: Token[]): { from: Name; to: Name } | undefined {
  if (!isWord(t[0], 'ALTER') || !isWord(t[1], 'TABLE')) return undefined
  const [from, next] = qualifiedName(t, skipWords(t, 2, 'IF', 'EXISTS', 'ONLY'))
  if (!from || !isWord(t[next], 'RENAME') || !isWord(t[next + 1], 'TO')) return undefined
  const [to] = qualifiedName(t, next + 2)
  return to ? { from, to } : undefined
}

function skipWords(t: Token[], i: number, ...words: string[]): number {
  while (isWord(t[i], ...words)) i++
  return i
}

/** `name`, `"name"` or `schema.name`: the last part, and the index after it. */
function qualifiedName(t: Token[], i: number): [Name | undefined, number] {
  let name: Name | undefined
  while (t[i] && (t[i]!.kind === 'word' || t[i]!.kind === 'ident')) {
    name = { name: t[i]!.value, quoted: t[i]!.kind === 'ident' }
    i++
    if (t[i]?.text !== '.') break
    i++
  }
  return [name, i]
}

/** The comma-separated parts after `from`, commas inside parentheses left alone. */
function splitTopLevel(t: Token[], from: number): Token[][] {
  const parts: Token[][] = [[]]
  let depth = 0
  for (const token of t.slice(from)) {
    if (token.kind === 'punct' && token.text === '(') depth++
    if (token.kind === 'punct' && token.text === ')') depth--
    if (depth === 0 && token.kind === 'punct' && token.text === ',') parts.push([])
    else parts[parts.length - 1]!.push(token)
  }
  return parts.filter((p) => p.length > 0)
}

/** The column names of `CREATE TABLE x (...)`, table constraints left out. */
function columnNames(t: Token[], from: number): string[] {
  if (t[from]?.text !== '(') return []
  let end = t.length - 1
  while (end > from && t[end]!.text !== ')') end--
  return splitTopLevel(t.slice(from + 1, end), 0)
    .filter((part) => !isWord(part[0], 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK'))
    .map((part) => part[0]!.value)
}

function list(values: readonly string[]): string {
  return values.length === 1 ? `value ${values[0]}` : `values ${values.join(', ')}`
}
