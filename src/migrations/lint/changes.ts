/**
 * Risky changes read from the typed changes of a derived migration (the differ knows exactly what each
 * statement does, where the SQL text of a SQLite table rebuild would look like a dropped table). Each
 * finding points at the first statement of the derived SQL that names its table (and column).
 */
import type { Change } from '../../diff/changes'
import type { DbSchema, Provider } from '../../schema/physical-types'
import { type LocatedStatement, type SqlSyntax, tokenize } from '../../sql/sql-text'
import type { RawFinding } from './sql'

export interface ChangesLintContext {
  provider: Provider
  syntax: SqlSyntax
  before: DbSchema
}

export function findingsFromChanges(changes: readonly Change[], statements: readonly LocatedStatement[], ctx: ChangesLintContext): RawFinding[] {
  const names = statements.map((s) => new Set(tokenize(s.text, ctx.syntax).filter((t) => t.kind === 'ident' || t.kind === 'word').map((t) => t.value)))
  const lineOf = (...wanted: string[]) => statements[names.findIndex((set) => wanted.every((n) => set.has(n)))]?.line ?? statements[0]?.line ?? 1
  const existed = (table: string) => ctx.before.tables.some((t) => t.name === table)
  const findings: RawFinding[] = []
  const add = (code: RawFinding['code'], line: number, message: string, severity?: RawFinding['severity']) =>
    findings.push({ code, line, message, ...(severity ? { severity } : {}) })

  for (const change of changes) {
    const risks = change.safety.level === 'destructive' ? change.safety.risks : []
    const missingValues = risks.some((r) => r.refusal === 'missing-values')
    switch (change.kind) {
      case 'dropTable':
        if (!change.implied) add('drop-table', lineOf(change.table.name), `model ${change.model} (table ${change.table.name}) is dropped with every row in it`)
        break
      case 'dropColumn':
        add('drop-column', lineOf(change.table, change.column.name), `field ${change.model}.${change.field} (column ${change.table}.${change.column.name}) is dropped with every value in it`)
        break
      case 'alterEnum':
        if (change.removed.length) add('drop-enum-value', lineOf(change.name), `enum ${change.label} loses ${values(change.removed)}: rows holding ${change.removed.length === 1 ? 'it' : 'them'} make the migration fail`)
        break
      case 'addColumn':
        if (missingValues) {
          add('not-null-without-default', lineOf(change.table), `required field ${change.model}.${change.field} is added without a default: existing rows have no value for it, so it fails unless the table is empty`)
        }
        break
      case 'alterColumn': {
        const where = `${change.model}.${change.field}`
        const line = lineOf(change.table, change.to.name)
        const removed = (change.from.enumValues ?? []).filter((v) => change.to.enumValues && !change.to.enumValues.includes(v))
        if (change.aspects.includes('enumValues') && removed.length) {
          add('drop-enum-value', line, `${where} no longer accepts ${values(removed)}: rows holding ${removed.length === 1 ? 'it' : 'them'} make the migration fail`)
        }
        if (missingValues) add('not-null-without-default', line, `${where} becomes required without a default: rows holding NULL make it fail`)
        const narrowing = risks.some((r) => r.reason.startsWith('changing the type'))
        if (narrowing) {
          add('column-type-change', line, `the type of ${where} narrows from ${change.from.type} to ${change.to.type}: values that do not fit make it fail or are altered`, 'error')
        } else if (change.aspects.includes('type') && change.from.type !== change.to.type) {
          add('column-type-change', line, `the type of ${where} changes from ${change.from.type} to ${change.to.type}: the table is rewritten, locked while it is`)
        }
        break
      }
      case 'alterPrimaryKey':
        if (risks.length) add('add-unique', lineOf(change.table), `the primary key of ${change.model} becomes (${change.fields.join(', ')}): fails if existing rows repeat those values`)
        break
      case 'createIndex':
        if (change.implied || !existed(change.table)) break
        if (change.index.unique) add('add-unique', lineOf(change.index.name), `a unique index on ${change.model}(${change.fields.join(', ')}) fails if existing rows already hold duplicate values`)
        if (ctx.provider === 'postgres') {
          add('index-not-concurrent', lineOf(change.index.name), `the index ${change.index.name} on existing table ${change.table} is built without CONCURRENTLY: writes to the table wait until it is built`)
        }
        break
      case 'renameTable':
        if (!change.joinTable) add('rename-table', lineOf(change.from, change.to), `model ${change.fromModel} is renamed to ${change.model} (table ${change.from} -> ${change.to}): code still reading ${change.from} breaks`)
        break
      case 'renameColumn':
        add('rename-column', lineOf(change.table, change.to), `field ${change.model}.${change.fromField} is renamed to ${change.field} (column ${change.from} -> ${change.to}): code still reading ${change.from} breaks`)
        break
      default:
        break
    }
  }
  return findings
}

function values(list: readonly string[]): string {
  return list.length === 1 ? `value ${list[0]}` : `values ${list.join(', ')}`
}
