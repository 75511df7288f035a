/**
 * What a migration destroys, as `migration.json` declares it: every change the differ classes as
 * destructive (it can lose data or fail on existing rows), named by table, column, enum value. The
 * snapshot writes the list (for every provider the project uses, so a type change that is lossless on
 * SQLite but not on PostgreSQL is declared too); `migrate:up` refuses a derived destructive statement the
 * list does not hold, so a hand-edited schema.json cannot slip a DROP into production. Pure.
 */
import type { Change, Risk } from '../diff/changes'
import type { Dialect, Queryable } from '../dialects/index'
import { OkraError } from '../errors'
import type { SyncedRename } from '../project/renames'
import type { Schema } from '../schema/types'
import type { Destruction } from './chain'
import { type DerivedStep, deriveStep } from './derive'

/** The destructions of a list of changes (implied ones, which follow another change, left out), without repeats. */
export function destructionsOf(changes: readonly Change[]): Destruction[] {
  return unique(destructionRisks(changes).map((d) => d.destruction))
}

/** Each destruction with the risk it comes from (whose query counts the rows at stake) and its change. */
export function destructionRisks(changes: readonly Change[]): { destruction: Destruction; risk: Risk; change: Change }[] {
  const found: { destruction: Destruction; risk: Risk; change: Change }[] = []
  for (const change of changes) {
    if (change.safety.level !== 'destructive' || change.implied) continue
    for (const risk of change.safety.risks) for (const destruction of fromRisk(change, risk)) found.push({ destruction, risk, change })
  }
  return found
}

function fromRisk(change: Change, risk: Risk): Destruction[] {
  switch (change.kind) {
    case 'dropTable':
      return [{ kind: 'drop-table', table: change.table.name, line: `drops table ${change.table.name} and its rows` }]
    case 'dropColumn':
      return [{ kind: 'drop-column', table: change.table, column: change.column.name, line: `drops column ${change.table}.${change.column.name}` }]
    case 'addColumn':
      return [
        {
          kind: 'add-required-column',
          table: change.table,
          column: change.column.name,
          line: `adds required column ${change.table}.${change.column.name} without a default (fails on existing rows)`,
        },
      ]
    case 'alterEnum':
      return change.removed.map((value) => enumValue(change.label, value))
    case 'alterColumn': {
      const where = `${change.table}.${change.to.name}`
      if (risk.refusal === 'missing-values') {
        return [{ kind: 'required-over-null', table: change.table, column: change.to.name, line: `makes ${where} required (fails on rows holding NULL)` }]
      }
      if (change.aspects.includes('enumValues') && risk.reason.startsWith('removing')) {
        const removed = (change.from.enumValues ?? []).filter((v) => !(change.to.enumValues ?? []).includes(v))
        return removed.map((value) => enumValue(change.to.logicalType ?? change.to.name, value))
      }
      return [
        {
          kind: 'change-type',
          table: change.table,
          column: change.to.name,
          line: `changes the type of ${where} from ${change.from.logicalType ?? change.from.type} to ${change.to.logicalType ?? change.to.type} (may fail on or alter values)`,
        },
      ]
    }
    case 'createIndex':
      return [
        {
          kind: 'add-unique',
          table: change.table,
          column: change.index.columns.join(', '),
          line: `adds a unique index on ${change.table}(${change.index.columns.join(', ')}) (fails on duplicates)`,
        },
      ]
    case 'alterPrimaryKey':
      return [{ kind: 'change-primary-key', table: change.table, column: change.to.join(', '), line: `changes the primary key of ${change.table} to (${change.to.join(', ')}) (fails on duplicates)` }]
    case 'addForeignKey':
      return [
        {
          kind: 'add-foreign-key',
          table: change.table,
          column: change.foreignKey.columns.join(', '),
          line: `adds foreign key ${change.table}(${change.foreignKey.columns.join(', ')}) -> ${change.foreignKey.refTable} (fails on rows with no matching parent)`,
        },
      ]
    default:
      return [{ kind: 'change-type', line: risk.reason }]
  }
}

