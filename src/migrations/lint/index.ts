/**
 * `migrate:lint`'s pure core: one migration's SQL (a file, or derived from its schemas with the typed
 * changes) and the database before it -> findings with a stable code, severity, line, message and fix.
 *
 * Derived SQL is judged by its typed changes; a SQL file by its text (it is what runs), and compared with
 * what the schemas derive (`edited-sql`). A line `-- okra:lint-ignore CODE[, CODE...]` right above a
 * statement (or anywhere before the first one: the whole file) silences those codes there.
 */
import type { Change } from '../../diff/changes'
import { dialectOf } from '../../dialects/index'
import type { DbSchema, Provider } from '../../schema/physical-types'
import { type LocatedStatement, splitStatements, tokenize } from '../../sql/sql-text'
import { findingsFromChanges } from './changes'
import { LINT_CODES, type LintCode, type LintFinding } from './codes'
import { findingsFromSql } from './sql'

export { LINT_CODES, LINT_CODE_NAMES, type LintCode, type LintFinding, type LintSeverity } from './codes'

export interface LintInput {
  /** The migration's folder name, or `(next migration)`. */
  migration: string
  /** The SQL file relative to the root, or null when `script` is derived from the schemas. */
  file: string | null
  provider: Provider
  /** The SQL that runs: the file's text, or the derived script (`toScript(step.statements)`). */
  script: string
  /** False for a file marked `-- okra:no-transaction`. */
  transactional: boolean
  /** The database before the migration (the previous schema's physical model). */
  before: DbSchema
  /**
   * The typed changes the schemas derive. Without `derivedScript`, `script` is their rendering; with it,
   * they are used only when the file holds exactly the derived statements (a generated, unedited file).
   */
  changes?: readonly Change[]
  /** For a file: the script its schemas derive, to report an edit (`edited-sql`). */
  derivedScript?: string
}

export const NEXT_MIGRATION = '(next migration)'

const IGNORE = /^[ \t]*--[ \t]*okra:lint-ignore[ \t]+([a-z-]+(?:[ \t]*,[ \t]*[a-z-]+)*)[ \t]*$/

export function lintMigration(input: LintInput): LintFinding[] {
  const { syntax } = dialectOf(input.provider)
  const statements = splitStatements(input.script, syntax)
  const ctx = { provider: input.provider, syntax, before: input.before, transactional: input.transactional }
  const edit =
    input.file !== null && input.derivedScript !== undefined
      ? firstDifference(statements, splitStatements(input.derivedScript, syntax), (text) => normalized(text, input.provider))
      : undefined
  // A file as generated (or without one) is read through its typed changes; an edited file as the text it is.
  const asDerived = input.changes !== undefined && (input.derivedScript === undefined || edit === undefined)
  const raw = asDerived ? findingsFromChanges(input.changes!, statements, ctx) : findingsFromSql(statements, ctx)
  if (edit !== undefined) raw.push({ code: 'edited-sql', line: edit, message: `${input.file} differs from the SQL derived from the migration's schemas: the file is what runs` })
  const ignored = ignoredCodes(input.script, statements)
  return raw
    .filter((f) => !ignored(f.code, f.line))
    .sort((a, b) => a.line - b.line)
    .map((f) => ({
      code: f.code,
      severity: f.severity ?? LINT_CODES[f.code].severity,
      migration: input.migration,
      file: input.file,
      line: f.line,
      message: f.message,
      fix: LINT_CODES[f.code].fix,
    }))
}

/** The line of the first statement that differs (or the first one missing), else undefined. */
function firstDifference(actual: readonly LocatedStatement[], derived: readonly LocatedStatement[], norm: (text: string) => string): number | undefined {
  const count = Math.max(actual.length, derived.length)
  for (let i = 0; i < count; i++) {
    if (actual[i] === undefined || derived[i] === undefined || norm(actual[i]!.text) !== norm(derived[i]!.text)) {
      return actual[i]?.line ?? actual[actual.length - 1]?.line ?? 1
    }
  }
  return undefined
}

/** The statement as tokens: layout and comments do not count as an edit. */
function normalized(text: string, provider: Provider): string {
  return tokenize(text, dialectOf(provider).syntax)
    .map((t) => t.text)
    .join(' ')
}

/** Whether a `-- okra:lint-ignore` marker silences `code` on the statement at `line`. */
function ignoredCodes(script: string, statements: readonly LocatedStatement[]): (code: LintCode, line: number) => boolean {
  const lines = script.split(/\r?\n/)
  const firstLine = statements[0]?.line ?? lines.length + 1
  const markers = new Map<number, string[]>()
  lines.forEach((text, i) => {
    const match = IGNORE.exec(text)
    if (match) markers.set(i + 1, match[1]!.split(',').map((c) => c.trim()))
  })
  const wholeFile = [...markers].filter(([line]) => line < firstLine).flatMap(([, codes]) => codes)
  return (code, line) => {
    if (wholeFile.includes(code)) return true
    // The comment lines right above the statement.
    for (let l = line - 1; l >= 1 && /^[ \t]*(--.*)?$/.test(lines[l - 1]!); l--) if (markers.get(l)?.includes(code)) return true
    return false
  }
}
