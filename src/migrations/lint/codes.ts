/**
 * The lint codes: each with its severity and the fix users read. `error`: the migration can lose data or
 * fail on existing rows; `warning`: it can lock a busy table, break code still running, or needs review.
 * The codes are stable: CI scripts and `-- okra:lint-ignore` markers name them.
 */

export type LintSeverity = 'error' | 'warning'

export const LINT_CODES = {
  'drop-table': { severity: 'error', fix: 'Keep the table until no code reads it and its data is copied elsewhere; then drop it in a migration of its own.' },
  'drop-column': { severity: 'error', fix: 'Stop reading the column first (deploy that), copy its data if it is needed, then drop it in a later migration.' },
  'drop-enum-value': {
    severity: 'error',
    fix: 'Move the rows off the value first (UPDATE ... SET col = another value), and make sure no code still writes it.',
  },
  'not-null-without-default': {
    severity: 'error',
    fix: 'Give the column a default (@default), or add it optional, fill every row (UPDATE), then make it required in a later migration.',
  },
  'add-unique': {
    severity: 'warning',
    fix: 'Check for duplicates first (SELECT the columns, COUNT(*) ... GROUP BY ... HAVING COUNT(*) > 1) and resolve them before deploying.',
  },
  'column-type-change': {
    severity: 'warning',
    fix: 'Add a new column of the new type, copy the values over, switch the code, then drop the old column; or check every value converts before deploying.',
  },
  'rename-table': { severity: 'warning', fix: 'Deploy code that reads the new name together with the migration, or keep a view under the old name while old code runs.' },
  'rename-column': { severity: 'warning', fix: 'Deploy code that reads the new name together with the migration, or add the new column, copy, and drop the old one later.' },
  'index-not-concurrent': {
    severity: 'warning',
    fix: 'Write the index as CREATE INDEX CONCURRENTLY in the migration.sql and mark the file `-- okra:no-transaction` (CONCURRENTLY cannot run in a transaction).',
  },
  'transaction-control': {
    severity: 'error',
    fix: 'Remove it: `okra migrate:up` runs the migration in one transaction (a BEGIN ... COMMIT around the whole file is fine). For SQL that must run outside one, mark the file `-- okra:no-transaction`.',
  },
  'edited-sql': {
    severity: 'warning',
    fix: 'Review the edit (a data migration is fine); if it was not meant, delete the file or run `okra db:migrate:snapshot` again to regenerate it.',
  },
} as const satisfies Record<string, { severity: LintSeverity; fix: string }>

export type LintCode = keyof typeof LINT_CODES

export const LINT_CODE_NAMES = Object.keys(LINT_CODES) as LintCode[]

export interface LintFinding {
  code: LintCode
  severity: LintSeverity
  /** The migration's folder name (`20240120_143022_add_phone`), or `(next migration)` for the changes since the snapshot. */
  migration: string
  /** The SQL file relative to the root (`migrations/<id>/migration.sql`), or null for SQL derived from the schemas. */
  file: string | null
  /** 1-based line of the statement in the file, or in the derived SQL (`migrate:up --dry-run` prints it). */
  line: number
  message: string
  fix: string
}