function enumValue(enumName: string, value: string): Destruction {
  return { kind: 'drop-enum-value', enum: enumName, value, line: `removes value ${value} from enum ${enumName}` }
}

/** What identifies a destruction when the declared list is held against the derived one. */
export function destructionKey(d: Destruction): string {
  return d.kind === 'drop-enum-value' ? `${d.kind}\0${d.enum}\0${d.value}` : `${d.kind}\0${d.table ?? ''}\0${d.column ?? ''}`
}

function unique(list: readonly Destruction[]): Destruction[] {
  const seen = new Set<string>()
  return list.filter((d) => {
    const key = destructionKey(d)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** What going from `from` to `to` destroys on any of `dialects`. */
export async function destructionsBetween(from: Schema | null, to: Schema, dialects: readonly Dialect[], renames: readonly SyncedRename[]): Promise<Destruction[]> {
  const all: Destruction[] = []
  for (const dialect of dialects) all.push(...destructionsOf((await deriveStep(from, to, dialect, renames)).changes))
  return unique(all)
}

/** The derived destructions a migration does not declare (none when it declares nothing because it has no migration.json). */
export function undeclared(derived: readonly Destruction[], declared: readonly Destruction[] | null): Destruction[] {
  if (declared === null) return []
  const keys = new Set(declared.map(destructionKey))
  return derived.filter((d) => !keys.has(destructionKey(d)))
}

/**
 * A pending migration's declared destruction, one line each, with the rows at stake in the database as it
 * is now when there are any (`drops column products.sku (1,200 non-null values now)`). A folder without
 * migration.json declares nothing: what its SQL derives is listed instead.
 */
export async function describeDestruction(db: Queryable, step: DerivedStep | undefined, declared: readonly Destruction[] | null): Promise<string[]> {
  const risks = step ? destructionRisks(step.changes) : []
  const list = declared ?? unique(risks.map((r) => r.destruction))
  const lines: string[] = []
  for (const d of list) {
    const risk = risks.find((r) => destructionKey(r.destruction) === destructionKey(d))?.risk
    const count = risk ? await countRows(db, risk.countSql) : undefined
    lines.push(count ? `${d.line} (${count.toLocaleString('en-US')} ${count === 1 ? risk!.unit.one : risk!.unit.other} now)` : d.line)
  }
  return lines
}

/** The count a risk's query returns, or undefined when it cannot run (a table a previous pending migration creates). */
export async function countRows(db: Queryable, sql: string): Promise<number | undefined> {
  try {
    const [row] = await db.query<{ count: number | string }>(sql)
    return row ? Number(row.count) : undefined
  } catch {
    return undefined
  }
}

/** Stops a derived migration whose destructive statements its migration.json does not declare (a schema.json edited by hand). */
export function assertDeclared(id: string, shownDir: string, step: DerivedStep, declared: readonly Destruction[] | null): void {
  const missing = undeclared(destructionsOf(step.changes), declared)
  if (missing.length === 0) return
  const statements = missing.map((d) => statementOf(step, d)).filter((s): s is string => s !== undefined)
  throw new OkraError(
    `Migration ${id} would run destructive SQL that its ${shownDir}/migration.json does not declare: ${missing.map((d) => d.line).join('; ')}` +
      `${statements.length ? `\n${statements.map((s) => `  ${s}`).join('\n')}` : ''}\nNothing was run.`,
    `Its schema.json was changed after the snapshot wrote it. Restore the folder from version control (git checkout -- ${shownDir}); ` +
      'if the change is wanted, undo the edit and make it a new migration with `okra db:migrate:snapshot`, which declares what it destroys.',
  )
}

/** The derived statement that carries out a destruction, when one names its table (and column). */
function statementOf(step: DerivedStep, d: Destruction): string | undefined {
  const names = [d.table, d.column?.includes(',') ? undefined : d.column, d.value].filter((n): n is string => n !== undefined)
  const quoted = names.map((n) => (n === d.value ? `'${n}'` : `"${n}"`))
  const found = step.statements.find((s) => quoted.every((q) => s.sql.includes(q)))
  return found ? `${found.sql.replace(/\s+/g, ' ').trim()};` : undefined
}
